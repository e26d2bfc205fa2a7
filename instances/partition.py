"""A network's partition profile: per point, the tensor that crosses the cut and the MACs around it.

Point ``i`` sends the output of part ``i``: point 0 the input clip, point ``k`` only the class
scores (everything ran on the front device). The FB feature point is ``k - 1``, the backbone's
output just before the classifier head (``docs/model.md``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .layers import Part

FLOAT32_BYTES = 4


@dataclass(frozen=True)
class Point:
    """One partition point of a profile (see :meth:`Profile.points`)."""

    index: int
    name: str
    shape: tuple[int, ...]
    elements: int
    bytes: int
    cum_macs: int
    remaining_macs: int

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "name": self.name, "shape": list(self.shape),
                "elements": self.elements, "bytes": self.bytes, "cum_macs": self.cum_macs,
                "remaining_macs": self.remaining_macs}


@dataclass(frozen=True)
class Profile:
    """The k parts of a network and the k + 1 points between them.

    Attributes
    ----------
    network : str
        Registry name (``resnet3d50``, ``i3d``, ``i3d_r50``).
    input_shape : tuple of int
        The clip, ``(C, T, H, W)``.
    parts : tuple of Part
        The k parts in order.
    clip_seconds : float
        Duration of the input clip (frames x sampling interval / fps): the compressed video sent
        at point 0 lasts this long.
    """

    network: str
    input_shape: tuple[int, ...]
    parts: tuple[Part, ...]
    clip_seconds: float

    @property
    def k(self) -> int:
        return len(self.parts)

    @property
    def feature_point(self) -> int:
        return self.k - 1

    @property
    def total_macs(self) -> int:
        return sum(p.macs for p in self.parts)

    @property
    def total_params(self) -> int:
        return sum(p.params for p in self.parts)

    @property
    def part_macs(self) -> np.ndarray:
        """MACs of each part, shape (k,)."""
        return np.array([p.macs for p in self.parts], dtype=np.float64)

    @property
    def part_layers(self) -> np.ndarray:
        """Compute layers of each part, shape (k,)."""
        return np.array([p.layers for p in self.parts], dtype=np.float64)

    def point_elements(self) -> np.ndarray:
        """Elements of the tensor crossing each point, shape (k+1,)."""
        return np.array([p.elements for p in self.points()], dtype=np.float64)

    def points(self) -> list[Point]:
        """The k + 1 points with their tensor and cumulative/remaining MACs."""
        total = self.total_macs
        names = ["input"] + [p.name for p in self.parts]
        shapes = [self.input_shape] + [p.shape for p in self.parts]
        points, cum = [], 0
        for index, (name, shape) in enumerate(zip(names, shapes, strict=False)):
            if index:
                cum += self.parts[index - 1].macs
            elements = math.prod(shape)
            points.append(Point(index, name, tuple(shape), elements, elements * FLOAT32_BYTES,
                                cum, total - cum))
        return points

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of ``ddp profile show --json``."""
        return {"network": self.network, "input_shape": list(self.input_shape), "k": self.k,
                "feature_point": self.feature_point, "total_macs": self.total_macs,
                "points": [p.to_dict() for p in self.points()]}
