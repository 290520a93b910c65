# ---
# jupyter:
#   description: convdoc.conv2d on a real photo — feature maps of edge, blur and sharpen filters on its RGB channels, how stride and padding change their size, and a two-filter layer with a two-channel output.
#   jupytext:
#     notebook_metadata_filter: description
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Feature maps of a real photo
#
# The earlier pages used a tiny 5×5 image to show where a single output value comes from. This notebook
# runs the same `convdoc.conv2d` on an actual photograph: a portrait of the computer scientist Grace Hopper.
# The picture is one of matplotlib's sample images, so it was installed on your machine together with
# matplotlib and nothing has to be downloaded.
#
# The site executes this notebook from scratch on every build, and so does the test suite: every plot and
# every shape below was computed by this build, and a cell that raises an error makes CI fail.

# %% [markdown]
# ## Setting up
#
# First the imports. All the convolutions are computed by convdoc; matplotlib only reads the photo and draws the plots.

# %%
import numpy as np
import matplotlib.pyplot as plt
from matplotlib import cbook, font_manager
from matplotlib_inline.backend_inline import set_matplotlib_formats

from convdoc import conv2d, output_size, param_count

# %% [markdown]
# The next cell holds the text of the plot titles. It is the only cell that differs between the two
# languages of this notebook; every other line of code is identical.

# %% tags=["lang"]
T = {
    "photo": "photo (halved) {}×{}",
    "channels": ["R channel", "G channel", "B channel"],
    "edge": "edge",
    "blur": "blur",
    "sharpen": "sharpen",
    "rgb": "{}: channels combined",
    "stride": "stride S = {}: feature map {}×{}",
    "kernels": ["filter 0 (vertical edges)", "filter 1 (horizontal edges)"],
}

# %% [markdown]
# Two plot settings. First, the figures are embedded in the page as JPEG, which stores photos far more
# compactly than PNG. Second, the Chinese version of this notebook needs a font with Chinese characters for
# its titles, and the code is the same in both versions: the cell looks for an installed CJK font and puts it
# ahead of the default fonts. Without one, matplotlib keeps its default font and the notebook still runs;
# Chinese characters would then show up as boxes. On Debian or Ubuntu, `apt-get install fonts-noto-cjk`
# provides Noto Sans CJK.

# %%
set_matplotlib_formats("jpeg")
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "SimHei"]
installed = {font.name for font in font_manager.fontManager.ttflist}
plt.rcParams["font.sans-serif"] = [f for f in CJK_FONTS if f in installed] + plt.rcParams["font.sans-serif"]

# %% [markdown]
# ## Loading the photo
#
# `plt.imread` returns an array laid out as height × width × channels, with integers from 0 to 255.
# convdoc, like PyTorch, puts the channels first: `(C, H, W)`. So we move the channel axis to the front and
# divide by 255 to get values between 0 and 1. To keep the edges visible in the small plots of a web page,
# we also halve the photo by keeping every other row and every other column.

# %%
photo = plt.imread(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
x = photo[::2, ::2].transpose(2, 0, 1) / 255
print(photo.shape, photo.dtype, "->", x.shape, x.dtype)

# %% [markdown]
# A colour photo is three channels, red, green and blue, and each of them is a grayscale image on its own.
# A stack of channels like this is exactly what a convolutional layer takes as input:

# %%
fig, axes = plt.subplots(1, 4, figsize=(12, 3.8))
axes[0].imshow(x.transpose(1, 2, 0))
axes[0].set_title(T["photo"].format(*x.shape[1:]))
for c in range(3):
    axes[c + 1].imshow(x[c], cmap="gray", vmin=0, vmax=1)
    axes[c + 1].set_title(T["channels"][c])
for ax in axes:
    ax.axis("off")
plt.show()

# %% [markdown]
# ## Three filters
#
# - **Edge**: 8 in the centre and -1 on the eight neighbours. The nine weights add up to 0, so wherever the
#   colour is uniform the output is 0; only sudden changes in brightness (edges) produce a strong response.
# - **Blur**: a 5×5 filter of 1/25 each, so every output value is the mean of the 25 pixels under the window.
# - **Sharpen**: 5 in the centre and -1 above, below, left and right. The weights add up to 1, so the overall
#   brightness stays the same while edges are boosted.

# %%
EDGE = np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])
BLUR = np.ones((5, 5)) / 25
SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
print(EDGE, BLUR.shape, SHARPEN, sep="\n")

# %% [markdown]
# ## Filtering each channel
#
# Here every channel is convolved with the same filter on its own, giving three feature maps, instead of
# the three channels being summed into one. In convdoc that is a convolution with `groups=3`: the weight has
# shape `(3, 1, F, F)`, and output channel $k$ only sees input channel $k$. The output size follows the
# formula (here with stride $S = 1$ and padding $P = 0$):
#
# $$W_2 = \left\lfloor \frac{W_1 + 2P - F}{S} \right\rfloor + 1$$
#
# A 3×3 filter therefore removes 2 pixels from the height and from the width, and the 5×5 blur removes 4.

