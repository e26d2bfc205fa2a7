"""``dp``: our exact method, a bounded dynamic program over (front free, cloud free) states.

Supports instances where every group of events that shares a device or a cloud unit has one
device and one unit (one device and one unit; or m devices each with its own unit); the groups
are solved one by one and the makespan is their max. Several devices sharing a unit (or one
device on several units) raise ``UnsupportedInstance``: use ``cpsat`` or ``milp-*`` there.

How a group is solved (kernels in ``_dp_kernels``, bounds in ``_dp_bounds``):

1. Dominated points go first: a point no better than another in front time, front + transfer
   time and cloud time can never be needed.
2. An incumbent: DDP's rule, the hint, the best biased greedy rule (``improve``), a beam search
   of the same DP (the ``beam_width`` states of least bound per stage), each polished by
   single-event local search; the best is kept.
3. The exact DP runs stage by stage. States are normalised (an idle device or unit takes the
   arrival or the least ready time, which changes no outcome), reduced to their Pareto set, and
   a child is dropped when its lower bound reaches ``incumbent * (1 - 1e-9)``: a Lagrangian
   bound over the cloud and every front path, priced on a grid of 129 or 257 levels;
   as the grid refines it tends to the LP relaxation of the remaining events (measured at the
   root, n = 100, 65 levels: 11303.3 against the LP's 11304.9 and the optimum 11306.4).
4. Every few stages DDP's rule finishes a few live states: a better makespan tightens the
   pruning at once.
5. The lower bound is the least of the bounds of every dropped child and the best complete
   state; if the time or state budget runs out first, the least bound of the live states joins
   it. All bounds are then lowered by a relative 1e-11 to cover floating-point rounding.
"""

from __future__ import annotations

import time

import numpy as np

import ddp

from . import _dp_bounds as bounds_kern
from . import _dp_kernels as kern
from . import _improve_kernels as improve_kern
from .common import UnsupportedInstance, components, finish, warm_start
from .improve import CLOUD_BIASES, FRONT_BIASES
from .result import Result

PRUNE_RTOL = 1e-9  # a child within this of the incumbent cannot be worth keeping
BOUND_SAFETY = 1e-11  # relative margin for rounding in the bound's sums
STEPS_PER_SECOND = 5e7  # recurrence steps of the local search per second (measured ~1e8)
HEURISTIC_SHARE = 0.3  # at most this share of the time limit goes to incumbents
STORE_BUDGET = 60_000_000  # paths kept for rebuilding (6 bytes per state); beyond, 2nd pass
DIVE_NODES = 200_000  # nodes of the depth-first rebuild of a proven optimum
MAX_CHILDREN = 12_000_000  # children of one stage held at once (about 40 bytes each)


def check_supported(inst: ddp.Instance) -> None:
    """Raise ``UnsupportedInstance`` unless each group has one device and one cloud unit."""
    for _events, devices, units in components(inst):
        if len(devices) > 1 or len(units) > 1:
            raise UnsupportedInstance(
                f"dp is exact only when every device has its own cloud unit; here device(s) "
                f"{devices.tolist()} share unit(s) {units.tolist()}: use --solver cpsat, "
                f"milp-highs or milp-cbc (or auto)")


