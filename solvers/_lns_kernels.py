"""numba kernels of the large-neighbourhood search (``lns``): windows of events re-chosen.

Events are given as in ``_dp_kernels`` (kept points padded to ``P`` columns), with their device
and unit. A choice vector is a column per event.

Why a window can be judged exactly: with every choice outside the window fixed, each finish time
after the window is a max-plus expression of the device and unit free times at the window's end
(the recurrence only takes maxima and adds constants), so the makespan is
``max(const, max_d F_d + front_coef[d], max_u C_u + cloud_coef[u])``; ``tail_forms`` computes the
coefficients of every window's end in one backward pass over the fixed events (a sweep's
windows slide forward, and a change inside one window leaves the events after it alone).
"""

from __future__ import annotations

import numpy as np

from ddp._jit import njit
from ddp.recurrence import step

NEG_INF = -np.inf


@njit
def run_events(arrival, kept_front, kept_trans, kept_cloud, device, unit, columns, begin, end,
               front_free, cloud_free):
    """Free times of every device and unit after events ``begin..end-1`` from the given ones
    (written in place)."""
    for e in range(begin, end):
        p = columns[e]
        times = step(front_free[device[e]], cloud_free[unit[e]], arrival[e], kept_front[e, p],
                     kept_trans[e, p], kept_cloud[e, p])
        front_free[device[e]] = times[1]
        cloud_free[unit[e]] = times[4]


@njit
def makespan_of(arrival, kept_front, kept_trans, kept_cloud, device, unit, columns, devices,
                units):
    """Makespan of a column vector (the recurrence, as ``ddp.evaluate``)."""
    front_free = np.zeros(devices)
    cloud_free = np.zeros(units)
    run_events(arrival, kept_front, kept_trans, kept_cloud, device, unit, columns, 0,
               arrival.shape[0], front_free, cloud_free)
    return cloud_free.max() if units > 0 else 0.0


@njit
def tail_forms(arrival, kept_front, kept_trans, kept_cloud, device, unit, columns, stops,
               devices, units):
    """Max-plus forms of the makespan in the free times before each event of ``stops``.

    ``stops`` ascending. Returns ``(front_coef (s, m), cloud_coef (s, u), const (s,))`` such
    that, with events ``stop..n-1`` fixed at ``columns``, the makespan from free times ``F, C``
    is ``max(const, max_d F[d] + front_coef[d], max_u C[u] + cloud_coef[u])``.
    Built backwards from the end, where the makespan is ``max(0, max_u C[u])``: event ``e`` on
    device ``d`` and unit ``u`` turns ``F_d`` into ``max(F_d, a) + f`` and ``C_u`` into
    ``max(C_u, max(F_d, a) + f + t) + c``, so the form before it has ``front_coef[d] = f +
    max(front_coef[d], t + c + cloud_coef[u])``, ``cloud_coef[u] = c + cloud_coef[u]`` and
    ``const`` at least ``a + front_coef[d]``; the other coefficients stay.
    """
    n = arrival.shape[0]
    count = stops.shape[0]
    front_coefs = np.empty((count, devices))
    cloud_coefs = np.empty((count, units))
    consts = np.empty(count)
    front_coef = np.full(devices, NEG_INF)
    cloud_coef = np.zeros(units)
    const = 0.0
    at = count - 1
    for e in range(n, -1, -1):
        if e < n:
            p = columns[e]
            d = device[e]
            u = unit[e]
            through = max(front_coef[d], kept_trans[e, p] + kept_cloud[e, p] + cloud_coef[u])
            front_coef[d] = kept_front[e, p] + through
            cloud_coef[u] = kept_cloud[e, p] + cloud_coef[u]
            const = max(const, arrival[e] + front_coef[d])
        while at >= 0 and stops[at] == e:
            front_coefs[at] = front_coef
            cloud_coefs[at] = cloud_coef
            consts[at] = const
            at -= 1
    return front_coefs, cloud_coefs, consts


