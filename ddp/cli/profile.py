"""``ddp profile show NETWORK [--json]``: a built-in network's partition points."""

from __future__ import annotations

import argparse

from rich.table import Table

from .common import CliError, console, print_json


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("profile", help="partition profiles of the built-in networks",
                                   description="Partition profiles of the built-in 3D CNNs, "
                                               "computed layer by layer.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    show = actions.add_parser("show", help="the partition-point table of a network",
                              description="Per point: output shape, elements, float32 bytes, "
                                          "cumulative and remaining MACs.")
    show.add_argument("network", metavar="NETWORK", help="resnet3d50, i3d or i3d_r50")
    show.add_argument("--json", action="store_true", help="one JSON object")
    return parser


def run(args: argparse.Namespace) -> int:
    import instances

    try:
        prof = instances.profile(args.network)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print_json(prof.to_dict())
        return 0
    table = Table(title=f"{prof.network}: input {'x'.join(map(str, prof.input_shape))}, "
                        f"k={prof.k}, {prof.total_macs / 1e9:.2f} GMACs, "
                        f"feature point {prof.feature_point}")
    for column in ("point", "name", "shape", "elements", "bytes (fp32)", "cum GMACs",
                   "remaining GMACs"):
        table.add_column(column, justify="left" if column in ("name", "shape") else "right",
                         no_wrap=column in ("name", "shape"))
    for p in prof.points():
        label = f"{p.index}*" if p.index == prof.feature_point else str(p.index)
        table.add_row(label, p.name, "x".join(map(str, p.shape)), f"{p.elements:,}",
                      f"{p.bytes:,}", f"{p.cum_macs / 1e9:.3f}", f"{p.remaining_macs / 1e9:.3f}")
    console().print(table)
    console().print("* FB feature point (k - 1). Point 0 is sent as compressed video in "
                    "generated instances, not as this float tensor.")
    return 0
