"""numba kernels of ``devices``: every device searched exactly, the units through the least
cloud work that must follow each event (the device bound and the fits to it), or through the
other events' fixed times (the refits, ``refitted_choices``).

A schedule of makespan at most ``z`` has, for every event ``j`` on unit ``u`` at point ``p``,
``R_j + C_jp + W_u(j + 1) <= z``: the unit serves its events in order, so all the cloud work of
``u``'s later events (``W_u(j + 1)``, ``j + 1`` onwards) comes after ``j``'s. Any lower bound
``later[u, i] <= W_u(i)`` keeps that condition necessary. For one device alone, ignoring every
wait for a unit, the condition and the device's own queue leave a set of choice vectors whose
least cloud work from each of its events on is found exactly, by a backward pass over step
functions of the device's free time; the sum over devices of those least works is a larger
valid ``later``. Repeating until nothing grows either ends with a device that has no choice
vector left (no schedule reaches ``z``: OPT is above it) or at a fixed point (nothing proven).

Where the relaxation of ``lp`` lets each event be split between its device and the unit, this
keeps every device's choices whole: it is the stronger bound when many devices with few events
each share a unit and a device's last events decide the makespan.
"""

from __future__ import annotations

import numpy as np

from ddp._jit import njit

FEASIBLE = 0  # the fixed point was reached: nothing proven at this z
INFEASIBLE = 1  # some device has no choice vector left: every schedule's makespan exceeds z
OUT_OF_WORK = 2  # the work budget ran out first: nothing proven


@njit
def _merge_pareto(first_thresholds, first_values, first_count, second_thresholds, second_values,
                  second_count, out_thresholds, out_values):
    """The Pareto pairs of two lists sorted by descending threshold (values descending too):
    every pair whose value is below that of each pair of at least its threshold, written to
    ``out``; returns how many."""
    a = 0
    b = 0
    made = 0
    lowest = np.inf
    while a < first_count or b < second_count:
        take_first = b >= second_count or (
            a < first_count and (first_thresholds[a] > second_thresholds[b]
                                 or (first_thresholds[a] == second_thresholds[b]
                                     and first_values[a] <= second_values[b])))
        if take_first:
            threshold, value = first_thresholds[a], first_values[a]
            a += 1
        else:
            threshold, value = second_thresholds[b], second_values[b]
            b += 1
        if value < lowest:
            lowest = value
            out_thresholds[made] = threshold
            out_values[made] = value
            made += 1
    return made


@njit
def least_free_times(arrival, front, trans, cloud, count, events, unit, later, z, least_free):
    """The least free time of one device before each of its ``events`` over the choices that
    meet every event's condition (module docstring), written to ``least_free``; False when
    some event has no such choice from the least free time (then none has any)."""
    free = 0.0
    for q in range(events.shape[0]):
        least_free[q] = free
        event = events[q]
        start = max(free, arrival[event])
        after = later[unit[event], event + 1]
        best = np.inf
        for point in range(count[event]):
            front_finish = start + front[event, point]
            if (front_finish + trans[event, point] + cloud[event, point] + after <= z
                    and front_finish < best):
                best = front_finish
        if best == np.inf:
            return False
        free = best
    return True


