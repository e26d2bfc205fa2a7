"""Per-point base costs of a network on a scenario's devices: ``F[i]``, ``C[i]`` and bytes.

The per-event variation (network status, cloud load) is applied on top by
:mod:`instances.generate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from .devices import ComputeDevice
from .nets import NETWORKS
from .network import point_bytes
from .partition import Profile
from .presets import lookup
from .user_profile import UserProfile


@dataclass(frozen=True)
class PointCosts:
    """Base costs per point ``0..k`` (ms, ms, bytes) before network and load variation."""

    network: str
    front_ms: np.ndarray
    cloud_ms: np.ndarray
    bytes: np.ndarray
    feature_point: int

    @property
    def k(self) -> int:
        return len(self.front_ms) - 1


@cache
def profile(network: str) -> Profile:
    """The partition profile of a built-in network (``resnet3d50``, ``i3d``, ``i3d_r50``)."""
    spec = lookup(NETWORKS, network, "network")
    net, parts = spec.build(classes=spec.classes)
    return Profile(network, net.input_shape, tuple(parts), spec.clip_seconds)


def network_costs(network: str, front: ComputeDevice, cloud: ComputeDevice, codec: str,
                  precision: str) -> PointCosts:
    """Costs of a built-in network: MACs through the device models, tensors as bytes."""
    prof = profile(network)
    macs, layers = prof.part_macs, prof.part_layers
    return PointCosts(network, front.front_ms(macs, layers), cloud.cloud_ms(macs, layers),
                      point_bytes(prof.point_elements(), prof.clip_seconds, codec, precision),
                      prof.feature_point)


def user_costs(user: UserProfile, front: ComputeDevice, cloud: ComputeDevice) -> PointCosts:
    """Costs of a user profile: measured times as given, MACs through the device models."""
    def side(ms: np.ndarray, macs: np.ndarray, device: ComputeDevice) -> np.ndarray:
        from_macs = 2.0 * macs / device.effective_flops * 1e3
        from_macs = np.where(macs > 0, from_macs + device.call_overhead_ms, 0.0)
        return np.where(np.isnan(ms), from_macs, ms)

    return PointCosts(user.network, side(user.front_ms, user.front_macs, front),
                      side(user.cloud_ms, user.cloud_macs, cloud), user.bytes.copy(),
                      user.feature_point)
