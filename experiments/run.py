"""Run one experiment end to end: rows, pending work, execution, aggregation, saved results.

The results folder of an experiment (``results/table1``, ``results/table1-quick``, ...) holds
``records.jsonl`` (one record per instance, written as each finishes), ``<name>.json`` (the rows
with the settings, seeds, versions and timings), ``<name>.csv`` (the rows) and, with plots on,
PNG files (Table 4 in its one-stream form: ``results/table4-one-stream``); ``.lock`` marks the
run using it (one run at a time). ``resume`` keeps the records already there and computes only
the missing ones: the final rows are those of an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ddp

from . import output
from .executor import LocalWorkers, connect_dask, default_jobs, execute
from .gap import gap_row, gap_summary
from .lock import ResultsLock
from .opt import OptPlan, answered, opt_plan
from .specs import (
    EXPERIMENTS,
    SEED_STRIDE,
    TABLE4_STREAMS,
    Row,
    experiment_rows,
    gap_solver,
    instance_seeds,
    record_complete,
)
from .store import RecordStore
from .tables import table_rows
from .work import Unit, pending_units


@dataclass
class Options:
    """How to run an experiment (the CLI's flags)."""

    quick: bool = False
    networks: list[str] | None = None
    scenarios: list[str] | None = None
    results: Path = Path("results")
    resume: bool = False
    jobs: int | None = None
    dask: Any = None
    seed: int = 0
    progress: bool = True
    plots: bool = False
    opt_sample: int | None = None  # tables: instances solved per row (default 20, quick 5)
    opt_time_limit: float | None = None  # seconds per solve (default 10, quick 2; gap: auto)
    solver: dict[str, Any] | None = None  # gap: options of solvers.solve for every cell
    streams: str | None = None  # Table 4's arrival streams: per-device (default) or one
    # Local worker processes shared by several runs (the CLI's ``all``); default: each run
    # starts its own pool if its work is worth one.
    workers: LocalWorkers | None = None


@dataclass
class ExperimentResult:
    """The rows of an experiment and where they were saved."""

    name: str
    rows: list[dict[str, Any]]
    folder: Path
    meta: dict[str, Any]
    summary: dict[str, Any] | None = None
    plots: list[Path] = field(default_factory=list)


def check_names(networks: list[str] | None, scenarios: list[str] | None
                ) -> tuple[list[str], list[str]]:
    """Networks and scenarios to run, checked against the instances package."""
    import instances

    known_networks = list(instances.NETWORKS)
    known_scenarios = list(instances.SCENARIOS)
    networks = list(networks) if networks else known_networks
    scenarios = list(scenarios) if scenarios else ["paper"]
    if scenarios == ["all"]:
        scenarios = known_scenarios
    for name in networks:
        if name not in known_networks:
            raise ValueError(f"unknown network {name!r} (known: {', '.join(known_networks)})")
    for name in scenarios:
        if name not in known_scenarios:
            raise ValueError(f"unknown scenario {name!r} (known: {', '.join(known_scenarios)}, "
                             f"or all)")
    return networks, scenarios


def results_folder(name: str, options: Options) -> Path:
    if name == "table4" and (options.streams or TABLE4_STREAMS) == "one":
        name = "table4-one-stream"
    return Path(options.results) / (f"{name}-quick" if options.quick else name)


def _versions() -> dict[str, str]:
    import numpy

    versions = {"ddp": ddp.__version__, "python": platform.python_version(),
                "numpy": numpy.__version__}
    for module in ("instances", "solvers"):
        with contextlib.suppress(ImportError):  # the packages ship together
            versions[module] = str(getattr(__import__(module), "__version__", ddp.__version__))
    return versions


def run_experiment(name: str, options: Options | None = None) -> ExperimentResult:
    """Run experiment ``name`` (``table1`` .. ``table4``, ``gap``) and save its results.

    Parameters
    ----------
    name : str
    options : Options, optional

    Returns
    -------
    ExperimentResult
    """
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r} (known: {', '.join(EXPERIMENTS)}, all)")
    options = options or Options()
    # Every option is checked, and a dask scheduler reached, before the results folder is
    # touched; then the folder is locked for the run, and only then are its records read or
    # started afresh. gap covers every scenario unless told otherwise; the tables the paper's.
    networks, scenarios = check_names(options.networks, options.scenarios
                                      or (["all"] if name == "gap" else None))
    if options.jobs is not None and (isinstance(options.jobs, bool)
                                     or not isinstance(options.jobs, int) or options.jobs < 1):
        raise ValueError(f"jobs {options.jobs!r}: give at least 1 worker")
    if name == "estimation":
        from .estimation import run_estimation

        folder = results_folder(name, options)
        rows, meta, plots = run_estimation(networks, scenarios, folder, options.quick,
                                           options.seed, options.plots)
        return ExperimentResult(name, rows, folder, meta, plots=plots)
    plan = opt_plan(options.quick, options.opt_sample, options.opt_time_limit)
    rows = experiment_rows(name, networks, scenarios, options.quick, options.streams)
    solver_options = solvers_of(name, rows, options, plan)
    folder = results_folder(name, options)
    dask = None if options.dask is None else connect_dask(options.dask)
    try:
        with ResultsLock(folder):
            return _run_locked(name, options, rows, networks, scenarios, solver_options, folder,
                               dask, plan)
    finally:
        if dask is not None and dask is not options.dask:
            dask.close()


