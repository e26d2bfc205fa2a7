"""How close the ``paper`` scenario comes to the paper's Tables 1, 2 and 4 (prints numbers).

Mean over seeds of DDP's per-instance reduction ``100 (Z_DDP - Z_X) / Z_X`` against AF, FB,
AC and NS, plus the generation speed. Usage::

    .venv/bin/python benchmarks/instances_paper_tables.py [--quick]
"""

from __future__ import annotations

import sys
import time

import numpy as np

import ddp
import instances

POLICIES = ("af", "fb", "ac", "ns")


def reductions(**kwargs) -> np.ndarray:
    inst = instances.generate("paper", "resnet3d50", **kwargs)
    z = {p: ddp.run_policy(inst, p).makespan for p in ("ddp", *POLICIES)}
    return np.array([100 * (z["ddp"] - z[p]) / z[p] for p in POLICIES])


def row(label: str, values: np.ndarray, extra: str = "") -> None:
    mean = values.mean(axis=0)
    print(f"{label:<34}" + "".join(f"{v:>9.2f}%" for v in mean) + extra)


def main(quick: bool) -> None:
    seeds = range(20 if quick else 100)
    print(f"{'':<34}" + "".join(f"{p.upper():>10}" for p in POLICIES))
    print("Table 1 (n = 8, equal intervals), seed 0 | mean over seeds [AC=DDP share, NS!=AC share]")
    for interval in ("0", "360", "720"):
        row(f"  {interval} ms, seed 0", reductions(events=8, interval=interval)[None, :])
        r = np.array([reductions(events=8, interval=interval, seed=s) for s in seeds])
        share = (f"   AC=DDP {np.mean(r[:, 2] == 0):.0%}, "
                 f"NS!=AC {np.mean(np.abs(r[:, 2] - r[:, 3]) > 1e-9):.0%}")
        row(f"  {interval} ms, {len(seeds)} seeds", r, share)
    print("Table 2 (random intervals 0-720 ms)")
    for n, count in ((8, 100), (100, 100), (400, 30)):
        count = min(count, len(seeds))
        r = np.array([reductions(events=n, interval="0-720", seed=s) for s in range(count)])
        row(f"  n = {n}, {count} seeds", r)
    print("Table 3 (n normal over the range, random intervals)")
    for events, interval, count in (("normal:1-100", "0-120", 100), ("normal:1-500", "0-360", 50),
                                    ("normal:1-5000", "0-720", 10 if quick else 20)):
        r = np.array([reductions(events=events, interval=interval, seed=s) for s in range(count)])
        row(f"  {events} {interval}, {count} seeds", r)
    print("Table 4 (m devices sharing one cloud unit, n normal 1-5000, 0-720 ms, a stream each)")
    for m in (8, 32, 128):
        count = 5 if quick else 20
        r = np.array([reductions(events="normal:1-5000", interval="0-720", devices=m, seed=s,
                                 streams="per-device") for s in range(count)])
        row(f"  {m} devices, {count} seeds", r)
    start = time.perf_counter()
    total = sum(instances.generate(events="normal:1-5000", interval="0-720", seed=s).n
                for s in range(1000))
    print(f"generation: 1000 instances, mean n {total / 1000:.0f}, "
          f"{time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main("--quick" in sys.argv)
