"""numba kernels of the lower bounds of the ``dp`` solver (and of ``bounds.path_bound``).

The lower bound (``state_bound``) is Lagrangian. From a state ``(F, C)`` before event ``j`` the
makespan is at least the cloud bound ``A = C + remaining cloud times`` and at least every front
path ``B_r = max(F, a_j) + front times of j..r + T_r + cloud times of r..n-1``; so it is at least
any convex combination ``w A + sum_r mu_r B_r`` (``w + sum mu = 1``). For fixed weights each
remaining event's choice enters the sum alone, so the minimum over all choice vectors is a sum
of per-event minima. ``path_tables`` finds, for each stage and each ``w`` on a grid, the best
``mu`` (on the same grid) by a backward DP; without the grid the best such bound would be the
LP relaxation of the remaining events (zero arrivals). ``later_start_tables`` adds paths that
start at a later arrival.
"""

from __future__ import annotations

import numpy as np

from ddp._jit import njit

NEG_INF = -np.inf


@njit
def least_cloud_suffix(kept_cloud, point_count):
    """``cloud_suffix[q]``: the sum over events ``s >= q`` of their least cloud time (0 at n)."""
    n = kept_cloud.shape[0]
    cloud_suffix = np.zeros(n + 1)
    for s in range(n - 1, -1, -1):
        best = np.inf
        for p in range(point_count[s]):
            best = min(best, kept_cloud[s, p])
        cloud_suffix[s] = cloud_suffix[s + 1] + best
    return cloud_suffix


@njit
def masked_path_tables(kept_front, kept_trans, kept_cloud, point_count, weights, on_front,
                       on_cloud):
    """``path_tables`` for the paths of one device and one cloud unit among other events.

    ``on_front[s]``: event ``s`` runs its front part on the path's device; ``on_cloud[s]``: its
    cloud part on the path's unit. A path ends only at an event on both (``M`` may drop there);
    an event on the device only pays ``M_s`` per unit of front time, one on the unit only
    ``1 - M_s`` per unit of cloud time, any other event nothing. With every event on both this
    is ``path_tables``.
    """
    n = kept_front.shape[0]
    nw = weights.shape[0]
    path_values = np.full((n + 1, nw), NEG_INF)
    path_values[n, nw - 1] = 0.0  # weights ascend: the last is w = 1, a = 0
    width = kept_front.shape[1]
    slope = np.empty(width)
    hull_m = np.empty(width)
    hull_c = np.empty(width)
    for s in range(n - 1, -1, -1):
        count = point_count[s]
        if not on_front[s] or not on_cloud[s]:
            # No path ends here: the mass stays, the event pays its cheapest priced point.
            for g in range(nw):
                if path_values[s + 1, g] == NEG_INF:
                    continue
                a = 1.0 - weights[g]
                cost = np.inf
                for p in range(count):
                    priced = 0.0
                    if on_front[s]:
                        priced += a * kept_front[s, p]
                    if on_cloud[s]:
                        priced += (1.0 - a) * kept_cloud[s, p]
                    cost = min(cost, priced)
                path_values[s, g] = path_values[s + 1, g] + cost
            continue
        for p in range(count):
            slope[p] = kept_front[s, p] + kept_trans[s, p]
        by_slope = np.argsort(-slope[:count])  # decreasing slope: the envelope's order in a
        for g2 in range(nw):
            tail = path_values[s + 1, g2]
            if tail == NEG_INF:
                continue
            b = 1.0 - weights[g2]
            h = 0
            for r in range(count):
                p = by_slope[r]
                m = slope[p]
                c = kept_cloud[s, p] - b * (kept_cloud[s, p] + kept_trans[s, p])
                if h > 0 and hull_m[h - 1] == m:
                    if c >= hull_c[h - 1]:
                        continue
                    h -= 1
                while h >= 2 and ((c - hull_c[h - 2]) * (hull_m[h - 2] - hull_m[h - 1]) <=
                                  (hull_c[h - 1] - hull_c[h - 2]) * (hull_m[h - 2] - m)):
                    h -= 1  # the middle line is never strictly lowest
                hull_m[h] = m
                hull_c[h] = c
                h += 1
            line = 0
            for g in range(g2, -1, -1):  # a = 1 - weights[g] increases
                a = 1.0 - weights[g]
                while line + 1 < h and (hull_m[line + 1] * a + hull_c[line + 1] <=
                                        hull_m[line] * a + hull_c[line]):
                    line += 1
                value = hull_m[line] * a + hull_c[line] + tail
                if value > path_values[s, g]:
                    path_values[s, g] = value
    return path_values


