"""``auto``: every method and bound of the package combined on one instance.

1. A warm start: the hint (DDP's by default) improved by the biased greedy rules and local
   search (``improve``).
2. Blocks: where, under that schedule, an event arrives after every earlier event has left the
   cloud, the system is empty. OPT is then the optimum of the events from the last such event
   on, alone (removing events never delays the others, so OPT is at least that; and the warm
   start's prefix followed by that optimum reaches it). Only that last block is searched; the
   prefix keeps the warm start's choices.
3. On the block: a quick ``dp`` where it is exact (every device with its own unit); then
   large-neighbourhood search (``lns``) on the best schedule; then the LP relaxation's
   certified bound (``lp``), then, where dp is exact and neither proves, a wide beam of dp's
   DP (``dp.beam_search``), and where devices take a shared unit in turn, the same beams run
   after run (``handoff.beam_in_turn``); the relaxation's solution, rounded
   (``lp.best_rounding``), seeds the window search (where devices share a unit, the
   interior-point solution in every run); in a default run, where devices share a unit, a
   vertex of the relaxation with its split events chosen together by HiGHS, every other event
   at its vertex point
   (``vertex.complete_vertex``), and where that does not beat the schedule, the schedule's
   own events the vertex splits chosen the same way (``vertex.rechoose``); where devices share
   a unit and the bounds leave more than ``DEVICE_GAP``, the device bound
   (``devices.device_bound``), schedules fitted to it (``best_fitted``) and, where its fixed
   point settles, each device re-chosen whole (``refit_devices``); then, with the time left,
   ``dp`` with the relaxation's affine cuts in the state (``lp.state_cut``), or, where devices
   take a shared unit in turn, ``dp`` run by run (``handoff.solve_in_turn``), or, where
   devices share a unit otherwise, ``milp-highs`` warm-started from the best schedule (when
   deterministic: ``cpsat`` on blocks of at most 300 events, more windows on larger ones).
4. The reported bound is the largest valid one: the search's, ``min(incumbent, LP bound)``,
   and the cheap combinatorial bounds; the objective is re-evaluated on the whole instance.

Time is shared between the steps; with ``deterministic=True`` every step runs on work budgets
derived from ``time_limit`` (states, windows), never on the clock, so a rerun gives the same
answer (the clock stays a guard).
"""

from __future__ import annotations

import time
from functools import partial

import numpy as np

import ddp

from .bounds import cheap_bound
from .cpsat import solve_cpsat
from .devices import best_fitted, device_bound, refit_devices
from .dp import CUT_BUILD_SECONDS_PER_EVENT, LAST_CUT_SHARE, beam_search, check_supported, solve_dp
from .errors import UnsupportedInstance
from .handoff import beam_in_turn, device_runs, solve_in_turn
from .improve import better_start, improve, warm_start
from .lns import improve_by_windows, polish
from .lp import best_rounding, lp_bound, state_cut
from .milp import solve_highs
from .result import Outcome, proven
from .vertex import complete_vertex, rechoose, split_events

