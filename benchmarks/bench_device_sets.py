"""Sets of devices re-solved together, every other event fixed: how far `auto`'s schedule moves.

Where many devices share one unit, `auto`'s schedule can make the device that decides the
makespan wait at the unit behind the others' work, and neither the windows of consecutive
events nor a re-choice of one device at a time (`devices.refit_devices`) move several devices
at once. This script starts from deterministic `auto` and repeatedly re-solves a few devices
together with HiGHS, every other event fixed at its point: the device of the last event and
some of the devices whose unit work its events waited behind (drawn at random from the most
loading ones). It prints the makespan after each re-solve. It is a measurement, not part of
the package (see docs/solvers.md, "What limits the rest").

    python benchmarks/bench_device_sets.py [--cell TEXT] [--seed 2] [--set-size 6]
        [--sub-seconds 5] [--seconds 120]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import ddp
import instances
from experiments.specs import gap_cells
from solvers import solve
from solvers.vertex import rechoose

DEFAULT_CELL = ("gap/i3d/edge-wifi/n=normal:1-5000/interval=0-720/devices=128/units=1/"
                "streams=per-device")


def waited_behind(inst: ddp.Instance, choices: np.ndarray) -> tuple[int, np.ndarray]:
    """The device of the last event, and for every device the unit work that event's device
    waited behind (served between one of its events' ready time and that event's start)."""
    schedule = ddp.evaluate(inst, choices)
    last = int(np.argmax(schedule.finish_cloud))
    deciding = int(inst.device[last])
    cloud_work = inst.cloud[np.arange(inst.n), choices]
    behind = np.zeros(inst.devices)
    for event in np.flatnonzero(inst.device == deciding):
        if schedule.start_cloud[event] <= schedule.ready[event]:
            continue
        earlier = np.flatnonzero((inst.unit == inst.unit[event])
                                 & (np.arange(inst.n) < event)
                                 & (schedule.finish_cloud > schedule.ready[event]))
        np.add.at(behind, inst.device[earlier], cloud_work[earlier])
    behind[deciding] = 0.0
    return deciding, behind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell", default=DEFAULT_CELL, metavar="TEXT",
                        help="the first gap cell whose key contains TEXT (default: i3d, "
                             "edge-wifi, 128 devices)")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--set-size", type=int, default=6)
    parser.add_argument("--sub-seconds", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--start-limit", type=float, default=10.0,
                        help="seconds of deterministic auto for the start (default 10)")
    args = parser.parse_args()
    row = next(row for row in gap_cells(list(instances.NETWORKS), list(instances.SCENARIOS),
                                        quick=False) if args.cell in row.key)
    inst = instances.generate(seed=args.seed, **row.generate_kwargs())
    start = solve(inst, "auto", time_limit=args.start_limit, deterministic=True)
    choices = np.asarray(start.choices)
    value = start.objective
    print(f"{row.key}, seed {args.seed}, n {inst.n}: auto {value:.2f}, bound "
          f"{start.lower_bound:.2f}", flush=True)
    rng = np.random.default_rng(0)
    began = time.perf_counter()
    while time.perf_counter() - began < args.seconds:
        deciding, behind = waited_behind(inst, choices)
        loading = [int(d) for d in np.argsort(-behind) if behind[d] > 0][:3 * args.set_size]
        others = rng.choice(loading, size=min(args.set_size - 1, len(loading)), replace=False)
        free = [deciding, *(int(d) for d in others)]
        freed = np.isin(inst.device, free)
        candidate = rechoose(inst, choices, freed, args.sub_seconds)
        if candidate is None:  # HiGHS failed: nothing to compare
            continue
        makespan = float(ddp.evaluate(inst, candidate).makespan)
        if makespan < value:
            choices, value = candidate, makespan
        print(f"{time.perf_counter() - began:6.1f} s  devices {free}: {makespan:.2f}, best "
              f"{value:.2f}", flush=True)


if __name__ == "__main__":
    main()
