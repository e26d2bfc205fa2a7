"""``cpsat``: OR-Tools CP-SAT on the MILP's model, with times scaled to integers.

The rows of ``model.Model`` (any number of devices and units), over the kept points of each
event, with every time ``t`` replaced by ``floor(t * S)`` for a scale ``S = 2**p``.

How rounding is kept honest:

* ``S`` is a power of two, so ``t * S`` is exact in floating point and ``floor`` is the true
  floor; ``bound / S`` is exact too (integers below 2**53).
* Every time only goes down (floor), and the makespan is non-decreasing in every time, so for
  each choice vector the floored makespan is at most ``S`` times the true one; hence the floored
  optimum, and any lower bound CP-SAT proves for it, divided by ``S``, is at most the true
  optimum. The reported ``lower_bound`` is ``BestObjectiveBound() / S``: never above OPT.
* The reported objective is CP-SAT's choice vector re-evaluated with ``ddp.evaluate`` on the
  real times, never CP-SAT's integer value. Flooring moves a makespan by less than
  ``(2 n + 1) / S``; ``S`` is chosen so that this is below ``1e-8`` of the makespan, which leaves
  "optimal" (1e-6) reachable.

Options: ``workers`` (default 2), ``seed``; ``deterministic=True`` makes a run reproducible:
CP-SAT's deterministic time limit (``deterministic_time``, default ``time_limit``) replaces the
wall-clock one (a wall-clock guard of ``10 * time_limit`` stays) and several workers interleave
deterministically.

Three steps: ``build`` (the CP-SAT model and its hint), ``run`` (the native solve) and
``convert`` (choices, bound and message of an ``Outcome``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

import ddp

from .bounds import out_of_time, pair_bound, with_cheap_bound
from .errors import OutOfTime, SolverUnavailable, native_call
from .improve import better_start, warm_start
from .model import CLOUD_FINISH, FRONT_FINISH, MAKESPAN, Model, Row
from .result import Outcome
from .stoppable import STOP_GRACE_SECONDS, BuildClock, run_stoppable

MAX_SCALED = 2.0 ** 50  # keep every scaled time far from int64 overflow in sums


def _cp_model():
    try:
        from ortools.sat.python import cp_model
    except ImportError as exc:
        raise SolverUnavailable("cpsat needs OR-Tools: pip install ortools") from exc
    return cp_model


def scale_for(inst: ddp.Instance, horizon: float) -> float:
    """The power of two ``S``: rounding error ``(2n+1)/S`` below 1e-8 of the makespan."""
    reference = max(pair_bound(inst), horizon / 4.0, 1e-300)
    if horizon <= 0:
        return 1.0
    wanted = (2 * inst.n + 1) / (1e-8 * reference)
    power = math.ceil(math.log2(wanted))
    limit = math.floor(math.log2(MAX_SCALED / max(horizon, 1e-300)))
    return 2.0 ** max(min(power, limit), -60)


def floored(values: np.ndarray, scale: float) -> np.ndarray:
    """``floor(values * scale)`` as int64 (exact: the scale is a power of two)."""
    return np.floor(np.asarray(values) * scale).astype(np.int64)


@dataclass
class Built:
    """The CP-SAT model of an instance, its point binaries and the scale of its times."""

    model: Model
    cp: Any
    x: list[list[Any]]
    scale: float


def build(inst: ddp.Instance, start: np.ndarray, clock: BuildClock | None = None) -> Built:
    """The CP-SAT model of ``model.Model`` on floored times, hinted with ``start``; ``clock``
    raises ``OutOfTime`` when the time limit passes while the rows are added."""
    tick = clock.tick if clock is not None else (lambda: None)
    cp_model = _cp_model()
    horizon = float(ddp.evaluate(inst, start).makespan)
    scale = scale_for(inst, horizon)
    model = Model.of(inst).with_times(lambda t: floored(t, scale))
    top = math.ceil(horizon * scale) + 1
    cp = cp_model.CpModel()
    index = model.kept.index
    x = [[cp.NewBoolVar(f"x_{j}_{int(index[j, p])}") for p in model.columns(j)]
         for j in range(model.n)]
    times = {(kind, j): cp.NewIntVar(0, top, f"{kind}_{j}")
             for kind in (FRONT_FINISH, CLOUD_FINISH) for j in range(model.n)}
    times[MAKESPAN, 0] = cp.NewIntVar(0, top, MAKESPAN)

    def add_row(row: Row) -> None:
        tick()
        right = times[row.right] if row.right is not None else 0
        work = 0 if row.event is None else sum(
            int(c) * v for c, v in zip(row.coefficients, x[row.event], strict=True))
        cp.Add(times[row.left] >= right + int(row.constant) + work)

    model.feed(lambda j: cp.AddExactlyOne(x[j]), add_row)
    cp.Minimize(times[MAKESPAN, 0])
    start_columns = model.kept.columns_of(start)
    for j in range(model.n):
        for p in model.columns(j):
            cp.AddHint(x[j][p], bool(p == start_columns[j]))
    return Built(model, cp, x, scale)


def run(built: Built, time_limit: float, *, workers: int, deterministic: bool,
        deterministic_time: float | None, seed: int, log: bool) -> Any:
    """Solve ``built`` within ``time_limit`` seconds; returns the CP-SAT solver and status.

    The solve runs in a thread (``stoppable.run_stoppable``): Ctrl-C or SIGTERM stop it and are
    raised again, and a watchdog stops it shortly after its limit.
    """
    solver = _cp_model().CpSolver()
    params = solver.parameters
    params.catch_sigint_signal = False  # CP-SAT would swallow Ctrl-C and return "feasible"
    params.num_workers = max(1, int(workers))
    params.random_seed = int(seed)
    params.log_search_progress = bool(log)
    if deterministic:
        # from the arguments only, never from the clock: the same limit on every run
        params.max_deterministic_time = float(deterministic_time or time_limit)
        params.max_time_in_seconds = 10.0 * max(time_limit, 1.0)
        if params.num_workers > 1:
            params.interleave_search = True
    else:
        params.max_time_in_seconds = time_limit
    deadline = time.perf_counter() + params.max_time_in_seconds + STOP_GRACE_SECONDS
    with native_call("CP-SAT"):
        code = run_stoppable(lambda: solver.Solve(built.cp), solver.StopSearch, deadline,
                             name="CP-SAT").value
    return solver, code


def convert(inst: ddp.Instance, built: Built, start: np.ndarray, solver: Any,
            code: Any) -> Outcome:
    """CP-SAT's choices (when no worse than the start), its bound over the scale, ours if
    higher."""
    cp_model = _cp_model()
    status_name = solver.StatusName(code)
    message = f"CP-SAT: {status_name}, scale 2^{int(math.log2(built.scale))}"
    stats = {"cpsat_status": status_name, "scale": built.scale,
             "wall_time": solver.wall_time, "deterministic_time": solver.deterministic_time}
    if code in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        return Outcome(start, 0.0, message + " (impossible for a valid instance)", stats,
                       failed=True)
    choices = start
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        columns = np.array([int(np.argmax([solver.Value(v) for v in xs])) for xs in built.x],
                           dtype=np.int64)
        found = built.model.kept.choices_of(columns)
        if ddp.evaluate(inst, found).makespan <= ddp.evaluate(inst, start).makespan:
            choices = found
    raw_bound = float(solver.BestObjectiveBound())
    bound = raw_bound / built.scale if np.isfinite(raw_bound) else 0.0
    bound, message = with_cheap_bound(inst, max(bound, 0.0), message)
    return Outcome(choices, bound, message, stats)


def solve_cpsat(inst: ddp.Instance, time_limit: float = 60.0,
                hint: np.ndarray | None = None, *, workers: int = 2,
                deterministic: bool = False, deterministic_time: float | None = None,
                seed: int = 0, log: bool = False, started: float | None = None) -> Outcome:
    """OPT with CP-SAT (see the module docstring for the scaling)."""
    started = time.perf_counter() if started is None else started
    _cp_model()  # say which package is missing before any work
    start = better_start(inst, warm_start(inst, hint), time_limit)
    clock = BuildClock(started + float(time_limit))
    try:
        built = build(inst, start, clock)
        clock.check()
    except OutOfTime:
        return out_of_time(inst, start, "CP-SAT")
    remaining = clock.remaining()
    solver, code = run(built, remaining, workers=workers, deterministic=deterministic,
                       deterministic_time=deterministic_time, seed=seed, log=log)
    return convert(inst, built, start, solver, code)
