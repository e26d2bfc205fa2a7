"""Lower bounds of the ``dp`` solver and the point filter every method uses.

``dominant_points`` drops the points another point beats.

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
def dominant_points(front, trans, cloud):
    """The points of each event that no other point beats.

    Point ``i`` is dropped when some ``i'`` has ``F <= F``, ``F + T <= F + T`` and ``C <= C``
    (the recurrence is monotone in the front finish, the ready time and the cloud time), with a
    strict gain in one of them or an equal triple at a smaller index. Returns ``pf, pt, pc, pidx``
    padded to the widest event and ``npts``.
    """
    n, width = front.shape
    keep = np.zeros((n, width), dtype=np.bool_)
    npts = np.zeros(n, dtype=np.int64)
    for j in range(n):
        for i in range(width):
            fi = front[j, i]
            ri = front[j, i] + trans[j, i]
            ci = cloud[j, i]
            dominated = False
            for o in range(width):
                if o == i:
                    continue
                fo = front[j, o]
                ro = front[j, o] + trans[j, o]
                co = cloud[j, o]
                if fo <= fi and ro <= ri and co <= ci:
                    if fo < fi or ro < ri or co < ci or o < i:
                        dominated = True
                        break
            if not dominated:
                keep[j, i] = True
                npts[j] += 1
    widest = max(1, npts.max()) if n > 0 else 1
    pf = np.zeros((n, widest))
    pt = np.zeros((n, widest))
    pc = np.zeros((n, widest))
    pidx = np.zeros((n, widest), dtype=np.int64)
    for j in range(n):
        col = 0
        for i in range(width):
            if keep[j, i]:
                pf[j, col] = front[j, i]
                pt[j, col] = trans[j, i]
                pc[j, col] = cloud[j, i]
                pidx[j, col] = i
                col += 1
    return pf, pt, pc, pidx, npts


@njit
def least_cloud_suffix(pc, npts):
    """``CM[q]``: the sum over events ``s >= q`` of their least cloud time (``CM[n] = 0``)."""
    n = pc.shape[0]
    CM = np.zeros(n + 1)
    for s in range(n - 1, -1, -1):
        best = np.inf
        for p in range(npts[s]):
            best = min(best, pc[s, p])
        CM[s] = CM[s + 1] + best
    return CM


@njit
def masked_path_tables(pf, pt, pc, npts, weights, on_front, on_cloud):
    """``path_tables`` for the paths of one device and one cloud unit among other events.

    ``on_front[s]``: event ``s`` runs its front part on the path's device; ``on_cloud[s]``: its
    cloud part on the path's unit. A path ends only at an event on both (``M`` may drop there);
    an event on the device only pays ``M_s`` per unit of front time, one on the unit only
    ``1 - M_s`` per unit of cloud time, any other event nothing. With every event on both this
    is ``path_tables``.
    """
    n = pf.shape[0]
    nw = weights.shape[0]
    V = np.full((n + 1, nw), NEG_INF)
    V[n, nw - 1] = 0.0  # weights ascend: the last is w = 1, a = 0
    width = pf.shape[1]
    slope = np.empty(width)
    hull_m = np.empty(width)
    hull_c = np.empty(width)
    for s in range(n - 1, -1, -1):
        count = npts[s]
        if not on_front[s] or not on_cloud[s]:
            # No path ends here: the mass stays, the event pays its cheapest priced point.
            for g in range(nw):
                if V[s + 1, g] == NEG_INF:
                    continue
                a = 1.0 - weights[g]
                cost = np.inf
                for p in range(count):
                    priced = 0.0
                    if on_front[s]:
                        priced += a * pf[s, p]
                    if on_cloud[s]:
                        priced += (1.0 - a) * pc[s, p]
                    cost = min(cost, priced)
                V[s, g] = V[s + 1, g] + cost
            continue
        for p in range(count):
            slope[p] = pf[s, p] + pt[s, p]
        by_slope = np.argsort(-slope[:count])  # decreasing slope: the envelope's order in a
        for g2 in range(nw):
            tail = V[s + 1, g2]
            if tail == NEG_INF:
                continue
            b = 1.0 - weights[g2]
            h = 0
            for r in range(count):
                p = by_slope[r]
                m = slope[p]
                c = pc[s, p] - b * (pc[s, p] + pt[s, p])
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
                if value > V[s, g]:
                    V[s, g] = value
    return V


@njit
def path_tables(pf, pt, pc, npts, weights):
    """The LP-strength part of the bound: ``V[j, g]``, best priced work of events ``j..n-1``.

    With ``a = 1 - weights[g]`` the mass on front paths, a price vector is a non-increasing
    sequence ``a = M_j >= M_{j+1} >= ... >= M_n = 0`` on the grid (``M_s``: mass of the paths
    still on the front at event ``s``); event ``s`` then pays ``M_s`` per unit of front time,
    ``M_s - M_{s+1}`` per unit of transfer time (paths that leave the front at ``s``) and
    ``1 - M_{s+1}`` per unit of cloud time, at its cheapest point. Every such sequence gives a
    valid bound (a convex combination of the cloud bound and of front paths ending anywhere);
    the backward DP keeps the best sequence per ``(j, a)``. ``V[n, g]`` is 0 for ``a = 0`` and
    -inf otherwise (every path ends by the last event).

    For a fixed next level ``b`` an event's price is the lower envelope over its points of the
    lines ``a (F + T) + C - b (C + T)`` in ``a``; the envelope is built once per ``(s, b)`` and
    walked over the grid (``O(P + G)`` instead of ``O(P G)``). ``path_tables_naive`` is the plain
    minimum, for the tests.
    """
    everywhere = np.ones(pf.shape[0], dtype=np.bool_)
    return masked_path_tables(pf, pt, pc, npts, weights, everywhere, everywhere)


@njit
def path_tables_naive(pf, pt, pc, npts, weights):
    """``path_tables`` by the plain minimum over points (the reference of the tests)."""
    n = pf.shape[0]
    nw = weights.shape[0]
    V = np.full((n + 1, nw), NEG_INF)
    V[n, nw - 1] = 0.0  # weights ascend: the last is w = 1, a = 0
    for s in range(n - 1, -1, -1):
        for g in range(nw):
            a = 1.0 - weights[g]
            best = NEG_INF
            for g2 in range(g, nw):  # a2 = 1 - weights[g2] <= a
                tail = V[s + 1, g2]
                if tail == NEG_INF:
                    continue
                b = 1.0 - weights[g2]
                cost = np.inf
                for p in range(npts[s]):
                    cost = min(cost, (1.0 - b) * pc[s, p] + a * pf[s, p] + (a - b) * pt[s, p])
                best = max(best, cost + tail)
            V[s, g] = best
    return V


@njit
def later_start_tables(arrival, CM, V, weights):
    """``SM[g, q] = max over q' >= q`` of ``(1 - w) a_q' - w CM[q'] + V[q', g]``.

    The same path prices as ``V``, for paths that all start at a later arrival ``a_q'``: the
    events before ``q'`` then pay only ``w`` per unit of cloud time (``w CM``).
    """
    n = arrival.shape[0]
    nw = weights.shape[0]
    SM = np.full((nw, n + 1), NEG_INF)
    for g in range(nw):
        w = weights[g]
        for q in range(n - 1, -1, -1):
            here = (1.0 - w) * arrival[q] - w * CM[q] + V[q, g]
            SM[g, q] = max(here, SM[g, q + 1])
    return SM


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
def state_bound(j, front_free, cloud_free, arrival, tables, threshold, hot):
    """Lower bound on the makespan of every completion of state ``(F, C)`` before event ``j``.

    ``tables = (weights, V, CM, SM)``. Two families, both valid for every weight: the path
    prices of ``path_tables`` from ``max(F, a_j)``, and single front paths that start at a later
    arrival (``SM``). Stops early once the bound reaches ``threshold`` (the state is pruned
    anyway); ``hot[0]`` is the weight that pruned last, tried first. Returns the bound found.
    """
    weights, V, CM, SM = tables
    n = arrival.shape[0]
    if j >= n:
        return cloud_free
    x = max(front_free, arrival[j])
    nw = weights.shape[0]
    best = cloud_free
    start = hot[0]
    for step_ in range(nw):
        wi = (start + step_) % nw
        w = weights[wi]
        value = w * cloud_free + (1.0 - w) * x + V[j, wi]
        if value > best:
            best = value
            if best >= threshold:
                hot[0] = wi
                return best
    q = first_later_arrival(arrival, j, x)
    if q < n:
        for wi in range(nw):
            w = weights[wi]
            value = w * cloud_free + w * CM[j] + SM[wi, q]
            if value > best:
                best = value
                if best >= threshold:
                    return best
    return best


@njit
def frontier_bound(j, front_free, cloud_free, arrival, tables):
    """The least full bound over the states before event ``j`` (inf when there are none)."""
    no_hot = np.zeros(1, dtype=np.int64)
    best = np.inf
    for s in range(front_free.shape[0]):
        best = min(best, state_bound(j, front_free[s], cloud_free[s], arrival, tables, np.inf,
                                     no_hot))
    return best