def solve_dp(inst: ddp.Instance, time_limit: float = 60.0, hint=None, *, beam_width: int = 64,
             weights: int | None = None, max_states: int = 5_000_000, local_search_passes: int = 4,
             started: float | None = None) -> Result:
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
        from 500 on (finer levels prune more, each state's bound costs more; measured: n = 1000
        with gaps 0-120 ms, 38 s at 65 levels, 28 s at 129, 19 s at 257).
    max_states : int
        Most live states in one stage (memory: about 40 bytes per state and point); over it,
        stop like a time limit. Paths of up to ``STORE_BUDGET`` states (6 bytes each) are kept
        to rebuild a schedule better than the incumbent; past that the search keeps only the
        live stage and rebuilds by a depth-first dive to the proven value or a second pass.
    local_search_passes : int
        Passes of single-event local search on each incumbent.
    """
    started = time.perf_counter() if started is None else started
    check_supported(inst)
    deadline = started + float(time_limit)
    hint_choices = warm_start(inst, hint)
    choices = hint_choices.copy()
    bound = 0.0
    stats = {"states": 0, "groups": 0, "complete": True}
    notes = []
    for events, _, _ in components(inst):
        levels = weights if weights is not None else (257 if len(events) >= 500 else 129)
        group = _Group(inst, events, levels)
        group.time_limit = float(time_limit)
        group_choices, group_bound, group_stats = group.solve(
            hint_choices[events], deadline, beam_width, max_states,
            local_search_passes)
        choices[events] = group_choices
        bound = max(bound, group_bound)
        stats["states"] += group_stats["states"]
        stats["groups"] += 1
        stats["incumbent"] = max(stats.get("incumbent", 0.0), group_stats.get("incumbent", 0.0))
        if not group_stats["complete"]:
            stats["complete"] = False
            notes.append(group_stats["reason"])
    message = "search complete" if stats["complete"] else "stopped: " + "; ".join(notes)
    return finish(inst, choices, bound, "dp", started, message, stats)


class _Group:
    """One device and one unit: the arrays of the kernels and the search on them."""

    def __init__(self, inst: ddp.Instance, events: np.ndarray, weights: int):
        self.arrival = np.ascontiguousarray(inst.arrival[events])
        self.pf, self.pt, self.pc, self.pidx, self.npts = bounds_kern.dominant_points(
            np.ascontiguousarray(inst.front[events]), np.ascontiguousarray(inst.trans[events]),
            np.ascontiguousarray(inst.cloud[events]))
        self.front = inst.front[events]
        self.trans = inst.trans[events]
        self.cloud = inst.cloud[events]
        self.weights = np.linspace(0.0, 1.0, max(2, int(weights)))
        CM = bounds_kern.least_cloud_suffix(self.pc, self.npts)
        V = bounds_kern.path_tables(self.pf, self.pt, self.pc, self.npts, self.weights)
        SM = bounds_kern.later_start_tables(self.arrival, CM, V, self.weights)
        self.tables = (self.weights, V, CM, SM)
        self.n = len(events)

    # -- incumbents --------------------------------------------------------------------------
    def hint_columns(self, points: np.ndarray) -> np.ndarray:
        cols = np.zeros(self.n, dtype=np.int64)
        for e in range(self.n):
            width = self.npts[e]
            hit = np.flatnonzero(self.pidx[e, :width] == points[e])
            if len(hit):
                cols[e] = hit[0]
                continue
            i = points[e]
            f, r, c = self.front[e, i], self.front[e, i] + self.trans[e, i], self.cloud[e, i]
            beats = ((self.pf[e, :width] <= f) & (self.pf[e, :width] + self.pt[e, :width] <= r)
                     & (self.pc[e, :width] <= c))
            cols[e] = int(np.flatnonzero(beats)[0])
        return cols

    def biased_start(self) -> np.ndarray:
        """The best of ``improve``'s biased greedy rules (cheap, often far better than DDP)."""
        single = np.zeros(self.n, dtype=np.int64)
        best_value, best_cols = np.inf, None
        for cloud_bias in CLOUD_BIASES:
            for front_bias in FRONT_BIASES:
                cols = np.zeros(self.n, dtype=np.int64)
                value = improve_kern.biased_greedy(self.arrival, self.pf, self.pt, self.pc,
                                                   self.npts, single, single, 1, 1, cloud_bias,
                                                   front_bias, cols)
                if value < best_value:
                    best_value, best_cols = value, cols
        return best_cols

    def makespan_of(self, cols: np.ndarray) -> float:
        return kern.local_search(self.arrival, self.pf, self.pt, self.pc, self.npts,
                                 cols.copy(), 0, 0)

    def polish(self, cols: np.ndarray, passes: int, seconds: float) -> tuple[np.ndarray, float]:
        """Local search on ``cols`` for at most ``passes`` passes and about ``seconds``."""
        cols = cols.copy()
        budget = int(max(seconds, 0.0) * STEPS_PER_SECOND) + self.n
        value = kern.local_search(self.arrival, self.pf, self.pt, self.pc, self.npts, cols,
                                  passes, budget)
        return cols, value

    # -- the stage loop, shared by the beam and the exact search ---------------------------
    def probe(self, j: int, front: np.ndarray, cloud: np.ndarray):
        """DDP's rule from the states of least C, least F and the middle, before event ``j``.

        Returns ``(makespan, state, columns of events j..n-1)`` of the best of the three.
        """
        best = (np.inf, -1, None)
        for s in sorted({0, len(front) - 1, len(front) // 2}):
            suffix = np.zeros(self.n, dtype=np.int64)
            value = kern.complete_greedy(j, front[s], cloud[s], self.arrival, self.pf, self.pt,
                                         self.pc, self.npts, suffix)
            if value < best[0]:
                best = (value, s, suffix)
        return best

    @staticmethod
    def rebuild(parents, points, j: int, index: int, cols: np.ndarray) -> None:
        """Write the columns of events ``0..j`` on the stored path to state ``index``."""
        for e in range(j, -1, -1):
            cols[e] = points[e][index]
            index = parents[e][index]

    def run_stages(self, threshold: float, deadline: float, beam_width: int,
                   max_states: int, store: bool = True):
        """The stage loop of the beam (``beam_width > 0``) or of the exact search.

        Returns ``(cols, value, lower_bound, stats)``: the best complete state's makespan
        ``value`` (inf when every path was pruned) and, when ``store``, its columns (else None).
        """
        front = np.zeros(1)
        cloud = np.zeros(1)
        parents, points = [], []
        pruned = np.inf
        hot = np.zeros(1, dtype=np.int64)
        visited = 0
        peak = 1

        def stop(j: int, reason: str):
            live = bounds_kern.frontier_bound(j, front, cloud, self.arrival, self.tables)
            stats = {"states": visited, "peak": peak, "complete": False, "reason": reason}
            return None, np.inf, min(pruned, live), stats

        for j in range(self.n):
            if beam_width == 0 and (len(front) > max_states or
                                    len(front) * self.pf.shape[1] > MAX_CHILDREN):
                return stop(j, f"{len(front)} states at event {j} of {self.n} (memory guard, "
                               f"max_states={max_states})")
            out = kern.expand_stage(j, front, cloud, self.arrival, self.pf, self.pt, self.pc,
                                    self.npts, self.tables, threshold, beam_width > 0, hot)
            front, cloud, parent, point, state_bounds, pruned_here = out
            pruned = min(pruned, pruned_here)
            if beam_width > 0 and len(front) > beam_width:
                keep = np.sort(np.argsort(state_bounds, kind="stable")[:beam_width])
                front, cloud, parent, point = front[keep], cloud[keep], parent[keep], point[keep]
            if store and visited + len(front) > STORE_BUDGET and beam_width == 0:
                store = False  # too many to keep: rebuild the schedule by a second pass
                parents, points = [], []
            if store:
                parents.append(parent.astype(np.int32))
                points.append(point.astype(np.int16))
            visited += len(front)
            peak = max(peak, len(front))
            if len(front) == 0:
                break
            if beam_width == 0 and j < self.n - 1 and j % self.probe_every == 0:
                # Complete a few states greedily: a smaller makespan tightens the pruning at
                # once (its schedule is rebuilt at the end, see ``solve``).
                value, state, suffix = self.probe(j + 1, front, cloud)
                if value < self.upper:
                    self.upper = value
                    threshold = value * (1 - PRUNE_RTOL)
                    self.upper_cols = None
                    if store:
                        self.rebuild(parents, points, j, state, suffix)
                        self.upper_cols = suffix
            if time.perf_counter() > deadline and j < self.n - 1:
                if beam_width > 0:
                    return None, np.inf, pruned, {"states": visited, "complete": False}
                return stop(j + 1, f"time limit at event {j + 1} of {self.n}")
        stats = {"states": visited, "peak": peak, "complete": True, "reason": ""}
        if len(front) == 0:
            return None, np.inf, pruned, stats
        best = int(np.argmin(cloud))
        value = float(cloud[best])
        if not store:
            stats["rebuild"] = True
            return None, value, min(pruned, value), stats
        cols = np.zeros(self.n, dtype=np.int64)
        self.rebuild(parents, points, self.n - 1, best, cols)
        return cols, value, min(pruned, value), stats

    def solve(self, hint_points, deadline, beam_width, max_states, passes):
        """Incumbent, then the exact search. Returns (points, lower bound, stats)."""
        if self.n == 0:
            return np.zeros(0, dtype=np.int64), 0.0, {"states": 0, "complete": True}
        share = max(0.0, deadline - time.perf_counter()) * HEURISTIC_SHARE
        heuristic_deadline = time.perf_counter() + share
        candidates = []
        greedy = np.zeros(self.n, dtype=np.int64)
        kern.complete_greedy(0, 0.0, 0.0, self.arrival, self.pf, self.pt, self.pc, self.npts,
                             greedy)
        # local search budgets from the time limit argument, not the clock: reproducible
        budget = self.time_limit * HEURISTIC_SHARE / 4
        candidates.append(self.polish(greedy, passes, budget))
        candidates.append(self.polish(self.hint_columns(hint_points), passes, budget))
        candidates.append(self.polish(self.biased_start(), passes, budget))
        best_cols, best_value = min(candidates, key=lambda cv: cv[1])
        if beam_width > 0:
            beam_cols, beam_value, _, _ = self.run_stages(best_value * (1 - PRUNE_RTOL),
                                                          heuristic_deadline, beam_width,
                                                          max_states)
            if beam_cols is not None:
                beam_cols, beam_value = self.polish(beam_cols, passes, budget)
                if beam_value < best_value:
                    best_cols, best_value = beam_cols, beam_value
        # The proof pass keeps only the live stage (memory); a better complete state, rare
        # after the beam, is rebuilt by a second pass pruned at its value, which stores paths.
        self.upper = best_value
        self.upper_cols = None
        self.probe_every = max(1, self.n // 1000)
        cols, value, lower, stats = self.run_stages(best_value * (1 - PRUNE_RTOL), deadline, 0,
                                                    max_states, store=True)
        if cols is not None and value <= self.upper:
            if value < best_value:
                best_cols, best_value = cols, value
        elif self.upper_cols is not None and self.upper < best_value:
            best_cols, best_value = self.upper_cols, self.upper
        elif stats["complete"] and min(value, self.upper) < best_value:
            value = min(value, self.upper)  # a probe's value is a real schedule's makespan
            dived = np.zeros(self.n, dtype=np.int64)
            target = value * (1 + 1e-12)
            if kern.dive_to_target(self.arrival, self.pf, self.pt, self.pc, self.npts,
                                   self.tables, target, DIVE_NODES, dived):
                found = self.makespan_of(dived)
                if found < best_value:
                    best_cols, best_value = dived, found
                    value = np.inf  # done: no second pass
        if value < best_value and stats["complete"]:
            cols, found, _, again = self.run_stages(value * (1 + 1e-12) + 1e-300, deadline, 0,
                                                    max_states, store=True)
            stats["states"] += again["states"]
            if cols is not None and found < best_value:
                best_cols, best_value = cols, found
            else:
                stats.update(complete=False, reason=f"optimum {value!r} proven but its "
                                                    f"schedule not rebuilt in time")
        lower = min(lower, best_value) * (1 - BOUND_SAFETY)
        stats["incumbent"] = best_value
        return self.pidx[np.arange(self.n), best_cols], lower, stats
