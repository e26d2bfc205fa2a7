"""`auto` on one device with a short limit: how many n = 100 instances it certifies within 0.001%.

The target: on one device, n <= 100, a certified gap (objective - bound) / objective of at most
0.001% in under 1 s. The instances: ``instances.generate`` with one device, n events, every
scenario, resnet3d50 and i3d, intervals 0, 360, 0-720 ms and Poisson with mean 360 ms, seeds 0
.. S-1. Each gets ``solve(inst, "auto", time_limit=L)``; the script prints per cell how many end
within 0.001%, the largest gap and the longest call. With ``--baseline`` another tree runs the
same in a second process at the same time (one core each).

    python benchmarks/bench_one_second.py [--events 100] [--seeds 3] [--time-limit 1]
        [--scenarios paper] [--baseline DIR]

``DIR`` holds the packages of an earlier commit, e.g.

    mkdir -p /tmp/before && git archive <commit> ddp solvers instances experiments \\
        | tar -x -C /tmp/before
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

from bench_table4 import run_trees

SCENARIOS = ["paper", "edge-3g", "edge-lte", "edge-wifi"]
NETWORKS = ["resnet3d50", "i3d"]
INTERVALS = ["0", "360", "0-720", "poisson:360"]
TARGET = 1e-5  # 0.001%


def run_child(scenarios: list[str], events: int, seeds: int, time_limit: float) -> None:
    """``auto`` on every instance in this process (the tree on ``sys.path``); one JSON line
    each."""
    import instances
    from solvers import solve

    # numba's caches and the back-ends' imports, before the clock matters
    solve(instances.generate(events=20, seed=0), "auto", time_limit=2)
    for scenario, network, interval in itertools.product(scenarios, NETWORKS, INTERVALS):
        for seed in range(seeds):
            inst = instances.generate(scenario=scenario, network=network, events=events,
                                      interval=interval, seed=seed)
            began = time.perf_counter()
            result = solve(inst, "auto", time_limit=time_limit)
            print(json.dumps({"cell": f"{scenario} {network} {interval}", "seed": seed,
                              "seconds": time.perf_counter() - began, "gap": result.gap,
                              "status": str(result.status)}), flush=True)


def cell_summary(records: list[dict]) -> str:
    """``within/runs, largest gap, longest call`` of one cell's records."""
    within = sum(record["gap"] <= TARGET for record in records)
    return (f"{within}/{len(records)} {100 * max(r['gap'] for r in records):8.5f}% "
            f"{max(r['seconds'] for r in records):5.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=3, help="instances per cell (default 3)")
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated (default: all four)")
    parser.add_argument("--baseline", type=Path, help="a folder with an earlier tree's packages")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    scenarios = args.scenarios.split(",")
    if args.child:
        run_child(scenarios, args.events, args.seeds, args.time_limit)
        return
    records = run_trees(__file__, ["--events", str(args.events), "--seeds", str(args.seeds),
                                   "--time-limit", str(args.time_limit),
                                   "--scenarios", args.scenarios], args.baseline)
    trees = list(records)
    print(f"one device, n = {args.events}, limit {args.time_limit:g} s; per tree: instances "
          f"within 0.001%, largest certified gap, longest call")
    print(f"{'cell':<32} " + "  ".join(f"{name:>28}" for name in trees))
    by_cell = {name: {} for name in trees}
    for name in trees:
        for record in records[name]:
            by_cell[name].setdefault(record["cell"], []).append(record)
    for cell in by_cell["this tree"]:
        print(f"{cell:<32} " + "  ".join(f"{cell_summary(by_cell[name][cell]):>28}"
                                         for name in trees))
    print(f"{'all':<32} " + "  ".join(f"{cell_summary(records[name]):>28}" for name in trees))


if __name__ == "__main__":
    main()
