"""``milp-cbc`` and ``milp-highs``: one PuLP model of the recurrence, two back-ends.

The model (any number of devices and units): binaries ``x[j,i]`` with ``sum_i x[j,i] = 1`` over
the non-dominated points of event ``j`` (a dominated point is never needed, see
``_dp_bounds.dominant_points``); continuous ``ff[j]`` (front finish), ``fc[j]`` (cloud finish),
``M`` (makespan)::

    ff[j] >= a_j + sum_i F[j,i] x[j,i]
    ff[j] >= ff[previous event of the same device] + sum_i F[j,i] x[j,i]
    fc[j] >= ff[j] + sum_i (T[j,i] + C[j,i]) x[j,i]
    fc[j] >= fc[previous event of the same unit] + sum_i C[j,i] x[j,i]
    M >= fc[last event of each unit]        minimise M

Why ``>=`` is exact: for fixed ``x`` every finish time of the recurrence is the max of exactly
these right-hand sides, and each right-hand side is non-decreasing in the earlier finish times.
So by induction over the events any feasible ``ff, fc`` are at least the recurrence's times,
and the recurrence's times themselves are feasible; ``min M`` is the makespan of ``x``, and the
model's optimum is OPT. No big-M is needed.

The answer is always re-evaluated with ``ddp.evaluate``. Lower bounds:

* HiGHS: the solver's own ``mip_dual_bound``, read through ``highspy`` (PuLP 3 maps a time limit
  to "Optimal", so the model status is read from HiGHS too).
* CBC: PuLP 3 keeps neither its bound nor whether it stopped on time, so the log is parsed
  (``parse_cbc_log``). But CBC 2.10.3 (PuLP's bundled binary) is not trustworthy on this model:
  on random 12-event instances it ends 7 times in 30 with "Optimal solution found" at a makespan
  above the true optimum (HiGHS, ``dp`` and the warm start agree on the lower value; fed that
  schedule as a start, CBC accepts it), with cuts, preprocessing or heuristics on or off. So its
  claimed bound is kept in ``stats["cbc_claimed_bound"]`` and the reported bound is our own
  (``bounds.own_bound``: ``dp`` per device-unit pair), said in the message.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import warnings

import numpy as np

import ddp

from . import _dp_bounds as kern
from .bounds import own_bound
from .common import (SolverUnavailable, finish, kept_points, pair_bound, quiet_stdout,
                     warm_start, with_own_bound)
from .improve import better_start
from .result import Result


def _pulp():
    try:
        import pulp
    except ImportError as exc:  # pragma: no cover - pulp is a dependency
        raise SolverUnavailable("milp needs PuLP: pip install 'pulp>=2.8,<4'") from exc
    return pulp


class Model:
    """The PuLP problem of an instance, with its variables (times scaled by ``scale``)."""

    def __init__(self, inst: ddp.Instance, horizon: float):
        pulp = _pulp()
        self.inst = inst
        # Times are multiplied by a power of two (exact) that brings the horizon near 1000,
        # so that the solvers' absolute tolerances (about 1e-6) are small against every time.
        # (Times below about 1e-9 of the horizon are beyond any MILP solver's precision.)
        power = round(np.log2(1000.0 / horizon)) if horizon > 0 else 0
        self.scale = 2.0 ** int(np.clip(power, -40, 40))
        self.prob = pulp.LpProblem("ddp_opt", pulp.LpMinimize)
        pf, pt, pc, self.pidx, self.npts = kern.dominant_points(inst.front, inst.trans,
                                                                inst.cloud)
        pf, pt, pc = pf * self.scale, pt * self.scale, pc * self.scale
        n = inst.n
        var = getattr(self.prob, "add_variable", None) or pulp.LpVariable  # 3.3 deprecates
        self.x = [[var(f"x_{j}_{int(self.pidx[j, p])}", 0, 1, cat="Integer")
                   for p in range(self.npts[j])] for j in range(n)]
        self.ff = [var(f"ff_{j}", lowBound=0) for j in range(n)]
        self.fc = [var(f"fc_{j}", lowBound=0) for j in range(n)]
        self.makespan = var("makespan", lowBound=0)
        self.prob += self.makespan
        last_of_device: dict[int, int] = {}
        last_of_unit: dict[int, int] = {}
        for j in range(n):
            cols = range(self.npts[j])
            xs = self.x[j]
            front = pulp.lpSum(float(pf[j, p]) * xs[p] for p in cols)
            cloud = pulp.lpSum(float(pc[j, p]) * xs[p] for p in cols)
            ready_to_done = pulp.lpSum(float(pt[j, p] + pc[j, p]) * xs[p] for p in cols)
            self.prob += pulp.lpSum(xs) == 1, f"one_point_{j}"
            self.prob += self.ff[j] >= float(inst.arrival[j] * self.scale) + front, f"arrival_{j}"
            d, u = int(inst.device[j]), int(inst.unit[j])
            if d in last_of_device:
                self.prob += self.ff[j] >= self.ff[last_of_device[d]] + front, f"device_{j}"
            self.prob += self.fc[j] >= self.ff[j] + ready_to_done, f"ready_{j}"
            if u in last_of_unit:
                self.prob += self.fc[j] >= self.fc[last_of_unit[u]] + cloud, f"unit_{j}"
            last_of_device[d] = j
            last_of_unit[u] = j
        for u, j in last_of_unit.items():
            self.prob += self.makespan >= self.fc[j], f"makespan_{u}"

    def set_start(self, choices: np.ndarray) -> None:
        """Give every variable the value of the schedule of ``choices`` (the warm start)."""
        schedule = ddp.evaluate(self.inst, choices)
        for j, xs in enumerate(self.x):
            for p, var in enumerate(xs):
                var.setInitialValue(1 if self.pidx[j, p] == choices[j] else 0)
            self.ff[j].setInitialValue(float(schedule.finish_front[j] * self.scale))
            self.fc[j].setInitialValue(float(schedule.finish_cloud[j] * self.scale))
        self.makespan.setInitialValue(float(schedule.makespan * self.scale))

    def choices(self) -> np.ndarray | None:
        """The point of each event in the solver's solution (None when it has none)."""
        out = np.zeros(self.inst.n, dtype=np.int64)
        for j, xs in enumerate(self.x):
            values = [var.varValue for var in xs]
            if any(v is None for v in values):
                return None
            out[j] = self.pidx[j, int(np.argmax(values))]
        return out


