"""numba kernel of the rolling-horizon policy: the exact best point of one event given the next
events of its window.

A window is the deciding event followed by the next ``W`` events (known or predicted), each with
its own device and unit. ``window_point`` searches every choice of the window's points from the
current free times, level by level, keeping only the non-dominated states: a state is the free
time of each device and unit the window touches, the latest cloud finish of the window so far and
the point given to the deciding event. A state is dropped when another is no later anywhere and
gave the deciding event a point no larger, so the search returns exactly the least latest cloud
finish of the window, ties to the smallest point of the deciding event. Every time comes from
``ddp.recurrence.step``, the one recurrence.
"""

from __future__ import annotations

import numpy as np

from ddp._jit import njit
from ddp.recurrence import step


@njit
def _local_slots(keys, count):
    """Map each of ``keys`` to a slot ``0..`` in order of first appearance."""
    slots = np.empty(keys.shape[0], dtype=np.int64)
    seen = np.empty(keys.shape[0], dtype=np.int64)
    used = 0
    for e in range(keys.shape[0]):
        found = -1
        for s in range(used):
            if seen[s] == keys[e]:
                found = s
                break
        if found < 0:
            seen[used] = keys[e]
            found = used
            used += 1
        slots[e] = found
    return slots, seen[:used]


@njit
def window_point(front_free, cloud_free, arrival, front, trans, cloud, device, unit, kept_index,
                 kept_count):
    """The deciding event's point (the window's row 0) and the window's least latest finish.

    ``front_free`` and ``cloud_free`` are the free times of every device and unit now (not
    changed). ``arrival, device, unit`` (length ``w``) and ``front, trans, cloud`` (``(w, k+1)``)
    describe the window. Rows ``1..w-1`` are searched over their non-dominated points only
    (``kept_index[e, :kept_count[e]]``, from ``solvers.points.dominant_points``: a dropped point
    never gives a smaller latest finish); row 0 over every point, so that ties go to the
    smallest. Returns ``(point, value)``.
    """
    size = arrival.shape[0]
    width = front.shape[1]
    device_slot, devices_used = _local_slots(device, size)
    unit_slot, units_used = _local_slots(unit, size)
    nd = devices_used.shape[0]
    nu = units_used.shape[0]
    dims = nd + nu + 1  # device free times, unit free times, latest cloud finish
    state = np.empty((width, dims))
    first = np.empty(width, dtype=np.int64)
    start = np.empty(dims)
    for k in range(nd):
        start[k] = front_free[devices_used[k]]
    for k in range(nu):
        start[nd + k] = cloud_free[units_used[k]]
    start[dims - 1] = -np.inf
    count = 0
    for p in range(width):
        times = step(start[device_slot[0]], start[nd + unit_slot[0]], arrival[0], front[0, p],
                     trans[0, p], cloud[0, p])
        state[count, :] = start
        state[count, device_slot[0]] = times[1]
        state[count, nd + unit_slot[0]] = times[4]
        state[count, dims - 1] = times[4]
        first[count] = p
        count += 1
    # Branch and bound: the least latest finish of any completed state is an upper bound, and a
    # state whose relaxed completion (each later event at its componentwise least times) already
    # exceeds it cannot win or tie.
    least_front, least_ready, least_cloud = _least_times(front, trans, cloud, kept_index,
                                                         kept_count)
    upper = np.inf
    for s in range(count):
        value = _greedy_completion(state[s], 1, arrival, front, trans, cloud, device_slot,
                                   unit_slot, nd, kept_index, kept_count)
        if value < upper:
            upper = value
    # used_after[e, k]: whether state coordinate k (a device or unit) is used by an event after
    # e; one that is not no longer matters to dominance (only the latest finish does)
    used_after = np.zeros((size, dims), dtype=np.bool_)
    for e in range(size - 2, -1, -1):
        used_after[e, :] = used_after[e + 1, :]
        used_after[e, device_slot[e + 1]] = True
        used_after[e, nd + unit_slot[e + 1]] = True
    used_after[:, dims - 1] = True
    best_point = -1
    best_value = np.inf
    if size == 1:
        for s in range(count):
            value = state[s, dims - 1]
            if value < best_value or (value == best_value and first[s] < best_point):
                best_value = value
                best_point = first[s]
        return best_point, best_value
    count = _prune(state, first, count, used_after[0])
    count = _bound(state, first, count, upper, 1, arrival, least_front, least_ready,
                   least_cloud, device_slot, unit_slot, nd)
    for e in range(1, size - 1):
        ld = device_slot[e]
        lu = nd + unit_slot[e]
        made = count * kept_count[e]
        children = np.empty((made, dims))
        child_first = np.empty(made, dtype=np.int64)
        c = 0
        for s in range(count):
            for col in range(kept_count[e]):
                p = kept_index[e, col]
                times = step(state[s, ld], state[s, lu], arrival[e], front[e, p], trans[e, p],
                             cloud[e, p])
                children[c, :] = state[s, :]
                children[c, ld] = times[1]
                children[c, lu] = times[4]
                if times[4] > children[c, dims - 1]:
                    children[c, dims - 1] = times[4]
                child_first[c] = first[s]
                c += 1
        state = children
        first = child_first
        count = _prune(state, first, made, used_after[e])
        count = _bound(state, first, count, upper, e + 1, arrival, least_front, least_ready,
                       least_cloud, device_slot, unit_slot, nd)
    # the last event: only the latest finish matters, so no states are kept
    e = size - 1
    ld = device_slot[e]
    lu = nd + unit_slot[e]
    for s in range(count):
        for col in range(kept_count[e]):
            p = kept_index[e, col]
            times = step(state[s, ld], state[s, lu], arrival[e], front[e, p], trans[e, p],
                         cloud[e, p])
            value = max(state[s, dims - 1], times[4])
            if value < best_value or (value == best_value and first[s] < best_point):
                best_value = value
                best_point = first[s]
    return best_point, best_value


