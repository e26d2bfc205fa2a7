"""`auto` on Table 4's `paper` shapes: certified gaps at a time limit, optionally beside
another tree in a second process, side by side.

The instances are ``--seeds`` seeds (from ``--first-seed``) of the `paper` cells of `ddp
experiment gap` with Table 4's shapes (n over 1-5000, 0-720 ms, a stream per device, one unit;
32 and 128 devices by default), generated in each tree with the same arguments. Each tree
runs `solve(inst, "auto", time_limit=...)` (the default run, not deterministic) on every
instance, one after the other, in its own process; with ``--baseline`` both processes run at
once, so that the machine's load is the same for both. The script prints every instance's
certified gap ``(objective - lower_bound) / objective`` and, per cell, the median, the largest
and how many are within 0.01% (the target docs/solvers.md measures these sizes against).

    python benchmarks/bench_table4.py [--devices 32,128] [--seeds 4] [--first-seed 0]
        [--time-limit 60] [--interval 0-720] [--baseline DIR]

``--interval 0`` gives the same shapes with every stream starting at once: the devices then
take the unit in turn (docs/solvers.md, "Devices that take the unit in turn").

``DIR`` holds the packages of an earlier commit, e.g.

    mkdir -p /tmp/before && git archive <commit> ddp solvers instances experiments \\
        | tar -x -C /tmp/before

HiGHS's branch and bound ends each run and varies from run to run: compare within a run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
TARGET = 1e-4


def table4_cells(devices: list[int]) -> list:
    """The gap experiment's `paper` cells of Table 4's shapes with these device counts."""
    import instances
    from experiments.specs import gap_cells

    wanted = {f"devices={count}/" for count in devices}
    return [row for row in gap_cells(list(instances.NETWORKS), ["paper"], quick=False)
            if "n=normal" in row.key and "streams=per-device" in row.key
            and any(text in row.key for text in wanted)]


def run_child(devices: list[int], seeds: range, time_limit: float, interval: str) -> None:
    """Solve every instance in this process (the tree on ``sys.path``); one JSON line each."""
    import instances
    from solvers import solve

    for row in table4_cells(devices):
        for seed in seeds:
            inst = instances.generate(seed=seed, **{**row.generate_kwargs(),
                                                    "interval": interval})
            started = time.perf_counter()
            result = solve(inst, "auto", time_limit=time_limit)
            print(json.dumps({"cell": row.key, "seed": seed, "n": inst.n,
                              "objective": result.objective,
                              "lower_bound": result.lower_bound,
                              "gap": result.gap,
                              "seconds": time.perf_counter() - started}), flush=True)


def run_trees(script: str, child_args: list[str],
              baseline: Path | None) -> dict[str, list[dict]]:
    """``script --child child_args`` in this tree and, with ``baseline``, in that tree at the
    same time (each its packages on ``PYTHONPATH``); the JSON lines each printed."""
    trees = {"this tree": HERE}
    if baseline:
        trees["baseline"] = baseline.resolve()
    processes = {name: subprocess.Popen([sys.executable, script, "--child", *child_args],
                                        env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree,
                                        stdout=subprocess.PIPE, text=True)
                 for name, tree in trees.items()}
    records = {name: [json.loads(line) for line in process.stdout]
               for name, process in processes.items()}
    for name, process in processes.items():
        if process.wait() != 0:
            raise SystemExit(f"{Path(script).stem}: the run of {name} failed")
    return records


def label(cell: str) -> str:
    """``network devices`` of a gap cell's key."""
    return f"{cell.split('/')[1]} {cell.split('devices=')[1].split('/')[0]}"


def summary(records: list[dict]) -> str:
    gaps = [record["gap"] for record in records]
    within = sum(gap <= TARGET for gap in gaps)
    return (f"{100 * statistics.median(gaps):.4f}% ({100 * max(gaps):.4f}), "
            f"{within} of {len(gaps)} within 0.01%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", default="32,128", help="device counts, comma-separated")
    parser.add_argument("--seeds", type=int, default=4, help="instances per cell (default 4)")
    parser.add_argument("--first-seed", type=int, default=0,
                        help="the cells' seeds from this one on (default 0)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--interval", default="0-720",
                        help="ms between each stream's arrivals (default 0-720, the cells')")
    parser.add_argument("--baseline", type=Path, help="a folder with an earlier tree's packages")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    devices = [int(text) for text in args.devices.split(",")]
    if args.child:
        run_child(devices, range(args.first_seed, args.first_seed + args.seeds),
                  args.time_limit, args.interval)
        return
    records = run_trees(__file__, ["--devices", args.devices, "--seeds", str(args.seeds),
                                   "--first-seed", str(args.first_seed),
                                   "--time-limit", str(args.time_limit),
                                   "--interval", args.interval], args.baseline)
    trees = list(records)
    print(f"{'cell':<16} {'seed':>4} {'n':>5}  " + "  ".join(f"{name:>22}" for name in trees))
    for index, record in enumerate(records["this tree"]):
        gaps = "  ".join(f"{100 * records[name][index]['gap']:21.4f}%" for name in trees)
        print(f"{label(record['cell']):<16} {record['seed']:>4} {record['n']:>5}  {gaps}")
    print()
    for cell in dict.fromkeys(record["cell"] for record in records["this tree"]):
        for name in trees:
            print(f"{label(cell):<16} {name:<10} "
                  f"{summary([r for r in records[name] if r['cell'] == cell])}")


if __name__ == "__main__":
    main()
