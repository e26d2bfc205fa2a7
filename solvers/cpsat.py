"""``cpsat``: OR-Tools CP-SAT on the MILP's model, with times scaled to integers.

Same constraints as ``milp.Model`` (any number of devices and units), over the non-dominated
points of each event, with every time ``t`` replaced by ``floor(t * S)`` for a scale
``S = 2**p``.

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
"""

from __future__ import annotations

import math
import time

import numpy as np

import ddp

from . import _dp_bounds as kern
from .common import (SolverUnavailable, finish, kept_points, pair_bound, warm_start,
                     with_own_bound)
from .improve import better_start
from .result import Result

MAX_SCALED = 2.0 ** 50  # keep every scaled time far from int64 overflow in sums


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


def solve_cpsat(inst: ddp.Instance, time_limit: float = 60.0, hint=None, *, workers: int = 2,
                deterministic: bool = False, deterministic_time: float | None = None,
                seed: int = 0, log: bool = False, started: float | None = None) -> Result:
    """OPT with CP-SAT (see the module docstring for the scaling)."""
    started = time.perf_counter() if started is None else started
    try:
        from ortools.sat.python import cp_model
    except ImportError as exc:
        raise SolverUnavailable("cpsat needs OR-Tools: pip install ortools") from exc
    start = better_start(inst, warm_start(inst, hint), time_limit)
    start_schedule = ddp.evaluate(inst, start)
    horizon = float(start_schedule.makespan)
    scale = scale_for(inst, horizon)
    pf, pt, pc, pidx, npts = kern.dominant_points(inst.front, inst.trans, inst.cloud)
    arrival = floored(inst.arrival, scale)
    front, trans, cloud = floored(pf, scale), floored(pt, scale), floored(pc, scale)
    top = int(math.ceil(horizon * scale)) + 1

    model = cp_model.CpModel()
    n = inst.n
    x = [[model.NewBoolVar(f"x_{j}_{int(pidx[j, p])}") for p in range(npts[j])] for j in range(n)]
    ff = [model.NewIntVar(0, top, f"ff_{j}") for j in range(n)]
    fc = [model.NewIntVar(0, top, f"fc_{j}") for j in range(n)]
    makespan = model.NewIntVar(0, top, "makespan")
    last_of_device: dict[int, int] = {}
    last_of_unit: dict[int, int] = {}
    for j in range(n):
        cols = range(npts[j])
        model.AddExactlyOne(x[j])
        work_front = sum(int(front[j, p]) * x[j][p] for p in cols)
        work_cloud = sum(int(cloud[j, p]) * x[j][p] for p in cols)
        ready_to_done = sum(int(trans[j, p] + cloud[j, p]) * x[j][p] for p in cols)
        model.Add(ff[j] >= int(arrival[j]) + work_front)
        d, u = int(inst.device[j]), int(inst.unit[j])
        if d in last_of_device:
            model.Add(ff[j] >= ff[last_of_device[d]] + work_front)
        model.Add(fc[j] >= ff[j] + ready_to_done)
        if u in last_of_unit:
            model.Add(fc[j] >= fc[last_of_unit[u]] + work_cloud)
        last_of_device[d] = j
        last_of_unit[u] = j
    for j in last_of_unit.values():
        model.Add(makespan >= fc[j])
    model.Minimize(makespan)
    start_cols = kept_points(inst, start, pidx, npts)
    for j in range(n):
        for p in range(npts[j]):
            model.AddHint(x[j][p], bool(p == start_cols[j]))

    solver = cp_model.CpSolver()
    params = solver.parameters
    remaining = max(0.5, float(time_limit) - (time.perf_counter() - started))
    params.num_workers = max(1, int(workers))
    params.random_seed = int(seed)
    params.log_search_progress = bool(log)
    if deterministic:
        # from the arguments only, never from the clock: the same limit on every run
        params.max_deterministic_time = float(deterministic_time or time_limit)
        params.max_time_in_seconds = 10.0 * max(remaining, 1.0)
        if params.num_workers > 1:
            params.interleave_search = True
    else:
        params.max_time_in_seconds = remaining
    code = solver.Solve(model)
    status_name = solver.StatusName(code)
    message = f"CP-SAT: {status_name}, scale 2^{int(math.log2(scale))}"
    stats = {"cpsat_status": status_name, "scale": scale,
             "wall_time": solver.wall_time, "deterministic_time": solver.deterministic_time}
    if code == cp_model.INFEASIBLE or code == cp_model.MODEL_INVALID:
        return finish(inst, start, 0.0, "cpsat", started, message + " (impossible for a valid "
                      "instance)", stats, error=True)
    choices = start
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = np.array([pidx[j, int(np.argmax([solver.Value(v) for v in x[j]]))]
                          for j in range(n)], dtype=np.int64)
        if ddp.evaluate(inst, found).makespan <= horizon:
            choices = found
    raw_bound = float(solver.BestObjectiveBound())
    bound = raw_bound / scale if np.isfinite(raw_bound) else 0.0
    bound, message = with_own_bound(inst, max(bound, 0.0), message)
    return finish(inst, choices, bound, "cpsat", started, message, stats)
