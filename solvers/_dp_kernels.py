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


@njit(inline="always")
def _sweep_in(front, cloud, index, size, f, c, i):
    """Add child ``(f, c)`` (label ``i``) to the Pareto set ``front, cloud, index[:size]``
    that a sweep by non-decreasing F is building; returns the new size.

    On equal F the lower C replaces the last entry (it then beats every earlier one too); a C
    not strictly below the last kept one is dominated.
    """
    if size > 0 and c >= cloud[size - 1]:
        return size
    if size > 0 and f == front[size - 1]:
        size -= 1
    front[size] = f
    cloud[size] = c
    index[size] = i
    return size + 1


@njit
def _merge_fronts(front_a, cloud_a, index_a, size_a, front_b, cloud_b, index_b, size_b):
    """The Pareto set of two Pareto sets (each by increasing F, decreasing C), by increasing F.

    A two-way merge by F (on equal F the lower C first, on equal F and C the entry of ``a``)
    feeding ``_sweep_in``. Returns ``(front, cloud, index, size)``.
    """
    front = np.empty(size_a + size_b)
    cloud = np.empty(size_a + size_b)
    index = np.empty(size_a + size_b, dtype=np.int64)
    size = 0
    a = 0
    b = 0
    while a < size_a or b < size_b:
        if b >= size_b or (a < size_a and (front_a[a] < front_b[b] or (
                front_a[a] == front_b[b] and cloud_a[a] <= cloud_b[b]))):
            size = _sweep_in(front, cloud, index, size, front_a[a], cloud_a[a], index_a[a])
            a += 1
        else:
            size = _sweep_in(front, cloud, index, size, front_b[b], cloud_b[b], index_b[b])
            b += 1
    return front, cloud, index, size


@njit
def expand_stage(j, front_in, cloud_in, arrival, kept_front, kept_trans, kept_cloud, point_count,
                 tables, threshold, full_bound):
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

    # The children of each point, over parents by increasing F, come by non-decreasing F:
    # each such run is swept to its Pareto set as it is made, then merged into the set of the
    # runs before it. Most children are dominated on the spot; nothing proportional to
    # parents x points is held, and every pass reads its arrays in order.
    width = point_count[j]
    child_front = np.empty(0)
    child_cloud = np.empty(0)
    child_index = np.empty(0, dtype=np.int64)
    alive = 0
    run_front = np.empty(kept)
    run_cloud = np.empty(kept)
    run_index = np.empty(kept, dtype=np.int64)
    for p in range(width):
        run_size = 0
        for r in range(kept):
            s = keep[r]
            times = step(norm_front[s], norm_cloud[s], a, kept_front[j, p], kept_trans[j, p],
                         kept_cloud[j, p])
            run_size = _sweep_in(run_front, run_cloud, run_index, run_size, times[1], times[4],
                                 r * width + p)
        child_front, child_cloud, child_index, alive = _merge_fronts(
            child_front, child_cloud, child_index, alive, run_front, run_cloud, run_index,
            run_size)
    pruned_bound = np.inf
    survivors = np.empty(alive, dtype=np.int64)
    out_bound = np.zeros(alive)
    count = 0
    for r in range(alive):
        b = state_bound(j + 1, child_front[r], child_cloud[r], arrival, tables, threshold)
        if b >= threshold:
            pruned_bound = min(pruned_bound, b)
            continue
        if full_bound:
            out_bound[count] = state_bound(j + 1, child_front[r], child_cloud[r], arrival,
                                           tables, np.inf)
        survivors[count] = r
        count += 1
    survivors = survivors[:count]
    parent = np.empty(count, dtype=np.int64)
    point = np.empty(count, dtype=np.int64)
    for r in range(count):
        label = child_index[survivors[r]]
        parent[r] = keep[label // width]
        point[r] = label % width
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
                b = state_bound(depth + 1, times[1], times[4], arrival, tables, np.inf)
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
