"""Arrival processes and event counts.

- The first event arrives at 0; the ``n - 1`` gaps between consecutive arrivals are drawn
  independently: ``"360"`` every gap 360 ms; ``"0-720"`` uniform on [0, 720] (continuous);
  ``"poisson:300"`` exponential with mean 300 ms (a Poisson process).
- ``events``: a fixed ``n`` (``8`` or ``"8"``) or ``"normal:LO-HI"``: mean (LO+HI)/2, standard
  deviation (HI-LO)/6, rounded, redrawn until it falls in [LO, HI] (the paper's Tables 3-4).
- Several front-end devices share one arrival stream; each event's device is drawn uniformly
  (``streams="one"``). ``streams="per-device"`` (the paper's Table 4, ``docs/scenarios.md``):
  each device draws how many of the ``n`` events are its own the same way, then has an arrival
  stream of its own (first arrival at 0, gaps per the interval), and the events are the streams
  merged in arrival order.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{what}: {text!r} is not finite")
    return value


@dataclass(frozen=True)
class Interval:
    """Gaps between arrivals: ``kind`` is ``equal`` (lo), ``uniform`` (lo..hi) or ``poisson``
    (mean lo)."""

    kind: str
    lo: float
    hi: float

    @classmethod
    def parse(cls, spec: float | int | str) -> Interval:
        """``360``, ``"360"``, ``"0-720"``, ``"uniform:0-720"`` or ``"poisson:300"`` (ms)."""
        if isinstance(spec, bool):
            raise ValueError(f"interval {spec!r}: give a number of ms or a range such as 0-720")
        text = repr(float(spec)) if isinstance(spec, (int, float)) else str(spec).strip().lower()
        if text.startswith("poisson:"):
            mean = _number(text[len("poisson:"):], "interval poisson:MEAN")
            if mean <= 0:
                raise ValueError(f"interval {spec!r}: the Poisson mean gap must be > 0 ms")
            return cls("poisson", mean, mean)
        if text.startswith("uniform:"):
            text = text[len("uniform:"):]
        match = re.fullmatch(rf"({_NUMBER})\s*-\s*({_NUMBER})", text)
        if match:
            lo, hi = (_number(g, "interval") for g in match.groups())
            if lo < 0 or hi < lo:
                raise ValueError(f"interval {spec!r}: need 0 <= LO <= HI (ms)")
            return cls("uniform", lo, hi)
        try:
            value = _number(text, "interval")
        except ValueError:
            raise ValueError(f"interval {spec!r}: give equal gaps (360), a uniform range "
                             f"(0-720) or poisson:MEAN, in ms") from None
        if value < 0:
            raise ValueError(f"interval {spec!r} is negative: gaps between arrivals are >= 0 ms")
        return cls("equal", value, value)

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` arrival times, the first at 0."""
        if self.kind == "equal":
            gaps = np.full(n - 1, self.lo)
        elif self.kind == "uniform":
            gaps = rng.uniform(self.lo, self.hi, size=n - 1)
        else:
            gaps = rng.exponential(self.lo, size=n - 1)
        arrival = np.zeros(n)
        with np.errstate(over="ignore"):  # too large gaps give inf, which the caller rejects
            np.cumsum(gaps, out=arrival[1:])
        return arrival

    def __str__(self) -> str:
        if self.kind == "equal":
            return f"{self.lo:g}"
        if self.kind == "uniform":
            return f"{self.lo:g}-{self.hi:g}"
        return f"poisson:{self.lo:g}"


@dataclass(frozen=True)
class EventCount:
    """``n`` fixed (lo == hi, normal False) or normal over [lo, hi]."""

    lo: int
    hi: int
    normal: bool = False

    @classmethod
    def parse(cls, spec: int | str) -> EventCount:
        """``8``, ``"8"`` or ``"normal:1-5000"``."""
        if isinstance(spec, bool):
            raise ValueError(f"events {spec!r}: give an integer or normal:LO-HI")
        text = str(spec).strip().lower()
        match = re.fullmatch(r"normal:\s*(\d+)\s*-\s*(\d+)", text)
        if match:
            lo, hi = int(match.group(1)), int(match.group(2))
            if lo < 1 or hi < lo:
                raise ValueError(f"events {spec!r}: need 1 <= LO <= HI")
            return cls(lo, hi, True)
        if isinstance(spec, float) and not spec.is_integer():
            raise ValueError(f"events {spec!r} is not an integer")
        try:
            n = int(float(text)) if isinstance(spec, float) else int(text)
        except ValueError:
            raise ValueError(f"events {spec!r}: give an integer n >= 1 or normal:LO-HI "
                             f"(e.g. normal:1-5000)") from None
        if n < 1:
            raise ValueError(f"events {spec!r}: an instance needs n >= 1 events")
        return cls(n, n, False)

    def draw(self, rng: np.random.Generator) -> int:
        """``n``: fixed, or a rounded normal draw redrawn until it falls in [lo, hi]."""
        if not self.normal:
            return self.lo
        mean, sd = (self.lo + self.hi) / 2.0, (self.hi - self.lo) / 6.0
        if sd == 0:
            return self.lo
        while True:
            n = int(np.rint(rng.normal(mean, sd)))
            if self.lo <= n <= self.hi:
                return n

    def __str__(self) -> str:
        return f"normal:{self.lo}-{self.hi}" if self.normal else str(self.lo)


def draw_devices(n: int, devices: int, rng: np.random.Generator) -> np.ndarray:
    """Each event's front-end device, uniform over ``0..devices-1``."""
    if devices == 1:
        return np.zeros(n, dtype=np.int64)
    return rng.integers(0, devices, size=n, dtype=np.int64)


STREAMS = ("one", "per-device")


def check_streams(streams: str) -> str:
    """``streams`` if it is one of :data:`STREAMS`, else a one-line ``ValueError``."""
    if not isinstance(streams, str) or streams not in STREAMS:
        raise ValueError(f"streams {streams!r}: give one (a single arrival stream shared by the "
                         f"devices) or per-device (an arrival stream per device)")
    return streams


def per_device_arrivals(n: int, devices: int, gaps: Interval, device_rng: np.random.Generator,
                        arrival_rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Arrival times and devices of ``n`` events when each device has its own arrival stream.

    How the ``n`` events are split: each event's device is drawn uniformly, exactly as with one
    stream (:func:`draw_devices`, so device ``d`` gets a multinomial share ``n_d`` of ``n``, the
    same counts as the one-stream instance of the same seed). Device ``d`` then has an arrival
    stream of its own: ``n_d`` arrivals, the first at 0 and the gaps drawn per ``gaps``
    (:meth:`Interval.draw`), the devices drawing in index order from ``arrival_rng``. The events
    are the streams merged in arrival order; ties (equal gaps, the first arrivals at 0) go by
    device index, then by the order within the device's stream (a stable merge).

    Returns
    -------
    arrival : ndarray of float64, shape (n,)
        Non-decreasing, the first at 0.
    device : ndarray of int64, shape (n,)
        Each merged event's device.
    """
    counts = np.bincount(draw_devices(n, devices, device_rng), minlength=devices)
    streams = [gaps.draw(int(count), arrival_rng) for count in counts if count > 0]
    times = np.concatenate(streams)
    owner = np.repeat(np.arange(devices, dtype=np.int64), counts)
    # The streams are concatenated in device order, so a stable sort on the times alone breaks
    # ties by device index and keeps each stream's own order.
    order = np.argsort(times, kind="stable")
    return np.ascontiguousarray(times[order]), np.ascontiguousarray(owner[order])