@njit
def path_tables(kept_front, kept_trans, kept_cloud, point_count, weights):
    """The LP-strength part of the bound: ``path_values[j, g]``, best priced work of ``j..n-1``.

    With ``a = 1 - weights[g]`` the mass on front paths, a price vector is a non-increasing
    sequence ``a = M_j >= M_{j+1} >= ... >= M_n = 0`` on the grid (``M_s``: mass of the paths
    still on the front at event ``s``); event ``s`` then pays ``M_s`` per unit of front time,
    ``M_s - M_{s+1}`` per unit of transfer time (paths that leave the front at ``s``) and
    ``1 - M_{s+1}`` per unit of cloud time, at its cheapest point. Every such sequence gives a
    valid bound (a convex combination of the cloud bound and of front paths ending anywhere);
    the backward DP keeps the best sequence per ``(j, a)``. ``path_values[n, g]`` is 0 for
    ``a = 0`` and -inf otherwise (every path ends by the last event).

    For a fixed next level ``b`` an event's price is the lower envelope over its points of the
    lines ``a (F + T) + C - b (C + T)`` in ``a``; the envelope is built once per ``(s, b)`` and
    walked over the grid (``O(P + G)`` instead of ``O(P G)``). ``path_tables_naive`` is the plain
    minimum, for the tests.
    """
    everywhere = np.ones(kept_front.shape[0], dtype=np.bool_)
    return masked_path_tables(kept_front, kept_trans, kept_cloud, point_count, weights, everywhere,
                              everywhere)


@njit
def path_tables_naive(kept_front, kept_trans, kept_cloud, point_count, weights):
    """``path_tables`` by the plain minimum over points (the reference of the tests)."""
    n = kept_front.shape[0]
    nw = weights.shape[0]
    path_values = np.full((n + 1, nw), NEG_INF)
    path_values[n, nw - 1] = 0.0  # weights ascend: the last is w = 1, a = 0
    for s in range(n - 1, -1, -1):
        for g in range(nw):
            a = 1.0 - weights[g]
            best = NEG_INF
            for g2 in range(g, nw):  # a2 = 1 - weights[g2] <= a
                tail = path_values[s + 1, g2]
                if tail == NEG_INF:
                    continue
                b = 1.0 - weights[g2]
                cost = np.inf
                for p in range(point_count[s]):
                    cost = min(cost,
                               (1.0 - b) * kept_cloud[s, p] + a * kept_front[s,
                                p] + (a - b) * kept_trans[s, p])
                best = max(best, cost + tail)
            path_values[s, g] = best
    return path_values


@njit
def later_start_tables(arrival, cloud_suffix, path_values, weights):
    """``later_values[g, q]``: max over ``q' >= q`` of ``(1 - w) a_q' - w cloud_suffix[q'] +
    path_values[q', g]``.

    The same path prices as ``path_values``, for paths that all start at a later arrival
    ``a_q'``: the events before ``q'`` then pay only ``w`` per unit of cloud time
    (``w cloud_suffix``).
    """
    n = arrival.shape[0]
    nw = weights.shape[0]
    later_values = np.full((nw, n + 1), NEG_INF)
    for g in range(nw):
        w = weights[g]
        for q in range(n - 1, -1, -1):
            here = (1.0 - w) * arrival[q] - w * cloud_suffix[q] + path_values[q, g]
            later_values[g, q] = max(here, later_values[g, q + 1])
    return later_values


@njit(inline="always")
def first_later_arrival(arrival, j, front_free):
    """The first event ``q >= j`` with ``a_q > front_free`` (``n`` when none)."""
    lo = j
    hi = arrival.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if arrival[mid] > front_free:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit
