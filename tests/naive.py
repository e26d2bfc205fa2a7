"""Slow, obviously correct plain-Python references for the tests.

Everything here is written straight from ``docs/model.md`` with Python floats and lists, and
shares no code with ``ddp`` (it reads an instance's arrays and nothing else), so a kernel test that
compares ``ddp`` with these functions compares two independent implementations. The arithmetic is
done in the order the spec writes it (``max(F(d), a) + F + T``, left to right), which is the order
of IEEE operations in the kernel as well: results are compared exactly, not approximately.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

EVENT_TIMES = ("start_front", "finish_front", "ready", "start_cloud", "finish_cloud")


@dataclass
class NaiveSchedule:
    """Per-event times as plain lists, and the makespan."""

    choices: list[int]
    start_front: list[float]
    finish_front: list[float]
    ready: list[float]
    start_cloud: list[float]
    finish_cloud: list[float]
    makespan: float


def rows(inst, j: int) -> tuple[list[float], list[float], list[float]]:
    """The three time rows of event ``j`` as Python floats."""
    return ([float(v) for v in inst.front[j]], [float(v) for v in inst.trans[j]],
            [float(v) for v in inst.cloud[j]])


def ddp_point(front_free: float, cloud_free: float, arrival: float, front: list[float],
              trans: list[float], cloud: list[float]) -> int:
    """DDP's choice for one event: ``argmin_i max(max(F(d), a) + F_i + T_i, C(u)) + C_i``.

    Ties go to the smallest ``i`` (``min`` over ``(value, i)`` pairs).
    """
    start = max(front_free, arrival)
    values = [max(start + front[i] + trans[i], cloud_free) + cloud[i] for i in range(len(front))]
    return min(range(len(values)), key=lambda i: (values[i], i))


def ns_point(front: list[float], trans: list[float], cloud: list[float]) -> int:
    """Neurosurgeon's choice for one event alone: ``argmin_i F_i + T_i + C_i``, ties smallest."""
    values = [front[i] + trans[i] + cloud[i] for i in range(len(front))]
    return min(range(len(values)), key=lambda i: (values[i], i))


def qa_point(front_free: float, cloud_free: float, arrival: float, front: list[float],
             trans: list[float], cloud: list[float]) -> int:
    """The queue-aware choice: ``argmin_i max(Z_i, Z'_i)`` with ``Z_i`` the event's cloud finish
    with point ``i`` and ``Z'_i`` DDP's cloud finish of a copy of the event arriving at the same
    time, from the state point ``i`` leaves. Ties go to the smallest ``i``."""
    values = []
    for i in range(len(front)):
        finish_front = max(front_free, arrival) + front[i]
        finish = max(finish_front + trans[i], cloud_free) + cloud[i]
        copy_start = max(finish_front, arrival)
        copy = min(max(copy_start + front[p] + trans[p], finish) + cloud[p]
                   for p in range(len(front)))
        values.append(max(finish, copy))
    return min(range(len(values)), key=lambda i: (values[i], i))


def fixed_points(inst, policy: str) -> list[int] | None:
    """The choice vector of a fixed policy (AC, AF, FB), or None for DDP and NS."""
    point = {"ac": 0, "af": inst.k, "fb": inst.feature_point}.get(policy)
    return None if point is None else [point] * inst.n


