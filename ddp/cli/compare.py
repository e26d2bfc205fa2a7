"""``ddp compare FILE``: every policy on one instance, with DDP's reduction against each."""

from __future__ import annotations

import argparse

from rich.table import Table

from ..instance import Instance
from ..policies import POLICIES, run_policy
from .common import console, format_choices, format_pct, load, print_json, reduction_pct


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("compare", help="all policies on one instance",
                                   description="Run every policy on one instance and show "
                                               "DDP's latency reduction against each.")
    parser.add_argument("file", metavar="FILE", help="ddp-instance/1 JSON file")
    parser.add_argument("--json", action="store_true", help="one JSON object per policy")
    return parser


def compare_rows(inst: Instance) -> list[dict]:
    """One row per policy: makespan, DDP's reduction against it (%), choices."""
    schedules = {name: run_policy(inst, name) for name in POLICIES}
    ddp_makespan = schedules["ddp"].makespan
    return [{"policy": name, "makespan": s.makespan,
             "ddp_reduction_pct": reduction_pct(ddp_makespan, s.makespan),
             "status": "heuristic", "choices": [int(c) for c in s.choices]}
            for name, s in schedules.items()]


def print_rows(rows: list[dict], title: str, time_unit: str = "ms") -> None:
    table = Table(title=title)
    table.add_column("policy")
    table.add_column(f"makespan ({time_unit})", justify="right")
    table.add_column("DDP vs it", justify="right")
    table.add_column("choices")
    for row in rows:
        table.add_row(row["policy"].upper(), f"{row['makespan']:.3f}",
                      format_pct(row["ddp_reduction_pct"]), format_choices(row["choices"]))
    console().print(table)


def run(args: argparse.Namespace) -> int:
    inst = load(args.file)
    rows = compare_rows(inst)
    if args.json:
        for row in rows:
            print_json({"file": args.file, **row})
    else:
        print_rows(rows, f"{args.file}: n={inst.n}, k={inst.k}, devices={inst.devices}, "
                         f"cloud units={inst.cloud_units}", inst.time_unit)
    return 0