@njit
def least_work_after(arrival, front, trans, cloud, count, events, unit, counted_unit, later, z,
                     cap, least, least_free, scratch):
    """Least cloud work on ``counted_unit`` of one device's ``events[q:]``, for every ``q``.

    Writes it to ``least[q]``, as the least over the choice vectors that satisfy every event's
    condition (module docstring) from the device's least reachable free time before ``events[q]``
    (``least_free``, from ``least_free_times``; the least is non-decreasing in the free time).
    Step functions of the free time are held as pairs (threshold, value), thresholds and values
    both descending: the least work from a free time ``f`` is the last value whose threshold is
    at least ``f``. The eight arrays of ``scratch`` are work space. Past ``cap`` pairs, groups of
    neighbours merge into (largest threshold, least value): never above the true least, so the
    bound stays valid, only weaker. Returns ``(feasible, pair operations done)``.
    """
    size = events.shape[0]
    (thresholds, values, next_thresholds, next_values, point_thresholds, point_values,
     union_thresholds, union_values) = scratch
    # backward: the step function of the least work from each event on
    pairs = 1
    thresholds[0] = np.inf
    values[0] = 0.0
    work = 0
    for q in range(size - 1, -1, -1):
        event = events[q]
        after = later[unit[event], event + 1]
        cost_on = unit[event] == counted_unit
        # each point's pairs come out in the order of the current ones (both descending):
        # merge them into the points' union one point at a time, keeping the Pareto pairs
        merged = 0
        for point in range(count[event]):
            latest_start = (z - after - front[event, point] - trans[event, point]
                            - cloud[event, point])
            cost = cloud[event, point] if cost_on else 0.0
            made = 0
            for s in range(pairs):
                threshold = min(thresholds[s] - front[event, point], latest_start)
                if threshold < arrival[event]:
                    break  # thresholds only fall from here
                if made > 0 and point_thresholds[made - 1] == threshold:
                    made -= 1  # clipped to the same start: the later pair's value is lower
                point_thresholds[made] = threshold
                point_values[made] = values[s] + cost
                made += 1
            work += pairs
            merged = _merge_pareto(next_thresholds, next_values, merged, point_thresholds,
                                   point_values, made, union_thresholds, union_values)
            next_thresholds[:merged] = union_thresholds[:merged]
            next_values[:merged] = union_values[:merged]
        if merged == 0:
            return False, work
        pairs = merged
        thresholds[:pairs] = next_thresholds[:pairs]
        values[:pairs] = next_values[:pairs]
        if pairs > cap:
            stride = (pairs + cap - 1) // cap
            merged = 0
            for s in range(0, pairs, stride):
                thresholds[merged] = thresholds[s]
                values[merged] = values[min(s + stride, pairs) - 1]
                merged += 1
            pairs = merged
        value = np.inf
        for s in range(pairs):
            if thresholds[s] < least_free[q]:
                break
            value = values[s]
        if value == np.inf:
            return False, work
        least[q] = value
    return True, work


@njit
def later_work_fixed_point(arrival, front, trans, cloud, count, device_start, device_events,
                           unit, units, z, later, cap, max_rounds, max_work):
    """Raise ``later`` (units, n + 1; updated in place) to the fixed point at makespan ``z``.

    ``device_events[device_start[d]:device_start[d + 1]]`` are device ``d``'s events in order.
    Returns ``(status, work)``: ``INFEASIBLE`` when some device has no choice vector left (every
    schedule's makespan exceeds ``z``), ``FEASIBLE`` at the fixed point or after ``max_rounds``,
    ``OUT_OF_WORK`` past ``max_work`` pair operations.
    """
    n = arrival.shape[0]
    width = front.shape[1]
    size = (cap + 1) * width + 1
    scratch = (np.empty(size), np.empty(size), np.empty(size), np.empty(size), np.empty(size),
               np.empty(size), np.empty(size), np.empty(size))
    least = np.empty(n)
    least_free = np.empty(n)
    seen = np.zeros(units, dtype=np.bool_)
    work = 0
    for _ in range(max_rounds):
        # summed[u, i]: sum over devices of their least work on u from their first event >= i,
        # built as differences over the index ranges each device's value covers
        summed = np.zeros((units, n + 2))
        for d in range(device_start.shape[0] - 1):
            events = device_events[device_start[d]:device_start[d + 1]]
            if not least_free_times(arrival, front, trans, cloud, count, events, unit, later,
                                    z, least_free):
                work += events.shape[0]
                return INFEASIBLE, work
            seen[:] = False
            for event in events:
                seen[unit[event]] = True
            for counted_unit in range(units):
                if not seen[counted_unit]:
                    continue
                feasible, done = least_work_after(
                    arrival, front, trans, cloud, count, events, unit, counted_unit, later, z,
                    cap, least, least_free, scratch)
                work += done
                if not feasible:
                    return INFEASIBLE, work
                if work > max_work:
                    return OUT_OF_WORK, work
                covered = 0  # least[q] holds for the indices covered .. events[q]
                for q in range(events.shape[0]):
                    summed[counted_unit, covered] += least[q]
                    summed[counted_unit, events[q] + 1] -= least[q]
                    covered = events[q] + 1
        grown = False
        for u in range(units):
            running = 0.0
            for i in range(n + 1):
                running += summed[u, i]
                if running > later[u, i] * (1 + 1e-12) + 1e-12:
                    later[u, i] = running
                    grown = True
        if not grown:
            return FEASIBLE, work
    return FEASIBLE, work


