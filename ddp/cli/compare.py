"""``ddp compare FILE``: every policy and the offline optimum on one instance, with DDP's
reduction against each and how far DDP is above the optimum."""

from __future__ import annotations

import argparse

from rich.table import Table

from ..instance import Instance
from ..metrics import excess_over_opt_pct, ratio_to_opt, reduction_pct_or_none
from ..policies import POLICIES
from .common import console, format_choices, format_pct, load, print_json
from .solve import FUTURE_AWARE, add_lookahead_arguments, run_named, run_opt

# The rows of ``ddp compare``: the library's policies, then those that see the next events.
COMPARED = (*POLICIES, *FUTURE_AWARE)


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("compare", help="all policies on one instance",
                                   description="Run every policy on one instance and show "
                                               "DDP's latency reduction against each.")
    parser.add_argument("file", metavar="FILE",
                        help="ddp-instance/1 JSON file (format: docs/formats.md)")
    parser.add_argument("--json", action="store_true", help="one JSON object per policy")
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                        help="seconds for the OPT row (solver auto; default: 60); when reached, "
                             "OPT is the best schedule found, status feasible")
    add_lookahead_arguments(parser)
    return parser


def compare_rows(inst: Instance, args: argparse.Namespace | None = None,
                 policies: tuple[str, ...] = COMPARED) -> list[dict]:
    """One row per policy: makespan, DDP's reduction against it (%), choices (``lookahead``
    with ``args.window`` and ``args.predict``, else its defaults)."""
    if args is None:
        args = build_defaults()
    schedules = {name: run_named(inst, name, args) for name in policies}
    ddp_makespan = schedules["ddp"].makespan
    return [{"policy": name, "makespan": s.makespan,
             "ddp_reduction_pct": reduction_pct_or_none(ddp_makespan, s.makespan),
             "status": "heuristic", "choices": [int(c) for c in s.choices]}
            for name, s in schedules.items()]


def build_defaults() -> argparse.Namespace:
    """The lookahead settings of ``ddp compare`` without flags."""
    parser = argparse.ArgumentParser()
    add_lookahead_arguments(parser)
    return parser.parse_args([])


def opt_row(inst: Instance, ddp_makespan: float, time_limit: float) -> dict:
    """The OPT row: the optimum (``solvers.solve``, method auto), its bound and DDP's excess.

    ``ddp_excess_pct`` is ``100 (Z_DDP - OPT) / OPT`` (``ddp_ratio_to_opt`` the ratio); when
    OPT is not proven, ``ddp_excess_pct_max`` bounds the true excess from the lower bound.
    """
    result = run_opt(inst, "auto", time_limit)
    opt = float(result.objective)
    bound = float(result.lower_bound)
    row = {"policy": "opt", "makespan": opt,
           "ddp_reduction_pct": reduction_pct_or_none(ddp_makespan, opt),
           "status": str(result.status), "choices": [int(c) for c in result.choices],
           "lower_bound": bound, "solver": result.method,
           "runtime_s": round(float(result.runtime), 6),
           "ddp_ratio_to_opt": ratio_to_opt(ddp_makespan, opt) if opt > 0 else None,
           "ddp_excess_pct": excess_over_opt_pct(ddp_makespan, opt),
           "ddp_excess_pct_max": excess_over_opt_pct(ddp_makespan, bound)}
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
    table.caption = "DDP vs it = 100 (Z_DDP - Z_it) / Z_it; negative: DDP faster"
    opt = next((row for row in rows if row["policy"] == "opt"), None)
    if opt is not None:
        ratio = opt["ddp_ratio_to_opt"]
        table.caption += (f"\nDDP above OPT: {format_pct(opt['ddp_excess_pct'])}"
                          + (f" (DDP/OPT = {ratio:.6f})" if ratio is not None else ""))
        if opt["status"] != "optimal":
            table.caption += (f"; OPT not proven within the time limit (lower bound "
                              f"{opt['lower_bound']:.3f}): DDP is at most "
                              f"{format_pct(opt['ddp_excess_pct_max'])} above it")
    console().print(table)


def run(args: argparse.Namespace) -> int:
    inst = load(args.file)
    rows = compare_rows(inst, args)
    ddp_makespan = next(row["makespan"] for row in rows if row["policy"] == "ddp")
    rows.append(opt_row(inst, ddp_makespan, args.time_limit))
    if args.json:
        for row in rows:
            print_json({"file": args.file, **row})
    else:
        print_rows(rows, f"{args.file}: n={inst.n}, k={inst.k}, devices={inst.devices}, "
                         f"cloud units={inst.cloud_units}", inst.time_unit)
    return 0
