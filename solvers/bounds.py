"""Lower bounds we prove ourselves, for any number of devices and units.

* ``pair_bound`` (in ``common``): per (device, unit) pair, cloud work against front work.
* ``path_bound``: the Lagrangian bound of ``dp`` (cloud of one unit against every front path of
  one device, prices by a backward DP; ``_dp_bounds.masked_path_tables``) from the empty state,
  with every other event pricing its cheapest point: close to the LP relaxation (measured: 8
  devices on one unit, n = 1000: 43,1xx beside HiGHS's 43,136, where ``pair_bound`` gives
  29,907).
* ``machine_bound``: every device and unit as one machine, all priced together; the strong one
  when devices share a unit (``_bound_kernels``).
* ``own_bound``: the best of those and, per pair, ``dp``'s bound on the pair's events alone.
  Removing events never delays the others (every finish time is a max of sums, non-decreasing
  in earlier finish times), so the optimum of a one-device one-unit sub-instance is below the
  whole instance's optimum.
"""

from __future__ import annotations

import time

import numpy as np

import ddp

from . import _bound_kernels as bound_kern
from . import _dp_bounds as kern
from .common import pair_bound


def machine_bound(inst: ddp.Instance, levels: int = 33, mu_levels: int = 65) -> float:
    """Every device and unit as one machine, priced together (``_bound_kernels``).

    Measured, 8 devices on one unit with gaps 0-60 ms: n = 200: 8,767 (HiGHS's bound after 10 s:
    9,143; ``pair_bound`` 6,023); n = 1000: 42,624 (HiGHS 43,136; ``pair_bound`` 29,907).
    """
    if inst.n == 0:
        return 0.0
    pf, _, pc, _, npts = kern.dominant_points(inst.front, inst.trans, inst.cloud)
    counts = np.bincount(inst.unit, minlength=inst.cloud_units).astype(np.float64)
    share = counts / counts.sum()
    value = bound_kern.machine_bound_kernel(pf, pc, npts, inst.device, inst.unit, inst.devices,
                                            share, np.linspace(0.0, 1.0, levels),
                                            int(mu_levels), 60)
    return float(value) * (1 - 1e-11)


def cheap_bound(inst: ddp.Instance) -> float:
    """The best of the bounds that need no search: pair, path and machine bounds."""
    return max(pair_bound(inst), path_bound(inst), machine_bound(inst))


def path_bound(inst: ddp.Instance, levels: int = 65, max_pairs: int = 8) -> float:
    """The path-price bound over the ``max_pairs`` (device, unit) pairs with most events."""
    if inst.n == 0:
        return 0.0
    pf, pt, pc, _, npts = kern.dominant_points(inst.front, inst.trans, inst.cloud)
    weights = np.linspace(0.0, 1.0, max(2, int(levels)))
    pairs = inst.device * inst.cloud_units + inst.unit
    keys, counts = np.unique(pairs, return_counts=True)
    cmin = np.array([pc[s, :npts[s]].min() for s in range(inst.n)])
    best = 0.0
    for key in keys[np.argsort(-counts, kind="stable")][:max_pairs]:
        device, unit = divmod(int(key), inst.cloud_units)
        on_front = inst.device == device
        on_cloud = inst.unit == unit
        V = kern.masked_path_tables(pf, pt, pc, npts, weights, on_front, on_cloud)
        cloud_suffix = np.concatenate([np.cumsum((cmin * on_cloud)[::-1])[::-1], [0.0]])
        starts = np.flatnonzero(on_front)
        w = weights[None, :]
        # paths start at an event of the device (its arrival); the unit's earlier events pay w c
        values = (w * cloud_suffix[0] + (1 - w) * inst.arrival[starts, None]
                  - w * cloud_suffix[starts, None] + V[starts])
        best = max(best, float(np.max(values)))
    return best * (1 - 1e-11)


def own_bound(inst: ddp.Instance, time_limit: float = 10.0) -> float:
    """The best of ``pair_bound``, ``path_bound`` and ``dp``'s bound per (device, unit) pair."""
    from .dp import solve_dp

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
        result = solve_dp(inst.subset(events), time_limit=remaining)
        best = max(best, float(result.lower_bound))
    return best
