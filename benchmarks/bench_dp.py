"""Speed of ``dp``'s exact search on paper-scale instances, this tree against another, side by side.

Run: ``python benchmarks/bench_dp.py [--baseline DIR] [--repeats 1]``. ``DIR`` holds the
``ddp``, ``solvers`` and ``instances`` packages of an earlier commit, e.g.

    mkdir -p /tmp/before && git archive <commit> ddp solvers instances | tar -x -C /tmp/before

Each instance (``paper`` scenario, one device, n = 100; generated here with the same arguments in
both trees) is first solved by ``auto`` for 20 s in this tree; its answer is the hint. Then each
tree runs ``solve_dp`` with that hint, the relaxation's state cuts and a limit of 300 s in a fresh
process (compile excluded: each process solves a small instance first; at most 50M states a
stage, and an older tree's guard on the children of a stage lifted), and the script prints
the seconds, the states visited and how the search ended. The same hint in both trees makes the
searches comparable; when both complete, they visit the same states unless the cut rules differ.

Numbers come from one run on one machine: compare within a run, not across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import instances
import solvers

HERE = Path(__file__).resolve().parent.parent
CASES = [("resnet3d50", "360"), ("resnet3d50", "0-720"), ("i3d", "0-720")]

CHILD = """
import json, sys, time
import numpy as np
import instances
import solvers.dp
from solvers.dp import solve_dp
from solvers.lp import state_cut
if hasattr(solvers.dp, "MAX_CHILDREN"):  # older trees: their guard on a stage's children lifted
    solvers.dp.MAX_CHILDREN = 10**9
network, interval, hint_file, limit = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
solve_dp(instances.generate(scenario="paper", network=network, events=8, seed=1), time_limit=5)
inst = instances.generate(scenario="paper", network=network, events=100, interval=interval,
                          devices=1, streams="one", seed=0)
started = time.perf_counter()
out = solve_dp(inst, time_limit=limit, hint=np.load(hint_file), state_cuts=state_cut,
               last_cut_seconds=5, max_states=50_000_000)
print(json.dumps({"seconds": time.perf_counter() - started, "states": out.stats["states"],
                  "message": out.message, "bound": out.lower_bound}))
"""


def run_tree(tree: Path, network: str, interval: str, hint_file: str, limit: float) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "NUMBA_CACHE_DIR": tempfile.mkdtemp()}
    done = subprocess.run([sys.executable, "-c", CHILD, network, interval, hint_file,
                           str(limit)], env=env, capture_output=True, text=True, check=True,
                          cwd=tree)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a folder with an earlier tree's packages")
    parser.add_argument("--time-limit", type=float, default=300.0)
    args = parser.parse_args()
    trees = {"this tree": HERE}
    if args.baseline:
        trees["baseline"] = args.baseline.resolve()
    print(f"{'instance':<22} {'tree':<10} {'seconds':>8} {'states':>11}  end of the search")
    for network, interval in CASES:
        inst = instances.generate(scenario="paper", network=network, events=100,
                                  interval=interval, devices=1, streams="one", seed=0)
        hint = solvers.solve(inst, "auto", time_limit=20).choices
        with tempfile.NamedTemporaryFile(suffix=".npy", delete=False) as handle:
            np.save(handle, hint)
        try:
            for name, tree in trees.items():
                got = run_tree(tree, network, interval, handle.name, args.time_limit)
                print(f"{network + ' ' + interval + ' ms':<22} {name:<10} "
                      f"{got['seconds']:8.1f} {got['states']:11d}  {got['message']}",
                      flush=True)
        finally:
            os.unlink(handle.name)


if __name__ == "__main__":
    main()