@njit
def _extend_pareto(free, values, size, arrival, front_row, trans_row, cloud_row, count, limit,
                   per_ready, chained, cap, scratch, index_scratch, out_free, out_values,
                   out_parent, out_column):
    """One event's step of a forward search over (free time, value) pairs, ascending free time
    and descending value (the Pareto ones): each pair extended by each point whose ready time
    plus cloud time stays within ``limit``, the new Pareto pairs kept, past ``cap`` the last
    (least value) of each group of neighbours. The value of a pair extended by a point is
    ``value + C * (1 + per_ready * ready)`` (weighted work), or, ``chained``, the unit's free
    time after it, ``max(ready, value) + C``. Writes ``out_*`` (the parent pair and point of each)
    and returns how many it kept (0: no point meets ``limit``)."""
    merged_free, merged_values, point_free, point_values, union_free, union_values = scratch
    merged_parent, merged_column, point_parent, union_parent, union_column = index_scratch
    merged = 0
    for point in range(count):
        # the pairs are in ascending free time, so this point's front finishes and ready times
        # ascend too: the limit fails from some pair on
        made = 0
        for s in range(size):
            front_finish = max(free[s], arrival) + front_row[point]
            ready = front_finish + trans_row[point]
            if ready + cloud_row[point] > limit:
                break
            if chained:
                value = max(ready, values[s]) + cloud_row[point]
            else:
                value = values[s] + cloud_row[point] * (1.0 + per_ready * ready)
            if made > 0 and value >= point_values[made - 1]:
                continue  # a later free time for no less
            if made > 0 and point_free[made - 1] == front_finish:
                made -= 1  # the same free time for less
            point_free[made] = front_finish
            point_values[made] = value
            point_parent[made] = s
            made += 1
        # union with the points before, Pareto pairs only (ties in free time: the lesser value
        # first, so the other one drops)
        a = 0
        b = 0
        united = 0
        lowest = np.inf
        while a < merged or b < made:
            take_merged = b >= made or (
                a < merged and (merged_free[a] < point_free[b]
                                or (merged_free[a] == point_free[b]
                                    and merged_values[a] <= point_values[b])))
            if take_merged:
                if merged_values[a] < lowest:
                    lowest = merged_values[a]
                    union_free[united] = merged_free[a]
                    union_values[united] = lowest
                    union_parent[united] = merged_parent[a]
                    union_column[united] = merged_column[a]
                    united += 1
                a += 1
            else:
                if point_values[b] < lowest:
                    lowest = point_values[b]
                    union_free[united] = point_free[b]
                    union_values[united] = lowest
                    union_parent[united] = point_parent[b]
                    union_column[united] = point
                    united += 1
                b += 1
        merged = united
        merged_free[:merged] = union_free[:merged]
        merged_values[:merged] = union_values[:merged]
        merged_parent[:merged] = union_parent[:merged]
        merged_column[:merged] = union_column[:merged]
    stride = (merged + cap - 1) // cap if merged > cap else 1
    stored = 0
    for s in range(0, merged, stride):
        best = min(s + stride, merged) - 1
        out_free[stored] = merged_free[best]
        out_values[stored] = merged_values[best]
        out_parent[stored] = merged_parent[best]
        out_column[stored] = merged_column[best]
        stored += 1
    return stored


@njit
def _search_space(steps, cap, width):
    """The arrays of a forward search of ``steps`` events: per step (free, value, parent,
    column, pairs kept), and the scratch of ``_extend_pareto``."""
    room = (cap + 1) * width + 1
    free = np.empty((steps + 1, cap + 1))
    values = np.empty((steps + 1, cap + 1))
    parent = np.empty((steps + 1, cap + 1), dtype=np.int64)
    column = np.empty((steps + 1, cap + 1), dtype=np.int64)
    kept = np.zeros(steps + 1, dtype=np.int64)
    free[0, 0] = 0.0
    values[0, 0] = 0.0
    kept[0] = 1
    scratch = (np.empty(room), np.empty(room), np.empty(cap + 1), np.empty(cap + 1),
               np.empty(room), np.empty(room))
    index_scratch = (np.empty(room, dtype=np.int64), np.empty(room, dtype=np.int64),
                     np.empty(cap + 1, dtype=np.int64), np.empty(room, dtype=np.int64),
                     np.empty(room, dtype=np.int64))
    return free, values, parent, column, kept, scratch, index_scratch


