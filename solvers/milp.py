"""``milp-cbc`` and ``milp-highs``: the PuLP model of ``model.Model``, two back-ends.

Times are multiplied by a power of two (exact) that brings the horizon near 1000, so that the
solvers' absolute tolerances (about 1e-6) are small against every time. The answer is always
re-evaluated with ``ddp.evaluate``. Lower bounds:

* HiGHS: the solver's own ``mip_dual_bound``, read through ``highspy`` (PuLP 3 maps a time limit
  to "Optimal", so the model status is read from HiGHS too).
* CBC: PuLP 3 keeps neither its bound nor whether it stopped on time, so the log is parsed
  (``parse_cbc_log``). CBC 2.10.3 (PuLP's bundled binary) ends "Optimal" above the optimum when
  the model minimises a makespan variable (docs/solvers.md, "Known solver defects"), so CBC
  runs once per independent group of events and minimises the group's last cloud finish
  (``CBC_TRUSTED_FORM``), warm started only on groups with one cloud unit; its bound is used
  only as ``trusted_bound`` says, else ours (``bounds.own_bound``), said in the message.

Each back-end is three steps: ``build`` (the PuLP problem and its warm start), ``run_*`` (the
native solve, whose own errors become ``SolverError``) and ``convert_*`` (choices, bound and
message of an ``Outcome``).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import re
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

import ddp

from .bounds import out_of_time, own_bound, pair_bound, with_cheap_bound
from .components import components
from .errors import OutOfTime, SolverError, SolverUnavailable, native_call
from .improve import better_start, warm_start
from .model import CLOUD_FINISH, FRONT_FINISH, LAST_FINISH_FORM, MAKESPAN, MAKESPAN_FORM, Model, Row
from .result import OPTIMAL_RTOL, Outcome, proven
from .stoppable import STOP_GRACE_SECONDS, BuildClock, run_highs_stoppable, run_stoppable


def _pulp():
    try:
        import pulp
    except ImportError as exc:  # pragma: no cover - pulp is a dependency
        raise SolverUnavailable("milp needs PuLP: pip install 'pulp>=2.8,<4'") from exc
    return pulp


@contextlib.contextmanager
def quiet_stdout(enabled: bool = True) -> Iterator[None]:
    """Send what a native library prints on file descriptor 1 to /dev/null.

    HiGHS prints its banner from C++ before PuLP can switch its output off; the CLI's ``--json``
    lines must stay clean.
    """
    if not enabled:
        yield
        return
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real file descriptor (e.g. captured): nothing to protect
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


# -- build ------------------------------------------------------------------------------------
@dataclass
class Problem:
    """The PuLP problem of an instance, its variables and the scale of its times."""

    inst: ddp.Instance
    model: Model
    scale: float
    prob: Any
    x: list[list[Any]]
    times: dict[tuple[str, int], Any]

    def set_start(self, choices: np.ndarray) -> None:
        """Give every variable the value of the schedule of ``choices`` (the warm start)."""
        schedule = ddp.evaluate(self.inst, choices)
        index = self.model.kept.index
        for j, xs in enumerate(self.x):
            for p, var in enumerate(xs):
                var.setInitialValue(1 if index[j, p] == choices[j] else 0)
            self.times[FRONT_FINISH, j].setInitialValue(
                float(schedule.finish_front[j] * self.scale))
            self.times[CLOUD_FINISH, j].setInitialValue(
                float(schedule.finish_cloud[j] * self.scale))
        if (MAKESPAN, 0) in self.times:
            self.times[MAKESPAN, 0].setInitialValue(float(schedule.makespan * self.scale))

    def choices(self) -> np.ndarray | None:
        """The point of each event in the solver's solution (None when it has none)."""
        columns = np.zeros(self.inst.n, dtype=np.int64)
        for j, xs in enumerate(self.x):
            values = [var.varValue for var in xs]
            if any(v is None for v in values):
                return None
            columns[j] = int(np.argmax(values))
        return self.model.kept.choices_of(columns)


