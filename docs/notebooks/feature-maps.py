# ---
# jupyter:
#   description: 在一张真实照片上运行 convdoc.conv2d：边缘、模糊和锐化卷积核在 RGB 三个通道上的特征图，步幅和填充如何改变特征图的大小，以及两个卷积核得到两通道输出的一层。
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
# # 真实照片的特征图
#
# 前面的页面用一张 5×5 的小图把一个输出值的来历讲清楚了。这个笔记本把同一个 `convdoc.conv2d` 用在一张真正的照片上：计算机科学家 Grace Hopper 的肖像。这张照片是 matplotlib 自带的示例数据，安装 matplotlib 时就已经在你的电脑上了，不需要下载任何东西。
#
# 站点每次构建都会从头执行这个笔记本，测试套件也会执行它：下面的每张图、每个形状都是这次构建实际算出来的，任何一个单元格出错都会让 CI 失败。

# %% [markdown]
# ## 准备
#
# 先导入要用的名字。卷积全部由 convdoc 计算，matplotlib 只负责读入照片和画图。

# %%
import numpy as np
import matplotlib.pyplot as plt
from matplotlib import cbook, font_manager
from matplotlib_inline.backend_inline import set_matplotlib_formats

from convdoc import conv2d, output_size, param_count

# %% [markdown]
# 下面这个单元格是图中标题用的文字。两种语言的笔记本只有这一个单元格不同，其余代码逐字相同。

# %% tags=["lang"]
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

# %% [markdown]
# 画图的两项设置。第一，图以 JPEG 格式嵌入页面，照片这样存比 PNG 小得多。第二，中文标题需要一种带汉字的字体：在已安装的字体里找一种 CJK 字体，找到就排在默认字体前面；找不到时 matplotlib 仍用默认字体，笔记本照样能运行，只是汉字会显示成方框。在 Debian 或 Ubuntu 上，`apt-get install fonts-noto-cjk` 会装上 Noto Sans CJK。

# %%
set_matplotlib_formats("jpeg")
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "SimHei"]
installed = {font.name for font in font_manager.fontManager.ttflist}
plt.rcParams["font.sans-serif"] = [f for f in CJK_FONTS if f in installed] + plt.rcParams["font.sans-serif"]

# %% [markdown]
# ## 读入照片
#
# `plt.imread` 返回的数组是“高 × 宽 × 通道”，每个值是 0 到 255 的整数。convdoc 和 PyTorch 一样，把通道放在最前面，即 `(C, H, W)`。所以我们把通道轴移到前面，再除以 255 变成 0 到 1 之间的小数。为了让边缘在网页上的小图里也看得清，每隔一行、一列取一个像素，把照片缩小一半。

# %%
photo = plt.imread(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
x = photo[::2, ::2].transpose(2, 0, 1) / 255
print(photo.shape, photo.dtype, "->", x.shape, x.dtype)

# %% [markdown]
# 照片由红、绿、蓝三个通道组成，每个通道本身就是一张灰度图。卷积层的输入就是这样一叠通道：

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
# ## 三个卷积核
#
# - **边缘**：中心是 8，周围八个是 -1。九个数加起来等于 0，所以在颜色均匀的区域，输出是 0；只有亮度突然变化的地方（边缘）才有明显的输出。
# - **模糊**：5×5 个 1/25，每个输出值是窗口里 25 个像素的平均值。
# - **锐化**：中心是 5，上下左右是 -1，加起来等于 1，所以整体亮度不变，边缘被加强。

# %%
EDGE = np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])
BLUR = np.ones((5, 5)) / 25
SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
print(EDGE, BLUR.shape, SHARPEN, sep="\n")

