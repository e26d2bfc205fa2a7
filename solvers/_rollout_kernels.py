"""numba kernel of the fortified rollout: each event's point chosen by completing the known
future with the base policies (DDP, NS, All at Cloud, All at Front) from every point.

At event ``j`` every point ``p`` is tried, and after it the remaining events are run by each base
policy; the best ``(p, base)`` completion is a complete plan. The policy keeps the best plan seen
so far and replaces it only by a strictly better one, so it follows a plan whose makespan never
grows: the final makespan is at most that of the best plan at event 0, which includes each base
policy run from the start (``p`` its own choice). Every time comes from ``ddp.recurrence.step``.
"""

from __future__ import annotations

import numpy as np

from ddp._jit import njit
from ddp.recurrence import ddp_point, ns_point, step

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
            p = ddp_point(front_free[d], cloud_free[u], arrival[e], front[e], trans[e], cloud[e])
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
def rollout_choices(arrival, front, trans, cloud, device, unit, devices, units):
    """The points of the fortified rollout on a whole (known) instance."""
    n, width = front.shape
    choices = np.zeros(n, dtype=np.int64)
    plan = np.zeros(n, dtype=np.int64)
    trial = np.zeros(n, dtype=np.int64)
    plan_value = np.inf
    front_free = np.zeros(devices)
    cloud_free = np.zeros(units)
    trial_front = np.empty(devices)
    trial_cloud = np.empty(units)
    makespan = 0.0
    for j in range(n):
        d = device[j]
        u = unit[j]
        for p in range(width):
            first = step(front_free[d], cloud_free[u], arrival[j], front[j, p], trans[j, p],
                         cloud[j, p])
            for base in range(BASES):
                trial_front[:] = front_free
                trial_cloud[:] = cloud_free
                trial_front[d] = first[1]
                trial_cloud[u] = first[4]
                trial[j] = p
                value = _complete(base, j + 1, arrival, front, trans, cloud, device, unit,
                                  trial_front, trial_cloud, max(makespan, first[4]), trial)
                if value < plan_value:
                    plan_value = value
                    plan[j:] = trial[j:]
        p = plan[j]
        choices[j] = p
        times = step(front_free[d], cloud_free[u], arrival[j], front[j, p], trans[j, p],
                     cloud[j, p])
        front_free[d] = times[1]
        cloud_free[u] = times[4]
        if times[4] > makespan:
            makespan = times[4]
    return choices
