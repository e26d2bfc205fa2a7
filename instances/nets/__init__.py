"""The built-in networks: name -> how to build it and how long its input clip lasts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..layers import NetBuilder, Part
from .i3d import i3d
from .resnet3d import i3d_r50, resnet3d50

UCF101_FPS = 25.0  # UCF101 clips are 25 frames per second


@dataclass(frozen=True)
class NetworkSpec:
    """A built-in network.

    Attributes
    ----------
    build : callable
        ``build(classes) -> (NetBuilder, parts)``.
    classes : int
        Classes of the head in the profile (101: UCF101, the paper's data set).
    frames : int
        Frames of the input clip.
    frame_interval : int
        Sampling interval of those frames in the source video (MMAction's I3D-R50 takes 32
        frames every 2nd frame).
    description : str
    """

    build: Callable[..., tuple[NetBuilder, list[Part]]]
    classes: int
    frames: int
    frame_interval: int
    description: str

    @property
    def clip_seconds(self) -> float:
        return self.frames * self.frame_interval / UCF101_FPS


NETWORKS: dict[str, NetworkSpec] = {
    "resnet3d50": NetworkSpec(resnet3d50, 101, 16, 1,
                              "3D ResNet-50 (3D-ResNets-PyTorch), 3x16x112x112, k=18"),
    "i3d": NetworkSpec(i3d, 101, 64, 1, "I3D Inception-V1 (Kinetics-I3D), 3x64x224x224, k=14"),
    "i3d_r50": NetworkSpec(i3d_r50, 101, 32, 2, "I3D-R50 (MMAction), 3x32x224x224, k=18"),
}
