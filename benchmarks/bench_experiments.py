"""Wall time of each experiment, full size or quick, on this machine.

Run: ``python benchmarks/bench_experiments.py [--quick] [--jobs N] [--gap] [--opt-sample N]``
(``--opt-sample 0``: the tables without OPT). Prints, per
experiment, the instances computed, the wall time and the summed per-instance time (which over
the wall time says how well the cores were used). Results go to a temporary folder. The gap
experiment is left out unless ``--gap`` is given (full size: about 12 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from experiments import Options, run_experiment
from experiments.specs import TABLES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the --quick sizes")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all)")
    parser.add_argument("--gap", action="store_true", help="also the gap experiment")
    parser.add_argument("--opt-sample", type=int, default=None,
                        help="instances solved per table row (default: 20, quick 5; 0: none)")
    args = parser.parse_args()
    names = list(TABLES) + (["gap"] if args.gap else [])
    print(f"{'experiment':<10} {'instances':>9} {'wall s':>8} {'cpu s':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            result = run_experiment(name, Options(quick=args.quick, jobs=args.jobs,
                                                  results=Path(folder), progress=False,
                                                  opt_sample=args.opt_sample))
            meta = result.meta
            print(f"{name:<10} {meta['records_computed']:>9} {meta['wall_time_s']:>8.1f} "
                  f"{meta['instance_time_s']:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
