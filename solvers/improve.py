"""Warm starts for any devices and units: the hint or DDP's rule, biased greedy rules, local
search.

DDP picks the point of least cloud finish and so fills the cloud queue early; pricing the work a
choice leaves behind (``finish_cloud + cloud_bias * C + front_bias * F``) over a small grid of
biases, refined around the best, finds far better starts (``docs/solvers.md``). The best few
are then polished by single-event local search ranked by (makespan, sum of cloud finishes).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

import ddp
from ddp.recurrence import check_choices

from . import _improve_kernels
from .points import KeptPoints

# Recurrence steps of the local search counted as one second of budget (below the kernels' rate,
# see docs/solvers.md); budgets in steps, not seconds, make a result independent of the clock.
STEPS_PER_SECOND = 5e7
CLOUD_BIASES = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
FRONT_BIASES = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0)


def warm_start(inst: ddp.Instance, hint: ArrayLike | None = None) -> np.ndarray:
    """The warm-start choices: ``hint`` when given (validated), else DDP's choices."""
    if hint is None:
        return np.asarray(ddp.run_policy(inst, "ddp").choices, dtype=np.int64)
    return check_choices(inst, hint).copy()


def improve(inst: ddp.Instance, choices: np.ndarray, seconds: float = 1.0,
            passes: int = 4) -> np.ndarray:
    """The best of ``choices``, the biased greedy rules and their local optima; never worse
    than ``choices``. ``seconds`` sets a budget of recurrence steps (about that long; the
    result does not depend on the machine's speed)."""
    if inst.n == 0 or seconds <= 0:
        return choices
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    args = (inst.arrival, kept.front, kept.trans, kept.cloud, kept.count, inst.device,
            inst.unit, inst.devices, inst.cloud_units)

    def greedy(cloud_bias: float, front_bias: float):
        columns = np.zeros(inst.n, dtype=np.int64)
        return _improve_kernels.biased_greedy(*args, cloud_bias, front_bias, columns), columns

    tried = {(cb, fb): greedy(cb, fb) for cb in CLOUD_BIASES for fb in FRONT_BIASES}
    best_cb, best_fb = min(tried, key=lambda key: tried[key][0])
    for scale_cb in (0.7, 0.85, 1.0, 1.2, 1.4):
        for scale_fb in (0.7, 0.85, 1.0, 1.2, 1.4):
            key = (best_cb * scale_cb, best_fb * scale_fb)
            if key not in tried:
                tried[key] = greedy(*key)
    ranked = sorted(tried.values(), key=lambda vc: vc[0])[:2]
    candidates = [kept.columns_of(choices)] + [columns for _, columns in ranked]
    best_value = np.inf
    best_columns = candidates[0]
    # A budget in recurrence steps, not wall-clock time: the same start on every machine and
    # run (cpsat's deterministic mode depends on it).
    steps = int(seconds * STEPS_PER_SECOND / len(candidates)) + inst.n
    for columns in candidates:
        value = _improve_kernels.general_local_search(*args, columns, passes, steps)
        if value < best_value:
            best_value, best_columns = value, columns
    better = kept.choices_of(best_columns)
    if ddp.evaluate(inst, better).makespan <= ddp.evaluate(inst, choices).makespan:
        return better
    return choices


def better_start(inst: ddp.Instance, choices: np.ndarray, time_limit: float) -> np.ndarray:
    """The warm start of ``cpsat`` and ``milp-*``: ``improve`` within 5% of the time limit
    (at most 1 s)."""
    return improve(inst, choices, seconds=min(1.0, 0.05 * float(time_limit)))
