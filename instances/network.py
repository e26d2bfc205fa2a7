"""The uplink: bandwidth presets, round-trip time, congestion, and the bytes a point sends.

``T[j, i] = rtt / 2 + 8 x bytes_i / (uplink x omega_j)``: half the round trip (the one-way delay
of the data) plus the serialisation time at the bandwidth available when event ``j`` arrives;
``omega_j`` comes from a :class:`~instances.markov.MarkovLevels` congestion chain.

Point 0 sends the clip as compressed video: ``bitrate x clip duration`` (the codec presets in
``data/presets.json``; UCF101's own files average 0.535 Mbit/s). Points 1..k send the tensor
crossing the cut as float32 (4 bytes an element) or, with ``precision="fp16"``, 2 bytes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .presets import lookup, presets

ELEMENT_BYTES = {"fp32": 4, "fp16": 2}


@dataclass(frozen=True)
class Link:
    """An uplink preset: bandwidth (Mbit/s) and round-trip time (ms)."""

    name: str
    uplink_mbit_s: float
    rtt_ms: float

    def __post_init__(self):
        if self.uplink_mbit_s <= 0 or self.rtt_ms < 0:
            raise ValueError(f"link {self.name!r}: uplink must be > 0 and rtt >= 0")

    def trans_ms(self, point_bytes: np.ndarray, omega: np.ndarray) -> np.ndarray:
        """``T``, shape (n, k+1), for the bytes of each point and each event's bandwidth factor."""
        bits_per_ms = self.uplink_mbit_s * 1e3 * np.asarray(omega, dtype=np.float64)
        return self.rtt_ms / 2.0 + (8.0 * np.asarray(point_bytes))[None, :] / bits_per_ms[:, None]

    def to_dict(self) -> dict:
        return asdict(self)


LINKS: dict[str, Link] = {name: Link(name, spec["uplink_mbit_s"], spec["rtt_ms"])
                          for name, spec in presets()["links"].items()}
CODECS: dict[str, float] = {name: spec["mbit_s"] for name, spec in presets()["codecs"].items()}


def link(name: str) -> Link:
    return lookup(LINKS, name, "link")


def codec_mbit_s(name: str) -> float:
    return lookup(CODECS, name, "codec")


def point_bytes(elements: np.ndarray, clip_seconds: float, codec: str,
                precision: str = "fp32") -> np.ndarray:
    """Bytes sent at each point: the compressed clip at point 0, tensors after it."""
    size = lookup(ELEMENT_BYTES, precision, "precision")
    sent = np.asarray(elements, dtype=np.float64) * size
    sent[0] = codec_mbit_s(codec) * 1e6 * clip_seconds / 8.0
    return sent
