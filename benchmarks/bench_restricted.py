"""The restricted models of `auto`'s vertex step: seconds against their limit, and the gap.

On Table 4's `paper` shapes (the gap experiment's cells, as in ``bench_table4.py``) each
instance gets a schedule from deterministic `auto` (``--start-limit`` seconds) and the LP
relaxation's vertex; then, each with ``--time-limit`` seconds, ``vertex.rechoose`` (the
schedule with the vertex's split events chosen together by HiGHS, the rest kept) and
``vertex.complete_vertex`` (the vertex's points with its split events chosen). The script prints
the seconds each took and its makespan's gap over the relaxation's bound. With ``--baseline``
another tree runs the same in a second process at the same time.

    python benchmarks/bench_restricted.py [--devices 32] [--seeds 2] [--time-limit 15]
        [--start-limit 10] [--baseline DIR]

``DIR`` holds the packages of an earlier commit, e.g.

    mkdir -p /tmp/before && git archive <commit> ddp solvers instances experiments \\
        | tar -x -C /tmp/before

Before the models folded the events that keep one point (docs/solvers.md, "Known solver
defects"), HiGHS's presolve ran far past the limit on the 32-device shapes.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench_table4 import label, run_trees, table4_cells


def run_child(devices: list[int], seeds: range, time_limit: float, start_limit: float) -> None:
    """Both restricted solves on every instance in this process (the tree on ``sys.path``);
    one JSON line each."""
    import ddp
    import instances
    from solvers import solve
    from solvers.lp import lp_bound
    from solvers.vertex import complete_vertex, rechoose, split_events

    for row in table4_cells(devices):
        for seed in seeds:
            inst = instances.generate(seed=seed, **row.generate_kwargs())
            start = solve(inst, "auto", time_limit=start_limit, deterministic=True)
            relaxed = lp_bound(inst, start.objective, vertex=True, time_limit=100)
            split = split_events(relaxed)
            record = {"cell": row.key, "seed": seed, "n": inst.n, "split": int(split.sum()),
                      "start": (start.objective - relaxed.value) / start.objective}
            steps = {"rechoose": (rechoose, (inst, start.choices, split, time_limit), {}),
                     "complete": (complete_vertex, (inst, relaxed, time_limit),
                                  {"hint": start.choices})}
            for name, (step, arguments, keywords) in steps.items():
                began = time.perf_counter()
                choices = step(*arguments, **keywords)
                record[f"{name}_seconds"] = time.perf_counter() - began
                makespan = (float(ddp.evaluate(inst, choices).makespan)
                            if choices is not None else float("nan"))
                record[f"{name}_gap"] = (makespan - relaxed.value) / makespan
            print(json.dumps(record), flush=True)


def cells(record: dict) -> str:
    return (f"{record['rechoose_seconds']:5.1f} s {100 * record['rechoose_gap']:7.4f}%  "
            f"{record['complete_seconds']:5.1f} s {100 * record['complete_gap']:7.4f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", default="32", help="device counts, comma-separated")
    parser.add_argument("--seeds", type=int, default=2, help="instances per cell (default 2)")
    parser.add_argument("--time-limit", type=float, default=15.0,
                        help="seconds for each restricted solve (default 15)")
    parser.add_argument("--start-limit", type=float, default=10.0,
                        help="seconds of deterministic auto for the schedule (default 10)")
    parser.add_argument("--baseline", type=Path, help="a folder with an earlier tree's packages")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    devices = [int(text) for text in args.devices.split(",")]
    if args.child:
        run_child(devices, range(args.seeds), args.time_limit, args.start_limit)
        return
    records = run_trees(__file__, ["--devices", args.devices, "--seeds", str(args.seeds),
                                   "--time-limit", str(args.time_limit),
                                   "--start-limit", str(args.start_limit)], args.baseline)
    trees = list(records)
    print(f"limit {args.time_limit:g} s a solve; gap over the relaxation; per tree: "
          f"rechoose (seconds, gap), complete_vertex (seconds, gap)")
    print(f"{'cell':<16} {'seed':>4} {'n':>5} {'split':>5} {'start':>8}  "
          + "  ".join(f"{name:>34}" for name in trees))
    for index, record in enumerate(records["this tree"]):
        print(f"{label(record['cell']):<16} {record['seed']:>4} {record['n']:>5} "
              f"{record['split']:>5} {100 * record['start']:7.4f}%  "
              + "  ".join(f"{cells(records[name][index]):>34}" for name in trees))


if __name__ == "__main__":
    main()
