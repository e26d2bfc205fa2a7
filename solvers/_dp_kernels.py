"""numba kernels of the ``dp`` search (one device, one cloud unit); bounds in ``_dp_bounds``.

The events of one component are given as plain contiguous arrays: ``arrival (n,)`` and the
non-dominated points of each event, padded to ``P`` columns: ``kept_front, kept_trans,
kept_cloud (n, P)`` (front, transmission, cloud time), ``point_count (n,)`` how many columns are
real. A state before event ``j`` is ``(F, C)``: when the device and the cloud unit are free.
Every finish time is computed with ``ddp.recurrence.step``, so a complete path's ``C`` is bit
for bit the makespan ``ddp.evaluate`` gives for the same choices.
"""

from __future__ import annotations

import numpy as np

from ddp._jit import njit
from ddp.recurrence import step

from ._dp_bounds import state_bound


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
def expand_stage(j, front_in, cloud_in, arrival, kept_front, kept_trans, kept_cloud, point_count,
                 tables, threshold,
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
        for p in range(point_count[j]):
            least_ready = min(least_ready, (x + kept_front[j, p]) + kept_trans[j, p])
        norm_front[s] = x
        norm_cloud[s] = max(cloud_in[s], least_ready)
    keep = np.empty(size, dtype=np.int64)
    kept = _pareto_groups(norm_front, norm_cloud, np.arange(size), size, keep)

    width = point_count[j]
    total = kept * width
    child_front = np.empty(total)
    child_cloud = np.empty(total)
    for r in range(kept):
        s = keep[r]
        for p in range(width):
            times = step(norm_front[s], norm_cloud[s], a, kept_front[j, p], kept_trans[j, p],
                         kept_cloud[j, p])
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
def complete_greedy(j, front_free, cloud_free, arrival, kept_front, kept_trans, kept_cloud,
                    point_count, out_points):
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
        for p in range(point_count[e]):
            times = step(f, c, arrival[e], kept_front[e, p], kept_trans[e, p], kept_cloud[e, p])
            if times[4] < best_finish:
                best_finish = times[4]
                best_p = p
                best_front = times[1]
        out_points[e] = best_p
        f = best_front
        c = best_finish
    return c


@njit
def _prefix_states(arrival, kept_front, kept_trans, kept_cloud, points, pre_f, pre_c):
    """States before each event (and after the last) of the column vector ``points``."""
    for e in range(arrival.shape[0]):
        p = points[e]
        times = step(pre_f[e], pre_c[e], arrival[e], kept_front[e, p], kept_trans[e, p],
                     kept_cloud[e, p])
        pre_f[e + 1] = times[1]
        pre_c[e + 1] = times[4]


@njit
def local_search(arrival, kept_front, kept_trans, kept_cloud, point_count, points, max_passes,
                 max_steps):
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
    _prefix_states(arrival, kept_front, kept_trans, kept_cloud, points, pre_f, pre_c)
    best = pre_c[n]
    for _ in range(max_passes):
        improved = False
        for e in range(n):
            for p in range(point_count[e]):
                if p == points[e]:
                    continue
                times = step(pre_f[e], pre_c[e], arrival[e], kept_front[e, p], kept_trans[e, p],
                             kept_cloud[e, p])
                f = times[1]
                c = times[4]
                hopeless = False
                for s in range(e + 1, n):
                    if f >= pre_f[s] and c >= pre_c[s]:
                        hopeless = True
                        break
                    q = points[s]
                    times = step(f, c, arrival[s], kept_front[s, q], kept_trans[s, q],
                                 kept_cloud[s, q])
                    f = times[1]
                    c = times[4]
                steps += n - e
                if steps > max_steps:
                    return best
                if not hopeless and c < best:
                    points[e] = p
                    _prefix_states(arrival, kept_front, kept_trans, kept_cloud, points, pre_f,
                                   pre_c)
                    best = pre_c[n]
                    improved = True
        if not improved:
            break
    return best


@njit
def dive_to_target(arrival, kept_front, kept_trans, kept_cloud, point_count, tables, target,
                   max_nodes, out_points):
    """A schedule of makespan at most ``target`` (a value the search proved reachable).

    Depth-first, children in order of their bound, a child dropped when its bound exceeds
    ``target``; every 16 levels DDP's rule tries to finish from the current state. Writes the
    columns to ``out_points`` and returns True when found within ``max_nodes`` nodes.
    """
    n = arrival.shape[0]
    width = kept_front.shape[1]
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
            for p in range(point_count[depth]):
                times = step(front[depth], cloud[depth], arrival[depth], kept_front[depth, p],
                             kept_trans[depth, p], kept_cloud[depth, p])
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
            times = step(front[depth], cloud[depth], arrival[depth], kept_front[depth, p],
                         kept_trans[depth, p], kept_cloud[depth, p])
            front[depth + 1] = times[1]
            cloud[depth + 1] = times[4]
            nodes += 1
            if depth + 1 == n:
                if cloud[n] <= target:
                    return True
                continue
            if (depth + 1) % 16 == 0:
                value = complete_greedy(depth + 1, front[depth + 1], cloud[depth + 1], arrival,
                                        kept_front, kept_trans, kept_cloud, point_count, scratch)
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
