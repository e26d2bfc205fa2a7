"""numba kernels of ``improve``: biased greedy rules and local search, any devices and units."""

from __future__ import annotations

import numpy as np

from ddp._jit import njit
from ddp.recurrence import step


@njit
def _prefix(arrival, kept_front, kept_trans, kept_cloud, device, unit, points, pre_front,
            pre_cloud, pre_max, suf_max,
            pre_sum, suf_sum, finish):
    """States before each event; running max and sum of cloud finishes before / from each."""
    n = arrival.shape[0]
    pre_front[0, :] = 0.0
    pre_cloud[0, :] = 0.0
    pre_max[0] = 0.0
    pre_sum[0] = 0.0
    for s in range(n):
        pre_front[s + 1, :] = pre_front[s, :]
        pre_cloud[s + 1, :] = pre_cloud[s, :]
        d = device[s]
        u = unit[s]
        p = points[s]
        times = step(pre_front[s, d], pre_cloud[s, u], arrival[s], kept_front[s, p],
                     kept_trans[s, p], kept_cloud[s, p])
        pre_front[s + 1, d] = times[1]
        pre_cloud[s + 1, u] = times[4]
        finish[s] = times[4]
        pre_max[s + 1] = max(pre_max[s], times[4])
        pre_sum[s + 1] = pre_sum[s] + times[4]
    suf_max[n] = 0.0
    suf_sum[n] = 0.0
    for s in range(n - 1, -1, -1):
        suf_max[s] = max(suf_max[s + 1], finish[s])
        suf_sum[s] = suf_sum[s + 1] + finish[s]


@njit
def general_local_search(arrival, kept_front, kept_trans, kept_cloud, point_count, device, unit,
                         devices, units, points,
                         max_passes, max_steps):
    """First-improvement single-event search for any devices and units (columns ``points``).

    Moves are ranked by (makespan, sum of cloud finishes): the sum breaks the plateaus of the
    makespan, so that work moves off a bottleneck before it shows in the makespan. A trial
    re-runs the recurrence from the stored state before the event; it stops when its running
    makespan exceeds the best (hopeless) or when every device and unit it changed is back to
    the old schedule's state (the rest is unchanged). Improves ``points`` in place and returns
    the makespan; at most ``max_steps`` recurrence steps.
    """
    n = arrival.shape[0]
    pre_front = np.zeros((n + 1, devices))
    pre_cloud = np.zeros((n + 1, units))
    pre_max = np.zeros(n + 1)
    suf_max = np.zeros(n + 1)
    pre_sum = np.zeros(n + 1)
    suf_sum = np.zeros(n + 1)
    finish = np.zeros(n)
    _prefix(arrival, kept_front, kept_trans, kept_cloud, device, unit, points, pre_front,
            pre_cloud, pre_max, suf_max,
            pre_sum, suf_sum, finish)
    best = pre_max[n]
    best_sum = pre_sum[n]
    front = np.empty(devices)
    cloud = np.empty(units)
    steps = 0
    for _ in range(max_passes):
        improved = False
        for e in range(n):
            for p in range(point_count[e]):
                if p == points[e]:
                    continue
                front[:] = pre_front[e, :]
                cloud[:] = pre_cloud[e, :]
                running = pre_max[e]
                total_sum = pre_sum[e]
                differing = 0
                total = np.inf
                for s in range(e, n):
                    steps += 1
                    q = p if s == e else points[s]
                    d = device[s]
                    u = unit[s]
                    before = int(front[d] != pre_front[s, d]) + int(cloud[u] != pre_cloud[s, u])
                    times = step(front[d], cloud[u], arrival[s], kept_front[s, q],
                                 kept_trans[s, q], kept_cloud[s, q])
                    front[d] = times[1]
                    cloud[u] = times[4]
                    after = (int(front[d] != pre_front[s + 1, d]) +
                             int(cloud[u] != pre_cloud[s + 1, u]))
                    differing += after - before
                    running = max(running, times[4])
                    total_sum += times[4]
                    if running > best:
                        break  # hopeless: the makespan only grows
                    if differing == 0:
                        total = max(running, suf_max[s + 1])
                        total_sum += suf_sum[s + 1]
                        break
                    if s == n - 1:
                        total = running
                if total < best or (total == best and total_sum < best_sum * (1 - 1e-12)):
                    points[e] = p
                    _prefix(arrival, kept_front, kept_trans, kept_cloud, device, unit, points,
                            pre_front, pre_cloud,
                            pre_max, suf_max, pre_sum, suf_sum, finish)
                    best = pre_max[n]
                    best_sum = pre_sum[n]
                    improved = True
                if steps > max_steps:
                    return best
        if not improved:
            break
    return best


@njit
def biased_greedy(arrival, kept_front, kept_trans, kept_cloud, point_count, device, unit, devices,
                  units, cloud_bias,
                  front_bias, points):
    """DDP's rule with a price on the work left behind: per event the point of least
    ``finish_cloud + cloud_bias * C + front_bias * F``. With both biases 0 it is DDP (over the
    kept points). Writes ``points`` and returns the makespan."""
    front = np.zeros(devices)
    cloud = np.zeros(units)
    makespan = 0.0
    for s in range(arrival.shape[0]):
        d = device[s]
        u = unit[s]
        best = 0
        best_score = np.inf
        for p in range(point_count[s]):
            times = step(front[d], cloud[u], arrival[s], kept_front[s, p], kept_trans[s, p],
                         kept_cloud[s, p])
            score = times[4] + cloud_bias * kept_cloud[s, p] + front_bias * kept_front[s, p]
            if score < best_score:
                best_score = score
                best = p
        times = step(front[d], cloud[u], arrival[s], kept_front[s, best], kept_trans[s, best],
                     kept_cloud[s, best])
        front[d] = times[1]
        cloud[u] = times[4]
        makespan = max(makespan, times[4])
        points[s] = best
    return makespan