@njit
def lookahead_plan(arrival, front, trans, cloud, device, unit, kept_index, kept_count, window,
                   begin, front_free, cloud_free, makespan, plan):
    """``lookahead`` with a known future from event ``begin`` on: each event takes
    ``window_point`` of itself and the next ``window`` events, from the free times (changed in
    place). Writes the points to ``plan[begin:]``; returns the makespan including ``makespan``.
    """
    n = arrival.shape[0]
    for e in range(begin, n):
        stop = min(n, e + 1 + window)
        p, _ = window_point(front_free, cloud_free, arrival[e:stop], front[e:stop],
                            trans[e:stop], cloud[e:stop], device[e:stop], unit[e:stop],
                            kept_index[e:stop], kept_count[e:stop])
        times = step(front_free[device[e]], cloud_free[unit[e]], arrival[e], front[e, p],
                     trans[e, p], cloud[e, p])
        front_free[device[e]] = times[1]
        cloud_free[unit[e]] = times[4]
        makespan = max(makespan, times[4])
        plan[e] = p
    return makespan


@njit
def _prune(state, first, count, relevant):
    """Keep the states no other state dominates (compacted to the front); returns how many.

    ``a`` dominates ``b`` when every ``relevant`` coordinate of ``a`` is ``<=`` that of ``b``
    and ``first[a] <= first[b]``; of two equal states the earlier is kept.
    """
    dims = state.shape[1]
    alive = np.ones(count, dtype=np.bool_)
    for b in range(count):
        for a in range(count):
            if a == b or not alive[a] or first[a] > first[b]:
                continue
            dominates = True
            for k in range(dims):
                if relevant[k] and state[a, k] > state[b, k]:
                    dominates = False
                    break
            if dominates and first[a] == first[b]:
                # equal states: the earlier one survives
                equal = True
                for k in range(dims):
                    if relevant[k] and state[a, k] != state[b, k]:
                        equal = False
                        break
                if equal and a > b:
                    dominates = False
            if dominates:
                alive[b] = False
                break
    kept = 0
    for s in range(count):
        if alive[s]:
            if kept != s:
                state[kept, :] = state[s, :]
                first[kept] = first[s]
            kept += 1
    return kept


@njit
def _least_times(front, trans, cloud, kept_index, kept_count):
    """Per event, the least front time, front + transfer time and cloud time over its points."""
    size = front.shape[0]
    least_front = np.full(size, np.inf)
    least_ready = np.full(size, np.inf)
    least_cloud = np.full(size, np.inf)
    for e in range(size):
        for col in range(kept_count[e]):
            p = kept_index[e, col]
            least_front[e] = min(least_front[e], front[e, p])
            least_ready[e] = min(least_ready[e], front[e, p] + trans[e, p])
            least_cloud[e] = min(least_cloud[e], cloud[e, p])
    return least_front, least_ready, least_cloud


@njit
def _greedy_completion(start, begin, arrival, front, trans, cloud, device_slot, unit_slot, nd,
                       kept_index, kept_count):
    """The latest finish when events ``begin..`` each take their least cloud finish (DDP)."""
    state = start.copy()
    dims = state.shape[0]
    for e in range(begin, arrival.shape[0]):
        ld = device_slot[e]
        lu = nd + unit_slot[e]
        best_front = 0.0
        best_finish = np.inf
        for col in range(kept_count[e]):
            p = kept_index[e, col]
            times = step(state[ld], state[lu], arrival[e], front[e, p], trans[e, p],
                         cloud[e, p])
            if times[4] < best_finish:
                best_finish = times[4]
                best_front = times[1]
        state[ld] = best_front
        state[lu] = best_finish
        if best_finish > state[dims - 1]:
            state[dims - 1] = best_finish
    return state[dims - 1]


@njit
def _bound(state, first, count, upper, begin, arrival, least_front, least_ready, least_cloud,
           device_slot, unit_slot, nd):
    """Drop the states whose relaxed completion exceeds ``upper`` (a rounding margin kept)."""
    dims = state.shape[1]
    margin = 1e-9 * max(1.0, abs(upper))
    scratch = np.empty(dims)
    kept = 0
    for s in range(count):
        scratch[:] = state[s, :]
        for e in range(begin, arrival.shape[0]):
            ld = device_slot[e]
            lu = nd + unit_slot[e]
            start_front = max(scratch[ld], arrival[e])
            scratch[ld] = start_front + least_front[e]
            finish = max(start_front + least_ready[e], scratch[lu]) + least_cloud[e]
            scratch[lu] = finish
            if finish > scratch[dims - 1]:
                scratch[dims - 1] = finish
        if scratch[dims - 1] > upper + margin:
            continue
        if kept != s:
            state[kept, :] = state[s, :]
            first[kept] = first[s]
        kept += 1
    return kept