@njit
def _trace_back(values, parent, column, kept, events, choices):
    """The choices of the pair of least value at the last step, written for ``events``."""
    steps = events.shape[0]
    best = 0
    for s in range(kept[steps]):
        if values[steps, s] < values[steps, best]:
            best = s
    least = values[steps, best]
    for q in range(steps, 0, -1):
        choices[events[q - 1]] = column[q, best]
        best = parent[q, best]
    return least


@njit
def fitted_choices(arrival, front, trans, cloud, count, events, unit, later, z, cap,
                   late_weight, max_work, choices):
    """One device's choices fitted to makespan ``z``: among its choice vectors that meet every
    event's condition (module docstring), one of least cloud work, each event's work weighted
    by ``1 + late_weight * R / z`` (work that reaches the unit late delays more of the others).

    A forward search over (free time, weighted work) pairs, the Pareto ones kept, at most
    ``cap`` (the cheapest of each group of neighbours beyond it: a heuristic, not exact).
    Writes the choices (kept columns) of ``events`` into ``choices``. Returns ``(found, pair
    operations done)``: not found when none meets the conditions or the work passed
    ``max_work`` first.
    """
    size = events.shape[0]
    free, weighted, parent, column, kept, scratch, index_scratch = _search_space(
        size, cap, front.shape[1])
    per_ready = late_weight / z if z > 0 else 0.0
    work = 0
    for q in range(size):
        event = events[q]
        work += kept[q] * count[event]
        if work > max_work:
            return False, work
        kept[q + 1] = _extend_pareto(
            free[q], weighted[q], kept[q], arrival[event], front[event], trans[event],
            cloud[event], count[event], z - later[unit[event], event + 1], per_ready, False,
            cap, scratch, index_scratch, free[q + 1], weighted[q + 1], parent[q + 1],
            column[q + 1])
        if kept[q + 1] == 0:
            return False, work
    _trace_back(weighted, parent, column, kept, events, choices)
    return True, work


@njit
def refitted_choices(arrival, front, trans, cloud, count, events, passing_ready, passing_cloud,
                     cap, max_work, choices):
    """One device's choices that leave its unit free soonest, every other event on the unit
    fixed: ``events`` are the device's, all on that unit; ``passing_ready[j]`` and
    ``passing_cloud[j]`` are the ready and cloud times of the unit's other events (their
    devices do not depend on this one), ``passing_ready[j] < 0`` for the events of other units.
    A forward search over (device free time, unit free time) pairs (the recurrence is monotone
    in both, so the Pareto ones suffice: exact below ``cap`` pairs). Writes the choices (kept
    columns) of ``events`` into ``choices``; returns ``(the unit's last finish, pair operations
    done)``, ``inf`` when the work passed ``max_work`` first (nothing written).
    """
    size = events.shape[0]
    free, unit_free, parent, column, kept, scratch, index_scratch = _search_space(
        size, cap, front.shape[1])
    work = 0
    passing = 0
    for q in range(size + 1):
        # the unit's other events up to this one (after the device's last, to the end)
        stop = events[q] if q < size else arrival.shape[0]
        while passing < stop:
            if passing_ready[passing] >= 0:
                for s in range(kept[q]):
                    unit_free[q, s] = (max(passing_ready[passing], unit_free[q, s])
                                       + passing_cloud[passing])
                work += kept[q]
            passing += 1
        if q == size:
            break
        passing += 1  # the device's own event
        event = events[q]
        work += kept[q] * count[event]
        if work > max_work:
            return np.inf, work
        kept[q + 1] = _extend_pareto(
            free[q], unit_free[q], kept[q], arrival[event], front[event], trans[event],
            cloud[event], count[event], np.inf, 0.0, True, cap, scratch, index_scratch,
            free[q + 1], unit_free[q + 1], parent[q + 1], column[q + 1])
    return _trace_back(unit_free, parent, column, kept, events, choices), work
