"""Devices that take the unit in turn: a shared-unit instance solved as a chain of one-device ones.

Where several devices share one cloud unit and each device's events are consecutive in the
unit's order (per-device arrival streams that all start at once: every device's events arrive
at 0 and are merged device by device), no device has events on both sides of a handoff, the
point where the unit passes from one device's last event to the next device's first. There the
state of the system is one number, when the unit is free: the devices before are done, the next
one is still free from 0. The rest of the schedule depends on that number alone, and never gets
worse when it falls (the recurrence is monotone), so an optimum of the whole is: each device's
run of events, in turn, chosen to free the unit soonest after the previous run left it free. Each
run is a one-device problem, where ``dp`` is exact; the unit free time it starts from is a
stand-in first event that holds the unit until then and nothing else (``run_instance``). With
several units, each unit's group of events (``components``) is such a chain of its own, and the
makespan the largest of theirs.

``beam_in_turn`` makes a schedule so, each run by ``dp``'s wide beam; ``solve_in_turn`` solves the
runs so by ``dp``'s exact search: with every run proven the chain is exact, and otherwise the
runs' gaps add up to a certified one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import pairwise

import numpy as np

import ddp

from .components import components
from .dp import BOUND_SAFETY, StateCuts, beam_search, solve_dp
from .result import Outcome


def device_runs(inst: ddp.Instance) -> list[list[np.ndarray]] | None:
    """For each group of events that shares a unit (``components``), the runs of consecutive
    events of one device in that unit's order: when every group has one unit and each device's
    events form a single run in it, and some group has several devices; else None."""
    chains = []
    for events, devices, units in components(inst):
        if len(units) != 1:
            return None
        starts = np.flatnonzero(np.diff(inst.device[events])) + 1
        bounds = np.concatenate([[0], starts, [len(events)]])
        runs = [events[a:b] for a, b in pairwise(bounds)]
        if len(runs) != len(devices):
            return None  # a device with two runs: it is open across a handoff
        chains.append(runs)
    if all(len(runs) == 1 for runs in chains):
        return None  # every device with its own unit: dp's own case
    return chains


def run_instance(inst: ddp.Instance, run: np.ndarray, unit_free: float) -> ddp.Instance:
    """The events ``run`` (one device's) alone on one device and unit, after a stand-in event
    that holds the unit until ``unit_free``: it arrives at 0 and, at every point, takes no front
    or cloud time and reaches the unit at ``unit_free`` (so the device stays free from 0)."""
    points = inst.front.shape[1]
    arrival = np.concatenate([[0.0], inst.arrival[run]])
    front = np.vstack([np.zeros(points), inst.front[run]])
    trans = np.vstack([np.full(points, float(unit_free)), inst.trans[run]])
    cloud = np.vstack([np.zeros(points), inst.cloud[run]])
    return ddp.Instance(arrival, front, trans, cloud, time_unit=inst.time_unit)


def beam_in_turn(inst: ddp.Instance, chains: list[list[np.ndarray]], width: int,
                 time_limit: float, *, deterministic: bool = False) -> np.ndarray:
    """Choices of ``inst`` made run by run (``device_runs``): each run by ``dp.beam_search`` at
    ``width`` states a stage from the unit free time the runs before it left, in
    ``time_limit`` seconds shared between the runs (with ``deterministic`` the beams run to
    their end: a rerun gives the same choices)."""
    def beam(part: ddp.Instance, run: np.ndarray, seconds: float) -> Outcome:
        return Outcome(beam_search(part, width, seconds, deterministic=deterministic), 0.0)

    return _in_turn(inst, chains, time_limit, deterministic, beam).choices


def solve_in_turn(inst: ddp.Instance, chains: list[list[np.ndarray]], time_limit: float,
                  hint: np.ndarray, *, deterministic: bool = False,
                  states_per_second: int | None = None,
                  state_cuts: StateCuts | None = None) -> Outcome:
    """``inst`` solved run by run (``device_runs``), each run by ``dp`` from the unit free time
    the runs before it left, started from ``hint``'s choices for it, in ``time_limit`` seconds
    shared between the runs. With ``deterministic`` each run's search stops at
    ``states_per_second`` states a second of its share instead of the clock. ``state_cuts``
    go to each run's ``dp`` (``lp.state_cut``: a run stopped early then bounds its live states
    with them).

    The bound: each run's ``dp`` bounds its own last finish from the unit free time it started
    at, and a run's optimum falls by at most as much as that time does (the recurrence adds
    and takes maxima), so the runs' gaps add up: a unit's last finish minus the sum of its
    runs' gaps is a lower bound of OPT (the optimum when every run is proven), and so is the
    largest of these over the units."""
    def exact(part: ddp.Instance, run: np.ndarray, seconds: float) -> Outcome:
        return solve_dp(part, time_limit=seconds, hint=np.concatenate([[0], hint[run]]),
                        deterministic=deterministic, state_cuts=state_cuts,
                        max_visited=None if states_per_second is None
                        else int(states_per_second * seconds))

    return _in_turn(inst, chains, time_limit, deterministic, exact)


def _in_turn(inst: ddp.Instance, chains: list[list[np.ndarray]], time_limit: float,
             deterministic: bool,
             solve_run: Callable[[ddp.Instance, np.ndarray, float], Outcome]) -> Outcome:
    """The chains walked run by run: ``solve_run(part, run, seconds)`` chooses the points of
    ``run_instance(inst, run, unit free)`` (the stand-in's first) in ``seconds``, a share of
    ``time_limit`` by events; the bound is the chain's (``solve_in_turn``)."""
    started = time.perf_counter()
    choices = np.zeros(inst.n, dtype=np.int64)
    runs = [len(run) for chain in chains for run in chain]
    events, done = sum(runs), 0
    bound = 0.0
    proven_runs = 0
    for chain in chains:
        unit_free = 0.0
        gaps = 0.0
        for run in chain:
            part = run_instance(inst, run, unit_free)
            if deterministic:
                seconds = time_limit * len(run) / events
            else:  # the time left, shared by the events left
                left = max(0.0, time_limit - (time.perf_counter() - started))
                seconds = left * len(run) / (events - done)
            found = solve_run(part, run, seconds)
            choices[run] = found.choices[1:]
            unit_free = float(ddp.evaluate(part, found.choices).makespan)
            gaps += max(0.0, unit_free - found.lower_bound)
            proven_runs += bool(found.stats.get("complete", False))
            done += len(run)
        # lowered like dp's own bounds, for the rounding of the sums above
        bound = max(bound, (unit_free - gaps) * (1 - BOUND_SAFETY))
    return Outcome(choices, bound, f"{proven_runs} of {len(runs)} runs proven",
                   {"runs": len(runs), "proven_runs": proven_runs})