# Shares of the time limit: window search first (cheap, strong), then the LP bound, then the
# exact search with what is left (its state budget when deterministic).
LNS_SHARE = 0.25
LP_SHARE = 0.2  # a cap: the relaxation usually needs far less
SEARCH_SHARE = 0.5
CPSAT_SHARE = 0.7  # CP-SAT on a small shared-unit block: the windows had only LNS_SHARE / 3
QUICK_SHARE = 0.1  # the first, small exact attempt: this share of the limit, at most
QUICK_SECONDS = 1.0  # this long
QUICK_STATES = 200_000
# where dp is exact, a wide beam (dp.beam_search) after the quick attempt and the relaxation:
# its schedules are within thousandths of a percent of OPT on near-identical events, where the
# windows stall. At most BEAM_SHARE of the limit, the width from BEAM_SECONDS_PER_STATE per
# state and event, between BEAM_MIN_WIDTH and BEAM_MAX_WIDTH. That rate is optimistic (3-5
# microseconds measured at k = 18, n = 100, with the spread): the beam starts wide and narrows
# to end within its share (dp.beam_fit). Only on blocks of at most BEAM_MAX_EVENTS (from 300
# events on its schedules fall behind the windows', and its time is theirs)
BEAM_SHARE = 0.35
BEAM_SECONDS_PER_STATE = 2e-6
BEAM_MIN_WIDTH = 256
BEAM_MAX_WIDTH = 8192
BEAM_MAX_EVENTS = 200
MILP_MAX_EVENTS = 300  # deterministic runs: CP-SAT on a shared-unit block only up to this size
CHEAP_BOUND_SECONDS = 1e-4
CUT_SECONDS_PER_EVENT = 2e-3  # a relaxation's time per event, with room (measured ~1e-3)
MIN_SEARCH_SHARE = 0.1  # the final exact search only with at least this share of the limit left
LP_CLOSE = 1e-4  # a relaxation this close to the schedule: the schedule is the weak side
WINDOWS_PER_SECOND = 40  # the deterministic window budget per second of the limit
# Short windows (lns.polish) where devices share a unit: at most SHORT_SWEEPS windows an event,
# SHORT_WINDOWS_PER_SECOND a second of the limit when deterministic (below the rate measured
# at n = 2000 by benchmarks, so that the budget, not the clock, ends them).
SHORT_SWEEPS = 3
SHORT_WINDOWS_PER_SECOND = 2000
DP_STATES_PER_SECOND = 500_000  # dp's deterministic budget: states visited per second
# devices.device_bound where devices share a unit and the bounds leave more than DEVICE_GAP: at
# most DEVICE_WORK_PER_SECOND pair operations a second of the limit, its first test at most
# DEVICE_PROBE_PER_EVENT an event (benchmarks/bench_device_bound.py: 40-230 million a second;
# at Table 4's shapes the first test takes up to 25 thousand an event on i3d over the edge
# links, where the bound rises, and 56-240 thousand on paper's, where it does not), so that
# the work, not the clock, ends it
DEVICE_GAP = 1e-4
DEVICE_WORK_PER_SECOND = 30_000_000
DEVICE_PROBE_PER_EVENT = 30_000
# the fits to it (devices.best_fitted): at most this many pair operations a second of the limit
# (70-230 million a second measured at n = 1967; every fit there takes 0.4-11 thousand an event)
DEVICE_FIT_WORK_PER_SECOND = 20_000_000
REFIT_WORK_PER_SECOND = 20_000_000  # devices.refit_devices, where the device bound rose
DEVICE_POLISH_SHARE = 0.1  # windows on a fitted schedule that beat the others
# the relaxation's vertex completed exactly (vertex.complete_vertex) where devices share a unit:
# at most this share of the limit (and as much again for vertex.rechoose where the completion
# does not beat the schedule), only where the vertex splits at most VERTEX_MAX_SPLIT events
# and the schedule is more than VERTEX_GAP above the bound (its other events fixed, the
# completion lands some hundredths of a percent above the bound: closer than that, it only
# takes time from HiGHS's search; Table 4's 32-device shapes stand at 0.02-0.05% there)
VERTEX_SHARE = 0.25
VERTEX_MAX_SPLIT = 300
VERTEX_GAP = 1e-3


def last_block_start(inst: ddp.Instance, choices: np.ndarray) -> int:
    """The last event ``j`` that, under ``choices``, arrives after every earlier event has
    left the cloud (0 when there is none)."""
    if inst.n < 2:
        return 0
    finish_cloud = ddp.evaluate(inst, choices).finish_cloud
    left = np.maximum.accumulate(finish_cloud)[:-1]
    empty = np.flatnonzero(left <= inst.arrival[1:])
    return int(empty[-1]) + 1 if len(empty) else 0


