"""numba kernels of ``bounds.device_bound``: every device searched exactly, the units through the
least cloud work that must follow each event.

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
    width = front.shape[1]
    room = (cap + 1) * width + 1
    free = np.empty((size + 1, cap + 1))
    weighted = np.empty((size + 1, cap + 1))
    parent = np.empty((size + 1, cap + 1), dtype=np.int64)
    column = np.empty((size + 1, cap + 1), dtype=np.int64)
    kept = np.zeros(size + 1, dtype=np.int64)
    free[0, 0] = 0.0
    weighted[0, 0] = 0.0
    kept[0] = 1
    # the Pareto pairs of the points so far (free ascending, weighted descending), one point's
    # pairs, and their union; each as (free, weighted, parent, column)
    merged_free, merged_weighted = np.empty(room), np.empty(room)
    merged_parent, merged_column = np.empty(room, dtype=np.int64), np.empty(room, dtype=np.int64)
    point_free, point_weighted = np.empty(cap + 1), np.empty(cap + 1)
    point_parent = np.empty(cap + 1, dtype=np.int64)
    union_free, union_weighted = np.empty(room), np.empty(room)
    union_parent, union_column = np.empty(room, dtype=np.int64), np.empty(room, dtype=np.int64)
    per_ready = late_weight / z if z > 0 else 0.0
    work = 0
    for q in range(size):
        event = events[q]
        after = later[unit[event], event + 1]
        work += kept[q] * count[event]
        if work > max_work:
            return False, work
        merged = 0
        for point in range(count[event]):
            # the kept pairs are in ascending free time, so this point's front finishes and
            # ready times ascend too: the condition fails from some pair on
            made = 0
            for s in range(kept[q]):
                front_finish = max(free[q, s], arrival[event]) + front[event, point]
                ready = front_finish + trans[event, point]
                if ready + cloud[event, point] + after > z:
                    break
                value = weighted[q, s] + cloud[event, point] * (1.0 + per_ready * ready)
                if made > 0 and value >= point_weighted[made - 1]:
                    continue  # a later free time for no less work
                if made > 0 and point_free[made - 1] == front_finish:
                    made -= 1  # the same free time for less work
                point_free[made] = front_finish
                point_weighted[made] = value
                point_parent[made] = s
                made += 1
            # union with the points before, Pareto pairs only (ties in free time: less work
            # first, so the other one drops)
            a = 0
            b = 0
            united = 0
            lowest = np.inf
            while a < merged or b < made:
                take_merged = b >= made or (
                    a < merged and (merged_free[a] < point_free[b]
                                    or (merged_free[a] == point_free[b]
                                        and merged_weighted[a] <= point_weighted[b])))
                if take_merged:
                    if merged_weighted[a] < lowest:
                        lowest = merged_weighted[a]
                        union_free[united] = merged_free[a]
                        union_weighted[united] = lowest
                        union_parent[united] = merged_parent[a]
                        union_column[united] = merged_column[a]
                        united += 1
                    a += 1
                else:
                    if point_weighted[b] < lowest:
                        lowest = point_weighted[b]
                        union_free[united] = point_free[b]
                        union_weighted[united] = lowest
                        union_parent[united] = point_parent[b]
                        union_column[united] = point
                        united += 1
                    b += 1
            merged = united
            merged_free[:merged] = union_free[:merged]
            merged_weighted[:merged] = union_weighted[:merged]
            merged_parent[:merged] = union_parent[:merged]
            merged_column[:merged] = union_column[:merged]
        if merged == 0:
            return False, work
        # past cap, the cheapest of each group of neighbours (the last of the group: work
        # descends along the pairs)
        stride = (merged + cap - 1) // cap if merged > cap else 1
        stored = 0
        for s in range(0, merged, stride):
            best = min(s + stride, merged) - 1
            free[q + 1, stored] = merged_free[best]
            weighted[q + 1, stored] = merged_weighted[best]
            parent[q + 1, stored] = merged_parent[best]
            column[q + 1, stored] = merged_column[best]
            stored += 1
        kept[q + 1] = stored
    best = 0
    for s in range(kept[size]):
        if weighted[size, s] < weighted[size, best]:
            best = s
    for q in range(size, 0, -1):
        choices[events[q - 1]] = column[q, best]
        best = parent[q, best]
    return True, work
