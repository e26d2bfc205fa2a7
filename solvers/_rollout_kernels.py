"""numba kernels of ``rollout``: the best complete plan of the known future, re-checked at every
event against ``lookahead``'s choice completed by the base policies (DDP, NS, All at Cloud, All
at Front).

A *completion* of point ``p`` for event ``j`` is ``p`` followed by one base policy over the rest
of the events; its value is the makespan. The policy keeps a best plan: it starts from a first
plan given by the caller (``lookahead``'s own schedule, polished, see ``solvers.lookahead``),
replaced by any strictly better completion of a point at event 0 (which include each base
policy run from the start). At each event the window search of ``lookahead`` proposes a point
and its best completion replaces the plan when it is strictly better, or no worse and the plan
gives the event another point. The event takes the plan's point. The followed plan's makespan
never grows, so the final makespan is at most the first plan's and the four base policies'.
(Trying every point's completions where the guide's is worse, as an earlier version did, cost
``O(k n)`` steps a decision and found little once the first plan is polished.) Every time comes
from ``ddp.recurrence.step``.
"""

from __future__ import annotations

import numpy as np

from ddp._jit import njit
from ddp.recurrence import ddp_point, ns_point, step

from ._window_kernels import window_point

BASE_DDP = 0
BASE_NS = 1
BASE_CLOUD = 2
BASE_FRONT = 3
BASES = 4


@njit
def _complete(base, begin, arrival, front, trans, cloud, device, unit, front_free, cloud_free,
              makespan, plan):
    """Run events ``begin..`` with a base policy from the given free times (changed in place);
    their points go to ``plan``. Returns the makespan including ``makespan`` so far."""
    width = front.shape[1]
    for e in range(begin, arrival.shape[0]):
        d = device[e]
        u = unit[e]
        if base == BASE_DDP:
            p = ddp_point(front_free[d], cloud_free[u], arrival[e], front[e], trans[e],
                          cloud[e])[0]
        elif base == BASE_NS:
            p = ns_point(front[e], trans[e], cloud[e])
        elif base == BASE_CLOUD:
            p = 0
        else:
            p = width - 1
        times = step(front_free[d], cloud_free[u], arrival[e], front[e, p], trans[e, p],
                     cloud[e, p])
        front_free[d] = times[1]
        cloud_free[u] = times[4]
        if times[4] > makespan:
            makespan = times[4]
        plan[e] = p
    return makespan


@njit
def _best_completion(j, p, arrival, front, trans, cloud, device, unit, front_free, cloud_free,
                     makespan, trial, trial_front, trial_cloud, best_plan):
    """The least makespan of point ``p`` for event ``j`` then a base policy (its plan to
    ``best_plan[j:]``)."""
    d = device[j]
    u = unit[j]
    first = step(front_free[d], cloud_free[u], arrival[j], front[j, p], trans[j, p], cloud[j, p])
    best = np.inf
    for base in range(BASES):
        trial_front[:] = front_free
        trial_cloud[:] = cloud_free
        trial_front[d] = first[1]
        trial_cloud[u] = first[4]
        trial[j] = p
        value = _complete(base, j + 1, arrival, front, trans, cloud, device, unit, trial_front,
                          trial_cloud, max(makespan, first[4]), trial)
        if value < best:
            best = value
            best_plan[j:] = trial[j:]
    return best


@njit
def _plan_over_every_point(j, arrival, front, trans, cloud, device, unit, front_free, cloud_free,
                           makespan, trial, trial_front, trial_cloud, candidate, plan,
                           plan_value):
    """Event ``j`` at each point, completed as ``_best_completion`` does: ``plan`` takes the
    first completion better than ``plan_value``; returns the plan's value."""
    for p in range(front.shape[1]):
        value = _best_completion(j, p, arrival, front, trans, cloud, device, unit, front_free,
                                 cloud_free, makespan, trial, trial_front, trial_cloud,
                                 candidate)
        if value < plan_value:
            plan_value = value
            plan[j:] = candidate[j:]
    return plan_value


@njit
def split_plan(arrival, front, trans, cloud, device, unit, devices, units, plan):
    """The best plan of the form "All at Cloud before event ``s``, All at Front from ``s``" over
    every ``s`` (the least ``s`` among equal makespans): a start for plans where the cloud takes
    the early events and the devices the last ones. Writes it to ``plan``; returns its makespan.
    """
    n = arrival.shape[0]
    width = front.shape[1]
    prefix_front = np.zeros(devices)
    prefix_cloud = np.zeros(units)
    trial_front = np.empty(devices)
    trial_cloud = np.empty(units)
    trial = np.zeros(n, dtype=np.int64)
    prefix_makespan = 0.0
    best = np.inf
    best_split = 0
    for split in range(n + 1):
        trial_front[:] = prefix_front
        trial_cloud[:] = prefix_cloud
        value = _complete(BASE_FRONT, split, arrival, front, trans, cloud, device, unit,
                          trial_front, trial_cloud, prefix_makespan, trial)
        if value < best:
            best = value
            best_split = split
        if split < n:  # event ``split`` joins the All at Cloud prefix
            stop = split + 1
            prefix_makespan = _complete(BASE_CLOUD, split, arrival[:stop], front[:stop],
                                        trans[:stop], cloud[:stop], device[:stop], unit[:stop],
                                        prefix_front, prefix_cloud, prefix_makespan, trial)
    for e in range(n):
        plan[e] = 0 if e < best_split else width - 1
    return best


@njit
def rollout_choices(arrival, front, trans, cloud, device, unit, devices, units, kept_index,
                    kept_count, window, plan, plan_value):
    """The points of ``rollout`` on a whole (known) instance, guided by windows of ``window``
    events after each one (``kept_*``: the non-dominated points, as ``lookahead``), from the
    first plan ``plan`` (changed in place) of makespan ``plan_value``."""
    n = front.shape[0]
    choices = np.zeros(n, dtype=np.int64)
    candidate = np.zeros(n, dtype=np.int64)
    trial = np.zeros(n, dtype=np.int64)
    front_free = np.zeros(devices)
    cloud_free = np.zeros(units)
    trial_front = np.empty(devices)
    trial_cloud = np.empty(units)
    makespan = 0.0
    if n > 0:  # the first plan, or a strictly better completion of a point of event 0
        plan_value = _plan_over_every_point(0, arrival, front, trans, cloud, device, unit,
                                            front_free, cloud_free, makespan, trial,
                                            trial_front, trial_cloud, candidate, plan,
                                            plan_value)
    for j in range(n):
        stop = min(n, j + 1 + window)
        guide, _ = window_point(front_free, cloud_free, arrival[j:stop], front[j:stop],
                                trans[j:stop], cloud[j:stop], device[j:stop], unit[j:stop],
                                kept_index[j:stop], kept_count[j:stop])
        value = _best_completion(j, guide, arrival, front, trans, cloud, device, unit,
                                 front_free, cloud_free, makespan, trial, trial_front,
                                 trial_cloud, candidate)
        # a guide that agrees with the plan replaces it only by a strictly better completion
        if value < plan_value or (value == plan_value and guide != plan[j]):
            plan_value = value
            plan[j:] = candidate[j:]
        p = plan[j]
        choices[j] = p
        d = device[j]
        u = unit[j]
        times = step(front_free[d], cloud_free[u], arrival[j], front[j, p], trans[j, p],
                     cloud[j, p])
        front_free[d] = times[1]
        cloud_free[u] = times[4]
        if times[4] > makespan:
            makespan = times[4]
    return choices