def schedule(inst, choices=None, policy: str | None = None) -> NaiveSchedule:
    """The recurrence of ``docs/model.md``, one event at a time with dicts for the resource states.

    With ``choices`` the points are given; with ``policy`` ("ddp", "ns", "qa", "ac", "af", "fb")
    they are chosen here, from the state at each event, before the state is updated.
    """
    if choices is None:
        choices = fixed_points(inst, policy)
    front_free: dict[int, float] = {}  # F(d), 0 before a device's first event
    cloud_free: dict[int, float] = {}  # C(u), 0 before a unit's first event
    out = {name: [] for name in EVENT_TIMES}
    chosen = []
    for j in range(inst.n):
        d, u, a = int(inst.device[j]), int(inst.unit[j]), float(inst.arrival[j])
        front, trans, cloud = rows(inst, j)
        if choices is not None:
            x = int(choices[j])
        elif policy == "ddp":
            x = ddp_point(front_free.get(d, 0.0), cloud_free.get(u, 0.0), a, front, trans, cloud)
        elif policy == "ns":
            x = ns_point(front, trans, cloud)
        elif policy == "qa":
            x = qa_point(front_free.get(d, 0.0), cloud_free.get(u, 0.0), a, front, trans, cloud)
        else:
            raise ValueError(f"unknown policy {policy!r}")
        start_front = max(front_free.get(d, 0.0), a)
        finish_front = start_front + front[x]
        ready = finish_front + trans[x]
        start_cloud = max(ready, cloud_free.get(u, 0.0))
        finish_cloud = start_cloud + cloud[x]
        front_free[d] = finish_front
        cloud_free[u] = finish_cloud
        chosen.append(x)
        for name, value in zip(EVENT_TIMES, (start_front, finish_front, ready, start_cloud,
                                             finish_cloud), strict=False):
            out[name].append(value)
    return NaiveSchedule(chosen, **out, makespan=max(out["finish_cloud"]))


def brute_force_opt(inst) -> tuple[float, list[int]]:
    """OPT by enumerating all ``(k+1)^n`` choice vectors (tiny instances only).

    Returns the least makespan and the first choice vector (lexicographically) reaching it.
    """
    if (inst.k + 1) ** inst.n > 100_000:
        raise ValueError("too many choice vectors to enumerate")
    best, best_choices = float("inf"), None
    for choices in itertools.product(range(inst.k + 1), repeat=inst.n):
        makespan = schedule(inst, choices).makespan
        if makespan < best:
            best, best_choices = makespan, list(choices)
    return best, best_choices


def _base_completion(inst, j: int, p: int, front_free: dict, cloud_free: dict, makespan: float,
                     base: str) -> tuple[float, list[int]]:
    """Event ``j`` at point ``p``, then the rest by a base policy (``ddp``, ``ns``, ``ac``,
    ``af``) from the given free times: the makespan and the points from ``j`` on."""
    front_free, cloud_free = dict(front_free), dict(cloud_free)
    plan = []
    for e in range(j, inst.n):
        d, u, a = int(inst.device[e]), int(inst.unit[e]), float(inst.arrival[e])
        front, trans, cloud = rows(inst, e)
        if e == j:
            x = p
        elif base == "ddp":
            x = ddp_point(front_free.get(d, 0.0), cloud_free.get(u, 0.0), a, front, trans, cloud)
        elif base == "ns":
            x = ns_point(front, trans, cloud)
        else:
            x = 0 if base == "ac" else len(front) - 1
        finish_front = max(front_free.get(d, 0.0), a) + front[x]
        finish = max(finish_front + trans[x], cloud_free.get(u, 0.0)) + cloud[x]
        front_free[d], cloud_free[u] = finish_front, finish
        makespan = max(makespan, finish)
        plan.append(x)
    return makespan, plan


def _apply(inst, e: int, x: int, front_free: dict, cloud_free: dict) -> float:
    """Event ``e`` at point ``x`` from the free times (updated); returns its cloud finish."""
    d, u, a = int(inst.device[e]), int(inst.unit[e]), float(inst.arrival[e])
    front, trans, cloud = rows(inst, e)
    finish_front = max(front_free.get(d, 0.0), a) + front[x]
    finish = max(finish_front + trans[x], cloud_free.get(u, 0.0)) + cloud[x]
    front_free[d], cloud_free[u] = finish_front, finish
    return finish


