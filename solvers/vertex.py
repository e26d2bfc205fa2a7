"""The relaxation's vertex completed exactly: a schedule where many devices share a unit.

A basic solution (a vertex) of the LP relaxation (``lp``, ``vertex=True``) gives most events
one point and splits a few between two. Rounding each split event alone moves its device's or
the unit's work by a whole point and can land percents above the bound; choosing the split
events together, every other event kept at its vertex point, is a small MILP (``milp-highs``
on the instance with those events fixed) that can land close to it (docs/solvers.md,
"Paper-scale results").

* ``fixed_except``: an instance whose events outside a set keep one point, given choices.
* ``rechoose``: some events of a schedule chosen together by HiGHS, the rest kept.
* ``complete_vertex``: the vertex's split events chosen together by HiGHS, the rest fixed.

Where a device's work balances against the unit's (Table 4's resnet3d50 and i3d_r50 shapes)
the vertex's fixed part is the better base; where it does not (i3d), the schedule's own
events, those the vertex splits re-chosen, can be: ``auto`` tries the second where the first
does not beat the schedule.
"""

from __future__ import annotations

import numpy as np

import ddp

from .lp import LpBound
from .milp import solve_highs

SPLIT = 1e-6  # a column's share above which the vertex uses it


def fixed_except(inst: ddp.Instance, choices: np.ndarray, free: np.ndarray) -> ddp.Instance:
    """``inst`` with every event outside the mask ``free`` left one point: its choice (every
    point of its rows the same, so any choice of it means that point)."""
    fixed = np.flatnonzero(~np.asarray(free, dtype=bool))
    tables = {}
    for name in ("front", "trans", "cloud"):
        table = getattr(inst, name).copy()
        table[fixed] = table[fixed, choices[fixed]][:, None]
        tables[name] = table
    return inst.replace(**tables)


def split_events(relaxed: LpBound) -> np.ndarray | None:
    """Mask of the events the relaxation's solution splits between points (None without
    one)."""
    if relaxed.point_share is None:
        return None
    return np.count_nonzero(relaxed.point_share > SPLIT, axis=1) > 1


def rechoose(inst: ddp.Instance, choices: np.ndarray, free: np.ndarray,
             time_limit: float) -> np.ndarray | None:
    """``choices`` with the events of the mask ``free`` chosen together by HiGHS among all
    their points, every other event kept (within ``time_limit`` seconds, from ``choices``).
    None without a solution."""
    found = solve_highs(fixed_except(inst, choices, free), time_limit=time_limit,
                        hint=choices)
    if found.failed:
        return None
    return np.where(free, found.choices, choices)


def complete_vertex(inst: ddp.Instance, relaxed: LpBound, time_limit: float,
                    hint: np.ndarray | None = None) -> np.ndarray | None:
    """Choices: the vertex's point for every event it does not split, the split ones chosen
    together by HiGHS among all their points (within ``time_limit`` seconds; ``hint``, a
    schedule of ``inst``, supplies their start). None without a solution or a split event."""
    split = split_events(relaxed)
    if split is None or not split.any():
        return None
    vertex = relaxed.rounded()
    return rechoose(inst, vertex if hint is None else np.where(split, hint, vertex), split,
                    time_limit)