@njit
def _finish_value(state_front, state_cloud, local_device, local_unit, front_coef, cloud_coef,
                  outside):
    """The makespan of a window's end state through the tail form."""
    value = outside
    for k in range(local_device.shape[0]):
        value = max(value, state_front[k] + front_coef[local_device[k]])
    for k in range(local_unit.shape[0]):
        value = max(value, state_cloud[k] + cloud_coef[local_unit[k]])
    return value


# share of a window's beam taken at even steps over the children left in order of value, not
# the best: with near-identical events the best fill the beam with near-copies of one partial
# choice (docs/solvers.md has the figures)
WINDOW_SPREAD = 0.25


@njit
def _keep_child(c, kept, child_front, child_cloud, child_parent, child_point, state_front,
                state_cloud, parents, points, offset):
    """Child ``c`` becomes kept state ``kept`` unless a kept state has no later free time
    anywhere; returns the new count of kept states."""
    nd = child_front.shape[1]
    nu = child_cloud.shape[1]
    for s in range(kept):
        better = True
        for k in range(nd):
            if state_front[s, k] > child_front[c, k]:
                better = False
                break
        if better:
            for k in range(nu):
                if state_cloud[s, k] > child_cloud[c, k]:
                    better = False
                    break
        if better:
            return kept
    for k in range(nd):
        state_front[kept, k] = child_front[c, k]
    for k in range(nu):
        state_cloud[kept, k] = child_cloud[c, k]
    parents[offset, kept] = child_parent[c]
    points[offset, kept] = child_point[c]
    return kept + 1


