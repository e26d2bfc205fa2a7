"""Inception-V1 I3D with the end points of DeepMind's Kinetics-I3D code (Carreira & Zisserman).

Input 3x64x224x224, TensorFlow ``SAME`` padding everywhere (output length ``ceil(in/stride)``),
every conv with BatchNorm and no bias except the logits conv (bias, no BatchNorm). k = 14 parts,
one per end point, with the max-pools joined to the part before them.

MACs: 111,151,000,576 (111.15 G) with 101 classes (111,153,143,808 with 400).

Why not the published ~108 GFLOPs (the Non-local/SlowFast tables' I3D row)? Such figures are
usually a FLOP counter's reading (fvcore/thop style: one multiply-add counted once, Conv3d and
Linear only, the convention used here) on a *PyTorch port* of the network, so they inherit the
port's padding. The original graph pads every layer TF-``SAME`` (``ceil(in/stride)``), which this
module follows (Conv3d_2c on 56x56, Mixed_3x on 28x28, Mixed_4x on 14x14, Mixed_5x on 7x7):
111.15 G. Replacing the four strided ``SAME`` max-pools by unpadded PyTorch pools shrinks the maps
after each (56->55, 28->27, 14->13, 7->6, T 16->15, 8->7): 103.60 G. Mixed choices fall between;
unpadded MaxPool3d_2a/3a with padded MaxPool3d_4a gives 107.81 G, the published figure (all
computed with this calculator by swapping the pools, 400 classes). Which port was measured is
not stated, so this is the likely reason, not a proven one. The classifier is negligible
(0.72 M MACs with 101 classes, 2.9 M with 400); biases and BatchNorm add no MACs.
"""

from __future__ import annotations

from ..layers import NetBuilder, Part

# (b0, b1a, b1b, b2a, b2b, b3b): 1x1; 1x1 -> 3x3x3; 1x1 -> 3x3x3; 3x3x3 max-pool -> 1x1.
MIXED = {
    "Mixed_3b": (64, 96, 128, 16, 32, 32),
    "Mixed_3c": (128, 128, 192, 32, 96, 64),
    "Mixed_4b": (192, 96, 208, 16, 48, 64),
    "Mixed_4c": (160, 112, 224, 24, 64, 64),
    "Mixed_4d": (128, 128, 256, 24, 64, 64),
    "Mixed_4e": (112, 144, 288, 32, 64, 64),
    "Mixed_4f": (256, 160, 320, 32, 128, 128),
    "Mixed_5b": (256, 160, 320, 32, 128, 128),
    "Mixed_5c": (384, 192, 384, 48, 128, 128),
}


def _mixed(net: NetBuilder, name: str) -> None:
    b0, b1a, b1b, b2a, b2b, b3b = MIXED[name]
    branches = [net.branch().conv(b0, 1, 1, "same"),
                net.branch().conv(b1a, 1, 1, "same").conv(b1b, 3, 1, "same"),
                net.branch().conv(b2a, 1, 1, "same").conv(b2b, 3, 1, "same"),
                net.branch().pool(3, 1, "same").conv(b3b, 1, 1, "same")]
    net.merge(branches, "concat")


def i3d(classes: int = 101, shape=(3, 64, 224, 224)) -> tuple[NetBuilder, list[Part]]:
    """I3D (Inception-V1) cut into the 14 parts of the Kinetics-I3D end points."""
    net = NetBuilder(shape)
    net.conv(64, 7, 2, "same").pool((1, 3, 3), (1, 2, 2), "same")
    net.cut("Conv3d_1a_7x7+MaxPool3d_2a_3x3")
    net.conv(64, 1, 1, "same")
    net.cut("Conv3d_2b_1x1")
    net.conv(192, 3, 1, "same").pool((1, 3, 3), (1, 2, 2), "same")
    net.cut("Conv3d_2c_3x3+MaxPool3d_3a_3x3")
    for name in ("Mixed_3b", "Mixed_3c"):
        _mixed(net, name)
        net.cut(name)
    net.pool(3, 2, "same")
    net.cut("MaxPool3d_4a_3x3")
    for name in ("Mixed_4b", "Mixed_4c", "Mixed_4d", "Mixed_4e", "Mixed_4f"):
        _mixed(net, name)
        if name == "Mixed_4f":
            net.pool(2, 2, "same")
            name = "Mixed_4f+MaxPool3d_5a_2x2"
        net.cut(name)
    for name in ("Mixed_5b", "Mixed_5c"):
        _mixed(net, name)
        net.cut(name)
    # Logits: 2x7x7 average pool (VALID, stride 1), 1x1x1 conv with bias, mean over time.
    net.pool((2, 7, 7), 1, 0).conv(classes, 1, 1, 0, bias=True, bn=False).mean_over_time()
    net.cut("Logits")
    return net, net.parts
