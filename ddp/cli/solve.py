"""``ddp solve FILE ... --policy P``: run a policy (or the exact optimum, ``opt``) on files."""

from __future__ import annotations

import argparse
import time

from rich.table import Table

from solvers import METHODS, SolverUnavailable, Status, check_time_limit, solve
from solvers.lookahead import (
    DEFAULT_POLISH,
    DEFAULT_PREDICT,
    DEFAULT_WINDOW,
    PREDICTIONS,
    run_lookahead,
    run_rollout,
)

from ..errors import InstanceError
from ..policies import POLICIES, run_policy
from .common import CliError, console, error_line, format_choices, load, print_json

HEURISTICS = list(POLICIES)
# Online policies that see the next events (solvers.lookahead): not in ddp's core.
FUTURE_AWARE = ("lookahead", "rollout")
MIN_SOLVE_SECONDS = 0.1  # the solver's time when reading the file took the whole limit


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "solve", help="run a policy on instance files",
        description="Run a policy on each ddp-instance/1 file. A bad file gets an error line on "
                    "stderr while the others are solved; the exit status is then 2.")
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="ddp-instance/1 JSON files (format: docs/formats.md)")
    parser.add_argument("--policy", default="ddp", choices=[*HEURISTICS, *FUTURE_AWARE, "opt"],
                        help="policy to run (default: ddp); lookahead: at each event the best "
                             "points of it and the next W events, only its own kept (rolling "
                             "horizon); rollout: the best complete plan of the known future "
                             "(lookahead's schedule, a split and, where devices share a unit, "
                             "the LP relaxation rounded, each polished), re-checked at each "
                             "event against "
                             "lookahead's choice completed by DDP, NS, AC and AF (never worse "
                             "than lookahead or the best of them); opt: the offline optimum with "
                             "a proven lower bound")
    add_lookahead_arguments(parser)
    parser.add_argument("--solver", default="auto", choices=METHODS,
                        help="exact method for --policy opt (default: auto, every method and "
                             "bound combined; see docs/solvers.md)")
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                        help="seconds per file for --policy opt, reading the file included "
                             "(default: 60); when reached, the best schedule found with status "
                             "feasible")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per line per file, in order")
    parser.add_argument("--schedule", action="store_true",
                        help="add the per-event times (JSON) or a schedule table per file")
    return parser


def add_lookahead_arguments(parser: argparse.ArgumentParser) -> None:
    """``--window`` and ``--predict``, the settings of the lookahead policy."""
    parser.add_argument("--window", type=window_count, default=DEFAULT_WINDOW, metavar="W",
                        help=f"lookahead and rollout: how many events after the deciding one "
                             f"are chosen with it (default: {DEFAULT_WINDOW}; lookahead with 0 "
                             f"is DDP)")
    parser.add_argument("--predict", default=DEFAULT_PREDICT, choices=list(PREDICTIONS),
                        help="lookahead: where the next W events come from: "
                             + "; ".join(f"{k}: {v}" for k, v in PREDICTIONS.items())
                             + f" (default: {DEFAULT_PREDICT})")
    parser.add_argument("--polish", type=polish_count, default=DEFAULT_POLISH, metavar="N",
                        help=f"rollout: windows of consecutive events re-chosen per event when "
                             f"polishing its first plan (default: {DEFAULT_POLISH}; 0: "
                             f"lookahead's schedule as it is, the cheapest)")


