# ---
# jupyter:
#   description:
#     zh: 在一张真实照片上运行 convdoc.conv2d：边缘、模糊和锐化卷积核在 RGB 三个通道上的特征图，步幅和填充如何改变特征图的大小，以及两个卷积核得到两通道输出的一层。
#     en: convdoc.conv2d on a real photo — feature maps of edge, blur and sharpen filters on its RGB channels, how stride and padding change their size, and a two-filter layer with a two-channel output.
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

# %% [markdown] lang="zh"
# # 真实照片的特征图
#
# 前面的页面用一张 5×5 的小图把一个输出值的来历讲清楚了。这个笔记本把同一个 `convdoc.conv2d` 用在一张真正的照片上：计算机科学家 Grace Hopper 的肖像。这张照片是 matplotlib 自带的示例数据，安装 matplotlib 时就已经在你的电脑上了，不需要下载任何东西。
#
# CI 每次构建站点都会从头执行这个笔记本：下面的每张图、每个形状都是执行的结果，任何一个单元格出错都会让构建失败。

# %% [markdown] lang="en"
# # Feature maps of a real photo
#
# The earlier pages used a tiny 5×5 image to show where a single output value comes from. This notebook
# runs the same `convdoc.conv2d` on an actual photograph: a portrait of the computer scientist Grace Hopper.
# The picture is one of matplotlib's sample images, so it was installed on your machine together with
# matplotlib and nothing has to be downloaded.
#
# CI executes this notebook from scratch every time it builds the site: every plot and every shape below is
# its output, and a cell that raises an error fails the build.

# %% [markdown] lang="zh"
# ## 准备
#
# 先导入要用的名字。卷积全部由 convdoc 计算，matplotlib 只负责读入照片和画图。

# %% [markdown] lang="en"
# ## Setting up
#
# First the imports. All the convolutions are computed by convdoc; matplotlib only reads the photo and draws the plots.

# %%
import numpy as np
import matplotlib.pyplot as plt
from matplotlib import cbook, font_manager
from matplotlib_inline.backend_inline import set_matplotlib_formats

from convdoc import conv2d, output_size, param_count

# %% [markdown] lang="zh"
# 下面这个单元格是图中标题用的文字。两种语言的笔记本只有这一个单元格不同，其余代码逐字相同。

# %% [markdown] lang="en"
# The next cell holds the text of the plot titles. It is the only cell that differs between the two
# languages of this notebook; every other line of code is identical.

# %% lang="zh"
T = {
    "photo": "照片（缩小一半）{}×{}",
    "channels": ["R 通道", "G 通道", "B 通道"],
    "edge": "边缘",
    "blur": "模糊",
    "sharpen": "锐化",
    "rgb": "{}：三个通道合在一起",
    "stride": "步幅 S = {}：特征图 {}×{}",
    "kernels": ["卷积核 0（竖直边缘）", "卷积核 1（水平边缘）"],
}

# %% lang="en"
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

# %% [markdown] lang="zh"
# 画图的两项设置。第一，图以 JPEG 格式嵌入页面，照片这样存比 PNG 小得多。第二，中文标题需要一种带汉字的字体：在已安装的字体里找一种 CJK 字体，找到就排在默认字体前面；找不到时 matplotlib 仍用默认字体，笔记本照样能运行，只是汉字会显示成方框。在 Debian 或 Ubuntu 上，`apt-get install fonts-noto-cjk` 会装上 Noto Sans CJK。

# %% [markdown] lang="en"
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

# %% [markdown] lang="zh"
# ## 读入照片
#
# `plt.imread` 返回的数组是“高 × 宽 × 通道”，每个值是 0 到 255 的整数。convdoc 和 PyTorch 一样，把通道放在最前面，即 `(C, H, W)`。所以我们把通道轴移到前面，再除以 255 变成 0 到 1 之间的小数。为了让边缘在网页上的小图里也看得清，每隔一行、一列取一个像素，把照片缩小一半。

# %% [markdown] lang="en"
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

# %% [markdown] lang="zh"
# 照片由红、绿、蓝三个通道组成，每个通道本身就是一张灰度图。卷积层的输入就是这样一叠通道：

# %% [markdown] lang="en"
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

# %% [markdown] lang="zh"
# ## 三个卷积核
#
# - **边缘**：中心是 8，周围八个是 −1。九个数加起来等于 0，所以在颜色均匀的区域，输出是 0；只有亮度突然变化的地方（边缘）才有明显的输出。
# - **模糊**：5×5 个 1/25，每个输出值是窗口里 25 个像素的平均值。
# - **锐化**：中心是 5，上下左右是 −1，加起来等于 1，所以整体亮度不变，边缘被加强。

