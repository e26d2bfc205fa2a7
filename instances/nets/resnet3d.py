"""3D ResNet-50 as in the widely used 3D-ResNets-PyTorch code (Hara et al.) and MMAction's I3D-R50.

``resnet3d50``: bottlenecks [3, 4, 6, 3], conv1 7x7x7 stride (1, 2, 2) padding 3, 3x3x3 max-pool
stride 2 padding 1, bottleneck convs 1x1x1, 3x3x3 (stride on the 3x3x3, as that code does),
1x1x1, shortcut type B (a 1x1x1 conv with BatchNorm where shape changes), input 3x16x112x112,
adaptive average pool and a 101-way fc. k = 18 parts: the stem, the 16 bottlenecks, the head;
no cut falls inside a shortcut. Total 10,068,699,136 MACs (10.07 G).

``i3d_r50``: MMAction's I3D-R50 (``ResNet3d`` depth 50, inflated from ImageNet ResNet-50), see
:func:`i3d_r50`. Input 3x32x224x224; 28,043,472 parameters with 400 classes (conv and fc weights,
fc bias, BatchNorm scale and shift).
"""

from __future__ import annotations

from ..layers import NetBuilder, Part

STAGES = ((64, 3), (128, 4), (256, 6), (512, 3))
EXPANSION = 4


def _bottleneck(net: NetBuilder, planes: int, stride: int, inflate: bool | None,
                t_stride: int | None = None) -> None:
    """One bottleneck with a type-B shortcut, merged into ``net``.

    ``inflate`` makes the first conv 3x1x1 (MMAction's ``inflate_style='3x1x1'``) and the second
    1x3x3; without it (3D-ResNets) the second conv is 3x3x3 and the first 1x1x1.
    """
    t_stride = stride if t_stride is None else t_stride
    main = net.branch()
    if inflate is None:  # 3D-ResNets: 1x1x1, 3x3x3, 1x1x1
        main.conv(planes, 1).conv(planes, 3, (t_stride, stride, stride), 1)
    elif inflate:
        main.conv(planes, (3, 1, 1), 1, (1, 0, 0)).conv(planes, (1, 3, 3), (1, stride, stride),
                                                        (0, 1, 1))
    else:
        main.conv(planes, 1).conv(planes, (1, 3, 3), (1, stride, stride), (0, 1, 1))
    main.conv(planes * EXPANSION, 1)
    shortcut = net.branch()
    if stride != 1 or t_stride != 1 or net.shape[0] != planes * EXPANSION:
        shortcut.conv(planes * EXPANSION, 1, (t_stride, stride, stride))
    net.merge([main, shortcut], "add")


def resnet3d50(classes: int = 101, shape=(3, 16, 112, 112)) -> tuple[NetBuilder, list[Part]]:
    """3D ResNet-50 of 3D-ResNets-PyTorch, cut into 18 parts."""
    net = NetBuilder(shape)
    net.conv(64, 7, (1, 2, 2), 3).pool(3, 2, 1)
    net.cut("stem")
    for stage, (planes, blocks) in enumerate(STAGES, start=1):
        for block in range(blocks):
            stride = 2 if stage > 1 and block == 0 else 1
            _bottleneck(net, planes, stride, inflate=None)
            net.cut(f"layer{stage}.{block}")
    net.global_pool().linear(classes)
    net.cut("head")
    return net, net.parts


# MMAction I3D-R50 inflation pattern per stage: 1 = first conv 3x1x1, 0 = 1x1x1.
I3D_R50_INFLATE = ((1, 1, 1), (1, 0, 1, 0), (1, 0, 1, 0, 1, 0), (0, 1, 0))


def i3d_r50(classes: int = 400, shape=(3, 32, 224, 224)) -> tuple[NetBuilder, list[Part]]:
    """MMAction's I3D-R50, cut into 18 parts like :func:`resnet3d50`.

    MMAction's ``configs/_base_/models/i3d_r50.py``: conv1 5x7x7 stride (2, 2, 2) padding
    (2, 3, 3); max-pool 1x3x3 stride (2, 2, 2) padding (0, 1, 1) (``pool1_stride_t=2``); stages
    with spatial strides 1, 2, 2, 2 and temporal stride 1, the first conv of an inflated
    bottleneck 3x1x1 and its second 1x3x3 (``inflate_style='3x1x1'``, inflation pattern
    :data:`I3D_R50_INFLATE`); ``pool2``, a 2x1x1 max-pool stride (2, 1, 1) after layer1, goes
    with the part of layer1's third bottleneck; global average pool and a fc head.
    """
    net = NetBuilder(shape)
    net.conv(64, (5, 7, 7), (2, 2, 2), (2, 3, 3)).pool((1, 3, 3), (2, 2, 2), (0, 1, 1))
    net.cut("stem")
    for stage, (planes, blocks) in enumerate(STAGES, start=1):
        for block in range(blocks):
            stride = 2 if stage > 1 and block == 0 else 1
            _bottleneck(net, planes, stride, inflate=bool(I3D_R50_INFLATE[stage - 1][block]),
                        t_stride=1)
            if stage == 1 and block == blocks - 1:
                net.pool((2, 1, 1), (2, 1, 1), 0)  # pool2
            net.cut(f"layer{stage}.{block}")
    net.global_pool().linear(classes)
    net.cut("head")
    return net, net.parts
