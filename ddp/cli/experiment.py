"""``ddp experiment NAME``: re-compute the paper's tables and DDP's optimality gap."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from experiments import EXPERIMENTS

from .common import CliError, console, print_json

# Older name of Table 4 with an arrival stream per device, now Table 4's default.
ALIASES = {"table4-streams": "table4"}
NAMES = (*EXPERIMENTS, *ALIASES, "all")


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "experiment", help="re-compute the paper's tables and DDP's optimality gap",
        description="Run an experiment: the paper's Tables 1-4 (DDP's latency reduction against "
                    "AF, FB, AC and NS beside the paper's figures), the optimality gap (DDP, "
                    "NS and AC over the exact optimum) or estimation (every policy deciding on "
                    "estimated times with noise, bias or stale network readings, scored on the "
                    "actual ones). Table 4 gives each device its own "
                    "arrival stream (--streams one: one stream shared by the devices; "
                    "table4-streams is another name of table4). Records are written per "
                    "instance as they finish; the rows go to RESULTS/NAME[-quick]/NAME.{json,csv} "
                    "(Table 4 with one stream: RESULTS/table4-one-stream[-quick]/).")
    parser.add_argument("name", choices=NAMES, metavar="NAME",
                        help=f"one of {', '.join(NAMES)}")
    parser.add_argument("--quick", action="store_true",
                        help="reduced sizes (50 instances a row, n <= 500, small gap cells)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per row (gap: per cell) instead of tables")
    parser.add_argument("--network", nargs="+", metavar="NET",
                        help="networks to run (default: every network)")
    parser.add_argument("--scenario", nargs="+", metavar="S",
                        help="scenarios to run (default: paper, gap: all; 'all' for every "
                             "scenario)")
    parser.add_argument("--results", default="results", metavar="DIR",
                        help="results folder (default: ./results)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the records of an earlier (interrupted) run, compute the rest")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="worker processes (1: in this process; default: in this process, "
                             "on a worker per core once what is left looks like more than "
                             "10 s)")
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="run the work on this dask.distributed scheduler")
    parser.add_argument("--seed", type=int, default=0, metavar="S",
                        help="base seed: instance seeds are S*1000000 + 0, 1, ... (default 0)")
    parser.add_argument("--streams", choices=("per-device", "one"), metavar="S",
                        help="Table 4's arrival streams: per-device (default, each device its "
                             "own stream) or one (a single stream shared by the devices)")
    parser.add_argument("--opt-sample", type=int, metavar="N",
                        help="tables: solve the first N instances of each row for DDP/OPT "
                             "(default 20; --quick: 5; 0: no OPT)")
    parser.add_argument("--opt-time-limit", type=float, metavar="S",
                        help="seconds per solve of those instances and of gap's cells at the "
                             "tables' sizes (default 10; --quick: 2)")
    parser.add_argument("--plots", action="store_true",
                        help="also write PNG figures beside the results (needs matplotlib)")
    return parser


def run(args: argparse.Namespace) -> int:
    # SIGTERM and Ctrl-C are ``ddp.cli.main``'s: they unwind through the workers' shutdown
    from experiments import run_experiment
    from experiments.executor import LocalWorkers, connect_dask, pool_size
    from experiments.run import check_names

    if args.jobs is not None and args.jobs < 1:
        raise CliError(f"--jobs {args.jobs}: give at least 1 worker")
    if args.seed < 0:
        raise CliError(f"--seed {args.seed}: give a seed >= 0")
    if args.name in ALIASES and args.streams == "one":
        raise CliError(f"{args.name} is table4 with an arrival stream per device; for one "
                       f"stream run: ddp experiment table4 --streams one")
    if args.opt_sample is not None and args.opt_sample < 0:
        raise CliError(f"--opt-sample {args.opt_sample}: give 0 (no OPT) or more instances")
    if args.opt_time_limit is not None and not 0 < args.opt_time_limit < float("inf"):
        raise CliError(f"--opt-time-limit {args.opt_time_limit}: give a positive, finite "
                       f"number of seconds")
    try:  # every option is checked before a results folder is touched
        check_names(args.network, args.scenario)
        dask = None if args.dask is None else connect_dask(args.dask)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    # One pool of local workers for every experiment of the command (started only if needed).
    workers = LocalWorkers(max(1, pool_size(args.jobs))) if dask is None else None
    try:
        with workers or contextlib.nullcontext():
            return _run_all(args, run_experiment, dask, workers)
    finally:
        if dask is not None:
            dask.close()


def _run_all(args: argparse.Namespace, run_experiment, dask, workers) -> int:
    from experiments.output import estimation_view, gap_view, table_view
    from experiments.plots import PlotError
    from experiments.run import Options

    names = list(EXPERIMENTS) if args.name == "all" else [ALIASES.get(args.name, args.name)]
    options = Options(quick=args.quick, networks=args.network, scenarios=args.scenario,
                      results=Path(args.results), resume=args.resume, jobs=args.jobs,
                      dask=dask, seed=args.seed, progress=not args.json, plots=args.plots,
                      streams=args.streams, workers=workers, opt_sample=args.opt_sample,
                      opt_time_limit=args.opt_time_limit)
    out = console()
    if not out.is_terminal:
        # Written to a file or a pipe: the full width, not rich's 80-column default.
        out.width = max(out.width, 150)
    for name in names:
        try:
            result = run_experiment(name, options)
        except ValueError as exc:
            raise CliError(str(exc)) from None
        except (PlotError, OSError) as exc:
            raise CliError(f"{name}: {exc}") from None
        if args.json:
            for row in result.rows:
                print_json(row)
            continue
        if name == "gap":
            view = gap_view(result.rows, result.meta, result.summary)
        elif name == "estimation":
            view = estimation_view(result.rows, result.meta)
        else:
            view = table_view(name, result.rows, result.meta)
        out.print(view)
        note = (f"{name}: {result.meta['records_computed']} instances computed, "
                f"{result.meta['records_reused']} reused, {result.meta['wall_time_s']:.1f} s; "
                f"saved in {result.folder}/")
        if result.plots:
            note += " with " + ", ".join(p.name for p in result.plots)
        sys.stdout.flush()
        print(note, file=sys.stderr, flush=True)
    return 0
