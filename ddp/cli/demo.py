"""``ddp demo``: every policy on a built-in scenario, no file needed."""

from __future__ import annotations

import argparse

import numpy as np

from ..instance import Instance
from .common import console
from .compare import compare_rows, print_json, print_rows

# A built-in scenario: 8 clips arriving together at one front-end device, a 3D-CNN cut in
# k = 6 parts. Per part: front time (ms), cloud time (ms); per point: tensor size (MB) sent over
# a 5.85 Mbit/s uplink (LTE), point 0 being the compressed clip.
_PART_FRONT_MS = np.array([95.0, 120.0, 140.0, 160.0, 150.0, 15.0])
_PART_CLOUD_MS = _PART_FRONT_MS / 8.0
_POINT_MB = np.array([0.28, 1.6, 0.8, 0.4, 0.2, 0.008, 0.0004])
_UPLINK_MBIT_S = 5.85


def demo_instance() -> Instance:
    """The built-in demo scenario (n = 8, all arriving at 0)."""
    n = 8
    front = np.concatenate([[0.0], np.cumsum(_PART_FRONT_MS)])
    cloud = np.concatenate([np.cumsum(_PART_CLOUD_MS[::-1])[::-1], [0.0]])
    trans = _POINT_MB * 8.0 / _UPLINK_MBIT_S * 1000.0
    return Instance(np.zeros(n), np.tile(front, (n, 1)), np.tile(trans, (n, 1)),
                    np.tile(cloud, (n, 1)), name="built-in demo",
                    meta={"scenario": "built-in demo", "uplink_mbit_s": _UPLINK_MBIT_S})


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("demo", help="all policies on a built-in scenario",
                                   description="Run every policy on a built-in scenario and "
                                               "show DDP's latency reduction against each.")
    parser.add_argument("--json", action="store_true", help="one JSON object per policy")
    return parser


def run(args: argparse.Namespace) -> int:
    inst = demo_instance()
    rows = compare_rows(inst)
    if args.json:
        for row in rows:
            print_json({"scenario": inst.name, **row})
        return 0
    console().print(f"Scenario: {inst.name}: n={inst.n} clips arriving together at one device, "
                    f"k={inst.k}, {_UPLINK_MBIT_S} Mbit/s uplink, cloud 8x faster.")
    print_rows(rows, "ddp demo: every policy", inst.time_unit)
    return 0