def build(inst: ddp.Instance, start: np.ndarray, form: str = MAKESPAN_FORM,
          clock: BuildClock | None = None) -> Problem:
    """The PuLP problem of ``model.Model`` with its objective in form ``form``
    (``Model.objective``), warm started from the choices ``start``; ``clock`` raises
    ``OutOfTime`` when the time limit passes while the rows are added."""
    pulp = _pulp()
    tick = clock.tick if clock is not None else (lambda: None)
    horizon = float(ddp.evaluate(inst, start).makespan)
    power = round(np.log2(1000.0 / horizon)) if horizon > 0 else 0
    scale = 2.0 ** int(np.clip(power, -40, 40))
    model = Model.of(inst).with_times(lambda t: t * scale)
    prob = pulp.LpProblem("ddp_opt", pulp.LpMinimize)
    var = getattr(prob, "add_variable", None) or pulp.LpVariable  # 3.3 deprecates
    index = model.kept.index
    x = [[var(f"x_{j}_{int(index[j, p])}", 0, 1, cat="Integer") for p in model.columns(j)]
         for j in range(model.n)]
    times = {(kind, j): var(f"{kind}_{j}", lowBound=0)
             for kind in (FRONT_FINISH, CLOUD_FINISH) for j in range(model.n)}
    target, _ = model.objective(form)
    if target == (MAKESPAN, 0):
        times[MAKESPAN, 0] = var(MAKESPAN, lowBound=0)

    def one_point(j: int) -> None:
        nonlocal prob
        prob += pulp.lpSum(x[j]) == 1, f"one_point_{j}"

    def add_row(row: Row) -> None:
        nonlocal prob
        tick()
        right = times[row.right] if row.right is not None else 0
        work = 0 if row.event is None else pulp.lpSum(
            float(c) * v for c, v in zip(row.coefficients, x[row.event], strict=True))
        prob += times[row.left] >= right + float(row.constant) + work, row.name

    # events that keep one point (the restricted models of ``vertex``) are folded away where
    # the form allows (``Model.folded``)
    prob += times[model.feed(one_point, add_row, form, fold=form == MAKESPAN_FORM)]
    problem = Problem(inst, model, scale, prob, x, times)
    # the model has only kept points: a dropped point's start moves to one at least as good
    problem.set_start(model.kept.choices_of(model.kept.columns_of(start)))
    return problem


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


def _stop_processes(executable: str) -> bool:
    """Terminate this process's children running ``executable`` (Linux: ``/proc``); whether
    there was one."""
    found = False
    try:
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:  # no /proc: CBC then stops on its own limit only
        return False
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            if parent != os.getpid():
                continue
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                program = handle.read().split(b"\0", 1)[0].decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        if os.path.realpath(program) == os.path.realpath(executable):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            found = True
    return found


