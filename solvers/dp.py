"""``dp``: our exact method, a bounded dynamic program over (front free, cloud free) states.

Supports instances where every group of events that shares a device or a cloud unit has one
device and one unit (one device and one unit; or m devices each with its own unit); the groups
are solved one by one and the makespan is their max. Several devices sharing a unit (or one
device on several units) raise ``UnsupportedInstance``: use ``cpsat`` or ``milp-*`` there.

How a group is solved (kernels in ``_dp_kernels``, bounds in ``_dp_bounds``):

1. Dominated points go first: a point no better than another in front time, front + transfer
   time and cloud time can never be needed.
2. An incumbent: DDP's rule, the hint, the best biased greedy rule (``improve``), a beam search
   of the same DP (``beam_width`` states a stage: most of least bound, a quarter spread over
   the others, ``beam_keep``), each polished by single-event local search; the best is kept.
3. The exact DP runs stage by stage. States are normalised (an idle device or unit takes the
   arrival or the least ready time, which changes no outcome), reduced to their Pareto set, and
   a child is dropped when its lower bound reaches ``incumbent * (1 - 1e-9)``: a Lagrangian
   bound over the cloud and every front path, priced on a grid of 129 or 257 levels;
   as the grid refines it tends to the LP relaxation of the remaining events.
4. Every few stages DDP's rule finishes a few live states: a better makespan tightens the
   pruning at once.
5. The lower bound is the least of the bounds of every dropped child and the best complete
   state; if the time or state budget runs out first, the least bound of the live states joins
   it. All bounds are then lowered by a relative 1e-11 to cover floating-point rounding.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import ddp

from . import _dp_bounds, _dp_kernels, _improve_kernels
from .components import components
from .errors import UnsupportedInstance
from .improve import CLOUD_BIASES, FRONT_BIASES, STEPS_PER_SECOND, warm_start
from .points import KeptPoints
from .result import OPTIMAL_RTOL, Outcome

DETERMINISTIC_GUARD = 10.0  # the clock's guard, in time limits, of a deterministic run
PRUNE_RTOL = 1e-9  # a child within this of the incumbent cannot be worth keeping
PROOF_RTOL = 0.5 * OPTIMAL_RTOL  # a search whose live bound is this close stops: proven
BOUND_SAFETY = 1e-11  # relative margin for rounding in the bound's sums
HEURISTIC_SHARE = 0.3  # at most this share of the time limit goes to incumbents
STORE_BUDGET = 60_000_000  # paths kept for rebuilding (6 bytes per state); beyond, 2nd pass
DIVE_NODES = 200_000  # nodes of the depth-first rebuild of a proven optimum
TABLE_SHARE = 0.2  # at most this share of the time limit for the bound tables
TABLE_SECONDS_PER_CELL = 1e-8  # path_tables' cost per event and level pair (measured 3-8e-9)
MIN_LEVELS = 9
CUT_MIN_STATES = 2_000  # stages with fewer states are not worth a relaxation's time
CUT_WORTH = 0.05  # cuts excluding fewer than this share of a stage's states back off
CUT_MAX_GAP = 16  # stages skipped at most between two tries of the cuts
CUT_MAX_EVENTS = 400  # nor suffixes longer than this (each cut solves the suffix's relaxation)
CUT_SHARE = 0.02  # seconds per cut: this share of the time limit, at least CUT_SECONDS
CUT_SECONDS = 0.5
LAST_CUT_SHARE = 0.08  # seconds per cut of a stopped search (any suffix length), of the limit
CUT_BUILD_SECONDS_PER_EVENT = 2e-5  # building a relaxation (numpy, about 1e-5 measured)

BEAM_SPREAD = 0.25  # share of a beam's states taken across the rest, not by least bound

# ``state_cuts(arrival, kept, start, front_free, cloud_free, upper) -> cut or None``
StateCuts = Callable[..., Any]


def check_supported(inst: ddp.Instance) -> None:
    """Raise ``UnsupportedInstance`` unless each group has one device and one cloud unit."""
    for _events, devices, units in components(inst):
        if len(devices) > 1 or len(units) > 1:
            raise UnsupportedInstance(
                f"dp is exact only when every device has its own cloud unit; here device(s) "
                f"{devices.tolist()} share unit(s) {units.tolist()}: use --solver cpsat, "
                f"milp-highs or milp-cbc (or auto)")


def price_levels(events: int, time_limit: float) -> int:
    """The default number of price levels: 129 below 500 events, 257 from 500 on, fewer when
    the bound tables (``n * levels**2`` cells) would take more than ``TABLE_SHARE`` of the
    time limit. Derived from the arguments only (reproducible)."""
    levels = 257 if events >= 500 else 129
    affordable = math.sqrt(TABLE_SHARE * float(time_limit)
                           / (max(events, 1) * TABLE_SECONDS_PER_CELL))
    return int(max(MIN_LEVELS, min(levels, affordable)))


def solve_dp(inst: ddp.Instance, time_limit: float = 60.0,
             hint: np.ndarray | None = None, *, beam_width: int = 64,
             weights: int | None = None, max_states: int = 25_000_000,
             max_visited: int | None = None,
             local_search_passes: int = 4, started: float | None = None,
             state_cuts: StateCuts | None = None, deterministic: bool = False,
             last_cut_seconds: float | None = None) -> Outcome:
    """Exact optimum by bounded dynamic programming (see the module docstring).

    Parameters
    ----------
    inst : ddp.Instance
    time_limit : float
        Seconds for the whole call; when reached, the best schedule and the bound proven so far.
        The local-search budgets derive from this argument, not from the clock, so a run that
        ends before its limit is reproducible.
    hint : array-like of int, optional
        Warm-start choices (default: DDP's).
    beam_width : int
        States per stage of the beam search that seeds the incumbent (0: no beam).
    weights : int, optional
        Number of price levels of the Lagrangian bound; default 129 below 500 events and 257
        from 500 on (finer levels prune more, each state's bound costs more).
    max_visited : int, optional
        Most states the exact search may visit in all (a work budget independent of the
        machine, for deterministic runs); reached, it stops like a time limit.
    max_states : int
        Most live states in one stage (memory: a few tens of bytes per state, and per
        surviving child while a stage is made); over it, stop like a time limit. Paths of up
        to ``STORE_BUDGET`` states (6 bytes each) are kept to rebuild a schedule better than
        the incumbent; past that the search keeps only the live stage and rebuilds by a
        depth-first dive to the proven value or a second pass.
    local_search_passes : int
        Passes of single-event local search on each incumbent.
    started : float, optional
        ``time.perf_counter()`` when the call began (default: now).
    state_cuts : callable, optional
        ``state_cuts(arrival, kept, start, front_free, cloud_free, upper)``: an affine lower
        bound in ``(F, C)`` valid for every completion from event ``start`` that beats
        ``upper`` (``lp.state_cut``). When given, stages with at least ``CUT_MIN_STATES``
        states drop the states such cuts exclude, and a stopped search reports the least
        bound over its live states with the cuts included.
    last_cut_seconds : float, optional
        Seconds for each cut of a stopped search (default ``LAST_CUT_SHARE * time_limit``).
    deterministic : bool
        The beam search runs to its end instead of to a share of the clock and the clock stops
        the search only at ``DETERMINISTIC_GUARD`` times ``time_limit``, so that only
        ``max_states`` and the budgets derived from ``time_limit`` limit the run: a rerun gives
        the same answer.
    """
    started = time.perf_counter() if started is None else started
    check_supported(inst)
    deadline = _deadline(started, time_limit, deterministic)
    hint_choices = warm_start(inst, hint)
    choices = hint_choices.copy()
    bound = 0.0
    stats = {"states": 0, "groups": 0, "complete": True}
    notes = []
    for events, _, _ in components(inst):
        levels = weights if weights is not None else price_levels(len(events), time_limit)
        group = _Group(inst, events, levels, time_limit=float(time_limit),
                       state_cuts=state_cuts, last_cut_seconds=last_cut_seconds,
                       max_visited=max_visited)
        found = group.solve(hint_choices[events], deadline, beam_width, max_states,
                            local_search_passes, deterministic)
        choices[events] = found.choices
        bound = max(bound, found.lower_bound)
        stats["states"] += found.states
        stats["groups"] += 1
        stats["incumbent"] = max(stats.get("incumbent", 0.0), found.incumbent)
        if not found.complete:
            stats["complete"] = False
            notes.append(found.reason)
    message = "search complete" if stats["complete"] else "stopped: " + "; ".join(notes)
    return Outcome(choices, bound, message, stats)


def beam_search(inst: ddp.Instance, width: int, time_limit: float = 60.0,
                hint: np.ndarray | None = None, *, deterministic: bool = False,
                local_search_passes: int = 4) -> np.ndarray:
    """Choices of ``solve_dp``'s beam search alone, at ``width`` states a stage, polished by
    single-event local search; in each group the better of that and the hint (DDP's by
    default), so never worse than the hint.

    A wide beam finds schedules close to OPT where the exact search cannot finish (near-identical
    events): each stage keeps the ``width`` states of least bound. The clock stops a group's
    beam at ``time_limit`` (that group keeps the hint's choices); with ``deterministic`` only at
    ``DETERMINISTIC_GUARD`` times it, so that a rerun gives the same choices.
    """
    check_supported(inst)
    deadline = _deadline(time.perf_counter(), time_limit, deterministic)
    choices = warm_start(inst, hint)
    for events, _, _ in components(inst):
        group = _Group(inst, events, price_levels(len(events), time_limit),
                       time_limit=float(time_limit))
        columns = group.kept.columns_of(choices[events])
        columns, _ = group.beam(columns, group.makespan_of(columns), deadline, width,
                                local_search_passes)
        choices[events] = group.kept.choices_of(columns)
    return choices


def beam_keep(state_bounds: np.ndarray, width: int) -> np.ndarray:
    """Indices (sorted) of the ``width`` states a beam keeps of a stage's ``state_bounds``.

    The ``(1 - BEAM_SPREAD) * width`` of least bound, and ``BEAM_SPREAD * width`` more spread
    evenly over the others in order of bound: near-identical events give many states of
    nearly equal bound, and a beam of the least bounds alone fills with near-copies of one
    partial schedule (docs/solvers.md has the figures).
    """
    order = np.argsort(state_bounds, kind="stable")
    if len(order) <= width:
        return np.sort(order)
    best = round(width * (1 - BEAM_SPREAD))
    rest = order[best:]
    spread = rest[np.linspace(0, len(rest) - 1, width - best).astype(np.int64)]
    return np.sort(np.concatenate([order[:best], spread]))


def _deadline(started: float, time_limit: float, deterministic: bool) -> float:
    """When a run started at ``started`` stops: ``time_limit`` later, or, deterministic (its
    budgets come from ``time_limit``), only at the clock's far guard."""
    return started + float(time_limit) * (DETERMINISTIC_GUARD if deterministic else 1.0)


def beam_fit(width: int, stages_left: int, seconds_left: float,
             seconds_per_state: float) -> int:
    """The width a beam keeps on: ``width``, or less where ``stages_left`` stages of it at
    ``seconds_per_state`` (the beam's rate so far) would end after ``seconds_left``; at least 1.

    So a beam on a loaded machine narrows and still ends with a schedule instead of being cut
    off at its deadline (a deterministic run's deadline is a far guard, so it keeps its width).
    """
    if stages_left <= 0 or seconds_per_state <= 0.0:
        return width
    affordable = seconds_left / (stages_left * seconds_per_state)
    return max(1, int(min(width, affordable)))


@dataclass
class _Stages:
    """What one run of the stage loop found.

    ``makespan`` is the best complete state's (inf when every path was pruned or the run
    stopped), ``columns`` its columns when paths were stored (else None), ``lower_bound`` the
    bound proven by the run; ``complete`` is False when it stopped early (``reason`` says why).
    """

    columns: np.ndarray | None
    makespan: float
    lower_bound: float
    states: int
    complete: bool
    reason: str = ""


@dataclass
class _GroupAnswer:
    """A group's answer: original points, lower bound, and the numbers ``solve_dp`` reports."""

    choices: np.ndarray
    lower_bound: float
    states: int
    complete: bool
    reason: str = ""
    incumbent: float = 0.0


@dataclass
class _Incumbent:
    """The best schedule the exact search's probes found (columns when paths were stored)."""

    makespan: float
    columns: np.ndarray | None = None


class _Group:
    """One device and one unit: the arrays of the kernels and the search on them.

    Everything the search reads is set here: the kept points, the bound tables, the
    local-search budget (from ``time_limit``) and how often the exact search probes.
    """

    def __init__(self, inst: ddp.Instance, events: np.ndarray, levels: int,
                 time_limit: float = 60.0, state_cuts: StateCuts | None = None,
                 last_cut_seconds: float | None = None, max_visited: int | None = None):
        self.n = len(events)
        self.arrival = np.ascontiguousarray(inst.arrival[events])
        self.kept = KeptPoints.of(inst.front[events], inst.trans[events], inst.cloud[events])
        self.weights = np.linspace(0.0, 1.0, max(2, int(levels)))
        self.tables = _dp_bounds.bound_tables(self.arrival, self.kept.front, self.kept.trans,
                                              self.kept.cloud, self.kept.count, self.weights)
        # local search budgets from the time limit argument, not the clock: reproducible
        self.polish_seconds = float(time_limit) * HEURISTIC_SHARE / 4
        self.probe_every = max(1, self.n // 1000)
        self.state_cuts = state_cuts
        self.max_visited = max_visited
        self.cut_seconds = max(CUT_SECONDS, CUT_SHARE * float(time_limit))
        self.last_cut_seconds = (LAST_CUT_SHARE * float(time_limit) if last_cut_seconds is None
                                 else float(last_cut_seconds))

    def cut_values(self, j: int, front_free: np.ndarray, cloud_free: np.ndarray,
                   upper: float, any_length: bool = False) -> np.ndarray | None:
        """Per state before event ``j``, the best of a few LP cuts (None without cuts).

        Only for suffixes of at most ``CUT_MAX_EVENTS`` events unless ``any_length`` (a
        stopped search's last bound, worth one long relaxation).
        """
        if self.state_cuts is None or j >= self.n or len(front_free) == 0:
            return None
        if self.n - j > CUT_MAX_EVENTS and not any_length:
            return None
        seconds = self.last_cut_seconds if any_length else self.cut_seconds
        if (self.n - j) * CUT_BUILD_SECONDS_PER_EVENT > seconds:
            return None  # building the relaxation alone would overrun the cut's time
        values = np.full(len(front_free), -np.inf)
        picks = sorted({0, len(front_free) // 2, len(front_free) - 1})
        for s in picks:
            cut = self.state_cuts(self.arrival, self.kept, j, float(front_free[s]),
                                  float(cloud_free[s]), upper, time_limit=seconds)
            if cut is not None:
                values = np.maximum(values, cut.at(front_free, cloud_free))
        return values
    @property
    def kernel_arrays(self) -> tuple[np.ndarray, ...]:
        """``(arrival, front, trans, cloud, count)``: the kernels' view of the events."""
        kept = self.kept
        return self.arrival, kept.front, kept.trans, kept.cloud, kept.count

    # -- incumbents --------------------------------------------------------------------------
    def biased_start(self) -> np.ndarray:
        """The best of ``improve``'s biased greedy rules (cheap, often far better than DDP)."""
        single = np.zeros(self.n, dtype=np.int64)
        best_value, best_columns = np.inf, None
        for cloud_bias in CLOUD_BIASES:
            for front_bias in FRONT_BIASES:
                columns = np.zeros(self.n, dtype=np.int64)
                value = _improve_kernels.biased_greedy(*self.kernel_arrays, single, single, 1, 1,
                                                       cloud_bias, front_bias, columns)
                if value < best_value:
                    best_value, best_columns = value, columns
        return best_columns

    def makespan_of(self, columns: np.ndarray) -> float:
        return _dp_kernels.local_search(*self.kernel_arrays, columns.copy(), 0, 0)

    def polish(self, columns: np.ndarray, passes: int) -> tuple[np.ndarray, float]:
        """Local search on ``columns``: at most ``passes`` passes, about ``polish_seconds``."""
        columns = columns.copy()
        budget = int(max(self.polish_seconds, 0.0) * STEPS_PER_SECOND) + self.n
        value = _dp_kernels.local_search(*self.kernel_arrays, columns, passes, budget)
        return columns, value

    # -- the stage loop, shared by the beam and the exact search ---------------------------
    def probe(self, j: int, front_free: np.ndarray,
              cloud_free: np.ndarray) -> tuple[float, int, np.ndarray | None]:
        """DDP's rule from the states of least C, least F and the middle, before event ``j``.

        Returns ``(makespan, state, columns of events j..n-1)`` of the best of the three.
        """
        best = (np.inf, -1, None)
        arrival, front, trans, cloud, count = self.kernel_arrays
        for s in sorted({0, len(front_free) - 1, len(front_free) // 2}):
            suffix = np.zeros(self.n, dtype=np.int64)
            value = _dp_kernels.complete_greedy(j, front_free[s], cloud_free[s], arrival, front,
                                                trans, cloud, count, suffix)
            if value < best[0]:
                best = (value, s, suffix)
        return best

    @staticmethod
    def rebuild(parents: list[np.ndarray], points: list[np.ndarray], j: int, index: int,
                columns: np.ndarray) -> None:
        """Write the columns of events ``0..j`` on the stored path to state ``index``."""
        for e in range(j, -1, -1):
            columns[e] = points[e][index]
            index = parents[e][index]

    def run_stages(self, threshold: float, deadline: float, beam_width: int,
                   max_states: int, store: bool = True,
                   incumbent: _Incumbent | None = None) -> _Stages:
        """The stage loop of the beam (``beam_width > 0``) or of the exact search.

        The exact search probes every ``probe_every`` stages when given an ``incumbent``: a
        better probe replaces it (with its columns when ``store``) and tightens the pruning.
        """
        arrival, front, trans, cloud, count = self.kernel_arrays
        front_free = np.zeros(1)
        cloud_free = np.zeros(1)
        parents, points = [], []
        pruned = np.inf
        visited = 0
        cut_wait, cut_gap = 0, 1  # stages to skip before the next cuts, and the next skip
        stage_bound = 0.0  # the best bound of a stage with cuts so far

        def stop(j: int, reason: str) -> _Stages:
            own = _dp_bounds.state_bounds(j, front_free, cloud_free, arrival, self.tables)
            live = float(own.min()) if len(own) else np.inf
            upper = incumbent.makespan if incumbent is not None else np.inf
            if self.state_cuts is not None and beam_width == 0 and np.isfinite(upper):
                # each live state's bound: the better of its own and the cuts' (at most the
                # incumbent, where the cuts stop being valid)
                cuts = self.cut_values(j, front_free, cloud_free, upper, any_length=True)
                if cuts is not None and len(own):
                    live = float(np.min(np.minimum(np.maximum(own, cuts), upper)))
            # an earlier stage's bound holds as well, and may be the better one (the cuts are
            # affine: over a later, larger stage their least value can be lower)
            return _Stages(None, np.inf, max(min(pruned, live), stage_bound), visited, False,
                           reason)

        seconds_per_state = 0.0  # the last stage's time per state: a stage's time foretold
        width = beam_width  # a beam narrows where its rate so far foretells the deadline
        beam_started, beam_parents = time.perf_counter(), 0
        for j in range(self.n):
            if beam_width == 0 and len(front_free) > max_states:
                return stop(j, f"{len(front_free)} states at event {j} of {self.n} (memory "
                               f"guard, max_states={max_states})")
            stage_started = time.perf_counter()
            if (beam_width == 0 and j > 0
                    and stage_started + seconds_per_state * len(front_free) > deadline):
                # a stage of millions of states takes seconds: stop before, not after, the limit
                return stop(j, f"time limit at event {j} of {self.n}")
            parents_in = len(front_free)
            out = _dp_kernels.expand_stage(j, front_free, cloud_free, arrival, front, trans,
                                           cloud, count, self.tables, threshold,
                                           beam_width > 0)
            seconds_per_state = (time.perf_counter() - stage_started) / max(1, parents_in)
            front_free, cloud_free, parent, point, state_bounds, pruned_here = out
            pruned = min(pruned, pruned_here)
            if beam_width > 0:
                beam_parents += parents_in
                if beam_parents >= beam_width:  # a stage's worth of states: a fair rate
                    width = beam_fit(beam_width, self.n - j - 1, deadline - time.perf_counter(),
                                     (time.perf_counter() - beam_started) / beam_parents)
                if len(front_free) > width:
                    keep = beam_keep(state_bounds, width)
                    front_free, cloud_free = front_free[keep], cloud_free[keep]
                    parent, point = parent[keep], point[keep]
            if store and visited + len(front_free) > STORE_BUDGET and beam_width == 0:
                store = False  # too many to keep: rebuild the schedule by a second pass
                parents, points = [], []
            if store:
                parents.append(parent.astype(np.int32))
                points.append(point.astype(np.int16))
            visited += len(front_free)
            if len(front_free) == 0:
                break
            cut_here = (incumbent is not None and beam_width == 0 and j < self.n - 1
                        and len(front_free) >= CUT_MIN_STATES and self.state_cuts is not None)
            if cut_here and cut_wait > 0:
                cut_wait -= 1
                cut_here = False
            if cut_here:
                cuts = self.cut_values(j + 1, front_free, cloud_free, incumbent.makespan)
                # cuts that exclude little cost more than the states they save: try them
                # again after 1, 2, 4, ... stages until they exclude more
                if cuts is None or np.count_nonzero(cuts >= threshold) < CUT_WORTH * len(cuts):
                    cut_wait = cut_gap
                    cut_gap = min(2 * cut_gap, CUT_MAX_GAP)
                else:
                    cut_gap = 1
                if cuts is not None:
                    own = _dp_bounds.state_bounds(j + 1, front_free, cloud_free, arrival,
                                                  self.tables)
                    live = float(np.min(np.maximum(own, cuts)))
                    # every completion passes through a live state or a pruned one: valid below
                    # the incumbent, where the cuts are
                    stage_bound = max(stage_bound, min(pruned, live, incumbent.makespan))
                    if min(pruned, live) >= incumbent.makespan * (1 - PROOF_RTOL):
                        # every completion is within the tolerance of "optimal" of the
                        # incumbent: proven, no need to go on
                        return _Stages(None, np.inf, min(pruned, live, incumbent.makespan),
                                       visited, False, f"proven within {PROOF_RTOL:g} at "
                                       f"event {j + 1} of {self.n} by the state cuts")
                    excluded = cuts >= threshold
                    if excluded.any():
                        pruned = min(pruned, float(np.min(np.minimum(cuts[excluded],
                                                                     incumbent.makespan))))
                        keep = ~excluded
                        front_free, cloud_free = front_free[keep], cloud_free[keep]
                        parent, point = parent[keep], point[keep]
                        if store:
                            parents[-1], points[-1] = parents[-1][keep], points[-1][keep]
                        if len(front_free) == 0:
                            break
            if (incumbent is not None and beam_width == 0 and j < self.n - 1
                    and j % self.probe_every == 0):
                # Complete a few states greedily: a smaller makespan tightens the pruning at
                # once (its schedule is rebuilt at the end, see ``solve``).
                value, state, suffix = self.probe(j + 1, front_free, cloud_free)
                if value < incumbent.makespan:
                    incumbent.makespan = value
                    threshold = value * (1 - PRUNE_RTOL)
                    incumbent.columns = None
                    if store:
                        self.rebuild(parents, points, j, state, suffix)
                        incumbent.columns = suffix
            if (beam_width == 0 and self.max_visited is not None and visited > self.max_visited
                    and j < self.n - 1):
                return stop(j + 1, f"state budget ({self.max_visited} states) at event {j + 1} "
                                   f"of {self.n}")
            if time.perf_counter() > deadline and j < self.n - 1:
                if beam_width > 0:
                    return _Stages(None, np.inf, pruned, visited, False)
                return stop(j + 1, f"time limit at event {j + 1} of {self.n}")
        if len(front_free) == 0:
            return _Stages(None, np.inf, pruned, visited, True)
        best = int(np.argmin(cloud_free))
        value = float(cloud_free[best])
        if not store:
            return _Stages(None, value, min(pruned, value), visited, True)
        columns = np.zeros(self.n, dtype=np.int64)
        self.rebuild(parents, points, self.n - 1, best, columns)
        return _Stages(columns, value, min(pruned, value), visited, True)

    def beam(self, columns: np.ndarray, value: float, deadline: float, width: int,
             passes: int) -> tuple[np.ndarray, float]:
        """The beam search of width ``width`` pruned at ``value``, polished: its columns and
        makespan where it beats ``(columns, value)``, else those (also when ``deadline``
        passes first)."""
        beam = self.run_stages(value * (1 - PRUNE_RTOL), deadline, width, 0)
        if beam.columns is not None:
            beam_columns, beam_value = self.polish(beam.columns, passes)
            if beam_value < value:
                return beam_columns, beam_value
        return columns, value

    def solve(self, hint_points: np.ndarray, deadline: float, beam_width: int,
              max_states: int, passes: int, deterministic: bool = False) -> _GroupAnswer:
        """Incumbent, then the exact search."""
        if self.n == 0:
            return _GroupAnswer(np.zeros(0, dtype=np.int64), 0.0, 0, True)
        share = max(0.0, deadline - time.perf_counter()) * HEURISTIC_SHARE
        heuristic_deadline = np.inf if deterministic else time.perf_counter() + share
        candidates = []
        greedy = np.zeros(self.n, dtype=np.int64)
        _dp_kernels.complete_greedy(0, 0.0, 0.0, *self.kernel_arrays, greedy)
        candidates.append(self.polish(greedy, passes))
        candidates.append(self.polish(self.kept.columns_of(hint_points), passes))
        candidates.append(self.polish(self.biased_start(), passes))
        best_columns, best_value = min(candidates, key=lambda cv: cv[1])
        if beam_width > 0:
            best_columns, best_value = self.beam(best_columns, best_value, heuristic_deadline,
                                                 beam_width, passes)
        # The proof pass keeps only the live stage (memory); a better complete state, rare
        # after the beam, is rebuilt by a second pass pruned at its value, which stores paths.
        incumbent = _Incumbent(best_value)
        exact = self.run_stages(best_value * (1 - PRUNE_RTOL), deadline, 0, max_states,
                                store=True, incumbent=incumbent)
        states, complete, reason = exact.states, exact.complete, exact.reason
        value = exact.makespan
        if exact.columns is not None and value <= incumbent.makespan:
            if value < best_value:
                best_columns, best_value = exact.columns, value
        elif incumbent.columns is not None and incumbent.makespan < best_value:
            best_columns, best_value = incumbent.columns, incumbent.makespan
        elif complete and min(value, incumbent.makespan) < best_value:
            value = min(value, incumbent.makespan)  # a probe's value is a real makespan
            dived = np.zeros(self.n, dtype=np.int64)
            target = value * (1 + 1e-12)
            if _dp_kernels.dive_to_target(*self.kernel_arrays, self.tables, target, DIVE_NODES,
                                          dived):
                found = self.makespan_of(dived)
                if found < best_value:
                    best_columns, best_value = dived, found
                    value = np.inf  # done: no second pass
        if value < best_value and complete:
            again = self.run_stages(value * (1 + 1e-12) + 1e-300, deadline, 0, max_states,
                                    store=True, incumbent=incumbent)
            states += again.states
            if again.columns is not None and again.makespan < best_value:
                best_columns, best_value = again.columns, again.makespan
            else:
                complete = False
                reason = f"optimum {value!r} proven but its schedule not rebuilt in time"
        lower = min(exact.lower_bound, best_value) * (1 - BOUND_SAFETY)
        return _GroupAnswer(self.kept.choices_of(best_columns), lower, states, complete, reason,
                            best_value)
