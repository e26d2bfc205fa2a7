"""``ddp evaluate FILE --choices ...``: the schedule of a given choice vector."""

from __future__ import annotations

import argparse

from ..errors import InstanceError
from ..io import read_text_bounded
from ..recurrence import evaluate
from .common import CliError, console, load, parse_choices, print_json
from .solve import schedule_table


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "evaluate", help="schedule and makespan of a given choice vector",
        description="Re-compute the schedule and makespan of a choice vector with the "
                    "recurrence, so anyone can re-check a reported result.")
    parser.add_argument("file", metavar="FILE",
                        help="ddp-instance/1 JSON file (format: docs/formats.md)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--choices", help="points per event: 0,3,18,... or a JSON list")
    source.add_argument("--choices-file", metavar="PATH",
                        help="file holding the choices (JSON list, or numbers separated by "
                             "commas or white space)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    return parser


def run(args: argparse.Namespace) -> int:
    inst = load(args.file)
    if args.choices_file is not None:
        try:
            text = read_text_bounded(args.choices_file)
        except OSError as exc:  # missing, a folder or a FIFO, too large, not UTF-8 text
            raise CliError(f"{args.choices_file}: cannot read the choices file "
                           f"({exc.strerror or exc})") from None
        choices = parse_choices(text, args.choices_file)
    else:
        choices = parse_choices(args.choices)
    try:
        schedule = evaluate(inst, choices)
    except InstanceError as exc:  # names key 'choices' and the event
        raise exc.with_file(args.file) from None
    record = {"file": args.file, "n": inst.n, "k": inst.k}
    record.update(schedule.to_dict(times=True))
    if args.json:
        print_json(record)
    else:
        out = console()
        out.print(schedule_table(record["schedule"], title=f"{args.file}: schedule"))
        out.print(f"makespan: {schedule.makespan:.6f} {inst.time_unit}")
    return 0
