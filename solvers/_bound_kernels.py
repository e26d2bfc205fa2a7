"""numba kernel of ``bounds.machine_bound``: every device and unit priced at once.

Each device is one machine for the front parts of its events and each cloud unit one machine
for their cloud parts; so the makespan is at least every machine's total work, and at least any
convex combination ``sum_u nu_u (cloud work of u) + sum_d mu_d (front work of d)`` with
``sum nu + sum mu = 1``. For fixed weights each event's choice enters alone: the minimum over
choice vectors is the sum over events of their cheapest priced point, a lower bound for every
weight vector. The kernel searches weights: a total cloud weight ``w`` on a grid, split over the
units in proportion to their events; the device weights by bisection on a price ``lam``: each
device takes the grid weight that maximises its own priced work minus ``lam`` times the weight,
so that the device weights sum to at most ``1 - w``; the remainder goes back to the units.
"""

from __future__ import annotations

import numpy as np

from ddp._jit import njit


@njit
def _device_values(kept_front, kept_cloud, point_count, device, unit_weight, devices, mus):
    """``values[d, k]``: priced work of device ``d``'s events at device weight ``mus[k]``."""
    values = np.zeros((devices, mus.shape[0]))
    for s in range(kept_front.shape[0]):
        d = device[s]
        for k in range(mus.shape[0]):
            cost = np.inf
            for p in range(point_count[s]):
                cost = min(cost, unit_weight[s] * kept_cloud[s, p] + mus[k] * kept_front[s, p])
            values[d, k] += cost
    return values


@njit
def _allocate(values, mus, lam, picks):
    """Each device's weight index maximising ``values - lam * mu``; returns the weight sum."""
    total = 0.0
    for d in range(values.shape[0]):
        best = 0
        for k in range(1, mus.shape[0]):
            if values[d, k] - lam * mus[k] > values[d, best] - lam * mus[best]:
                best = k
        picks[d] = best
        total += mus[best]
    return total


@njit
def machine_bound_kernel(kept_front, kept_cloud, point_count, device, unit, devices, unit_share,
                         levels, mu_levels,
                         iterations):
    """The best bound over the weight search described in the module docstring."""
    n = kept_front.shape[0]
    best = 0.0
    picks = np.zeros(devices, dtype=np.int64)
    unit_weight = np.empty(n)
    for li in range(levels.shape[0]):
        w = levels[li]
        for s in range(n):
            unit_weight[s] = w * unit_share[unit[s]]
        mus = np.linspace(0.0, 1.0 - w, mu_levels)
        values = _device_values(kept_front, kept_cloud, point_count, device, unit_weight, devices,
                                mus)
        top = 0.0
        for d in range(devices):
            for s in range(n):
                if device[s] == d:
                    for p in range(point_count[s]):
                        top = max(top, kept_front[s, p] + kept_cloud[s, p])
        lo = 0.0
        hi = top * n + 1.0  # with this price every device takes weight 0
        for _ in range(iterations):
            lam = 0.5 * (lo + hi)
            if _allocate(values, mus, lam, picks) > 1.0 - w:
                lo = lam
            else:
                hi = lam
        used = _allocate(values, mus, hi, picks)
        slack = max(0.0, 1.0 - w - used)
        total = 0.0
        for s in range(n):
            mu = mus[picks[device[s]]]
            cloud_weight = (w + slack) * unit_share[unit[s]]
            cost = np.inf
            for p in range(point_count[s]):
                cost = min(cost, cloud_weight * kept_cloud[s, p] + mu * kept_front[s, p])
            total += cost
        best = max(best, total)
    return best
