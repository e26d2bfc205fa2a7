"""``ddp demo``: every policy on the ``paper`` scenario, no file needed.

The demo instance is ``instances.generate("paper", "resnet3d50", events=8, interval="0")``:
eight clips arriving together at one front-end device, 3D ResNet-50 cut in k = 18 parts, the
scenario calibrated to the paper's Table 1 regime (``docs/scenarios.md``).
"""

from __future__ import annotations

import argparse

from ..instance import Instance
from ..policies import POLICIES
from .common import console, print_json
from .compare import compare_rows, print_rows

DEMO_SETTINGS = {"scenario": "paper", "network": "resnet3d50", "events": 8, "interval": "0",
                 "seed": 0}


def demo_instance() -> Instance:
    """The demo scenario: ``paper``, resnet3d50, n = 8, all arriving at 0."""
    import instances

    return instances.generate(**DEMO_SETTINGS)


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("demo", help="all policies on the paper scenario",
                                   description="Run every policy on the 'paper' scenario "
                                               "(3D ResNet-50, n=8 clips arriving together) and "
                                               "show DDP's latency reduction against each.")
    parser.add_argument("--json", action="store_true", help="one JSON object per policy")
    return parser


def run(args: argparse.Namespace) -> int:
    inst = demo_instance()
    rows = compare_rows(inst, policies=tuple(POLICIES))  # the paper's policies
    if args.json:
        for row in rows:
            print_json({"scenario": inst.name, **row})
        return 0
    link = inst.meta["link"]
    console().print(f"Scenario 'paper' (calibrated to the paper's Table 1 regime): resnet3d50, "
                    f"n={inst.n} clips arriving together at 0 ms at one device, k={inst.k}, "
                    f"{link['name']} uplink {link['uplink_mbit_s']} Mbit/s, seed 0. "
                    f"Same as: ddp instance generate --scenario paper --network resnet3d50 "
                    f"--events 8 --interval 0 -o FILE")
    print_rows(rows, "ddp demo: every policy", inst.time_unit)
    return 0