def run_cbc(problem: Problem, time_limit: float, threads: int | None,
            msg: bool, warm: bool = True) -> tuple[str, float | None]:
    """One CBC run (from the problem's start values when ``warm``); returns CBC's result line
    and its claimed bound (unscaled) from its log.

    CBC runs in a subprocess that PuLP waits for; CBC's own limit (``-sec``) is not kept while
    it preprocesses a large model. So PuLP waits in a thread (``stoppable.run_stoppable``) and
    the CBC process is killed just after the limit, or on Ctrl-C or SIGTERM (then raised
    again); a killed CBC gives ``"Stopped at the time limit (killed)"`` and no bound.
    """
    pulp = _pulp()
    with tempfile.TemporaryDirectory(prefix="ddp_cbc_") as tmp:
        log_path = os.path.join(tmp, "cbc.log")
        with warnings.catch_warnings():  # PuLP 3.3 warns that PuLP 4 drops the bundled CBC
            warnings.simplefilter("ignore", DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(msg=msg, timeLimit=time_limit, gapRel=0.0,
                                       warmStart=warm, threads=threads, logPath=log_path,
                                       keepFiles=False)
        # PuLP deletes its model files only when CBC returns; a killed CBC would leave them
        # behind in the system's temporary folder, so they go in ours, removed in any case.
        solver.tmpDir = tmp
        if not solver.available():
            raise SolverUnavailable("CBC is not available: PuLP 3.x ships it (pip install "
                                    "'pulp<4'); PuLP 4 dropped it")
        killed = []

        def stop() -> None:
            if _stop_processes(solver.path):
                killed.append(True)

        deadline = time.perf_counter() + float(time_limit) + STOP_GRACE_SECONDS
        try:
            with native_call("CBC"):
                run_stoppable(lambda: problem.prob.solve(solver), stop, deadline, name="CBC")
        except SolverError:
            if not killed:
                raise
        if killed:
            return KILLED, None
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            log = handle.read()
    result, claimed = parse_cbc_log(log)
    return result, None if claimed is None else claimed / problem.scale


KILLED = "Stopped at the time limit (killed)"
NOT_RUN = "Not run: the time limit passed while its model was built"
CBC_BOUND_SHARE = 0.1  # kept from CBC's share of the limit for our own bound (convert_cbc)


# The one objective form whose "Optimal" CBC 2.10.3 is trusted with: verified against dp and
# enumeration on the regression set of tests/solvers/test_cbc.py (benchmarks/bench_cbc.py
# measures every form). With ``"makespan"`` CBC takes the objective for integral and prunes
# every node that cannot improve by 0.9999 (docs/solvers.md, "Known solver defects").
CBC_TRUSTED_FORM = LAST_FINISH_FORM


@dataclass
class CbcGroup:
    """CBC's run on one group of events: the sub-instance, its problem and CBC's claim."""

    events: np.ndarray
    inst: ddp.Instance
    start: np.ndarray
    problem: Problem | None  # None: not run, the time limit passed first
    warm: bool
    result: str
    claimed: float | None

    @property
    def units(self) -> int:
        return len(np.unique(self.inst.unit))

    def choices(self) -> np.ndarray:
        """CBC's choices for the group, or its start when CBC has none or worse ones."""
        if self.problem is None:
            return self.start
        return _better(self.inst, self.problem.choices(), self.start)


def run_cbc_groups(inst: ddp.Instance, start: np.ndarray, time_limit: float,
                   threads: int | None = None, msg: bool = False,
                   form: str = CBC_TRUSTED_FORM, split: bool = True,
                   started: float | None = None, warm: bool | None = None) -> list[CbcGroup]:
    """CBC on each independent group of events (``components``; the whole instance unless
    ``split``), sharing ``time_limit`` by group size.

    A group with one cloud unit starts from ``start``; one with several units starts cold
    (``warm=None``; True or False forces either): warm started there, CBC 2.10.3 ended
    "Optimal" above the optimum on 5 of 30 measured instances, cold on none.
    """
    started = time.perf_counter() if started is None else started
    clock = BuildClock(started + float(time_limit))
    groups = [events for events, _, _ in components(inst)] if split and inst.n else [
        np.arange(inst.n)]
    runs = []
    left = inst.n
    for events in groups:
        sub = inst.subset(events)
        from_start = len(np.unique(sub.unit)) == 1 if warm is None else warm
        try:
            problem = build(sub, start[events], form, clock)
            clock.check()
            share = clock.remaining() * len(events) / max(left, 1)
            result, claimed = run_cbc(problem, share, threads, msg, from_start)
        except OutOfTime:
            problem, result, claimed = None, NOT_RUN, None
        left -= len(events)
        runs.append(CbcGroup(events, sub, start[events], problem, from_start, result,
                             claimed))
    return runs


def trusted_bound(group: CbcGroup, form: str) -> tuple[float | None, str]:
    """CBC's bound for the group when the rule trusts it (else None), and why not.

    The rule: the verified objective form; a group with several cloud units run cold; and a
    bound not above the re-evaluated makespan of the group's choices.
    """
    if form != CBC_TRUSTED_FORM:
        return None, f"objective form {form!r}, where CBC 2.10.3 can end 'Optimal' above OPT"
    if group.units > 1 and group.warm:
        return None, ("a warm-started group with several cloud units, where CBC can end "
                      "'Optimal' above OPT")
    if group.claimed is None or not np.isfinite(group.claimed):
        return None, "CBC printed no bound"
    objective = float(ddp.evaluate(group.inst, group.choices()).makespan)
    if group.claimed > objective + OPTIMAL_RTOL * abs(objective):
        return None, f"CBC's bound {group.claimed:.9g} is above its schedule's {objective:.9g}"
    return min(group.claimed, objective), ""


def convert_cbc(inst: ddp.Instance, start: np.ndarray, groups: list[CbcGroup],
                time_limit: float, form: str = CBC_TRUSTED_FORM) -> Outcome:
    """CBC's choices group by group (or the start's), and the best bound: CBC's own where the
    rule trusts it (``trusted_bound``), raised by ours (within ``time_limit`` seconds, the time
    left) when that does not prove the answer."""
    choices = start.copy()
    bound = 0.0
    notes = []
    results = []
    for group in groups:
        results.append(group.result or _pulp().LpStatus[group.problem.prob.status])
        if group.result.startswith("Infeasible"):
            return Outcome(start, 0.0, f"CBC: {group.result} (impossible for a valid "
                           f"instance)", failed=True)
        choices[group.events] = group.choices()
        trusted, why = trusted_bound(group, form)
        if trusted is None:
            notes.append(why)
        else:
            bound = max(bound, trusted)
    stats = {"cbc_results": results, "cbc_claimed_bounds": [g.claimed for g in groups],
             "cbc_form": form, "groups": len(groups)}
    message = "CBC: " + ", ".join(dict.fromkeys(results))
    if notes:
        message += f" (CBC's bound not used on {len(notes)} group(s): " + "; ".join(
            dict.fromkeys(notes)) + ")"
    objective = float(ddp.evaluate(inst, choices).makespan)
    if proven(objective, bound):
        return Outcome(choices, bound, message, stats)
    bound, message = with_cheap_bound(inst, bound, message)
    if not proven(objective, bound):
        ours = own_bound(inst, time_limit=max(0.1, float(time_limit)))
        if ours > bound:
            bound = ours
            message += "; our per-pair dp bound is higher, reported"
    return Outcome(choices, bound, message, stats)


def solve_cbc(inst: ddp.Instance, time_limit: float = 60.0,
              hint: np.ndarray | None = None, *,
              threads: int | None = None, started: float | None = None,
              msg: bool = False, objective_form: str = CBC_TRUSTED_FORM,
              split: bool = True) -> Outcome:
    """OPT with CBC (PuLP's bundled ``PULP_CBC_CMD``), relative gap 0, warm started, one run
    per independent group of events.

    ``objective_form`` (``model.OBJECTIVE_FORMS``) and ``split`` are for measuring CBC
    (benchmarks/bench_cbc.py); CBC's bound is used only as ``trusted_bound`` says.
    """
    started = time.perf_counter() if started is None else started
    start = better_start(inst, warm_start(inst, hint), time_limit)
    groups = run_cbc_groups(inst, start, (1 - CBC_BOUND_SHARE) * float(time_limit), threads,
                            msg, objective_form, split, started)
    left = float(time_limit) - (time.perf_counter() - started)
    return convert_cbc(inst, start, groups, left, objective_form)


# -- HiGHS ------------------------------------------------------------------------------------
@dataclass
class HighsRun:
    """What one HiGHS run left: its model status, info and choices (None without any)."""

    status: Any
    status_text: str
    info: Any
    choices: np.ndarray | None


# HiGHS 1.16's presolve rule "Fourier-Motzkin" (bit 22 of ``presolve_rule_off``, in the order
# of the rule names HiGHS prints) reads neither the time limit nor an interrupt, and runs far
# past the limit on models where most events keep one point, their rows chains of constants
# (docs/solvers.md, "Known solver defects"); elsewhere HiGHS keeps its default. Earlier
# versions have no such rule.
FOURIER_MOTZKIN_RULE = 22
FOURIER_MOTZKIN_SINCE = (1, 16)
# the share of events with one kept point from which a model is run without it
FIXED_SHARE = 0.5


def presolve_options(model: Model) -> dict[str, int]:
    """HiGHS options for ``model``: presolve without its Fourier-Motzkin rule where most events
    keep one point and the installed HiGHS has the rule."""
    release = importlib.metadata.version("highspy").split(".")
    version = tuple(int(re.match(r"\d*", part).group() or 0) for part in release[:2])
    fixed = np.count_nonzero(model.kept.count == 1)
    if version < FOURIER_MOTZKIN_SINCE or fixed <= FIXED_SHARE * len(model.kept.count):
        return {}
    return {"presolve_rule_off": 1 << FOURIER_MOTZKIN_RULE}


def run_highs(problem: Problem, time_limit: float, threads: int | None, msg: bool,
              warm: bool, clock: BuildClock | None = None) -> HighsRun:
    """One HiGHS run on ``problem`` (from its start values when ``warm``).

    With ``clock``, PuLP's copy of the model into HiGHS is timed too (``OutOfTime`` when the
    limit passes during it) and HiGHS gets the time left, not ``time_limit``. The run itself is
    stoppable (``stoppable.run_highs_stoppable``): by Ctrl-C, SIGTERM, or a watchdog just after
    its limit.
    """
    pulp = _pulp()
    import highspy

    class WarmHiGHS(pulp.HiGHS):
        """PuLP's HiGHS API plus the warm start it lacks (``Highs.setSolution``), a clock on
        the copy of the model and a stoppable run."""

        def buildSolverModel(self, lp):  # noqa: N802 (PuLP's name)
            # PuLP's own copy (pulp/apis/highs_api.py), row by row with a look at the clock
            inf = highspy.kHighsInf
            highs = lp.solverModel
            for i, var in enumerate(lp.variables()):
                highs.addCol(lp.objective.get(var, 0.0),
                             -inf if var.lowBound is None else var.lowBound,
                             inf if var.upBound is None else var.upBound, 0, [], [])
                var.index = i
                if var.cat == pulp.LpInteger:
                    highs.changeColIntegrality(i, highspy.HighsVarType.kInteger)
            for i, constraint in enumerate(lp._constraints.values()):
                if clock is not None:
                    clock.tick()
                items = [(var.index, c) for var, c in constraint.items() if c != 0]
                indices, coefficients = zip(*items, strict=True) if items else ((), ())
                constraint.index = i
                lower, upper = constraint.getLb(), constraint.getUb()
                highs.addRow(-inf if lower is None else lower, inf if upper is None else upper,
                             len(indices), indices, coefficients)

        def callSolver(self, lp):  # noqa: N802 (PuLP's name)
            if warm:
                variables = lp.variables()
                values = [0.0] * len(variables)
                for var in variables:
                    values[var.index] = float(var.varValue or 0.0)
                solution = highspy.HighsSolution()
                solution.col_value = values
                solution.value_valid = True
                lp.solverModel.setSolution(solution)
            seconds = float(time_limit)
            if clock is not None:
                clock.check()
                seconds = min(seconds, clock.remaining())
            lp.solverModel.setOptionValue("time_limit", seconds)
            run_highs_stoppable(lp.solverModel,
                                time.perf_counter() + seconds + STOP_GRACE_SECONDS)

    solver = WarmHiGHS(msg=msg, timeLimit=time_limit, threads=threads, mip_rel_gap=0.0,
                       mip_abs_gap=0.0, **presolve_options(problem.model))
    with quiet_stdout(not msg), native_call("HiGHS"):
        problem.prob.solve(solver)
    highs = problem.prob.solverModel
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_solution = int(info.primal_solution_status) == 2  # kSolutionStatusFeasible
    return HighsRun(status, highs.modelStatusToString(status), info,
                    problem.choices() if has_solution else None)


# HiGHS's objective and its schedule's re-evaluated makespan agree within this (relative) when
# they differ by its feasibility tolerances only, summed along chains of events (6e-6 measured
# on a 32-device Table 4 instance, n = 1967); the lost offset of a warm start (see
# solve_highs) is far larger
TOLERANCE_MISMATCH = 1e-4


def _claimed(problem: Problem, run: HighsRun) -> tuple[float, float | None]:
    """HiGHS's objective (unscaled) and the re-evaluated makespan of its own choices (None
    without any)."""
    claimed = float(run.info.objective_function_value) / problem.scale
    if run.choices is None:
        return claimed, None
    return claimed, float(ddp.evaluate(problem.inst, run.choices).makespan)


def _agree(claimed: float, makespan: float | None, rtol: float = 1e-6) -> bool:
    """HiGHS's objective is its schedule's makespan within ``rtol`` (relative)."""
    return makespan is not None and abs(claimed - makespan) <= rtol * max(1.0, abs(claimed))


def convert_highs(problem: Problem, start: np.ndarray, run: HighsRun, notes: list[str],
                  time_limit: float) -> Outcome:
    """Choices, bound and message of HiGHS's last run; ``time_limit``: the seconds left for
    our own bound where HiGHS's cannot be used."""
    import highspy

    inst = problem.inst
    if run.status == highspy.HighsModelStatus.kInfeasible:
        return Outcome(start, 0.0, f"HiGHS: {run.status_text} (impossible for a valid "
                       f"instance)", failed=True)
    claimed, makespan = _claimed(problem, run)
    bound = float(run.info.mip_dual_bound) / problem.scale
    gap = float(run.info.mip_gap)
    if _agree(claimed, makespan):
        if run.status == highspy.HighsModelStatus.kOptimal and 0 <= gap < 1:
            # The dual bound can also miss the offset; HiGHS's optimality claim is its own
            # objective (checked above) and relative gap.
            bound = max(bound, claimed * (1.0 - gap))
    elif _agree(claimed, makespan, TOLERANCE_MISMATCH):
        # Within the tolerances the bound holds: rows violated within them make HiGHS's model a
        # relaxation of ours, and a lost offset below the schedule's makespan only lowers it.
        # An objective above the makespan (a slack makespan variable, or an offset the other
        # way) lowers the bound by the excess.
        bound -= max(0.0, claimed - makespan)
        notes = [*notes, f"HiGHS's objective {claimed:.9g} is its schedule's {makespan:.9g} "
                         f"within its tolerances; its bound lowered by any excess"]
    else:
        bound = min(bound, own_bound(inst, time_limit=max(0.1, float(time_limit))))
        notes = [*notes, "HiGHS's objective does not match its schedule; bound capped by ours"]
    message = "; ".join([f"HiGHS: {run.status_text}", *notes])
    if not np.isfinite(bound):
        bound = pair_bound(inst)
        message += "; HiGHS has no finite bound, reporting the combinatorial pair bound"
    bound, message = with_cheap_bound(inst, bound, message)
    return Outcome(_better(inst, run.choices, start), bound, message,
                   {"highs_status": run.status_text, "solver_bound": bound,
                    "nodes": int(run.info.mip_node_count)})


def solve_highs(inst: ddp.Instance, time_limit: float = 60.0,
                hint: np.ndarray | None = None, *,
                threads: int | None = None, started: float | None = None,
                msg: bool = False) -> Outcome:
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
    clock = BuildClock(started + float(time_limit))
    notes = []
    run = None
    try:
        problem = build(inst, start, clock=clock)
        for warm in (True, False):
            run = run_highs(problem, clock.remaining(), threads, msg, warm, clock)
            if run.status == highspy.HighsModelStatus.kInfeasible:
                break
            claimed, makespan = _claimed(problem, run)
            if _agree(claimed, makespan, TOLERANCE_MISMATCH) or makespan is None or not warm:
                break
            notes.append(f"warm-started HiGHS claimed {claimed:.9g} for a schedule of "
                         f"makespan {makespan:.9g}; solved again cold")
    except OutOfTime:
        if run is None:
            return out_of_time(inst, start, "HiGHS")
        notes.append("no time left to solve again cold")
    return convert_highs(problem, start, run, notes, max(0.0, clock.remaining()))