# %% [markdown] lang="en"
# ## Three filters
#
# - **Edge**: 8 in the centre and −1 on the eight neighbours. The nine weights add up to 0, so wherever the
#   colour is uniform the output is 0; only sudden changes in brightness (edges) produce a strong response.
# - **Blur**: a 5×5 filter of 1/25 each, so every output value is the mean of the 25 pixels under the window.
# - **Sharpen**: 5 in the centre and −1 above, below, left and right. The weights add up to 1, so the overall
#   brightness stays the same while edges are boosted.

# %%
EDGE = np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])
BLUR = np.ones((5, 5)) / 25
SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
print(EDGE, BLUR.shape, SHARPEN, sep="\n")

# %% [markdown] lang="zh"
# ## 在每个通道上卷积
#
# 这里让每个通道各自和同一个卷积核做卷积，得到三张特征图，而不是把三个通道加在一起。在 convdoc 里这就是 `groups=3` 的卷积：权重的形状是 `(3, 1, F, F)`，第 $k$ 个输出通道只看第 $k$ 个输入通道。输出的尺寸按下面的公式计算（这里步幅 $S = 1$，填充 $P = 0$）：
#
# $$W_2 = \left\lfloor \frac{W_1 + 2P - F}{S} \right\rfloor + 1$$
#
# 所以 3×3 的卷积核让高和宽各少 2 个像素，5×5 的模糊卷积核各少 4 个。

# %% [markdown] lang="en"
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

# %% [markdown] lang="zh"
# `groups=3` 的结果和逐个通道调用 `conv2d` 完全相同：

# %% [markdown] lang="en"
# With `groups=3` the result is exactly what calling `conv2d` on each channel separately gives:

# %%
print(all(np.allclose(maps["edge"][c], conv2d(x[c], EDGE)) for c in range(3)))

# %% [markdown] lang="zh"
# 每一行是一个卷积核，前三列是三个通道各自的特征图，最后一列把三个通道重新合成彩色图。边缘特征图画的是输出的绝对值，其他两行画的是输出本身（超出 0 到 1 的部分被截断）。

# %% [markdown] lang="en"
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

# %% [markdown] lang="zh"
# ## 步幅与填充改变特征图的大小
#
# 步幅 $S$ 是窗口每次移动的像素数，填充 $P$ 是在四周补上的 0 的圈数。下面用边缘卷积核在 R 通道上试四种组合，把 `conv2d` 输出的形状和 `output_size` 按公式算出的形状放在一起：

# %% [markdown] lang="en"
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

# %% [markdown] lang="zh"
# - 步幅 2 让特征图的高和宽都差不多减半。宽度 256 时，$(256 + 0 - 3) / 2 = 126.5$ 不是整数：最后一列像素凑不满一个完整的窗口，于是被丢掉，公式里的向下取整就是这个意思。
# - 3×3 的卷积核配上填充 1、步幅 1，输出和输入一样大（300×256）。
#
# 把步幅 1 和步幅 2 的特征图按同样的比例画在一起，大小的差别一目了然：

# %% [markdown] lang="en"
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

# %% [markdown] lang="zh"
# ## 两个卷积核：两通道的输出
#
# 一个真正的卷积层里，每个卷积核都覆盖全部输入通道，权重的形状是 `(K, C, F, F)`。这里用两个 3×3×3 的卷积核：第一个响应竖直的边缘，第二个响应水平的边缘（Sobel 算子，三个通道用同一组权重再除以 3）。再加上步幅 2、填充 1，这和[卷积神经网络的输出](../../cnn-output/)一页里输出 3×3×2 的例子是同样的层，只是输入换成了照片。

# %% [markdown] lang="en"
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

# %% [markdown] lang="zh"
# 输出的每个值仍然是“窗口和卷积核逐项相乘再相加，加上偏置”。取输出通道 0 的第 40 行第 60 列验证一下：步幅 2 时，这个窗口从零填充后的输入的第 80 行、第 120 列开始，三个通道一起算。

# %% [markdown] lang="en"
# Every output value is still "multiply the window by the filter element by element, add up the products,
# add the bias". Let us check output channel 0 at row 40, column 60: with stride 2 its window starts at
# row 80, column 120 of the zero-padded input and covers all three channels.

# %%
padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
window = padded[:, 80:83, 120:123]
print(np.isclose(out[0, 40, 60], np.sum(weight[0] * window) + bias[0]))

# %% [markdown] lang="zh"
# 两个卷积核各自产生一个输出通道。参数量是 56，和输入照片有多大无关：每个位置共用同一组权重。

# %% [markdown] lang="en"
# Each filter produces one output channel. The layer has 56 parameters however large the photo is, because
# every position shares the same weights.

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 5.5))
for k, ax in enumerate(axes):
    ax.imshow(out[k], cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_title(f"{T['kernels'][k]} {out.shape[1]}×{out.shape[2]}")
    ax.axis("off")
plt.show()