def upper_envelopes(slopes, intercepts):
    """For each row ``r``, the lines ``slopes[g] * y + intercepts[r, g]`` that are the largest
    for some ``y`` (``slopes`` ascending; ``-inf`` intercepts are no line).

    Returns ``(lines, breaks, sizes)``: ``lines[r, :sizes[r]]`` by increasing slope, and
    ``breaks[r, i]`` the ``y`` from which line ``i + 1`` is at least line ``i``.
    """
    rows, count = intercepts.shape
    lines = np.zeros((rows, count), dtype=np.int64)
    breaks = np.full((rows, count), np.inf)
    sizes = np.zeros(rows, dtype=np.int64)
    for r in range(rows):
        h = 0
        for g in range(count):
            b = intercepts[r, g]
            if b == NEG_INF:
                continue
            m = slopes[g]
            if h > 0 and slopes[lines[r, h - 1]] == m:
                if b <= intercepts[r, lines[r, h - 1]]:
                    continue
                h -= 1
            while h >= 2:
                m1, b1 = slopes[lines[r, h - 2]], intercepts[r, lines[r, h - 2]]
                m2, b2 = slopes[lines[r, h - 1]], intercepts[r, lines[r, h - 1]]
                if (b1 - b) * (m2 - m1) <= (b1 - b2) * (m - m1):
                    h -= 1  # the middle line is never strictly the largest
                else:
                    break
            lines[r, h] = g
            h += 1
        sizes[r] = h
        for i in range(h - 1):
            g, g2 = lines[r, i], lines[r, i + 1]
            breaks[r, i] = (intercepts[r, g] - intercepts[r, g2]) / (slopes[g2] - slopes[g])
    return lines, breaks, sizes


def bound_tables(arrival, kept_front, kept_trans, kept_cloud, point_count, weights):
    """The tables of ``state_bound`` for the events of one device and one unit:
    ``(weights, path_values, cloud_suffix, later_values, path_envelopes, later_envelopes)``."""
    cloud_suffix = least_cloud_suffix(kept_cloud, point_count)
    path_values = path_tables(kept_front, kept_trans, kept_cloud, point_count, weights)
    later_values = later_start_tables(arrival, cloud_suffix, path_values, weights)
    return (weights, path_values, cloud_suffix, later_values,
            upper_envelopes(weights, path_values),
            upper_envelopes(weights, np.ascontiguousarray(later_values.T)))


@njit(inline="always")
def _envelope_position(breaks, size, row, y):
    """The position on row ``row``'s envelope of the largest line at ``y``."""
    lo = 0
    hi = size - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if breaks[row, mid] > y:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit
def state_bound(j, front_free, cloud_free, arrival, tables, threshold):
    """Lower bound on the makespan of every completion of state ``(F, C)`` before event ``j``.

    ``tables`` from ``bound_tables``. Two families, both valid for every weight ``w``: the path
    prices of ``path_tables`` from ``x = max(F, a_j)``, ``w C + (1 - w) x + path_values[j, w]``,
    and single front paths that start at a later arrival (``later_values``). Each family is a
    maximum of lines in one variable (``C - x``, ``C + cloud_suffix[j]``): its largest line is
    found on the precomputed envelope by bisection, and it and its neighbours are evaluated in
    the formula's own order (any weight's value is a valid bound, so rounding at a break can
    only cost a trace of strength). Stops after the first family when it reaches
    ``threshold`` (the state is pruned anyway). Returns the bound found.
    """
    weights, path_values, cloud_suffix, later_values, path_envelopes, later_envelopes = tables
    n = arrival.shape[0]
    if j >= n:
        return cloud_free
    x = max(front_free, arrival[j])
    best = cloud_free
    lines, breaks, sizes = path_envelopes
    size = sizes[j]
    if size > 0:
        at = _envelope_position(breaks, size, j, cloud_free - x)
        for i in range(max(0, at - 1), min(size, at + 2)):
            w = weights[lines[j, i]]
            value = w * cloud_free + (1.0 - w) * x + path_values[j, lines[j, i]]
            if value > best:
                best = value
    if best >= threshold:
        return best
    q = first_later_arrival(arrival, j, x)
    if q < n:
        lines, breaks, sizes = later_envelopes
        size = sizes[q]
        if size > 0:
            at = _envelope_position(breaks, size, q, cloud_free + cloud_suffix[j])
            for i in range(max(0, at - 1), min(size, at + 2)):
                w = weights[lines[q, i]]
                value = w * cloud_free + w * cloud_suffix[j] + later_values[lines[q, i], q]
                if value > best:
                    best = value
    return best


@njit
def state_bounds(j, front_free, cloud_free, arrival, tables):
    """The full bound of every state before event ``j``."""
    out = np.empty(front_free.shape[0])
    for s in range(front_free.shape[0]):
        out[s] = state_bound(j, front_free[s], cloud_free[s], arrival, tables, np.inf)
    return out