def solve_auto(inst: ddp.Instance, time_limit: float = 60.0, hint: np.ndarray | None = None,
               *, deterministic: bool = False, started: float | None = None) -> Outcome:
    """OPT by the combination described in the module docstring."""
    started = time.perf_counter() if started is None else started
    limit = float(time_limit)
    deadline = started + limit
    start = warm_start(inst, hint)
    if not _exact_for(inst):  # dp brings its own greedy rules; the others start better here
        start = better_start(inst, start, limit)
    first = last_block_start(inst, start)
    block = inst.subset(np.arange(first, inst.n)) if first else inst
    block_start = start[first:]
    stats: dict = {"block_start": first, "block_events": block.n}
    notes = [f"last block: events {first}..{inst.n - 1}" if first else "one block"]

    best = block_start.copy()
    best_value = float(ddp.evaluate(block, best).makespan)
    bound = 0.0

    # wider window beams cost time the exact search could use: they are worth it where that
    # search cannot close the gap (devices sharing a unit) or the relaxation says the schedule
    # is the weak side
    exact = _exact_for(block)
    chains = None if exact else device_runs(block)  # devices that take a shared unit in turn
    grow_beams = not exact

    def within_deadline(seconds: float) -> float:
        """``seconds``, or the time left before the deadline where that is less."""
        return min(seconds, max(0.0, deadline - time.perf_counter()))

    def search_windows(share: float, short: bool = False) -> None:
        """Windows on ``best`` for ``share`` of the limit; ``short``: ``lns.polish``, at most
        ``SHORT_SWEEPS`` windows an event."""
        nonlocal best, best_value
        seconds = share * limit
        if not deterministic:
            seconds = within_deadline(seconds)
        time_limit = 10 * limit if deterministic else seconds
        if short:
            windows = SHORT_SWEEPS * block.n
            if deterministic:
                windows = min(windows, int(SHORT_WINDOWS_PER_SECOND * share * limit))
            improved, value, lns_stats = polish(block, best, windows, time_limit)
        else:
            windows = int(WINDOWS_PER_SECOND * share * limit) if deterministic else None
            improved, value, lns_stats = improve_by_windows(
                block, best, time_limit=time_limit, max_windows=windows, grow_beams=grow_beams)
        stats.setdefault("lns", []).append(lns_stats)
        if value < best_value:
            best, best_value = improved, value

    if exact:  # a quick exact attempt first: most instances are proven here in well under 1 s
        quick_seconds = min(QUICK_SECONDS, QUICK_SHARE * limit)
        quick = solve_dp(block, time_limit=quick_seconds, hint=best, max_states=QUICK_STATES,
                         deterministic=deterministic,
                         max_visited=int(DP_STATES_PER_SECOND * quick_seconds)
                         if deterministic else None)
        bound = max(bound, quick.lower_bound)
        best, best_value = _better(block, quick.choices, best, best_value)
        notes.append(f"quick dp: {quick.message}")
    relaxation_seconds = None  # the block's relaxation, where solved: how long it took
    if not proven(best_value, bound) and block.n * CHEAP_BOUND_SECONDS <= 0.1 * limit:
        # the combinatorial bounds cost about CHEAP_BOUND_SECONDS per event: within a tenth of
        # the limit only (finish adds the cheapest, pair_bound, anyway)
        bound = max(bound, cheap_bound(block))
    remaining = max(0.5, deadline - time.perf_counter())
    lp_seconds = 10 * LP_SHARE * limit if deterministic else min(LP_SHARE * limit, remaining)
    if not proven(best_value, bound) and block.n * CUT_BUILD_SECONDS_PER_EVENT > lp_seconds:
        notes.append("LP relaxation: skipped, too large to build in its share of the limit")
        search_windows(LNS_SHARE)
    elif not proven(best_value, bound):
        # where devices share a unit, the interior-point solution (the deterministic method's)
        # always: its balance of each device's work rounds better than a simplex vertex
        relaxed = lp_bound(block, best_value, time_limit=lp_seconds,
                           deterministic=deterministic or not exact)
        stats["lp_bound"] = relaxed.value
        relaxation_seconds = relaxed.seconds
        bound = max(bound, min(best_value, relaxed.value))
        grow_beams = grow_beams or relaxed.value >= best_value * (1 - LP_CLOSE)
        notes.append(f"LP relaxation: {relaxed.status}")
        # where dp is exact, or devices take the unit in turn (dp is then exact run by run),
        # and the block or its runs are short: a wide beam in its share (after the relaxation,
        # which alone proves many at 0 ms), the width sized to the share; on a slower machine
        # the beam narrows to end within it
        longest = block.n if exact or chains is None else max(
            len(run) for chain in chains for run in chain)
        width = beam_width(block.n, BEAM_SHARE * limit) \
            if (exact or chains is not None) and longest <= BEAM_MAX_EVENTS else 0
        if width and not proven(best_value, bound):
            seconds = BEAM_SHARE * limit if deterministic else within_deadline(BEAM_SHARE * limit)
            if exact:
                found = beam_search(block, width, seconds, hint=best, deterministic=deterministic)
            else:
                found = beam_in_turn(block, chains, width, seconds, deterministic=deterministic)
            best, best_value = _better(block, found, best, best_value)
            stats["beam"] = {"width": width, "makespan": best_value}
        # the beam's time comes out of the windows' (after a wide beam they find little)
        lns_share = LNS_SHARE - BEAM_SHARE / 2 if "beam" in stats else LNS_SHARE
        rounded = best_rounding(relaxed, block)
        if rounded is not None and not proven(best_value, bound):
            # Two starts for the window search: the best schedule so far, and the relaxation's
            # solution rounded (often a better shape than the greedy rules find).
            previous = best, best_value
            # where devices share a unit the greedy rules' local optima lead the windows away
            # from the relaxation's balance: the rounding goes to the windows as it is
            best = improve(block, rounded, seconds=min(1.0, 0.05 * limit)) if exact else rounded
            best_value = float(ddp.evaluate(block, best).makespan)
            # where devices share a unit, HiGHS's search gets most of the time (it finds better
            # schedules there than the windows do), the windows less
            if not exact:
                lns_share = LNS_SHARE / 3
                # many devices on a unit: short windows first take the rounding's small
                # excesses out cheaply (a long window costs many short ones)
                search_windows(lns_share / 2, short=True)
            search_windows(lns_share / 2)
            from_rounding = best, best_value
            stats["lp_rounding"] = best_value
            best, best_value = previous
            if not proven(min(best_value, from_rounding[1]), bound):
                search_windows(lns_share / 2)
            if from_rounding[1] < best_value:
                best, best_value = from_rounding
        elif not proven(best_value, bound):
            search_windows(lns_share)
        if not exact and not deterministic and bound < best_value * (1 - VERTEX_GAP):
            # a vertex of the relaxation, its split events chosen together
            vertex = lp_bound(block, best_value, vertex=True, time_limit=min(
                lp_seconds, max(0.05, deadline - time.perf_counter())))
            bound = max(bound, min(best_value, vertex.value))
            split = split_events(vertex)
            stats["vertex_split"] = None if split is None else int(split.sum())
            if split is not None and 0 < split.sum() <= VERTEX_MAX_SPLIT:
                seconds = within_deadline(VERTEX_SHARE * limit)
                before = best_value
                found = complete_vertex(block, vertex, seconds, hint=best)
                best, best_value = _better(block, found, best, best_value)
                stats["vertex"] = best_value
                if best_value >= before:
                    # the vertex's fixed part worse than the schedule's: the schedule itself,
                    # the events the vertex splits re-chosen, in a share of its own
                    seconds = within_deadline(VERTEX_SHARE * limit)
                    best, best_value = _better(block, rechoose(block, best, split, seconds),
                                               best, best_value)
                    stats["vertex_rechosen"] = best_value
                if best_value < before and not proven(best_value, bound):
                    search_windows(DEVICE_POLISH_SHARE / 2, short=True)
    if not exact and bound < best_value * (1 - DEVICE_GAP):
        # many devices on a unit, the bounds below the windows' schedule: the relaxation splits
        # events between a device and the unit, and whole choices can lift the bound by percents
        found = device_bound(block, bound, best_value,
                             max_work=int(DEVICE_WORK_PER_SECOND * limit),
                             probe_work=DEVICE_PROBE_PER_EVENT * block.n)
        bound = max(bound, found.value)
        stats["device_bound"] = found.value
        # its fixed point fits each device's choices to a makespan just above the bound: a
        # start the windows polish where it is ahead
        before = best_value
        fitted = best_fitted(block, found, max_work=int(DEVICE_FIT_WORK_PER_SECOND * limit))
        best, best_value = _better(block, fitted, best, best_value)
        if best_value < before and not proven(best_value, bound):
            search_windows(DEVICE_POLISH_SHARE / 2, short=True)
            search_windows(DEVICE_POLISH_SHARE / 2)
        if found.reached is not None and not proven(best_value, bound):
            # where the device bound's fixed point settles (it does not where the unit
            # decides), each device re-chosen whole, the others fixed, finds what windows of
            # consecutive events cannot
            best, best_value = refit_devices(block, best, int(REFIT_WORK_PER_SECOND * limit))
    remaining = deadline - time.perf_counter()
    # room for the stopped search's last cuts (three relaxations of the search's time limit
    # each) and the final window pass
    last_cut_seconds = LAST_CUT_SHARE * limit
    # a relaxation of the block takes about CUT_SECONDS_PER_EVENT per event (at least 0.2 s),
    # or, where the block's was solved, at most twice that one's time (the cuts relax suffixes)
    cut_seconds = max(0.2, block.n * CUT_SECONDS_PER_EVENT)
    if relaxation_seconds is not None:
        cut_seconds = min(cut_seconds, 2 * relaxation_seconds)
    cut_reserve = 3 * min(last_cut_seconds, cut_seconds)
    search_limit = remaining - 0.05 * limit - cut_reserve
    if not proven(best_value, bound) and (deterministic or search_limit > MIN_SEARCH_SHARE * limit):
        searched = None
        if exact:
            if deterministic:  # a state budget; the clock only as a far guard
                searched = solve_dp(block, time_limit=SEARCH_SHARE * limit, hint=best,
                                    max_visited=int(DP_STATES_PER_SECOND * SEARCH_SHARE * limit),
                                    state_cuts=partial(state_cut, deterministic=True),
                                    deterministic=True,
                                    last_cut_seconds=10 * last_cut_seconds)
            else:
                searched = solve_dp(block, time_limit=search_limit, hint=best,
                                    state_cuts=state_cut, last_cut_seconds=last_cut_seconds)
            notes.append(f"dp: {searched.message}")
        elif chains is not None:  # devices in turn: dp run by run is exact
            searched = solve_in_turn(block, chains, SEARCH_SHARE * limit if deterministic
                                     else search_limit, best, deterministic=deterministic,
                                     states_per_second=DP_STATES_PER_SECOND,
                                     state_cuts=partial(state_cut, deterministic=True)
                                     if deterministic else state_cut)
            notes.append(f"dp in turn: {searched.message}")
        elif block.n <= MILP_MAX_EVENTS and deterministic:
            # CP-SAT has a deterministic time; HiGHS has none
            searched = solve_cpsat(block, time_limit=10 * limit, hint=best, workers=1,
                                   deterministic=True,
                                   deterministic_time=CPSAT_SHARE * limit)
            notes.append(f"cpsat: {searched.message}")
        elif not deterministic:  # HiGHS's branch and bound: schedules and a bound of its own
            searched = solve_highs(block, time_limit=search_limit, hint=best)
            notes.append(f"milp-highs: {searched.message}")
        else:  # no exact search on work budgets for this block: its share goes to the windows
            search_windows(SEARCH_SHARE / 2, short=True)
            search_windows(SEARCH_SHARE / 2)
            notes.append("windows in the search's share")
        if searched is not None and not searched.failed:
            bound = max(bound, searched.lower_bound)
            before = best_value
            best, best_value = _better(block, searched.choices, best, best_value)
            if best_value < before and not proven(best_value, bound):
                search_windows(0.1)
    choices = start.copy()
    choices[first:] = best
    return Outcome(choices, bound, "; ".join(notes), stats)


def beam_width(events: int, seconds: float) -> int:
    """The widest beam that ``seconds`` pays for on ``events`` events (``BEAM_MAX_WIDTH`` at
    most), or 0 when that is below ``BEAM_MIN_WIDTH``."""
    affordable = seconds / (max(1, events) * BEAM_SECONDS_PER_STATE)
    if affordable < BEAM_MIN_WIDTH:
        return 0
    return int(min(BEAM_MAX_WIDTH, affordable))


def _exact_for(inst: ddp.Instance) -> bool:
    """``dp`` is exact for ``inst`` (every device with its own unit)."""
    try:
        check_supported(inst)
    except UnsupportedInstance:
        return False
    return True


def _better(inst: ddp.Instance, found: np.ndarray | None, best: np.ndarray,
            best_value: float) -> tuple[np.ndarray, float]:
    """``found`` with its makespan when it beats ``best``, else ``best``."""
    if found is None:
        return best, best_value
    value = float(ddp.evaluate(inst, found).makespan)
    if value < best_value:
        return np.asarray(found, dtype=np.int64).copy(), value
    return best, best_value