@njit
def window_search(arrival, kept_front, kept_trans, kept_cloud, kept_count, device, unit,
                  columns, start, stop, front_free, cloud_free, front_coef, cloud_coef,
                  tail_const, beam_width, out_columns):
    """Re-choose events ``start..stop-1``, the rest fixed; the best found goes to ``out_columns``.

    ``front_free, cloud_free`` are the free times before ``start`` (``run_events``);
    ``front_coef, cloud_coef, tail_const`` the form of the events from ``stop`` on
    (``tail_forms``). A breadth-first search over the window's events whose states are the free
    times of the devices and units the window uses. A state is dropped when another has no
    later free time anywhere (it can do no better); of the others, in order of the makespan of
    their completion with the current columns, the first ``(1 - WINDOW_SPREAD) * beam_width``
    are kept and the rest of the beam at even steps over those left. With ``beam_width`` at
    least the number of non-dominated states this is exact for the window.
    Returns the makespan of ``out_columns`` through the form (the current columns when nothing
    better is found); the caller re-evaluates what it accepts.
    """
    n = arrival.shape[0]
    devices = front_free.shape[0]
    units = cloud_free.shape[0]
    size = stop - start
    # local indices of the devices and units the window touches
    device_slot = np.full(devices, -1, dtype=np.int64)
    unit_slot = np.full(units, -1, dtype=np.int64)
    local_device = np.empty(size, dtype=np.int64)
    local_unit = np.empty(size, dtype=np.int64)
    nd = 0
    nu = 0
    for e in range(start, stop):
        if device_slot[device[e]] < 0:
            device_slot[device[e]] = nd
            local_device[nd] = device[e]
            nd += 1
        if unit_slot[unit[e]] < 0:
            unit_slot[unit[e]] = nu
            local_unit[nu] = unit[e]
            nu += 1
    local_device = local_device[:nd]
    local_unit = local_unit[:nu]

    # devices and units the window leaves alone contribute a constant
    outside = tail_const
    for d in range(devices):
        if device_slot[d] < 0:
            outside = max(outside, front_free[d] + front_coef[d])
    for u in range(units):
        if unit_slot[u] < 0:
            outside = max(outside, cloud_free[u] + cloud_coef[u])

    width = kept_front.shape[1]
    cap = beam_width * width
    state_front = np.empty((beam_width, nd))
    state_cloud = np.empty((beam_width, nu))
    for k in range(nd):
        state_front[0, k] = front_free[local_device[k]]
    for k in range(nu):
        state_cloud[0, k] = cloud_free[local_unit[k]]
    count = 1
    parents = np.zeros((size, beam_width), dtype=np.int64)
    points = np.zeros((size, beam_width), dtype=np.int64)
    child_front = np.empty((cap, nd))
    child_cloud = np.empty((cap, nu))
    child_parent = np.empty(cap, dtype=np.int64)
    child_point = np.empty(cap, dtype=np.int64)
    child_value = np.empty(cap)
    sim_front = np.empty(nd)
    sim_cloud = np.empty(nu)
    skipped = np.zeros(cap, dtype=np.bool_)
    for offset in range(size):
        e = start + offset
        ld = device_slot[device[e]]
        lu = unit_slot[unit[e]]
        made = 0
        for s in range(count):
            for p in range(kept_count[e]):
                times = step(state_front[s, ld], state_cloud[s, lu], arrival[e],
                             kept_front[e, p], kept_trans[e, p], kept_cloud[e, p])
                for k in range(nd):
                    child_front[made, k] = state_front[s, k]
                for k in range(nu):
                    child_cloud[made, k] = state_cloud[s, k]
                child_front[made, ld] = times[1]
                child_cloud[made, lu] = times[4]
                child_parent[made] = s
                child_point[made] = p
                # value: finish the window with the current columns, then the tail form
                for k in range(nd):
                    sim_front[k] = child_front[made, k]
                for k in range(nu):
                    sim_cloud[k] = child_cloud[made, k]
                for g in range(e + 1, stop):
                    q = columns[g]
                    gd = device_slot[device[g]]
                    gu = unit_slot[unit[g]]
                    t2 = step(sim_front[gd], sim_cloud[gu], arrival[g], kept_front[g, q],
                              kept_trans[g, q], kept_cloud[g, q])
                    sim_front[gd] = t2[1]
                    sim_cloud[gu] = t2[4]
                child_value[made] = _finish_value(sim_front, sim_cloud, local_device,
                                                  local_unit, front_coef, cloud_coef, outside)
                made += 1
        order = np.argsort(child_value[:made], kind="mergesort")
        # the first children by value, then the rest of the beam spread over the children left
        # in order of value; the children skipped fill what room is left (so a beam wide
        # enough keeps every child no kept state dominates, as without the spread)
        head = beam_width - int(WINDOW_SPREAD * beam_width)
        kept = 0
        r = 0
        while r < made and kept < beam_width:
            stride = max(1, (made - r) // (beam_width - kept)) if kept >= head else 1
            for q in range(r + 1, min(r + stride, made)):
                skipped[q] = True
            kept = _keep_child(order[r], kept, child_front, child_cloud, child_parent,
                               child_point, state_front, state_cloud, parents, points, offset)
            r += stride
        for q in range(made):
            if skipped[q]:
                skipped[q] = False
                if kept < beam_width:
                    kept = _keep_child(order[q], kept, child_front, child_cloud, child_parent,
                                       child_point, state_front, state_cloud, parents, points,
                                       offset)
        count = kept
    # least makespan; among equals, the least total of free times (slack for later windows)
    best = 0
    best_value = np.inf
    best_slack = np.inf
    for s in range(count):
        value = _finish_value(state_front[s], state_cloud[s], local_device, local_unit,
                              front_coef, cloud_coef, outside)
        slack = state_front[s].sum() + state_cloud[s].sum()
        if value < best_value or (value == best_value and slack < best_slack):
            best_value = value
            best_slack = slack
            best = s
    for e in range(n):
        out_columns[e] = columns[e]
    index = best
    for offset in range(size - 1, -1, -1):
        out_columns[start + offset] = points[offset, index]
        index = parents[offset, index]
    return best_value
