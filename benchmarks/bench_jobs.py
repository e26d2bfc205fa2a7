"""Wall time of ``ddp experiment`` with ``--jobs 1``, ``--jobs 2`` and the default, side by side.

Each setting runs the same command in a fresh process (``--json``, a temporary results folder,
nothing reused), the settings interleaved so that a change in the machine's load hits them
alike; the table shows each setting's median and fastest wall time over the repetitions and the
default's median over the faster median of ``--jobs 1`` and ``--jobs 2``.

    python benchmarks/bench_jobs.py                       # all --quick, 3 repetitions
    python benchmarks/bench_jobs.py --experiments table1 table4 --full --repeat 2
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = {"jobs 1": ["--jobs", "1"], "jobs 2": ["--jobs", "2"], "default": []}


def ddp_command() -> list[str]:
    """``ddp`` of this interpreter's environment (the repo's .venv when run with it)."""
    return [sys.executable, "-m", "ddp"]


def run_once(experiment: str, quick: bool, extra: list[str], results: Path) -> float:
    command = [*ddp_command(), "experiment", experiment, "--json", "--results", str(results)]
    command += (["--quick"] if quick else []) + extra
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiments", nargs="+", default=["all"], metavar="NAME",
                        help="experiments to time, each on its own (default: all)")
    parser.add_argument("--full", action="store_true", help="full sizes instead of --quick")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (default 3)")
    args = parser.parse_args(argv)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"cores: {cores}; load average before: {os.getloadavg()[0]:.2f}; "
          f"{'full' if args.full else 'quick'} runs, {args.repeat} repetitions each")
    print(f"{'experiment':<16}{'setting':<10}{'median s':>10}{'fastest s':>11}")
    for experiment in args.experiments:
        walls: dict[str, list[float]] = {name: [] for name in SETTINGS}
        with tempfile.TemporaryDirectory(prefix="bench_jobs_") as folder:
            for repetition in range(args.repeat):
                for name, extra in SETTINGS.items():
                    results = Path(folder) / f"{name.replace(' ', '')}-{repetition}"
                    walls[name].append(run_once(experiment, not args.full, extra, results))
        medians = {name: statistics.median(values) for name, values in walls.items()}
        for name, values in walls.items():
            print(f"{experiment:<16}{name:<10}{medians[name]:>10.2f}{min(values):>11.2f}")
        best = min(medians["jobs 1"], medians["jobs 2"])
        print(f"{experiment:<16}default / faster of jobs 1, jobs 2: "
              f"{medians['default'] / best:.3f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
