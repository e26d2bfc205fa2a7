"""Lower bounds we prove ourselves, for any number of devices and units.

Removing events never delays the others (every finish time of the recurrence is a max of sums,
non-decreasing in earlier finish times, and a removed event only drops terms), so the optimum of
the events of one (device, unit) pair, a one-device one-unit instance that ``dp`` solves, is a
lower bound on the optimum of the whole instance. ``own_bound`` is the best of these over all
pairs and the combinatorial ``pair_bound``.
"""

from __future__ import annotations

import time

import numpy as np

import ddp

from .common import pair_bound


def own_bound(inst: ddp.Instance, time_limit: float = 10.0) -> float:
    """``max`` over (device, unit) pairs of ``dp``'s proven bound on the pair's events."""
    from .dp import solve_dp

    best = pair_bound(inst)
    if inst.n == 0:
        return best
    deadline = time.perf_counter() + float(time_limit)
    pairs = inst.device * inst.cloud_units + inst.unit
    keys, counts = np.unique(pairs, return_counts=True)
    for key in keys[np.argsort(-counts)]:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        events = np.flatnonzero(pairs == key)
        result = solve_dp(inst.subset(events), time_limit=remaining)
        best = max(best, float(result.lower_bound))
    return best
