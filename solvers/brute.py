"""``brute``: every choice vector, the test oracle.

Runs ``ddp.recurrence.schedule_kernel`` (the one recurrence) on each of the ``(k+1)^n`` vectors
in odometer order and keeps the first of least makespan. Any number of devices and units; only
for small ``n * log(k+1)`` (``max_vectors``).
"""

from __future__ import annotations

import numpy as np

import ddp
from ddp._jit import njit
from ddp.recurrence import MODE_GIVEN, schedule_kernel
from ddp.schedule import event_times_kernel

from .errors import UnsupportedInstance
from .result import Outcome

MAX_VECTORS = 2_000_000


@njit
def _enumerate(arrival, front, trans, cloud, device, unit, devices, units):
    n, width = front.shape
    choices = np.zeros(n, dtype=np.int64)
    best = choices.copy()
    best_makespan = np.inf
    outputs = event_times_kernel(n)
    while True:
        makespan = schedule_kernel(MODE_GIVEN, arrival, front, trans, cloud, device, unit,
                                   np.zeros(devices), np.zeros(units), choices, outputs[0],
                                   outputs[1], outputs[2], outputs[3], outputs[4])
        if makespan < best_makespan:
            best_makespan = makespan
            best[:] = choices
        position = n - 1
        while position >= 0 and choices[position] == width - 1:
            choices[position] = 0
            position -= 1
        if position < 0:
            break
        choices[position] += 1
    return best, best_makespan


def solve_brute(inst: ddp.Instance, time_limit: float = 60.0,
                hint: np.ndarray | None = None, *,
                max_vectors: int = MAX_VECTORS, started: float | None = None) -> Outcome:
    """The optimum by enumeration; raises ``UnsupportedInstance`` past ``max_vectors``.

    ``time_limit``, ``hint`` and ``started`` are accepted for a uniform signature and not
    used: the enumeration is never cut short, so the answer is always proven.
    """
    count = float(inst.k + 1) ** inst.n
    if count > max_vectors:
        raise UnsupportedInstance(
            f"brute would enumerate (k+1)^n = {inst.k + 1}^{inst.n} = {count:.3g} choice "
            f"vectors (limit {max_vectors}); use dp, cpsat or milp-* for this instance")
    if inst.n == 0:
        return Outcome(np.zeros(0, dtype=np.int64), 0.0, "no events")
    best, makespan = _enumerate(inst.arrival, inst.front, inst.trans, inst.cloud, inst.device,
                                inst.unit, inst.devices, inst.cloud_units)
    return Outcome(best, float(makespan), f"enumerated {int(count)} choice vectors",
                   {"vectors": int(count)})
