"""numba kernels of the ``dp`` solver (one device, one cloud unit).

The events of one component are given as plain contiguous arrays: ``arrival (n,)`` and the
non-dominated points of each event, padded to ``P`` columns: ``pf, pt, pc (n, P)`` (front,
transmission, cloud time), ``npts (n,)`` how many columns are real. A state before event ``j``
is ``(F, C)``: when the device and the cloud unit are free. Every finish time is computed with
``ddp.recurrence.step``, so a complete path's ``C`` is bit for bit the makespan ``ddp.evaluate``
gives for the same choices.

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
from ddp.recurrence import step

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
def _pareto_groups(front_free, cloud_free, order, count, keep_index):
    """Pareto sweep over ``order[:count]`` (indices by non-decreasing F, ties in any order).

    Within a run of equal F only the least C can survive; it survives when its C is strictly
    below every C of the smaller F seen before. Writes the survivors to ``keep_index`` (by
    increasing F) and returns how many.
    """
    kept = 0
    best_cloud = np.inf
    r = 0
    while r < count:
        group_front = front_free[order[r]]
        least = order[r]
        r += 1
        while r < count and front_free[order[r]] == group_front:
            if cloud_free[order[r]] < cloud_free[least]:
                least = order[r]
            r += 1
        if cloud_free[least] < best_cloud:
            best_cloud = cloud_free[least]
            keep_index[kept] = least
            kept += 1
    return kept


@njit
def _merge_by_front(child_front, kept, width, order):
    """Order of the children by non-decreasing F, merging the ``width`` runs already sorted.

    Child ``r * width + p`` is point ``p`` of the ``r``-th parent; parents come by increasing
    F, so each point's run is sorted. A binary heap over the run heads merges them in
    ``O(N log width)``, cheaper than sorting ``N = kept * width`` children.
    """
    heap = np.empty(width, dtype=np.int64)  # points; key: front of their current child
    head = np.zeros(width, dtype=np.int64)  # next parent rank per point
    size = 0
    for p in range(width):
        if kept > 0:
            heap[size] = p
            size += 1
            child = size - 1  # sift up
            while child > 0:
                up = (child - 1) // 2
                if child_front[heap[up]] <= child_front[heap[child]]:
                    break
                heap[up], heap[child] = heap[child], heap[up]
                child = up
    out = 0
    while size > 0:
        p = heap[0]
        order[out] = head[p] * width + p
        out += 1
        head[p] += 1
        if head[p] < kept:
            key_index = head[p] * width + p
        else:
            size -= 1
            heap[0] = heap[size]
            key_index = -1
        if key_index >= 0:
            heap[0] = p
        # sift down the root; keys are the fronts of each point's current head child
        node = 0
        while True:
            left = 2 * node + 1
            if left >= size:
                break
            smallest = left
            right = left + 1
            if right < size and (child_front[head[heap[right]] * width + heap[right]] <
                                 child_front[head[heap[left]] * width + heap[left]]):
                smallest = right
            if (child_front[head[heap[node]] * width + heap[node]] <=
                    child_front[head[heap[smallest]] * width + heap[smallest]]):
                break
            heap[node], heap[smallest] = heap[smallest], heap[node]
            node = smallest
    return out


@njit
def expand_stage(j, front_in, cloud_in, arrival, pf, pt, pc, npts, tables, threshold,
                 full_bound, hot):
    """All children of the states before event ``j`` that can still beat ``threshold``.

    ``front_in`` must be non-decreasing (every stage returns its states that way). Input states
    are first normalised for event ``j`` (``F := max(F, a_j)``; a ``C`` below every ready time
    of the event is raised to the least ready time, which changes no outcome) so that
    equivalent states merge; normalising keeps the order of F. The children are reduced to
    their Pareto set, then those whose bound reaches ``threshold`` are dropped, their least
    bound returned as ``pruned_bound`` (it also bounds the children they dominate).

    Returns ``(front, cloud, parent, point, bound, pruned_bound)`` of the survivors, by
    increasing F; ``bound`` is the full state bound when ``full_bound`` (else zeros).
    """
    size = front_in.shape[0]
    a = arrival[j]
    norm_front = np.empty(size)
    norm_cloud = np.empty(size)
    for s in range(size):
        x = max(front_in[s], a)
        least_ready = np.inf
        for p in range(npts[j]):
            least_ready = min(least_ready, (x + pf[j, p]) + pt[j, p])
        norm_front[s] = x
        norm_cloud[s] = max(cloud_in[s], least_ready)
    keep = np.empty(size, dtype=np.int64)
    kept = _pareto_groups(norm_front, norm_cloud, np.arange(size), size, keep)

    width = npts[j]
    total = kept * width
    child_front = np.empty(total)
    child_cloud = np.empty(total)
    for r in range(kept):
        s = keep[r]
        for p in range(width):
            times = step(norm_front[s], norm_cloud[s], a, pf[j, p], pt[j, p], pc[j, p])
            child_front[r * width + p] = times[1]
            child_cloud[r * width + p] = times[4]
    order = np.empty(total, dtype=np.int64)
    _merge_by_front(child_front, kept, width, order)
    # Pareto first (most children are dominated), bounds only for the survivors.
    front_set = np.empty(total, dtype=np.int64)
    alive = _pareto_groups(child_front, child_cloud, order, total, front_set)
    pruned_bound = np.inf
    survivors = np.empty(alive, dtype=np.int64)
    out_bound = np.zeros(alive)
    no_hot = np.zeros(1, dtype=np.int64)
    count = 0
    for r in range(alive):
        idx = front_set[r]
        b = state_bound(j + 1, child_front[idx], child_cloud[idx], arrival, tables, threshold,
                        hot)
        if b >= threshold:
            pruned_bound = min(pruned_bound, b)
            continue
        if full_bound:
            out_bound[count] = state_bound(j + 1, child_front[idx], child_cloud[idx], arrival,
                                           tables, np.inf, no_hot)
        survivors[count] = idx
        count += 1
    survivors = survivors[:count]
    parent = np.empty(count, dtype=np.int64)
    point = np.empty(count, dtype=np.int64)
    for r in range(count):
        parent[r] = keep[survivors[r] // width]
        point[r] = survivors[r] % width
    return (child_front[survivors], child_cloud[survivors], parent, point, out_bound[:count],
            pruned_bound)


@njit
def frontier_bound(j, front_free, cloud_free, arrival, tables):
    """The least full bound over the states before event ``j`` (inf when there are none)."""
    no_hot = np.zeros(1, dtype=np.int64)
    best = np.inf
    for s in range(front_free.shape[0]):
        best = min(best, state_bound(j, front_free[s], cloud_free[s], arrival, tables, np.inf,
                                     no_hot))
    return best


@njit
def complete_greedy(j, front_free, cloud_free, arrival, pf, pt, pc, npts, out_points):
    """Finish a state with DDP's rule (least cloud finish, ties to the first point).

    Writes the column chosen for events ``j..n-1`` into ``out_points`` and returns the makespan.
    """
    n = arrival.shape[0]
    f = front_free
    c = cloud_free
    for e in range(j, n):
        best_p = 0
        best_finish = np.inf
        best_front = 0.0
        for p in range(npts[e]):
            times = step(f, c, arrival[e], pf[e, p], pt[e, p], pc[e, p])
            if times[4] < best_finish:
                best_finish = times[4]
                best_p = p
                best_front = times[1]
        out_points[e] = best_p
        f = best_front
        c = best_finish
    return c


@njit
def _prefix_states(arrival, pf, pt, pc, points, pre_f, pre_c):
    """States before each event (and after the last) of the column vector ``points``."""
    for e in range(arrival.shape[0]):
        p = points[e]
        times = step(pre_f[e], pre_c[e], arrival[e], pf[e, p], pt[e, p], pc[e, p])
        pre_f[e + 1] = times[1]
        pre_c[e + 1] = times[4]


@njit
def local_search(arrival, pf, pt, pc, npts, points, max_passes, max_steps):
    """First-improvement search over single-event changes of a column vector ``points``.

    Each trial re-runs the recurrence from the stored prefix state and stops as soon as the new
    state is no better than the old one in both times: from there its makespan cannot be
    smaller (the recurrence is monotone). Stops after ``max_steps`` recurrence steps (the time
    budget of the caller). Improves ``points`` in place, returns its makespan.
    """
    steps = 0
    n = arrival.shape[0]
    pre_f = np.zeros(n + 1)
    pre_c = np.zeros(n + 1)
    _prefix_states(arrival, pf, pt, pc, points, pre_f, pre_c)
    best = pre_c[n]
    for _ in range(max_passes):
        improved = False
        for e in range(n):
            for p in range(npts[e]):
                if p == points[e]:
                    continue
                times = step(pre_f[e], pre_c[e], arrival[e], pf[e, p], pt[e, p], pc[e, p])
                f = times[1]
                c = times[4]
                hopeless = False
                for s in range(e + 1, n):
                    if f >= pre_f[s] and c >= pre_c[s]:
                        hopeless = True
                        break
                    q = points[s]
                    times = step(f, c, arrival[s], pf[s, q], pt[s, q], pc[s, q])
                    f = times[1]
                    c = times[4]
                steps += n - e
                if steps > max_steps:
                    return best
                if not hopeless and c < best:
                    points[e] = p
                    _prefix_states(arrival, pf, pt, pc, points, pre_f, pre_c)
                    best = pre_c[n]
                    improved = True
        if not improved:
            break
    return best


@njit
def dive_to_target(arrival, pf, pt, pc, npts, tables, target, max_nodes, out_points):
    """A schedule of makespan at most ``target`` (a value the search proved reachable).

    Depth-first, children in order of their bound, a child dropped when its bound exceeds
    ``target``; every 16 levels DDP's rule tries to finish from the current state. Writes the
    columns to ``out_points`` and returns True when found within ``max_nodes`` nodes.
    """
    n = arrival.shape[0]
    width = pf.shape[1]
    cand = np.zeros((n, width), dtype=np.int64)
    ncand = np.zeros(n, dtype=np.int64)
    ptr = np.zeros(n, dtype=np.int64)
    front = np.zeros(n + 1)
    cloud = np.zeros(n + 1)
    bounds = np.empty(width)
    no_hot = np.zeros(1, dtype=np.int64)
    scratch = np.zeros(n, dtype=np.int64)
    nodes = 0
    depth = 0
    fresh = True
    while True:
        if fresh:
            # children of the state before event ``depth``, by increasing bound
            count = 0
            for p in range(npts[depth]):
                times = step(front[depth], cloud[depth], arrival[depth], pf[depth, p],
                             pt[depth, p], pc[depth, p])
                b = state_bound(depth + 1, times[1], times[4], arrival, tables, np.inf,
                                no_hot)
                if b <= target:
                    cand[depth, count] = p
                    bounds[count] = b
                    count += 1
            order = np.argsort(bounds[:count])
            cand[depth, :count] = cand[depth, :count][order]
            ncand[depth] = count
            ptr[depth] = 0
            fresh = False
        if ptr[depth] < ncand[depth]:
            p = cand[depth, ptr[depth]]
            ptr[depth] += 1
            out_points[depth] = p
            times = step(front[depth], cloud[depth], arrival[depth], pf[depth, p],
                         pt[depth, p], pc[depth, p])
            front[depth + 1] = times[1]
            cloud[depth + 1] = times[4]
            nodes += 1
            if depth + 1 == n:
                if cloud[n] <= target:
                    return True
                continue
            if (depth + 1) % 16 == 0:
                value = complete_greedy(depth + 1, front[depth + 1], cloud[depth + 1], arrival,
                                        pf, pt, pc, npts, scratch)
                if value <= target:
                    out_points[depth + 1:] = scratch[depth + 1:]
                    return True
            if nodes > max_nodes:
                return False
            depth += 1
            fresh = True
        else:
            depth -= 1
            if depth < 0:
                return False