def _start_point(choices: np.ndarray, model: Model) -> np.ndarray:
    """Warm-start points moved onto kept points."""
    cols = kept_points(model.inst, choices, model.pidx, model.npts)
    return model.pidx[np.arange(model.inst.n), cols]


def _better(inst: ddp.Instance, choices: np.ndarray | None, start: np.ndarray) -> np.ndarray:
    """The solver's choices, or the warm start when the solver has none or worse ones."""
    if choices is None:
        return start
    if ddp.evaluate(inst, choices).makespan > ddp.evaluate(inst, start).makespan:
        return start
    return choices


# -- CBC --------------------------------------------------------------------------------------
_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"


def parse_cbc_log(text: str) -> tuple[str, float | None]:
    """CBC's final result line and its best bound, from its log.

    Returns ``(result, bound)``: ``result`` like ``"Optimal solution found"`` or ``"Stopped on
    time limit"`` ("" when absent); ``bound`` from ``Lower bound:`` or ``best possible`` when the
    search stopped, from ``Objective value:`` when CBC proved optimality, else None.
    """
    result_match = re.search(r"Result - (.+)", text)
    result = result_match.group(1).strip() if result_match else ""
    bound = None
    lower = re.search(r"Lower bound:\s*" + _NUMBER, text)
    possible = re.findall(r"best possible " + _NUMBER, text)
    if lower:
        bound = float(lower.group(1))
    elif possible:
        bound = float(possible[-1])
    if result.startswith("Optimal solution found"):
        objective = re.search(r"Objective value:\s*" + _NUMBER, text)
        if objective:
            bound = float(objective.group(1)) if bound is None else max(
                bound, float(objective.group(1)))
    return result, bound


