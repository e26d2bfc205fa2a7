"""Time limits kept? Wall time of ``ddp solve --policy opt --solver S --time-limit L`` against L.

Each case writes a random instance (``instances.random.random_instance``, k = 18, every arrival
at 0: the hard case) to a temporary file and runs the CLI on it in a fresh process, so the wall
time counts everything a user waits for: the imports, reading the file, building the model and
the solve. The promise is a wall time within ``max(10% of L, 1 s)`` of the limit; the table
prints the wall time, the solver's own runtime (``runtime_s``), the overrun beyond the limit
and whether it is within the promise.

    python benchmarks/bench_time_limits.py                  # every case below
    python benchmarks/bench_time_limits.py --solvers dp auto --sizes 20000 --limits 1 2
    python benchmarks/bench_time_limits.py --cold           # the first call: empty numba cache

``--cold`` runs each case twice, first with an empty numba cache (``NUMBA_CACHE_DIR`` set to a
new folder: every kernel compiled in the call), then with the cache that run left (the state
after ``make install``, which warms the cache).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ddp  # noqa: E402
from instances.random import random_instance  # noqa: E402

# (solvers, n, limits): the cases where limits were overrun before they were enforced
CASES = [
    (("milp-cbc", "milp-highs", "cpsat"), 5000, (1.0, 2.0, 5.0)),
    (("dp", "auto"), 20000, (1.0, 2.0)),
    (("dp", "auto"), 180000, (10.0,)),
]


def allowed_overrun(limit: float) -> float:
    return max(0.1 * limit, 1.0)


def run_cli(path: str, solver: str, limit: float, env: dict | None = None) -> dict:
    ddp_bin = Path(sys.executable).with_name("ddp")
    command = [str(ddp_bin), "solve", path, "--policy", "opt", "--solver", solver,
               "--time-limit", str(limit), "--json"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    record = json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else {}
    return {"wall": wall, "code": done.returncode, "status": record.get("status", "-"),
            "runtime": record.get("runtime_s"), "error": done.stderr.strip()[-200:]}


def print_row(solver: str, n: int, limit: float, label: str, run: dict) -> None:
    over = run["wall"] - limit
    ok = "yes" if over <= allowed_overrun(limit) else "NO"
    runtime = "-" if run["runtime"] is None else f"{run['runtime']:.2f}"
    print(f"| {solver:10} | {n:6} | {limit:5g} | {label:5} | {run['wall']:6.2f} | {runtime:>7} | "
          f"{over:+6.2f} | {ok:3} | {run['status']:8} | {run['code']:4} |", flush=True)
    if run["code"] != 0:
        print(f"|   stderr: {run['error']}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solvers", nargs="+", help="only these solvers")
    parser.add_argument("--sizes", nargs="+", type=int, help="only these n")
    parser.add_argument("--limits", nargs="+", type=float, help="only these limits")
    parser.add_argument("--cold", action="store_true",
                        help="each case first with an empty numba cache, then warm")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; wall time of the CLI "
          f"(fresh process) against --time-limit; promise: within max(10% of L, 1 s)")
    print("| solver     |      n |     L | cache |   wall | runtime |   over | ok  | status   | "
          "exit |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | --- | ---: |")
    with tempfile.TemporaryDirectory(prefix="ddp_bench_limits_") as tmp:
        for solvers, n, limits in CASES:
            if args.sizes and n not in args.sizes:
                continue
            path = os.path.join(tmp, f"random-n{n}.json")
            ddp.save_instance(random_instance(n, seed=0), path)
            for solver in solvers:
                if args.solvers and solver not in args.solvers:
                    continue
                for limit in limits:
                    if args.limits and limit not in args.limits:
                        continue
                    if args.cold:
                        env = dict(os.environ, NUMBA_CACHE_DIR=tempfile.mkdtemp(dir=tmp))
                        print_row(solver, n, limit, "cold", run_cli(path, solver, limit, env))
                        print_row(solver, n, limit, "warm", run_cli(path, solver, limit, env))
                    else:
                        print_row(solver, n, limit, "warm", run_cli(path, solver, limit))


if __name__ == "__main__":
    main()
