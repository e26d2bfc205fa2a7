"""``ddp instance generate ... -o FILE``: a seeded ``ddp-instance/1`` file from a scenario."""

from __future__ import annotations

import argparse

from ..io import atomic_write_text, dumps_instance
from .common import CliError, console


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("instance", help="generate instances from scenarios",
                                   description="Generate instances from the built-in networks, "
                                               "device, network and cloud-load models.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    gen = actions.add_parser(
        "generate", help="write one seeded instance file",
        description="Write one ddp-instance/1 file; the same settings and seed give the same "
                    "file byte for byte.")
    gen.add_argument("--scenario", default="paper",
                     help="paper (calibrated), edge-3g, edge-lte, edge-wifi (default: paper)")
    gen.add_argument("--network", default="resnet3d50",
                     help="resnet3d50, i3d, i3d_r50 (default: resnet3d50)")
    gen.add_argument("--events", default="8",
                     help="n, or normal:LO-HI as in the paper's Tables 3-4 (default: 8)")
    gen.add_argument("--interval", default="0",
                     help="ms between arrivals: 360 (equal), 0-720 (uniform), poisson:MEAN "
                          "(default: 0)")
    gen.add_argument("--devices", default=1, type=int, help="front-end devices (default: 1)")
    gen.add_argument("--cloud-units", default=1, type=int, help="cloud units (default: 1)")
    gen.add_argument("--seed", default=0, type=int, help="seed (default: 0)")
    gen.add_argument("--link", default=None, help="uplink preset 3g, lte, wifi, lan (default: the "
                                                  "scenario's)")
    gen.add_argument("--profile", default=None, metavar="FILE",
                     help="a ddp-profile/1 file of your own measurements instead of --network "
                          "(format: docs/formats.md; example: examples/profile.json)")
    gen.add_argument("--precision", default="fp32", choices=("fp32", "fp16"),
                     help="bytes per element of the tensors sent at points 1..k (not with "
                          "--profile: its bytes are used as given)")
    gen.add_argument("--streams", default="one", choices=("one", "per-device"),
                     help="one: a single arrival stream, each event's device drawn uniformly "
                          "(default); per-device: each device its own arrival stream (first at "
                          "0, gaps per --interval), merged in arrival order (the paper's Table 4)")
    gen.add_argument("-o", "--output", required=True, metavar="FILE", help="output file")
    return parser


def run(args: argparse.Namespace) -> int:
    import instances

    try:
        inst = instances.generate(scenario=args.scenario, network=args.network,
                                  events=args.events, interval=args.interval,
                                  devices=args.devices, cloud_units=args.cloud_units,
                                  seed=args.seed, link=args.link, profile=args.profile,
                                  precision=args.precision, streams=args.streams)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    try:
        atomic_write_text(args.output, dumps_instance(inst))
    except OSError as exc:
        raise CliError(f"{args.output}: cannot write ({exc.strerror or exc})") from None
    console().print(f"wrote {args.output}: {inst.name} (n={inst.n}, k={inst.k})")
    return 0
