"""The site's glossary (术语表) as data: one preferred term per language, and the rest.

Each :class:`GlossaryEntry` holds the preferred Chinese and English term, the
synonyms a reader meets in other books (``zh_also``, ``en_also``: fine to
mention, always next to the preferred term) and the variants the pages do not
use (``zh_avoid``, ``en_avoid``), with a one-line meaning in each language.

The glossary page renders :func:`glossary_table`; ``tests/test_glossary.py``
reads :data:`GLOSSARY` to check that every page uses the preferred terms, never
an avoided variant, and the same concepts in both languages.
:func:`mentions` is the one matching rule both use: Chinese terms match as
substrings, English terms case-insensitively word by word, each word as a
prefix ("stride" matches "strides" and "strided", "round down" matches
"rounded down").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._checks import check_lang

# re-exported by convdoc; mentions (the pages' matching rule) is used as convdoc.glossary.mentions
__all__ = ["GLOSSARY", "GlossaryEntry", "glossary_table", "lookup_term"]


@dataclass(frozen=True)
class GlossaryEntry:
    """One concept: its preferred terms, synonyms, variants to avoid and meaning."""

    zh: str
    en: str
    zh_also: tuple[str, ...] = ()
    en_also: tuple[str, ...] = ()
    zh_avoid: tuple[str, ...] = ()
    en_avoid: tuple[str, ...] = ()
    zh_note: str = ""
    en_note: str = ""

    def terms(self, lang: str, *, avoided: bool = False) -> tuple[str, ...]:
        """The preferred term and its synonyms in ``lang`` (or the avoided variants)."""
        check_lang(lang)
        if avoided:
            return getattr(self, f"{lang}_avoid")
        return (getattr(self, lang),) + getattr(self, f"{lang}_also")


E = GlossaryEntry

GLOSSARY: tuple[GlossaryEntry, ...] = (
    E("卷积层", "convolutional layer", (), (), (), (),
      "用一组卷积核扫过输入、输出一组特征图的层。",
      "A layer that slides a set of filters over its input and outputs one feature map per filter."),
    E("卷积核", "filter", ("滤波器",), ("kernel",), ("过滤器",), (),
      "在输入上滑动的权重张量，深度等于输入通道数；它的边长在 PyTorch 里叫 kernel_size。",
      "The weights that slide over the input; as deep as the input has channels. PyTorch calls its size kernel_size."),
    E("偏置", "bias", (), (), (), (),
      "每个卷积核一个、加到它所有输出上的常数（第一章公式里的 w_b）。",
      "One number per filter, added to every output of that filter (w_b in the first chapter's formula)."),
    E("特征图", "feature map", ("激活图", "特征映射"), ("activation map",), (), (),
      "一个卷积核在所有位置的输出排成的二维数组；CS231n 叫 activation map，d2l 中文版叫特征映射。",
      "The 2-D array of one filter's outputs at all positions; CS231n calls it an activation map."),
    E("通道", "channel", (), (), (), (),
      "输入或输出在深度方向上的一张二维切片，例如 RGB 图像的 3 个通道；一个卷积核产生一个输出通道。",
      "One slice of the input or output, e.g. the 3 channels of an RGB image; one filter makes one output channel."),
    E("窗口", "window", (), (), (), (),
      "卷积核或池化在某个位置覆盖的那块输入。",
      "The patch of the input a filter or a pooling operation covers at one position."),
    E("步幅", "stride", ("步长",), (), (), (),
      "窗口每次移动的像素数；第一章所依据的博客和不少中文教材写作步长。",
      "How many pixels the window moves at each step; many Chinese textbooks write 步长 for 步幅."),
    E("填充", "padding", (), (), (), (),
      "在输入四周补的行和列；PyTorch 与 CS231n 的 P 指每一边的量，d2l 的 p_h 指总量。",
      "Rows and columns added around the input; PyTorch's and CS231n's P is per side, d2l's p_h the total."),
    E("零填充", "zero padding", ("补零",), (), (), ("zero-padding",),
      "补的值是 0 的填充（卷积的默认方式）。",
      "Padding with zeros, the default for convolutions."),
    E("输出尺寸", "output size", ("输出大小",), ("output shape",), (), (),
      "特征图的高和宽，由输入尺寸、卷积核、步幅、填充和扩张决定。",
      "The height and width of the feature map, set by input size, filter, stride, padding and dilation."),
    E("向下取整", "round down", (), ("floor",), (), (),
      "除不尽时框架的做法：放不下完整窗口的位置被丢掉。",
      "What frameworks do when the division is not exact: positions where a whole window does not fit are dropped."),
    E("向上取整", "round up", (), ("ceil",), (), (),
      "池化层 ceil_mode=True 时的做法：最后一个窗口可以伸出输入。",
      "What pooling does with ceil_mode=True: the last window may hang past the input."),
    E("扩张", "dilation", ("空洞", "膨胀"), ("dilated", "atrous"), (), ("dilatation",),
      "卷积核各元素之间的间距，用扩张率 d 表示；扩张率为 d 的 k×k 卷积核跨 d(k−1)+1 个像素。也叫空洞卷积。",
      "The spacing between filter taps; a k×k filter with dilation d spans d(k−1)+1 pixels. Also called atrous convolution."),
    E("感受野", "receptive field", (), (), ("感受域", "接受域"), (),
      "一个输出元素依赖的那块输入区域；它的大小常用边长表示，例如 3×3 的感受野。",
      "The region of the input one output element depends on; its size is usually given by its side, e.g. a 3×3 receptive field."),
    E("池化", "pooling", ("汇聚",), (), (), (),
      "用取最大值或平均值等固定函数概括每个窗口、没有参数的层；d2l 中文版叫汇聚。",
      "A layer with no parameters that summarises each window by a fixed function such as max or mean."),
    E("最大池化", "max pooling", ("最大汇聚",), (), (), (),
      "取窗口内的最大值；填充按负无穷处理。",
      "Takes the largest value of each window; padding counts as minus infinity."),
    E("平均池化", "average pooling", ("平均汇聚",), ("mean pooling",), (), (),
      "取窗口内的平均值；PyTorch 默认把填充的 0 也算进分母。",
      "Takes the mean of each window; by default PyTorch counts padding zeros in the divisor."),
    E("互相关", "cross-correlation", (), (), ("交叉相关",), ("cross correlation",),
      "卷积核不翻转的“卷积”，深度学习框架实际计算的运算。",
      "“Convolution” without flipping the filter: what deep-learning frameworks compute."),
    E("权值共享", "weight sharing", ("参数共享", "权重共享"), ("parameter sharing",), (), (),
      "同一个卷积核在所有位置使用同一组权重，所以参数量与输入宽高无关。",
      "A filter uses the same weights at every position, so the parameter count does not depend on the input's size."),
    E("局部连接", "local connectivity", (), ("locally connected",), (), (),
      "每个输出只连到输入的一个窗口；不共享权值的局部连接层每个位置有自己的权重。",
      "Each output connects to one window of the input; a locally connected layer without sharing has weights per position."),
    E("全连接层", "fully connected layer", ("稠密层",), ("dense layer",), (), (),
      "每个输出连到全部输入的层（PyTorch 的 Linear，Keras 的 Dense）。",
      "A layer whose every output connects to every input (PyTorch's Linear, Keras's Dense)."),
    E("参数量", "parameter count", ("参数个数",), ("number of parameters",), (), (),
      "一层可训练的权重和偏置的总数。",
      "How many trainable weights and biases a layer has."),
    # not 组卷积 as a synonym: as a substring it also matches 一组卷积核 ("a set of filters")
    E("分组卷积", "grouped convolution", (), ("group convolution",), (), (),
      "把输入和输出通道分成 groups 组、组内各自卷积；权重数是普通卷积的 1/groups，偏置数不变。",
      "Channels split into groups convolved separately; 1/groups of a full convolution's weights, the same biases."),
    # 深度卷积 is read as a term only where 神经网络 does not follow (深度卷积神经网络 is "deep CNN"): NOT_FOLLOWED_BY
    E("逐通道卷积", "depthwise convolution", ("深度卷积",), (), (), (),
      "每个输入通道只用自己的一个卷积核（groups 等于通道数）。",
      "Each input channel has its own single filter (groups equal to the number of channels)."),
    E("逐点卷积", "pointwise convolution", (), (), (), (),
      "1×1 卷积：只在通道之间组合，不看邻近像素。",
      "A 1×1 convolution: it mixes channels and looks at no neighbouring pixel."),
    E("深度可分离卷积", "depthwise separable convolution", (), (), (), (),
      "逐通道卷积加逐点卷积，MobileNet 用它代替普通卷积。",
      "A depthwise convolution followed by a pointwise one; MobileNet's replacement for a full convolution."),
    E("转置卷积", "transposed convolution", ("分数步幅卷积",), ("fractionally strided convolution",),
      ("反卷积",), ("deconvolution",),
      "把卷积的输出形状映射回输入形状的运算（卷积的转置）；它不是卷积的逆，所以不叫“反卷积”。",
      "Maps a convolution's output shape back to its input shape (the convolution's transpose); not its inverse, hence not “deconvolution”."),
    # not MAC as an English synonym: as a word prefix it also matches "machine"
    E("乘加", "multiply-accumulate", ("乘积累加",), ("MACs", "multiply-add"), (), (),
      "一次乘法加一次加法 a ← a + w·x，简称 MAC；卷积层和全连接层的计算量通常以它为单位（convdoc 的 summary 就数它）。",
      "One multiplication and one addition, a ← a + w·x (a MAC); the usual unit of the compute of conv and linear layers, and what convdoc's summary counts."),
    E("浮点运算次数", "FLOPs", (), ("floating-point operations",), (), (),
      "浮点运算的次数；一次乘加通常算 2 次，但 torchvision 的 GFLOPS 一栏和 fvcore 把一次乘加算 1 次。别和 FLOPS（每秒浮点运算次数）混淆。",
      "A count of floating-point operations; a multiply-accumulate usually counts as 2, but torchvision's GFLOPS column and fvcore count it as 1. Not FLOPS, operations per second."),
    E("激活函数", "activation function", (), (), (), (),
      "加在卷积结果上的非线性函数，例如 ReLU。",
      "The nonlinearity applied to the convolution's result, e.g. ReLU."),
    E("残差块", "residual block", ("残差模块",), (), (), (),
      "把输入经捷径加到几层网络的输出上的块：输出是 F(x) + x，两者形状必须相同。",
      "A block that adds its input, through a shortcut, to the output of a few layers: F(x) + x, of equal shapes."),
    E("捷径", "shortcut", ("快捷连接",), ("shortcut connection",), (), (),
      "残差块里把输入送到相加处的路径：恒等映射，或改变形状的投影（1×1 卷积）。",
      "The path that brings a residual block's input to the sum: the identity, or a projection (a 1×1 convolution)."),
    E("拼接", "concatenation", (), (), (), (),
      "把几条分支的特征图沿通道轴摞在一起：通道数相加，高和宽必须相同。",
      "Stacking the feature maps of branches along the channels: the channels add up, height and width must agree."),
    E("跳跃连接", "skip connection", (), (), (), (),
      "把前面某层的特征图直接送到后面的层；U-Net 用拼接把它接上。",
      "Carries an earlier feature map to a later layer; a U-Net joins it by concatenation."),
    E("倒残差块", "inverted residual", (), (), (), (),
      "MobileNetV2 的块：1×1 扩展、3×3 逐通道卷积、1×1 投影，在窄的两端相加。",
      "MobileNetV2's block: a 1×1 expansion, a 3×3 depthwise convolution and a 1×1 projection, added at the narrow ends."),
)

del E


# Chinese terms that are the start of a longer, different word: not a mention when that word follows
NOT_FOLLOWED_BY = {"深度卷积": "神经网络"}


def _pattern(term: str, lang: str) -> re.Pattern:
    if lang == "zh":
        after = NOT_FOLLOWED_BY.get(term)
        return re.compile(re.escape(term) + (f"(?!{re.escape(after)})" if after else ""))
    words = [re.escape(w) + r"\w*" for w in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words), re.IGNORECASE)


def mentions(text: str, term: str, lang: str) -> bool:
    """Whether ``text`` uses ``term`` by the glossary's matching rule.

    Chinese terms match as substrings; English terms case-insensitively, word
    by word, each word as a prefix (so plurals and inflections count), not
    inside another word.

    Parameters
    ----------
    text : str
    term : str
    lang : "zh" or "en"

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        ``lang`` is neither "zh" nor "en".

    Examples
    --------
    >>> from convdoc.glossary import mentions
    >>> mentions("the window moves with stride 2", "stride", "en")
    True
    >>> mentions("the sizes are rounded down", "round down", "en")
    True
    >>> mentions("a subsampling stride", "sampling", "en")  # not inside another word
    False
    >>> mentions("步幅为 2", "步幅", "zh")
    True
    >>> mentions("深度卷积神经网络", "深度卷积", "zh")  # "deep CNN", not the depthwise convolution
    False
    """
    return bool(_pattern(term, check_lang(lang)).search(text))


def lookup_term(word: str) -> GlossaryEntry:
    """The glossary entry for a term in either language, preferred, synonym or avoided.

    Parameters
    ----------
    word : str
        Case-insensitive for English.

    Returns
    -------
    GlossaryEntry

    Raises
    ------
    TypeError
        ``word`` is not a string.
    ValueError
        No entry lists ``word``.

    Examples
    --------
    >>> from convdoc import lookup_term
    >>> e = lookup_term("汇聚")
    >>> e.zh, e.en
    ('池化', 'pooling')
    >>> lookup_term("deconvolution").zh
    '转置卷积'
    """
    if not isinstance(word, str):
        raise TypeError(f"word must be a string, got {word!r}")
    key = word.strip().lower()
    for entry in GLOSSARY:
        names = entry.terms("zh") + entry.terms("en") + entry.zh_avoid + entry.en_avoid
        if key in (n.lower() for n in names):
            return entry
    raise ValueError(f"word {word!r} is not in the glossary; see the glossary page for the {len(GLOSSARY)} terms")


_HEAD = {
    "zh": ("| 中文 | English | 也叫 | 本站不用 | 含义 |", "| --- | --- | --- | --- | --- |"),
    "en": ("| English | 中文 | Also called | Not used here | Meaning |", "| --- | --- | --- | --- | --- |"),
}


def glossary_table(lang: str) -> str:
    """The glossary as a Markdown table, preferred terms first, for the page in ``lang``.

    Parameters
    ----------
    lang : "zh" or "en"
        The page's language: its terms come first, then the other language's.

    Returns
    -------
    str
        A header, a separator and one row per entry of :data:`GLOSSARY`.

    Raises
    ------
    ValueError
        ``lang`` is neither "zh" nor "en".

    Examples
    --------
    >>> from convdoc import glossary_table
    >>> print(glossary_table("en").splitlines()[0])
    | English | 中文 | Also called | Not used here | Meaning |
    """
    check_lang(lang)
    other = "en" if lang == "zh" else "zh"
    lines = list(_HEAD[lang])
    for e in GLOSSARY:
        also = ", ".join(getattr(e, f"{lang}_also") + getattr(e, f"{other}_also")) or "—"
        avoid = ", ".join(getattr(e, f"{lang}_avoid") + getattr(e, f"{other}_avoid")) or "—"
        lines.append(
            f"| **{getattr(e, lang)}** | {getattr(e, other)} | {also} | {avoid} | {getattr(e, f'{lang}_note')} |"
        )
    return "\n".join(lines)
