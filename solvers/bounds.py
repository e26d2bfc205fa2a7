"""Lower bounds we prove ourselves, for any number of devices and units.

* ``pair_bound``: per (device, unit) pair, cloud work against front work; cheap, always valid.
* ``path_bound``: the Lagrangian bound of ``dp`` (cloud of one unit against every front path of
  one device, prices by a backward DP; ``_dp_bounds.masked_path_tables``) from the empty state,
  with every other event pricing its cheapest point: close to the LP relaxation.
* ``machine_bound``: every device and unit as one machine, all priced together; the strong one
  when devices share a unit (``_bound_kernels``).
* ``cheap_bound``: the best of those three (no search).
* ``own_bound``: ``cheap_bound`` and, per pair, ``dp``'s bound on the pair's events alone.
  Removing events never delays the others (every finish time is a max of sums, non-decreasing
  in earlier finish times), so the optimum of a one-device one-unit sub-instance is below the
  whole instance's optimum.

``devices.device_bound`` (every device's choices whole, the units through the least cloud work
after each event) is the strong one where many devices with few events each share a unit.

``docs/solvers.md`` compares them on measured instances.
"""

from __future__ import annotations

import time

import numpy as np

import ddp

from . import _bound_kernels, _dp_bounds
from .dp import solve_dp
from .points import KeptPoints
from .result import Outcome


def pair_bound(inst: ddp.Instance) -> float:
    """A combinatorial lower bound valid for any number of devices and units.

    For each (device, unit) pair and its events S, the makespan is at least the cloud work of S
    (one unit) and at least the front work of S plus the last event's ``T + C``; so it is at
    least ``w * cloud + (1 - w) * front`` for each ``w``, minimised event by event. Also at
    least ``a_j + min_i(F + T + C)`` for each event.
    """
    if inst.n == 0:
        return 0.0
    best = float(np.max(inst.arrival + np.min(inst.front + inst.trans + inst.cloud, axis=1)))
    pairs = inst.device * inst.cloud_units + inst.unit
    weights = np.linspace(0.0, 1.0, 21)
    for key in np.unique(pairs):
        events = np.flatnonzero(pairs == key)
        last = events[-1]
        for w in weights:
            priced = w * inst.cloud[events] + (1 - w) * inst.front[events]
            body = np.min(priced[:-1], axis=1).sum() if len(events) > 1 else 0.0
            tail = np.min(inst.cloud[last] + (1 - w) * (inst.front[last] + inst.trans[last]))
            best = max(best, float(body + tail))
    return best * (1 - 1e-12)


def machine_bound(inst: ddp.Instance, levels: int = 33, mu_levels: int = 65) -> float:
    """Every device and unit as one machine, priced together (``_bound_kernels``)."""
    if inst.n == 0:
        return 0.0
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    counts = np.bincount(inst.unit, minlength=inst.cloud_units).astype(np.float64)
    share = counts / counts.sum()
    value = _bound_kernels.machine_bound_kernel(
        kept.front, kept.cloud, kept.count, inst.device, inst.unit, inst.devices, share,
        np.linspace(0.0, 1.0, levels), int(mu_levels), 60)
    return float(value) * (1 - 1e-11)


def path_bound(inst: ddp.Instance, levels: int = 65, max_pairs: int = 8) -> float:
    """The path-price bound over the ``max_pairs`` (device, unit) pairs with most events."""
    if inst.n == 0:
        return 0.0
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    weights = np.linspace(0.0, 1.0, max(2, int(levels)))
    pairs = inst.device * inst.cloud_units + inst.unit
    keys, counts = np.unique(pairs, return_counts=True)
    least_cloud = np.array([kept.cloud[s, :kept.count[s]].min() for s in range(inst.n)])
    best = 0.0
    for key in keys[np.argsort(-counts, kind="stable")][:max_pairs]:
        device, unit = divmod(int(key), inst.cloud_units)
        on_front = inst.device == device
        on_cloud = inst.unit == unit
        path_values = _dp_bounds.masked_path_tables(kept.front, kept.trans, kept.cloud,
                                                    kept.count, weights, on_front, on_cloud)
        cloud_suffix = np.concatenate([np.cumsum((least_cloud * on_cloud)[::-1])[::-1], [0.0]])
        starts = np.flatnonzero(on_front)
        w = weights[None, :]
        # paths start at an event of the device (its arrival); the unit's earlier events pay w c
        values = (w * cloud_suffix[0] + (1 - w) * inst.arrival[starts, None]
                  - w * cloud_suffix[starts, None] + path_values[starts])
        best = max(best, float(np.max(values)))
    return best * (1 - 1e-11)


def cheap_bound(inst: ddp.Instance) -> float:
    """The best of the bounds that need no search: pair, path and machine bounds."""
    return max(pair_bound(inst), path_bound(inst), machine_bound(inst))


def own_bound(inst: ddp.Instance, time_limit: float = 10.0) -> float:
    """The best of ``cheap_bound`` and ``dp``'s bound per (device, unit) pair."""
    best = cheap_bound(inst)
    if inst.n == 0:
        return best
    deadline = time.perf_counter() + float(time_limit)
    pairs = inst.device * inst.cloud_units + inst.unit
    keys, counts = np.unique(pairs, return_counts=True)
    for key in keys[np.argsort(-counts, kind="stable")]:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        events = np.flatnonzero(pairs == key)
        outcome = solve_dp(inst.subset(events), time_limit=remaining)
        best = max(best, float(outcome.lower_bound))
    return best


def with_cheap_bound(inst: ddp.Instance, bound: float, message: str) -> tuple[float, str]:
    """``max(bound, cheap_bound(inst))``, saying so in the message when ours is the larger."""
    ours = cheap_bound(inst)
    if ours > bound:
        note = (f"the solver's bound {bound:.9g} is below our path/machine bound "
                f"{ours:.9g}, reported instead")
        return ours, (message + "; " if message else "") + note
    return bound, message


def out_of_time(inst: ddp.Instance, start: np.ndarray, solver: str) -> Outcome:
    """The answer of a back-end the time limit stopped before it could run (while its model
    was built): the warm start, with the cheap bounds."""
    message = (f"{solver}: time limit reached while the model was built; the warm start, "
               f"with our path/machine bound")
    return Outcome(start, cheap_bound(inst), message, {"out_of_time": True})
