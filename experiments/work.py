"""Work units: a few seeds of one row, turned into one record per instance.

A unit is plain picklable data and :func:`run_unit` a top-level function, so the same unit runs
in this process, in a process pool or on a Dask worker, and gives the same records. Every makespan
comes from the core recurrence (``ddp.run_policy``, ``ddp.evaluate``); the exact optimum comes
from ``solvers.solve`` and is re-evaluated here before it is recorded.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ddp
import instances
import solvers
from solvers.lookahead import run_lookahead, run_rollout

from .opt import answered
from .specs import FUTURE_AWARE_SETTINGS, POLICIES, Row

# Events per work unit: big enough to amortise a task's overhead, small enough that an
# interruption loses little and the progress bar moves.
EVENTS_PER_UNIT = 20_000
MAX_SEEDS_PER_UNIT = 200


@dataclass(frozen=True)
class Unit:
    """Instances ``seeds`` of ``row``; ``solver`` (options of ``solvers.solve``, with the
    method) when they are to be solved: every gap instance, a table row's OPT sample."""

    row: Row
    seeds: tuple[int, ...]
    solver: dict[str, Any] | None = field(default=None, hash=False)


def split_units(row: Row, seeds: list[int], solver: dict[str, Any] | None = None) -> list[Unit]:
    """Cut a row's pending seeds into units of about ``EVENTS_PER_UNIT`` events."""
    if solver is not None:
        per_unit = 1  # a solve takes long enough to be a task of its own
    else:
        per_unit = int(min(MAX_SEEDS_PER_UNIT,
                           max(1, EVENTS_PER_UNIT // max(1.0, row.expected_events()))))
    return [Unit(row, tuple(seeds[i:i + per_unit]), solver)
            for i in range(0, len(seeds), per_unit)]


def pending_units(row: Row, seeds: Sequence[int],
                  records: Mapping[tuple[str, int], dict[str, Any]],
                  solver: dict[str, Any] | None = None, solve_seeds: Sequence[int] = (),
                  complete: Callable[[dict[str, Any]], bool] = lambda record: True
                  ) -> tuple[list[Unit], list[Unit]]:
    """What is left of a row: units that solve (one instance each) and units that do not.

    An instance is done when ``records`` holds its record and, if its seed is in
    ``solve_seeds``, the record holds an answer of ``solver`` with exactly these settings; an
    instance without one is computed again, policies and all (they cost little beside a solve).
    A record that is not ``complete`` (made before a policy was added) is computed again too.
    """
    to_solve = set(solve_seeds) if solver is not None else set()
    solving, plain = [], []
    for seed in seeds:
        record = records.get((row.key, seed))
        if record is not None and not complete(record):
            record = None
        if seed in to_solve:
            if not answered(record, solver):
                solving.append(seed)
        elif record is None:
            plain.append(seed)
    return split_units(row, solving, solver), split_units(row, plain)


def status_text(status: Any) -> str:
    """A solver status as text, whether a string or an enum."""
    return str(getattr(status, "value", status))


def solve_record(inst: ddp.Instance, options: dict[str, Any]) -> dict[str, Any]:
    """The exact optimum (or best bound) of one instance, warm-started from DDP's choices.

    An exception of the solver (a bug, since ``solvers.solve`` turns a back-end's failures into
    status ``error``) is recorded for this instance, named in ``error``, with status ``error``:
    one bad instance does not end a run of thousands. Every answer names the ``solver`` options
    that produced it: ``--resume`` reuses only answers of the same settings.
    """
    options_given = dict(options)
    options = dict(options)
    method = options.pop("method", "auto")
    time_limit = options.pop("time_limit", 60.0)
    hint = ddp.run_policy(inst, "ddp").choices
    started = time.perf_counter()
    try:
        result = solvers.solve(inst, method=method, time_limit=time_limit, hint=hint,
                               **options)
    except Exception as exc:
        return {"status": "error", "method": str(method),
                "runtime_s": round(time.perf_counter() - started, 6), "solver": options_given,
                "objective": None, "lower_bound": None,
                "error": f"{type(exc).__name__}: {exc}"}
    elapsed = time.perf_counter() - started
    status = status_text(result.status)
    record: dict[str, Any] = {"status": status, "method": str(result.method),
                              "runtime_s": round(elapsed, 6), "solver": options_given}
    if result.choices is None or status in ("error", "infeasible"):
        record.update(objective=None, lower_bound=None)
        if status == "error":
            record["error"] = result.message
        return record
    # The objective is the makespan of the choices through the one recurrence, whatever the
    # solver reported.
    objective = float(ddp.evaluate(inst, result.choices).makespan)
    lower = result.lower_bound
    lower = None if lower is None or not math.isfinite(float(lower)) else float(lower)
    record.update(objective=objective, lower_bound=lower)
    return record


def instance_record(row: Row, seed: int, solver: dict[str, Any] | None) -> dict[str, Any]:
    """Generate one instance, run every policy (and the solver), and describe the outcome."""
    started = time.perf_counter()
    inst = instances.generate(seed=seed, **row.generate_kwargs())
    makespans = {name: float(ddp.run_policy(inst, name).makespan) for name in POLICIES}
    if solver is not None:  # gap cells: also the policies that see the next events
        makespans["lookahead"] = float(run_lookahead(inst).makespan)
        makespans["rollout"] = float(run_rollout(inst).makespan)
    record: dict[str, Any] = {"row": row.key, "seed": int(seed), "n": int(inst.n),
                              "makespans": makespans}
    if solver is not None:
        record["policy_settings"] = FUTURE_AWARE_SETTINGS
        record["opt"] = solve_record(inst, solver)
    record["time_s"] = round(time.perf_counter() - started, 6)
    return record


def run_unit(unit: Unit) -> list[dict[str, Any]]:
    """The records of a unit's instances, in seed order."""
    return [instance_record(unit.row, seed, unit.solver) for seed in unit.seeds]