def solve_cbc(inst: ddp.Instance, time_limit: float = 60.0, hint=None, *, threads: int | None = None,
              started: float | None = None, msg: bool = False) -> Result:
    """OPT with CBC (PuLP's bundled ``PULP_CBC_CMD``), relative gap 0, warm started."""
    started = time.perf_counter() if started is None else started
    pulp = _pulp()
    start = better_start(inst, warm_start(inst, hint), time_limit)
    model = Model(inst, float(ddp.evaluate(inst, start).makespan))
    model.set_start(_start_point(start, model))
    remaining = max(1.0, float(time_limit) - (time.perf_counter() - started))
    with tempfile.TemporaryDirectory(prefix="ddp_cbc_") as tmp:
        log_path = os.path.join(tmp, "cbc.log")
        with warnings.catch_warnings():  # PuLP 3.3 warns that PuLP 4 drops the bundled CBC
            warnings.simplefilter("ignore", DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(msg=msg, timeLimit=remaining, gapRel=0.0,
                                       warmStart=True, threads=threads, logPath=log_path,
                                       keepFiles=False)
        if not solver.available():
            raise SolverUnavailable("CBC is not available: PuLP 3.x ships it (pip install "
                                    "'pulp<4'); PuLP 4 dropped it")
        try:
            model.prob.solve(solver)
        except pulp.PulpSolverError as exc:
            return finish(inst, start, 0.0, "milp-cbc", started, f"CBC failed: {exc}",
                          error=True)
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            log = handle.read()
    result, cbc_bound = parse_cbc_log(log)
    cbc_bound = None if cbc_bound is None else cbc_bound / model.scale
    choices = _better(inst, model.choices(), start)
    message = f"CBC: {result or pulp.LpStatus[model.prob.status]}"
    if result.startswith("Infeasible"):
        return finish(inst, start, 0.0, "milp-cbc", started, message + " (impossible for a "
                      "valid instance)", error=True)
    bound = own_bound(inst, time_limit=max(1.0, 0.25 * float(time_limit)))
    message += (f" (CBC's own bound {cbc_bound}, not used: CBC 2.10.3 prunes true optima of "
                f"this model; the bound reported is our per-pair dp bound)")
    return finish(inst, choices, bound, "milp-cbc", started, message,
                  {"cbc_result": result, "cbc_claimed_bound": cbc_bound})


# -- HiGHS ------------------------------------------------------------------------------------
def _run_highs(model: Model, time_limit: float, threads: int | None, msg: bool, warm: bool):
    """One HiGHS run on ``model``. Returns ``(status, status_text, info, choices or None)``."""
    pulp = _pulp()
    import highspy

    class WarmHiGHS(pulp.HiGHS):
        """PuLP's HiGHS API plus the warm start it lacks (``Highs.setSolution``)."""

        def callSolver(self, lp):
            if warm:
                variables = lp.variables()
                values = [0.0] * len(variables)
                for var in variables:
                    values[var.index] = float(var.varValue or 0.0)
                solution = highspy.HighsSolution()
                solution.col_value = values
                solution.value_valid = True
                lp.solverModel.setSolution(solution)
            lp.solverModel.run()

    options = {"mip_rel_gap": 0.0, "mip_abs_gap": 0.0}
    solver = WarmHiGHS(msg=msg, timeLimit=time_limit, threads=threads, **options)
    with quiet_stdout(not msg):
        model.prob.solve(solver)
    highs = model.prob.solverModel
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_solution = int(info.primal_solution_status) == 2  # kSolutionStatusFeasible
    return status, highs.modelStatusToString(status), info, (model.choices() if has_solution
                                                              else None)


def solve_highs(inst: ddp.Instance, time_limit: float = 60.0, hint=None, *,
                threads: int | None = None, started: float | None = None,
                msg: bool = False) -> Result:
    """OPT with HiGHS (PuLP's ``HiGHS`` API over ``highspy``), relative gap 0, warm started.

    HiGHS 1.16 with a start solution (``setSolution``) can lose the objective offset of its
    presolved problem: on a 6-event instance it printed "MIP start ... objective 1024, in the
    reduced space 512" and ended "Optimal" at 512. So the claimed objective is checked against
    the re-evaluated makespan of HiGHS's own choices; on a mismatch the run is repeated without
    the start, and a bound is taken from HiGHS only when the claim checks out.
    """
    started = time.perf_counter() if started is None else started
    try:
        import highspy
    except ImportError as exc:
        raise SolverUnavailable("milp-highs needs highspy: pip install highspy") from exc
    start = better_start(inst, warm_start(inst, hint), time_limit)
    model = Model(inst, float(ddp.evaluate(inst, start).makespan))
    model.set_start(_start_point(start, model))
    notes = []
    for warm in (True, False):
        remaining = max(1.0, float(time_limit) - (time.perf_counter() - started))
        try:
            status, status_text, info, found = _run_highs(model, remaining, threads, msg, warm)
        except Exception as exc:  # highspy raises several types
            return finish(inst, start, 0.0, "milp-highs", started, f"HiGHS failed: {exc}",
                          error=True)
        if status == highspy.HighsModelStatus.kInfeasible:
            return finish(inst, start, 0.0, "milp-highs", started, f"HiGHS: {status_text} "
                          f"(impossible for a valid instance)", error=True)
        claimed = float(info.objective_function_value) / model.scale
        consistent = found is not None and abs(
            claimed - ddp.evaluate(inst, found).makespan) <= 1e-6 * max(1.0, abs(claimed))
        if consistent or found is None or not warm:
            break
        notes.append(f"warm-started HiGHS claimed {claimed:.9g} for a schedule of "
                     f"makespan {ddp.evaluate(inst, found).makespan:.9g}; solved again cold")
    bound = float(info.mip_dual_bound) / model.scale
    gap = float(info.mip_gap)
    if consistent and status == highspy.HighsModelStatus.kOptimal and 0 <= gap < 1:
        # The dual bound can also miss the offset; HiGHS's optimality claim is its own
        # objective (checked above) and relative gap.
        bound = max(bound, claimed * (1.0 - gap))
    if not consistent:
        bound = min(bound, own_bound(inst, time_limit=max(1.0, 0.1 * float(time_limit))))
        notes.append("HiGHS's objective does not match its schedule; bound capped by ours")
    choices = _better(inst, found, start)
    message = "; ".join([f"HiGHS: {status_text}", *notes])
    if not np.isfinite(bound):
        bound = pair_bound(inst)
        message += "; HiGHS has no finite bound, reporting the combinatorial pair bound"
    bound, message = with_own_bound(inst, bound, message)
    return finish(inst, choices, bound, "milp-highs", started, message,
                  {"highs_status": status_text, "solver_bound": bound,
                   "nodes": int(info.mip_node_count)})