def _count(text: str, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative (0 or more {what})")
    return value


def window_count(text: str) -> int:
    """``--window``'s argparse type: an integer >= 0."""
    return _count(text, "events")


def polish_count(text: str) -> int:
    """``--polish``'s argparse type: an integer >= 0."""
    return _count(text, "windows per event")


def run_named(inst, name: str, args: argparse.Namespace):
    """The schedule of an online policy: ``ddp``'s own, ``lookahead`` with the CLI's ``--window``
    and ``--predict``, or ``rollout`` with its ``--window`` and ``--polish``."""
    if name == "lookahead":
        return run_lookahead(inst, window=args.window, predict=args.predict)
    if name == "rollout":
        return run_rollout(inst, window=args.window, polish=args.polish)
    return run_policy(inst, name)


def solve_file(path: str, args: argparse.Namespace) -> dict:
    """The record of one file: makespan, choices, status and (optionally) the schedule."""
    started = time.perf_counter()
    inst = load(path)
    if args.policy == "opt":
        return solve_opt(path, inst, args, started)
    schedule = run_named(inst, args.policy, args)
    record = {"file": path, "policy": args.policy, "n": inst.n, "k": inst.k,
              "status": "heuristic"}
    if args.policy == "lookahead":
        record.update({"window": args.window, "predict": args.predict})
    if args.policy == "rollout":
        record.update({"window": args.window, "polish": args.polish})
    record.update(schedule.to_dict(times=args.schedule))
    return record


def run_opt(inst, solver: str, time_limit: float, started: float | None = None):
    """``solvers.solve`` with the CLI's errors: a missing, failing or unfit solver is a
    ``CliError`` carrying the reason. With ``started`` (when the file was opened), the time
    since counts in the limit; the solver gets at least ``MIN_SOLVE_SECONDS``."""
    try:
        seconds = check_time_limit(time_limit, "--time-limit")
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if started is not None:
        seconds = max(MIN_SOLVE_SECONDS, seconds - (time.perf_counter() - started))
    try:
        result = solve(inst, solver, time_limit=seconds)
    except SolverUnavailable as exc:
        raise CliError(f"solver {solver} is not available: {exc}") from None
    except ValueError as exc:
        if isinstance(exc, InstanceError):
            raise
        raise CliError(f"solver {solver}: {exc}") from None
    if result.status == Status.ERROR:
        raise CliError(f"solver {result.method} failed: {result.message}")
    return result


def solve_opt(path: str, inst, args: argparse.Namespace, started: float | None = None) -> dict:
    """The record of ``--policy opt``: the optimum, its bound, status, runtime and solver."""
    from ..recurrence import evaluate

    result = run_opt(inst, args.solver, args.time_limit, started)
    record = {"file": path, "policy": "opt", "n": inst.n, "k": inst.k,
              "status": str(result.status)}
    record.update(evaluate(inst, result.choices).to_dict(times=args.schedule))
    record.update({"lower_bound": float(result.lower_bound),
                   "runtime_s": round(float(result.runtime), 6), "solver": result.method})
    return record


def run(args: argparse.Namespace) -> int:
    failed = False
    records = []
    for path in args.files:
        try:
            record = solve_file(path, args)
        except InstanceError as exc:
            error_line(str(exc if exc.file else exc.with_file(path)))
            failed = True
            continue
        except CliError as exc:
            error_line(f"{path}: {exc}")
            failed = True
            continue
        except MemoryError:  # one file too large for this machine: the others still run
            error_line(f"{path}: out of memory")
            failed = True
            continue
        if args.json:
            print_json(record)
        else:
            records.append(record)
    if not args.json and records:
        print_table(records, args.schedule)
    return 2 if failed else 0


def print_table(records: list[dict], with_schedule: bool) -> None:
    out = console()
    table = Table(title="ddp solve")
    exact = any("lower_bound" in record for record in records)
    columns = ["file", "policy", "n", "k", "makespan", "status", "choices"]
    if exact:
        columns[6:6] = ["lower_bound", "solver", "runtime_s"]
    numeric = ("n", "k", "makespan", "lower_bound", "runtime_s")
    for column in columns:
        table.add_column(column, justify="right" if column in numeric else "left")
    for record in records:
        cells = [record["file"], record["policy"], str(record["n"]), str(record["k"]),
                 f"{record['makespan']:.3f}", record["status"]]
        if exact:
            cells += ([f"{record['lower_bound']:.3f}", record["solver"],
                       f"{record['runtime_s']:.2f}"] if "lower_bound" in record else
                      ["", "", ""])
        table.add_row(*cells, format_choices(record["choices"]))
    out.print(table)
    if with_schedule:
        for record in records:
            out.print(schedule_table(record["schedule"], title=f"{record['file']}: schedule"))


def schedule_table(rows: list[dict], title: str) -> Table:
    table = Table(title=title)
    for column in ("event", "point", "start_front", "finish_front", "ready", "start_cloud",
                   "finish_cloud"):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(str(row["event"]), str(row["point"]),
                      *(f"{row[c]:.3f}" for c in ("start_front", "finish_front", "ready",
                                                  "start_cloud", "finish_cloud")))
    return table