def _run_locked(name: str, options: Options, rows: list[Row], networks: list[str],
                scenarios: list[str], solver_options: dict[str, dict[str, Any]], folder: Path,
                dask: Any, plan: OptPlan) -> ExperimentResult:
    store = RecordStore(folder / "records.jsonl", resume=options.resume,
                        needs_opt=name == "gap")

    seeds = {row.key: instance_seeds(row, options.seed) for row in rows}
    solve_seeds = {row.key: seeds[row.key] if name == "gap" else plan.seeds(seeds[row.key])
                   for row in rows}
    units = pending_work(rows, seeds, store, solver_options, solve_seeds,
                         complete=lambda record: record_complete(record, name))
    reused = sum(map(len, seeds.values())) - sum(len(u.seeds) for u in units)

    started = time.perf_counter()
    execute(units, store.append, jobs=options.jobs, dask=dask, progress=options.progress,
            description=f"{name}{' (quick)' if options.quick else ''}", workers=options.workers)
    wall = time.perf_counter() - started

    out_rows, per_row = aggregate(name, rows, store, seeds, options.quick,
                                  solver_options, solve_seeds)
    instance_time = sum(r.get("time_s", 0.0) for recs in per_row.values() for r in recs)
    meta = {
        "experiment": name, "quick": options.quick, "networks": networks,
        "scenarios": scenarios, "base_seed": options.seed,
        "seeds": f"{options.seed} * {SEED_STRIDE} + 0 .. count-1 per row",
        "rows": [{"key": row.key, "count": row.count,
                  "first_seed": seeds[row.key][0] if seeds[row.key] else None}
                 for row in rows],
        "solvers": solver_options if name == "gap" else None,
        "opt": None if name == "gap" else opt_meta(plan),
        "versions": _versions(),
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "wall_time_s": round(wall, 3), "instance_time_s": round(instance_time, 3),
        "records_reused": reused, "records_computed": sum(len(u.seeds) for u in units),
        "jobs": None if dask is not None else (options.jobs or default_jobs()),
        "dask": None if dask is None else str(getattr(getattr(dask, "scheduler", None),
                                                      "address", options.dask)),
    }
    summary = gap_summary(out_rows) if name == "gap" else None
    output.save(folder, name, out_rows, meta, summary)
    result = ExperimentResult(name, out_rows, folder, meta, summary)
    if options.plots:
        from . import plots

        result.plots = plots.experiment_plots(result, per_row, rows)
    return result


def solvers_of(name: str, rows: list[Row], options: Options, plan: OptPlan
               ) -> dict[str, dict[str, Any]]:
    """The options of ``solvers.solve`` per row key: every gap cell's, a table row's sample's
    (none when the sample is 0)."""
    if name == "gap":
        return {row.key: (dict(options.solver) if options.solver
                          else gap_solver(row, plan.time_limit)) for row in rows}
    return {row.key: plan.solver for row in rows} if plan.sample else {}


def pending_work(rows: list[Row], seeds: dict[str, list[int]], store: RecordStore,
                 solver_options: dict[str, dict[str, Any]], solve_seeds: dict[str, list[int]],
                 complete: Callable[[dict[str, Any]], bool] = lambda record: True
                 ) -> list[Unit]:
    """Every row's pending units, the solving ones first (the longest tasks start first).

    A stored record that is not ``complete`` (made before a policy was added) counts as
    missing."""
    solving, plain = [], []
    for row in rows:
        solve_units, plain_units = pending_units(row, seeds[row.key], store.records,
                                                 solver_options.get(row.key),
                                                 solve_seeds[row.key], complete)
        solving.extend(solve_units)
        plain.extend(plain_units)
    return solving + plain


def opt_meta(plan: OptPlan) -> dict[str, Any]:
    """How a table's OPT fields were obtained, for the saved JSON."""
    return {"sample": plan.sample, "time_limit_s": plan.time_limit, "solver": plan.solver,
            "sample_rule": "the first `sample` instances (seeds) of each row"}


def aggregate(name: str, rows: list[Row], store: RecordStore, seeds: dict[str, list[int]],
              quick: bool, solver_options: dict[str, dict[str, Any]] | None = None,
              solve_seeds: dict[str, list[int]] | None = None
              ) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Output rows (per baseline for tables, per cell for gap) and each row's records; a
    table row's OPT fields come from its sample's answers with the run's solver settings."""
    per_row = {row.key: store.for_row(row.key, seeds[row.key]) for row in rows}
    solver_options = solver_options or {}
    out: list[dict[str, Any]] = []
    for row in rows:
        records = per_row[row.key]
        if name == "gap":
            out.append(gap_row(row, records, quick))
            continue
        solver = solver_options.get(row.key)
        sample = [r for r in store.for_row(row.key, (solve_seeds or {}).get(row.key, []))
                  if answered(r, solver)]
        out.extend(table_rows(row, records, quick, sample))
    return out, per_row
