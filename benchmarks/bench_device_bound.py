"""The device bound beside the LP relaxation, on Table 4's shapes where devices share a unit.

Per instance: `auto`'s schedule and certified gap (deterministic, ``--time-limit``), the
relaxation's bound (``solvers.lp``) and the device bound (``solvers.devices.device_bound``,
from the relaxation's bound up to the schedule) with its time, its pair operations and their
rate (``auto`` budgets ``DEVICE_WORK_PER_SECOND`` of them a second of its limit), and the gap
each bound leaves to the schedule. The best schedule fitted to a makespan above the bound
(``best_fitted``, every margin and weight, no budget) and that schedule with each device
re-chosen whole, the others fixed (``refit_devices``), with their times, are shown beside
``auto``'s: ``auto`` takes them as a start where they are better.

    python benchmarks/bench_device_bound.py                       # i3d edge links and paper
    python benchmarks/bench_device_bound.py --seeds 1 2 3 --time-limit 10
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ddp
import instances
from solvers import solve
from solvers.auto import DEVICE_WORK_PER_SECOND
from solvers.devices import best_fitted, device_bound, refit_devices
from solvers.lp import lp_bound

# Table 4's shape (n = 1967 as bench_lp, gaps 0-720 ms, per-device streams on one unit): i3d over
# the edge links, where the relaxation is percents below the schedules, and resnet3d50 on paper.
GENERATED = [("edge-3g", "i3d", 128), ("edge-lte", "i3d", 128), ("edge-wifi", "i3d", 128),
             ("edge-3g", "i3d", 32), ("paper", "resnet3d50", 128), ("paper", "resnet3d50", 32)]


def percent(upper: float, lower: float) -> str:
    return f"{100 * (upper - lower) / upper:7.3f}%"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args(argv)
    print(f"{'instance':34} {'auto':>10} {'gap':>8} {'LP bound':>10} {'s':>5} {'LP gap':>8} "
          f"{'device bd':>10} {'s':>5} {'Mops':>6} {'Mops/s':>6} {'dev gap':>8} {'fitted':>10} "
          f"{'s':>5} {'refitted':>10} {'s':>5}")
    for scenario, network, devices in GENERATED:
        for seed in args.seeds:
            inst = instances.generate(scenario=scenario, network=network, events=1967,
                                      interval="0-720", devices=devices, streams="per-device",
                                      seed=seed)
            result = solve(inst, "auto", time_limit=args.time_limit, deterministic=True)
            upper = float(result.objective)
            began = time.perf_counter()
            relaxed = lp_bound(inst, upper, time_limit=600, deterministic=True)
            lp_seconds = time.perf_counter() - began
            began = time.perf_counter()
            found = device_bound(inst, relaxed.value, upper,
                                 max_work=int(DEVICE_WORK_PER_SECOND * 1000))
            device_seconds = time.perf_counter() - began
            began = time.perf_counter()
            fitted = best_fitted(inst, found)
            fit_seconds = time.perf_counter() - began
            fitted_value = refitted_value = f"{'-':>10}"
            refit_seconds = 0.0
            if fitted is not None:
                fitted_value = f"{ddp.evaluate(inst, fitted).makespan:10.1f}"
                began = time.perf_counter()
                refitted_value = f"{refit_devices(inst, fitted)[1]:10.1f}"
                refit_seconds = time.perf_counter() - began
            name = f"{network}-{scenario}-d{devices}-s{seed}"
            print(f"{name:34} {upper:10.1f} {percent(upper, result.lower_bound)} "
                  f"{relaxed.value:10.1f} {lp_seconds:5.2f} {percent(upper, relaxed.value)} "
                  f"{found.value:10.1f} {device_seconds:5.2f} {found.work / 1e6:6.1f} "
                  f"{found.work / 1e6 / max(device_seconds, 1e-9):6.0f} "
                  f"{percent(upper, found.value)} {fitted_value} {fit_seconds:5.2f} "
                  f"{refitted_value} {refit_seconds:5.2f}", flush=True)


if __name__ == "__main__":
    main()
