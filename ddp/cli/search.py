"""``ddp search worst``: a seeded search for instances where greedy DDP is far from OPT."""

from __future__ import annotations

import argparse

from solvers.worst import search_worst

from ..io import save_instance
from .common import CliError, console, print_json


def _positive(kind: type, what: str):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text} must be > 0")
        return value
    return parse


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "search", help="search for instances where DDP is far from the optimum",
        description="worst: hill climbing with restarts over small integer instances (one "
                    "device, one cloud unit) for the largest DDP/OPT, OPT exact. The same "
                    "seed and --evaluations give the same instance; --budget alone stops on "
                    "the clock.")
    parser.add_argument("what", choices=["worst"], help="what to search for")
    parser.add_argument("--events", type=_positive(int, "an integer"), default=4, metavar="N",
                        help="events per instance (default: 4)")
    parser.add_argument("--points", type=_positive(int, "an integer"), default=2, metavar="K",
                        help="k: rows of k+1 partition points (default: 2)")
    parser.add_argument("--budget", type=_positive(float, "a number"), default=10.0,
                        metavar="S", help="seconds of search (default: 10)")
    parser.add_argument("--evaluations", type=_positive(int, "an integer"), default=None,
                        help="stop after this many instances (reproducible on any machine)")
    parser.add_argument("--seed", type=int, default=0, metavar="X", help="seed (default: 0)")
    parser.add_argument("--max-time", type=_positive(int, "an integer"), default=20,
                        metavar="M", help="largest time and arrival gap (default: 20)")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write the worst instance found (ddp-instance/1, re-check it with "
                             "ddp compare FILE)")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    return parser


def run(args: argparse.Namespace) -> int:
    if args.events > 12 or args.points > 8:
        raise CliError("search worst is for small instances: --events at most 12, --points "
                       "at most 8")
    found = search_worst(args.events, args.points, args.budget, args.seed, args.max_time,
                         max_evaluations=args.evaluations)
    if args.output:
        save_instance(found.instance, args.output)
    record = {"events": args.events, "points": args.points, "seed": args.seed,
              "max_time": args.max_time, "evaluations": found.evaluations,
              "seconds": round(found.seconds, 3), "ddp_makespan": found.ddp_makespan,
              "opt": found.opt, "ddp_ratio_to_opt": found.ratio, "file": args.output}
    if args.json:
        print_json(record)
    else:
        console().print(f"worst DDP/OPT found for n={args.events}, k={args.points}: "
                        f"{found.ratio:.6f} (DDP {found.ddp_makespan:g}, OPT {found.opt:g}; "
                        f"{found.evaluations} instances in {found.seconds:.1f} s, seed "
                        f"{args.seed})" + (f"; written to {args.output}" if args.output else ""))
    return 0