# %% [markdown]
# ## 在每个通道上卷积
#
# 这里让每个通道各自和同一个卷积核做卷积，得到三张特征图，而不是把三个通道加在一起。在 convdoc 里这就是 `groups=3` 的卷积：权重的形状是 `(3, 1, F, F)`，第 $k$ 个输出通道只看第 $k$ 个输入通道。输出的尺寸按下面的公式计算（这里步幅 $S = 1$，填充 $P = 0$）：
#
# $$W_2 = \left\lfloor \frac{W_1 + 2P - F}{S} \right\rfloor + 1$$
#
# 所以 3×3 的卷积核让高和宽各少 2 个像素，5×5 的模糊卷积核各少 4 个。

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
# `groups=3` 的结果和逐个通道调用 `conv2d` 完全相同：

# %%
print(all(np.allclose(maps["edge"][c], conv2d(x[c], EDGE)) for c in range(3)))

# %% [markdown]
# 每一行是一个卷积核，前三列是三个通道各自的特征图，最后一列把三个通道重新合成彩色图。边缘特征图画的是输出的绝对值，其他两行画的是输出本身（超出 0 到 1 的部分被截断）。

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
# ## 步幅与填充改变特征图的大小
#
# 步幅 $S$ 是窗口每次移动的像素数，填充 $P$ 是在四周补上的 0 的圈数。下面用边缘卷积核在 R 通道上试四种组合，把 `conv2d` 输出的形状和 `output_size` 按公式算出的形状放在一起：

# %%
red = x[0]
for S, P in [(1, 0), (2, 0), (1, 1), (2, 1)]:
    out = conv2d(red, EDGE, stride=S, padding=P)
    expected = output_size(red.shape, 3, stride=S, padding=P)
    print(f"S={S} P={P}: conv2d {out.shape}, output_size {expected}")
    assert out.shape == expected

# %% [markdown]
# - 步幅 2 让特征图的高和宽都差不多减半。宽度 256 时，$(256 + 0 - 3) / 2 = 126.5$ 不是整数：最后一列像素凑不满一个完整的窗口，于是被丢掉，公式里的向下取整就是这个意思。
# - 3×3 的卷积核配上填充 1、步幅 1，输出和输入一样大（300×256）。
#
# 把步幅 1 和步幅 2 的特征图按同样的比例画在一起，大小的差别一目了然：

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
# ## 两个卷积核：两通道的输出
#
# 一个真正的卷积层里，每个卷积核都覆盖全部输入通道，权重的形状是 `(K, C, F, F)`。这里用两个 3×3×3 的卷积核：第一个响应竖直的边缘，第二个响应水平的边缘（Sobel 算子，三个通道用同一组权重再除以 3）。再加上步幅 2、填充 1，这和[卷积神经网络的输出](../../cnn-output/)一页里输出 3×3×2 的例子是同样的层，只是输入换成了照片。

# %%
SOBEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
weight = np.stack([np.stack([SOBEL] * 3), np.stack([SOBEL.T] * 3)]) / 3
bias = np.zeros(2)
out = conv2d(x, weight, bias, stride=2, padding=1)
print("x", x.shape, "* weight", weight.shape, "->", out.shape)
print("output_size:", output_size(x.shape[1:], 3, stride=2, padding=1))
print("param_count(3, 2, 3) =", param_count(3, 2, 3), "=", weight.size, "+", bias.size)

# %% [markdown]
# 输出的每个值仍然是“窗口和卷积核逐项相乘再相加，加上偏置”。取输出通道 0 的第 40 行第 60 列验证一下：步幅 2 时，这个窗口从补零后的输入的第 80 行、第 120 列开始，三个通道一起算。

# %%
padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
window = padded[:, 80:83, 120:123]
print(np.isclose(out[0, 40, 60], np.sum(weight[0] * window) + bias[0]))

# %% [markdown]
# 两个卷积核各自产生一个输出通道。参数量是 56，和输入照片有多大无关：每个位置共用同一组权重。

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 5.5))
for k, ax in enumerate(axes):
    ax.imshow(out[k], cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_title(f"{T['kernels'][k]} {out.shape[1]}×{out.shape[2]}")
    ax.axis("off")
plt.show()
