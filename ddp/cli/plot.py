"""``ddp plot FILE --policy P -o out.png``: a Gantt chart of a policy's schedule on an instance."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..io import write_target
from ..policies import POLICIES, run_policy
from .common import CliError, load


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "plot", help="Gantt chart of a schedule (PNG)",
        description="Draw the schedule of a policy on an instance: one lane per front-end "
                    "device and per cloud unit, each event's parts as bars labelled "
                    "event:point. Needs matplotlib (pip install 'ddp[plot]').")
    parser.add_argument("file", metavar="FILE",
                        help="ddp-instance/1 JSON file (format: docs/formats.md)")
    parser.add_argument("--policy", default="ddp", choices=[*list(POLICIES), "opt"],
                        help="policy to draw (default: ddp; opt: the exact optimum)")
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                        help="time limit of the exact solver for --policy opt (default 60)")
    parser.add_argument("-o", "--output", required=True, metavar="PNG",
                        help="output file, written as named; its suffix picks the format "
                             "(.png, .svg, .pdf; none: PNG)")
    return parser


def run(args: argparse.Namespace) -> int:
    import ddp
    from experiments.plots import PlotError, gantt, save_axes

    try:  # before any work: an existing directory, 'out/' or '' is no file name
        write_target(args.output)
    except OSError as exc:
        raise CliError(f"{args.output!r}: cannot write the figure ({exc.strerror or exc})"
                       ) from None
    inst = load(args.file)
    if args.policy == "opt":
        # run_opt checks --time-limit and turns solver failures into one-line errors;
        # solvers.solve warm-starts from DDP's choices by default.
        from .solve import run_opt

        result = run_opt(inst, "auto", args.time_limit)
        status = str(result.status)
        if result.choices is None or status == "infeasible":
            raise CliError(f"{args.file}: the solver found no schedule (status {status})")
        schedule = ddp.evaluate(inst, result.choices)
        title = (f"OPT ({status}, {result.method}): makespan {schedule.makespan:.1f} "
                 f"{inst.time_unit}")
    else:
        schedule = run_policy(inst, args.policy)
        title = None
    try:
        ax = gantt(inst, schedule, title=title)
        save_axes(ax, Path(args.output))
    except PlotError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{args.output}: cannot write the figure ({exc.strerror or exc})"
                       ) from None
    except ValueError as exc:  # matplotlib: an output suffix it has no writer for
        raise CliError(f"{args.output}: {exc}") from None
    print(f"{args.output}: {args.policy.upper()} schedule of {args.file}, makespan "
          f"{schedule.makespan:.3f} {inst.time_unit}")
    return 0
