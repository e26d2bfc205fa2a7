"""The LP relaxation with and without the columns it can do without, side by side.

HiGHS solves the relaxation (``solvers.lp``) without the columns that a mix of two others of the
same event matches in every row (``solvers.points.relaxation_dominated``); the bound prices
every column, so it is the same. This prints, per instance, the columns HiGHS gets and its time
both ways (deterministic interior point, as ``auto`` and ``rollout`` run it), alternating the
order over the repeats, and the two bounds.

    python benchmarks/bench_lp.py                  # committed paper instances + Table 4 cells
    python benchmarks/bench_lp.py --repeats 3 --files benchmarks/paper_instances/table4-*.json
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

import ddp
import instances
from ddp.io import load_instance
from solvers.lp import lp_bound
from solvers.points import KeptPoints, relaxation_dominated

HERE = Path(__file__).resolve().parent
# Table 4's shape (n ~ normal:1-5000, gaps 0-720 ms, per-device streams on one unit) where the
# relaxation is slowest: i3d over 3G (long transfers) and resnet3d50 on `paper`.
GENERATED = [("edge-3g", "i3d", 128), ("edge-3g", "i3d", 32), ("paper", "resnet3d50", 32)]


def cases(files: list[str] | None) -> list[tuple[str, ddp.Instance]]:
    if files:
        return [(Path(name).stem, load_instance(name)) for name in files]
    found = [(path.stem, load_instance(path))
             for path in sorted((HERE / "paper_instances").glob("*.json"))]
    for scenario, network, devices in GENERATED:
        inst = instances.generate(scenario=scenario, network=network, events=1967,
                                  interval="0-720", devices=devices, streams="per-device",
                                  seed=1)
        found.append((f"{network}-{scenario}-d{devices}-n1967", inst))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="*", help="instance files (default: see above)")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    print(f"{'instance':36} {'n':>5} {'columns':>15} {'seconds':>15} {'speed-up':>8} "
          f"{'bound (left out)':>18} {'rel. diff':>9}")
    for name, inst in cases(args.files):
        upper = float(ddp.run_policy(inst, "ddp").makespan)
        kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
        real = np.arange(kept.front.shape[1])[None, :] < kept.count[:, None]
        left_out = relaxation_dominated(kept.front, kept.trans + kept.cloud, kept.cloud,
                                        kept.count)
        seconds: dict[bool, list[float]] = {True: [], False: []}
        value: dict[bool, float] = {}
        for repeat in range(args.repeats):
            for every_column in ((True, False) if repeat % 2 == 0 else (False, True)):
                began = time.perf_counter()
                relaxed = lp_bound(inst, upper, time_limit=600, deterministic=True,
                                   every_column=every_column)
                seconds[every_column].append(time.perf_counter() - began)
                value[every_column] = relaxed.value
        whole, pruned = statistics.median(seconds[True]), statistics.median(seconds[False])
        columns = f"{int(real.sum())} -> {int((real & ~left_out).sum())}"
        diff = abs(value[False] - value[True]) / max(abs(value[True]), 1e-12)
        print(f"{name:36} {inst.n:5d} {columns:>15} {whole:7.2f} -> {pruned:5.2f} "
              f"{whole / pruned:7.1f}x {value[False]:18.1f} {diff:9.1e}", flush=True)


if __name__ == "__main__":
    main()