def rollout(inst, guide, first=None) -> list[int]:
    """``rollout``: ``guide(j, front_free, cloud_free)`` proposes event ``j``'s point. The first
    plan is ``first`` (default: the guide followed from the start), replaced by any strictly
    better completion of a point at event 0 (every point then DDP, NS, AC, AF). At each event
    the guide's best completion replaces the plan when strictly better, or no worse and the
    plan gives the event another point. The plan's point is taken."""
    front_free: dict[int, float] = {}
    cloud_free: dict[int, float] = {}
    makespan, plan_value, plan, chosen = 0.0, 0.0, [], []
    width = inst.k + 1
    followed_free: tuple[dict, dict] = ({}, {})
    for e in range(inst.n):
        plan.append(guide(e, *followed_free) if first is None else int(first[e]))
        plan_value = max(plan_value, _apply(inst, e, plan[-1], *followed_free))

    def best_completion(j, p):
        return min((_base_completion(inst, j, p, front_free, cloud_free, makespan, base)
                    for base in ("ddp", "ns", "ac", "af")), key=lambda item: item[0])

    for value, points in (best_completion(0, p) for p in range(width)):
        if value < plan_value:
            plan_value, plan = value, list(points)
    for j in range(inst.n):
        proposed = guide(j, front_free, cloud_free)
        guided = best_completion(j, proposed)
        if guided[0] < plan_value or (guided[0] == plan_value and proposed != plan[j]):
            plan_value, plan = guided[0], [*chosen, *guided[1]]
        x = plan[j]
        makespan = max(makespan, _apply(inst, j, x, front_free, cloud_free))
        chosen.append(x)
    return chosen


def stage_children(states: list[tuple[float, float]], arrival: float,
                   points: list[tuple[float, float, float]]) -> list[tuple[float, float]]:
    """The Pareto set of every child of ``states`` (``(F, C)`` before an event arriving at
    ``arrival`` with the ``(front, trans, cloud)`` times ``points``), by increasing F.

    A child ``(F', C')`` is kept unless another child is no later in both times and earlier in
    one; equal children are kept once.
    """
    children = set()
    for front_free, cloud_free in states:
        for front, trans, cloud in points:
            finish_front = max(front_free, arrival) + front
            children.add((finish_front, max(finish_front + trans, cloud_free) + cloud))
    return sorted(c for c in children
                  if not any(o != c and o[0] <= c[0] and o[1] <= c[1] for o in children))


def split_plan(inst) -> tuple[float, list[int]]:
    """The best plan "All at Cloud before event ``s``, All at Front from ``s``" over every ``s``
    (the least ``s`` among equal makespans): its makespan and points."""
    best = None
    for split in range(inst.n + 1):
        plan = [0 if e < split else inst.k for e in range(inst.n)]
        value = schedule(inst, plan).makespan
        if best is None or value < best[0]:
            best = (value, plan)
    return best


def relaxation_dominated(front, to_done, cloud, count) -> list[list[bool]]:
    """Per event, per kept column: whether the one- or two-column convex combination of
    ``solvers.points.relaxation_dominated`` (weighted to the column's front time) is at most the
    column in ``T + C`` and ``C``, strictly in one, or equal with the column strictly inside."""
    out = []
    for j in range(len(count)):
        f, d, c = (list(map(float, row[j])) for row in (front, to_done, cloud))
        real = int(count[j])
        flags = [False] * len(f)
        for p in range(real):
            for a, b in itertools.product(range(real), repeat=2):
                if p in (a, b) or not f[a] <= f[p] <= f[b]:
                    continue
                span = f[b] - f[a]
                weight = 1.0 if span <= 0.0 else (f[b] - f[p]) / span
                done = weight * d[a] + (1.0 - weight) * d[b]
                work = weight * c[a] + (1.0 - weight) * c[b]
                inside = span > 0.0 and f[a] < f[p] < f[b]
                if done <= d[p] and work <= c[p] and (done < d[p] or work < c[p] or inside):
                    flags[p] = True
                    break
        out.append(flags)
    return out


