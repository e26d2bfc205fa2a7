"""``ddp solve FILE ... --policy P``: run a policy on instance files."""

from __future__ import annotations

import argparse

from rich.table import Table

from ..errors import InstanceError
from ..policies import POLICIES, run_policy
from .common import console, error_line, format_choices, load, print_json

HEURISTICS = list(POLICIES)


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "solve", help="run a policy on instance files",
        description="Run a policy on each ddp-instance/1 file. A bad file gets an error line on "
                    "stderr while the others are solved; the exit status is then 2.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="ddp-instance/1 JSON files")
    parser.add_argument("--policy", default="ddp", choices=HEURISTICS,
                        help="policy to run (default: ddp)")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per line per file, in order")
    parser.add_argument("--schedule", action="store_true",
                        help="add the per-event times (JSON) or a schedule table per file")
    return parser


def solve_file(path: str, args: argparse.Namespace) -> dict:
    """The record of one file: makespan, choices, status and (optionally) the schedule."""
    inst = load(path)
    schedule = run_policy(inst, args.policy)
    record = {"file": path, "policy": args.policy, "n": inst.n, "k": inst.k,
              "status": "heuristic"}
    record.update(schedule.to_dict(times=args.schedule))
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
    for column in ("file", "policy", "n", "k", "makespan", "status", "choices"):
        table.add_column(column, justify="right" if column in ("n", "k", "makespan") else "left")
    for record in records:
        table.add_row(record["file"], record["policy"], str(record["n"]), str(record["k"]),
                      f"{record['makespan']:.3f}", record["status"],
                      format_choices(record["choices"]))
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
