"""Compute-device models: effective throughput plus fixed overheads.

The time of a part on a device is ``2 x MACs / (peak FLOP/s x utilisation)`` plus a per-layer
overhead (kernel launches, memory-bound layers that the MAC count ignores). A per-call overhead
(framework dispatch, host/device copies) is charged once on a side that does some work: point 0
has no front time and point k no cloud time (``docs/model.md``).

Add a device by an entry in ``data/presets.json`` or at run time::

    from instances.devices import DEVICES, ComputeDevice
    DEVICES["my-gpu"] = ComputeDevice("my-gpu", "cloud", peak_tflops=30.0, utilisation=0.4)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .presets import lookup, presets


@dataclass(frozen=True)
class ComputeDevice:
    """A front-end or cloud processor.

    Attributes
    ----------
    name : str
    role : str
        ``"front"`` or ``"cloud"`` (informational: any device can play either part).
    peak_tflops : float
        Peak FP32 throughput, 1e12 FLOP/s (1 MAC = 2 FLOP).
    utilisation : float
        Fraction of the peak reached on 3D convolutions, in (0, 1].
    layer_overhead_ms : float
        Fixed time per compute layer.
    call_overhead_ms : float
        Fixed time per inference call, charged when the side does any work.
    """

    name: str
    role: str
    peak_tflops: float
    utilisation: float
    layer_overhead_ms: float = 0.0
    call_overhead_ms: float = 0.0

    def __post_init__(self):
        if not (self.peak_tflops > 0 and 0 < self.utilisation <= 1):
            raise ValueError(f"device {self.name!r}: peak_tflops must be > 0 and utilisation "
                             f"in (0, 1]")
        if self.layer_overhead_ms < 0 or self.call_overhead_ms < 0:
            raise ValueError(f"device {self.name!r}: overheads must be >= 0")

    @property
    def effective_flops(self) -> float:
        """Sustained FLOP/s."""
        return self.peak_tflops * 1e12 * self.utilisation

    def part_ms(self, macs: np.ndarray, layers: np.ndarray) -> np.ndarray:
        """Time of each part (ms), overheads per layer included, per call not."""
        return 2.0 * np.asarray(macs) / self.effective_flops * 1e3 + \
            self.layer_overhead_ms * np.asarray(layers)

    def front_ms(self, macs: np.ndarray, layers: np.ndarray) -> np.ndarray:
        """``F[i]``, shape (k+1,): parts 1..i on this device (0 at point 0)."""
        cum = np.concatenate([[0.0], np.cumsum(self.part_ms(macs, layers))])
        cum[1:] += self.call_overhead_ms
        return cum

    def cloud_ms(self, macs: np.ndarray, layers: np.ndarray) -> np.ndarray:
        """``C[i]``, shape (k+1,): parts i+1..k on this device (0 at point k)."""
        rest = np.concatenate([np.cumsum(self.part_ms(macs, layers)[::-1])[::-1], [0.0]])
        rest[:-1] += self.call_overhead_ms
        return rest

    def to_dict(self) -> dict:
        return asdict(self)


DEVICES: dict[str, ComputeDevice] = {
    name: ComputeDevice(name, spec["role"], spec["peak_tflops"], spec["utilisation"],
                        spec["layer_overhead_ms"], spec["call_overhead_ms"])
    for name, spec in presets()["devices"].items()}


def device(name_or_device: str | ComputeDevice) -> ComputeDevice:
    """A preset by name (ValueError listing the known ones) or the device itself."""
    if isinstance(name_or_device, ComputeDevice):
        return name_or_device
    return lookup(DEVICES, name_or_device, "device")