def _qualifying_vectors(inst, events: list[int], later: list[list[float]], z: float):
    """Every choice vector of one device's ``events`` in which each event ``j`` at point ``p``
    has ``ready + C_jp + later[unit_j][j + 1] <= z`` (ready times from the device's queue
    alone), as its list of ``(event, cloud time, ready time)``."""
    for choices in itertools.product(range(inst.k + 1), repeat=len(events)):
        free, taken = 0.0, []
        for j, x in zip(events, choices, strict=True):
            front, trans, cloud = rows(inst, j)
            finish_front = max(free, float(inst.arrival[j])) + front[x]
            ready = finish_front + trans[x]
            if ready + cloud[x] + later[int(inst.unit[j])][j + 1] > z:
                break
            free = finish_front
            taken.append((j, cloud[x], ready))
        else:
            yield taken


def device_least_work(inst, events: list[int], counted_unit: int, later: list[list[float]],
                      z: float) -> list[float] | None:
    """``_device_kernels.least_work_after`` by enumeration: for each position ``q`` of one
    device's ``events``, the least cloud work on ``counted_unit`` of ``events[q:]`` over the
    device's qualifying choice vectors (``_qualifying_vectors``). None when none qualifies."""
    least: list[float] | None = None
    for taken in _qualifying_vectors(inst, events, later, z):
        works = [cloud if int(inst.unit[j]) == counted_unit else 0.0 for j, cloud, _ in taken]
        suffix = [sum(works[q:]) for q in range(len(events))]
        least = suffix if least is None else [min(a, b) for a, b in zip(least, suffix,
                                                                        strict=True)]
    return least


def later_work_fixed_point(inst, z: float, rounds: int = 100) -> tuple[bool, list[list[float]]]:
    """``_device_kernels.later_work_fixed_point`` from zero: ``later[u][i]`` raised to the sum
    over devices of their least work on ``u`` from their first event at or after ``i``, until
    nothing grows. Returns (some device has no qualifying choice vector, later)."""
    units = int(inst.cloud_units)
    later = [[0.0] * (inst.n + 1) for _ in range(units)]
    for _ in range(rounds):
        summed = [[0.0] * (inst.n + 1) for _ in range(units)]
        for d in range(int(inst.devices)):
            events = [j for j in range(inst.n) if int(inst.device[j]) == d]
            for u in sorted({int(inst.unit[j]) for j in events}):
                least = device_least_work(inst, events, u, later, z)
                if least is None:
                    return True, later
                for i in range(inst.n + 1):
                    position = next((q for q, j in enumerate(events) if j >= i), None)
                    summed[u][i] += least[position] if position is not None else 0.0
        grown = [[max(a, b) for a, b in zip(old, new, strict=True)]
                 for old, new in zip(later, summed, strict=True)]
        if grown == later:
            break
        later = grown
    return False, later


def device_least_weighted_work(inst, events: list[int], later: list[list[float]], z: float,
                               late_weight: float) -> float | None:
    """What ``_device_kernels.fitted_choices`` minimises, by enumeration: over one device's
    qualifying choice vectors (``_qualifying_vectors``), the least sum of
    ``C_jp * (1 + late_weight * ready / z)``. None when none qualifies."""
    per_ready = late_weight / z if z > 0 else 0.0  # the kernel's convention at z = 0
    sums = [sum(cloud * (1.0 + per_ready * ready) for _, cloud, ready in taken)
            for taken in _qualifying_vectors(inst, events, later, z)]
    return min(sums) if sums else None


def device_refit(inst, choices, device: int) -> float:
    """What ``_device_kernels.refitted_choices`` minimises, by enumeration: the least last
    cloud finish on the unit of ``device``'s events over every choice vector of those events,
    the other events' choices as given."""
    events = [j for j in range(inst.n) if int(inst.device[j]) == device]
    unit = int(inst.unit[events[0]])
    least = float("inf")
    for own in itertools.product(range(inst.k + 1), repeat=len(events)):
        trial = list(choices)
        for j, x in zip(events, own, strict=True):
            trial[j] = x
        times = schedule(inst, trial)
        least = min(least, max(finish for j, finish in enumerate(times.finish_cloud)
                               if int(inst.unit[j]) == unit))
    return least
