"""The result of running the recurrence: per-event times and the makespan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._jit import njit

EVENT_TIMES = ("start_front", "finish_front", "ready", "start_cloud", "finish_cloud")


@dataclass(frozen=True, eq=False)
class Schedule:
    """Per-event times of a choice vector, as the recurrence of ``docs/model.md`` defines them.

    Attributes
    ----------
    choices : ndarray of int, shape (n,)
        Partition point of each event.
    start_front, finish_front : ndarray, shape (n,)
        When the event's front part starts and ends on its device.
    ready : ndarray, shape (n,)
        When its tensor has crossed the network (``finish_front + T``).
    start_cloud, finish_cloud : ndarray, shape (n,)
        When its cloud part starts and ends on its unit.
    makespan : float
        ``max(finish_cloud)``: the paper's latency ``Z``.
    policy : str or None
        The policy that chose, when one did.
    """

    choices: np.ndarray
    start_front: np.ndarray
    finish_front: np.ndarray
    ready: np.ndarray
    start_cloud: np.ndarray
    finish_cloud: np.ndarray
    makespan: float
    policy: str | None = field(default=None)

    @classmethod
    def from_event_times(cls, choices: np.ndarray, times: np.ndarray, makespan: float,
                         policy: str | None = None) -> Schedule:
        """The schedule of ``schedule_kernel``'s outputs: ``times`` a C-contiguous ``(5, n)``
        block, rows in ``EVENT_TIMES`` order (see ``event_times``)."""
        return cls(choices, *times, makespan=float(makespan), policy=policy)

    @property
    def n(self) -> int:
        return len(self.choices)

    def to_dict(self, times: bool = False) -> dict[str, Any]:
        """A JSON-ready dict: makespan and choices, plus per-event times if ``times``."""
        data: dict[str, Any] = {"makespan": float(self.makespan),
                                "choices": [int(c) for c in self.choices]}
        if times:
            data["schedule"] = [
                {"event": j, "point": int(self.choices[j]),
                 **{name: float(getattr(self, name)[j]) for name in EVENT_TIMES}}
                for j in range(self.n)]
        return data


def event_times(n: int) -> np.ndarray:
    """The five per-event output arrays of ``schedule_kernel``, as the rows of one ``(5, n)``
    block in ``EVENT_TIMES`` order (``Schedule.from_event_times`` reads them back)."""
    return np.empty((5, n))


# The same allocation for numba kernels (a Python caller skips numba's dispatch).
event_times_kernel = njit(event_times)
