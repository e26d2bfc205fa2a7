"""A layer-by-layer calculator of output shapes, multiply-accumulates and parameters (no torch).

Networks are written against :class:`NetBuilder` with their original kernels, strides, paddings
and channel counts; the builder tracks the current tensor shape ``(C, T, H, W)``, counts the MACs
of Conv3d and Linear layers (the convention behind published video-model GFLOPs: pooling,
normalisation, activations and additions are not counted) and the learnable parameters (conv
and linear weights, their biases when present, and BatchNorm's scale and shift; BatchNorm's
running statistics are buffers, not parameters). :meth:`NetBuilder.cut` closes a part: a
partition point sits after every part.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Triple = tuple[int, int, int]
Padding = int | Sequence[int] | str


def _triple(value: int | Sequence[int]) -> Triple:
    if isinstance(value, int):
        return (value, value, value)
    t, h, w = value
    return (int(t), int(h), int(w))


def conv_out(size: int, kernel: int, stride: int, padding: int | str, ceil: bool = False) -> int:
    """Output length of a convolution or pooling along one axis.

    ``padding="same"`` is TensorFlow's rule (the Kinetics-I3D code): ``ceil(size / stride)``,
    whatever the kernel. Otherwise PyTorch's ``floor`` (or ``ceil`` with ``ceil_mode``) of
    ``(size + 2 padding - kernel) / stride`` plus one.
    """
    if padding == "same":
        return -(-size // stride)
    span = size + 2 * int(padding) - kernel
    if span < 0:
        raise ValueError(f"kernel {kernel} larger than padded input {size + 2 * int(padding)}")
    steps = math.ceil(span / stride) if ceil else span // stride
    out = steps + 1
    if ceil and (out - 1) * stride >= size + int(padding):
        out -= 1  # PyTorch: the last window must start inside the input or left padding
    return out


@dataclass(frozen=True)
class Part:
    """One part of a network: the layers between two partition points.

    Attributes
    ----------
    name : str
        The original end-point or module name (``layer3.2``, ``Mixed_4c``).
    shape : tuple of int
        Output shape, ``(C, T, H, W)``, or ``(classes,)`` for the scores.
    macs : int
        Multiply-accumulates of the part's Conv3d and Linear layers.
    params : int
        Learnable parameters of the part.
    layers : int
        Number of compute layers (conv, linear, pooling) in the part: a per-layer overhead of a
        device model is charged per layer.
    """

    name: str
    shape: tuple[int, ...]
    macs: int
    params: int
    layers: int

    @property
    def elements(self) -> int:
        return math.prod(self.shape)


class NetBuilder:
    """Trace a network's shapes and costs, one layer at a time.

    Parameters
    ----------
    shape : tuple of int
        Input shape ``(C, T, H, W)``.
    """

    def __init__(self, shape: Sequence[int]):
        self.input_shape = tuple(int(s) for s in shape)
        self.shape: tuple[int, ...] = self.input_shape
        self.macs = 0
        self.params = 0
        self.layers = 0
        self.parts: list[Part] = []

    # -- layers -------------------------------------------------------------------------------
    def conv(self, out_channels: int, kernel: int | Sequence[int], stride: int | Sequence[int] = 1,
             padding: Padding = 0, *, bias: bool = False, bn: bool = True) -> NetBuilder:
        """Conv3d (optionally followed by BatchNorm3d; ReLU is free)."""
        c, *spatial = self.shape
        k, s = _triple(kernel), _triple(stride)
        pads = padding if isinstance(padding, str) else _triple(padding)
        out = tuple(conv_out(spatial[a], k[a], s[a], pads if isinstance(pads, str) else pads[a])
                    for a in range(3))
        weights = out_channels * c * math.prod(k)
        self.macs += weights * math.prod(out)
        self.params += weights + (out_channels if bias else 0) + (2 * out_channels if bn else 0)
        self.layers += 1
        self.shape = (out_channels, *out)
        return self

    def pool(self, kernel: int | Sequence[int], stride: int | Sequence[int] | None = None,
             padding: Padding = 0, *, ceil: bool = False) -> NetBuilder:
        """Max or average pooling (no MACs counted)."""
        c, *spatial = self.shape
        k = _triple(kernel)
        s = k if stride is None else _triple(stride)
        pads = padding if isinstance(padding, str) else _triple(padding)
        out = tuple(conv_out(spatial[a], k[a], s[a], pads if isinstance(pads, str) else pads[a],
                             ceil) for a in range(3))
        self.layers += 1
        self.shape = (c, *out)
        return self

    def global_pool(self) -> NetBuilder:
        """Adaptive average pooling to ``1x1x1``."""
        self.layers += 1
        self.shape = (self.shape[0], 1, 1, 1)
        return self

    def linear(self, out_features: int, *, bias: bool = True) -> NetBuilder:
        """Flatten then a fully connected layer."""
        features = math.prod(self.shape)
        self.macs += features * out_features
        self.params += features * out_features + (out_features if bias else 0)
        self.layers += 1
        self.shape = (out_features,)
        return self

    def mean_over_time(self) -> NetBuilder:
        """Average ``(C, T, 1, 1)`` scores over time to ``(C,)`` (free)."""
        self.shape = (self.shape[0],)
        return self

    # -- branches -----------------------------------------------------------------------------
    def branch(self) -> NetBuilder:
        """A new builder starting from the current shape, with zero counts."""
        return NetBuilder(self.shape)

    def merge(self, branches: Sequence[NetBuilder], how: str) -> NetBuilder:
        """Join parallel branches: ``"concat"`` along channels or ``"add"`` (a residual)."""
        shapes = [b.shape for b in branches]
        if how == "concat":
            if len({s[1:] for s in shapes}) != 1:
                raise ValueError(f"cannot concatenate shapes {shapes}")
            self.shape = (sum(s[0] for s in shapes), *shapes[0][1:])
        elif how == "add":
            if len(set(shapes)) != 1:
                raise ValueError(f"cannot add shapes {shapes}")
            self.shape = shapes[0]
        else:
            raise ValueError(f"unknown merge {how!r}")
        for b in branches:
            self.macs += b.macs
            self.params += b.params
            self.layers += b.layers
        return self

    # -- parts --------------------------------------------------------------------------------
    def cut(self, name: str) -> Part:
        """Close the current part (a partition point follows it) and start the next."""
        part = Part(name, self.shape, self.macs, self.params, self.layers)
        self.parts.append(part)
        self.macs = self.params = self.layers = 0
        return part