# %%
def each_channel(x, kernel, **kwargs):
    weight = np.repeat(kernel[None, None], len(x), axis=0)
    return conv2d(x, weight, groups=len(x), **kwargs)


maps = {"edge": each_channel(x, EDGE), "blur": each_channel(x, BLUR), "sharpen": each_channel(x, SHARPEN)}
for name, kernel in [("edge", EDGE), ("blur", BLUR), ("sharpen", SHARPEN)]:
    expected = output_size(x.shape[1:], len(kernel))
    print(f"{name:8} {maps[name].shape}  output_size -> {expected}")
    assert maps[name].shape[1:] == expected

# %% [markdown]
# With `groups=3` the result is exactly what calling `conv2d` on each channel separately gives:

# %%
print(all(np.allclose(maps["edge"][c], conv2d(x[c], EDGE)) for c in range(3)))

# %% [markdown]
# Each row below is one filter. The first three columns are the feature maps of the three channels, and the
# last column puts the three channels back together as a colour image. The edge row shows the absolute value
# of the output; the other two rows show the output itself, with anything outside 0 to 1 clipped.

# %%
fig, axes = plt.subplots(3, 4, figsize=(12, 10))
for row, (name, fmap) in zip(axes, maps.items()):
    shown = np.clip(np.abs(fmap) if name == "edge" else fmap, 0, 1)
    for c in range(3):
        row[c].imshow(shown[c], cmap="gray", vmin=0, vmax=1)
        row[c].set_title(f"{T[name]} · {T['channels'][c]}")
    row[3].imshow(shown.transpose(1, 2, 0))
    row[3].set_title(T["rgb"].format(T[name]))
for ax in axes.flat:
    ax.axis("off")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## How stride and padding change the size
#
# The stride $S$ is how many pixels the window moves at each step; the padding $P$ is how many rings of zeros
# are added around the input. Below, the edge filter runs on the red channel with four combinations, and the
# shape returned by `conv2d` is printed next to the one `output_size` computes from the formula:

# %%
red = x[0]
for S, P in [(1, 0), (2, 0), (1, 1), (2, 1)]:
    out = conv2d(red, EDGE, stride=S, padding=P)
    expected = output_size(red.shape, 3, stride=S, padding=P)
    print(f"S={S} P={P}: conv2d {out.shape}, output_size {expected}")
    assert out.shape == expected

# %% [markdown]
# - Stride 2 roughly halves both the height and the width. For the width of 256,
#   $(256 + 0 - 3) / 2 = 126.5$ is not a whole number: the last column of pixels cannot fill a complete
#   window, so it is dropped. That is what the rounding down in the formula means.
# - A 3×3 filter with padding 1 and stride 1 gives an output as large as the input (300×256).
#
# Drawn at the same scale, the feature maps for stride 1 and stride 2 show the difference in size at a glance:

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 5.5))
for ax, S in zip(axes, (1, 2)):
    fmap = conv2d(red, EDGE, stride=S)
    ax.imshow(np.clip(np.abs(fmap), 0, 1), cmap="gray", vmin=0, vmax=1)
    ax.set_xlim(-0.5, red.shape[1] - 0.5)
    ax.set_ylim(red.shape[0] - 0.5, -0.5)
    ax.set_title(T["stride"].format(S, *fmap.shape))
plt.show()

# %% [markdown]
# ## Two filters: a two-channel output
#
# In a real convolutional layer every filter spans all the input channels, so the weight has shape
# `(K, C, F, F)`. Here we use two 3×3×3 filters: the first responds to vertical edges, the second to horizontal
# ones (the Sobel operator, with the same weights on all three channels, divided by 3). With stride 2 and
# padding 1 this is the same layer as the 3×3×2 example on the page
# [Computing the output of a conv layer](../../cnn-output/), only with the photo as its input.

# %%
SOBEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
weight = np.stack([np.stack([SOBEL] * 3), np.stack([SOBEL.T] * 3)]) / 3
bias = np.zeros(2)
out = conv2d(x, weight, bias, stride=2, padding=1)
print("x", x.shape, "* weight", weight.shape, "->", out.shape)
print("output_size:", output_size(x.shape[1:], 3, stride=2, padding=1))
print("param_count(3, 2, 3) =", param_count(3, 2, 3), "=", weight.size, "+", bias.size)

# %% [markdown]
# Every output value is still "multiply the window by the filter element by element, add up the products,
# add the bias". Let us check output channel 0 at row 40, column 60: with stride 2 its window starts at
# row 80, column 120 of the zero-padded input and covers all three channels.

# %%
padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
window = padded[:, 80:83, 120:123]
print(np.isclose(out[0, 40, 60], np.sum(weight[0] * window) + bias[0]))

# %% [markdown]
# Each filter produces one output channel. The layer has 56 parameters however large the photo is, because
# every position shares the same weights.

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 5.5))
for k, ax in enumerate(axes):
    ax.imshow(out[k], cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_title(f"{T['kernels'][k]} {out.shape[1]}×{out.shape[2]}")
    ax.axis("off")
plt.show()
