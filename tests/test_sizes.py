"""Size and parameter arithmetic against hand-derived and published cases."""

import pytest

import convdoc
from convdoc import output_size, param_count, receptive_field, receptive_fields, same_padding, transposed_output_size


@pytest.mark.parametrize(
    "args, kwargs, expected",
    [
        ((5, 3), dict(stride=2), 2),  # the article's worked value
        ((5, 3), {}, 3),
        ((5, 3), dict(stride=2, padding=1), 3),  # the 3x3x2 demo
        ((7, 3), dict(stride=2, padding=1), 4),  # the erratum: a real 7x7 input
        ((227, 11), dict(stride=4), 55),  # AlexNet conv1 (CS231n)
        ((6, 3), dict(stride=2, padding=1), 3),  # Dumoulin & Visin
        ((7, 3), dict(dilation=2), 3),  # Dumoulin & Visin, dilated
        ((6, 3), dict(stride=2), 2),  # (6-3)/2+1 = 2.5 is floored
        ((1, 1), {}, 1),
    ],
)
def test_output_size_published(args, kwargs, expected):
    assert output_size(*args, **kwargs) == expected
    assert type(output_size(*args, **kwargs)) is int


def test_output_size_pairs():
    assert output_size((7, 5), 3, stride=2, padding=1) == (4, 3)
    assert output_size(5, (3, 1)) == (3, 5)
    assert output_size(5, 3, stride=(1, 2)) == (3, 2)


def test_ceil_mode_drops_window_starting_in_padding():
    # PyTorch pooling: ceil((4 + 2 - 2) / 2) + 1 = 3 windows, the last starts at 4 < size + padding = 5
    assert output_size(4, 2, stride=2, padding=1, ceil_mode=True) == 3
    assert output_size(5, 2, stride=2, ceil_mode=True) == 3
    assert output_size(5, 2, stride=2) == 2
    # ceil would give 4 windows but the 4th starts at 6 >= size + padding = 6: dropped
    assert output_size(5, 2, stride=2, padding=1, ceil_mode=True) == 3


# output_size counts window positions for every size: tests/test_properties.py


def test_param_count():
    assert param_count(3, 2, 3) == 56
    assert param_count(3, 2, 3, bias=False) == 54
    assert param_count(3, 96, 11) == 34_944  # AlexNet conv1 (CS231n: 34,944 with sharing)
    assert param_count(75, 18, 1) == 75 * 18 + 18  # a fully connected layer as a 1x1 conv
    assert param_count(32, 32, 3, groups=32) == 32 * 9 + 32
    assert param_count(4, 8, (3, 5), groups=2) == 8 * 2 * 15 + 8
    assert type(param_count(3, 2, 3)) is int


def test_transposed_output_size():
    assert transposed_output_size(2, 3, stride=2) == 5
    assert transposed_output_size(2, 3, stride=2, output_padding=1) == 6
    # inverts the direct size when stride divides: o = 3 from i = 5, k = 3, s = 2, p = 1
    assert transposed_output_size(3, 3, stride=2, padding=1) == 5
    assert transposed_output_size((3, 2), 3) == (5, 4)


def test_same_padding():
    assert same_padding(5, 3) == (1, 1)
    assert same_padding(224, 3, stride=2) == (0, 1)
    assert same_padding(5, 1) == (0, 0)
    for n in range(1, 40):
        for k in range(1, 6):
            for s in range(1, 4):
                before, after = same_padding(n, k, s)
                assert after - before in (0, 1)
                # the padded input gives exactly ceil(n / s) outputs
                assert (n + before + after - k) // s + 1 == -(-n // s)


def test_receptive_field():
    assert receptive_field([(3, 1), (3, 1)]) == 5
    assert receptive_field([(3, 1)] * 3) == 7
    assert receptive_field([(3, 2), (3, 1)]) == 7
    assert receptive_field([(3, 1, 2)]) == 5
    assert receptive_field([]) == 1


@pytest.mark.parametrize("layers", [[], [(3, 1)], [(3, 2), (3, 1)], [(7, 2), (3, 2), (3, 1, 2), (1, 1)], [(11, 4), (3, 2), (5, 1)]])
def test_receptive_field_is_the_last_row_of_receptive_fields(layers):
    rows = receptive_fields(layers)
    assert receptive_field(layers) == (rows[-1].size if rows else 1)


def test_the_public_names_come_from_their_modules_once():
    # each module owns its __all__; the package's and convdoc.sizes' are joined from them
    from convdoc import padding, params, receptive, sizes, windows

    assert len(convdoc.__all__) == len(set(convdoc.__all__))
    assert set(sizes.__all__) <= set(convdoc.__all__)
    for topic in (padding, params, receptive, windows):
        for name in topic.__all__:
            assert name in sizes.__all__ and getattr(sizes, name) is getattr(topic, name) is getattr(convdoc, name)
    for name in convdoc.__all__:
        assert getattr(convdoc, name) is not None
