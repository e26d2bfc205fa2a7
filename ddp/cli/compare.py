"""``ddp compare FILE``: every policy and the offline optimum on one instance, with DDP's
reduction against each and DDP's optimality gap."""

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
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                        help="seconds for the OPT row (solver auto; default: 60); when reached, "
                             "OPT is the best schedule found, status feasible")
    return parser


def compare_rows(inst: Instance) -> list[dict]:
    """One row per policy: makespan, DDP's reduction against it (%), choices."""
    schedules = {name: run_policy(inst, name) for name in POLICIES}
    ddp_makespan = schedules["ddp"].makespan
    return [{"policy": name, "makespan": s.makespan,
             "ddp_reduction_pct": reduction_pct(ddp_makespan, s.makespan),
             "status": "heuristic", "choices": [int(c) for c in s.choices]}
            for name, s in schedules.items()]


def opt_row(inst: Instance, ddp_makespan: float, time_limit: float) -> dict:
    """The OPT row: the optimum (``solvers.solve``, method auto), its bound and DDP's gap.

    ``ddp_gap_pct`` is ``100 (Z_DDP - OPT) / OPT`` (``ddp_over_opt`` the ratio); when OPT is
    not proven, ``ddp_gap_pct_max`` bounds the true gap from the lower bound.
    """
    from .solve import run_opt

    result = run_opt(inst, "auto", time_limit)
    opt = float(result.objective)
    bound = float(result.lower_bound)
    row = {"policy": "opt", "makespan": opt,
           "ddp_reduction_pct": reduction_pct(ddp_makespan, opt),
           "status": str(result.status), "choices": [int(c) for c in result.choices],
           "lower_bound": bound, "solver": result.method,
           "runtime_s": round(float(result.runtime), 6),
           "ddp_over_opt": ddp_makespan / opt if opt > 0 else None,
           "ddp_gap_pct": reduction_pct(ddp_makespan, opt),
           "ddp_gap_pct_max": reduction_pct(ddp_makespan, bound)}
    return row


def print_rows(rows: list[dict], title: str, time_unit: str = "ms") -> None:
    table = Table(title=title)
    table.add_column("policy")
    table.add_column(f"makespan ({time_unit})", justify="right")
    table.add_column("DDP vs it", justify="right")
    table.add_column("choices")
    for row in rows:
        name = row["policy"].upper()
        if row["policy"] == "opt":
            name += f" ({row['solver']}, {row['status']})"
        table.add_row(name, f"{row['makespan']:.3f}",
                      format_pct(row["ddp_reduction_pct"]), format_choices(row["choices"]))
    opt = next((row for row in rows if row["policy"] == "opt"), None)
    if opt is not None:
        ratio = opt["ddp_over_opt"]
        table.caption = (f"DDP's gap to OPT: {format_pct(opt['ddp_gap_pct'])}"
                         + (f" (DDP/OPT = {ratio:.6f})" if ratio is not None else ""))
        if opt["status"] != "optimal":
            table.caption += (f"; OPT not proven within the time limit (lower bound "
                              f"{opt['lower_bound']:.3f}): the gap is at most "
                              f"{format_pct(opt['ddp_gap_pct_max'])}")
    console().print(table)


def run(args: argparse.Namespace) -> int:
    inst = load(args.file)
    rows = compare_rows(inst)
    ddp_makespan = next(row["makespan"] for row in rows if row["policy"] == "ddp")
    rows.append(opt_row(inst, ddp_makespan, args.time_limit))
    if args.json:
        for row in rows:
            print_json({"file": args.file, **row})
    else:
        print_rows(rows, f"{args.file}: n={inst.n}, k={inst.k}, devices={inst.devices}, "
                         f"cloud units={inst.cloud_units}", inst.time_unit)
    return 0
