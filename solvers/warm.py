"""``python -m solvers.warm``: compile every numba kernel once, into numba's on-disk cache.

``make install`` runs it, so that the first solve after an install does not spend its time
limit compiling (the kernels are compiled on first use and cached beside the package; see
``ddp/_jit.py``). It solves tiny instances with every method, runs every policy and the batch
runner, one device and two devices on one cloud unit (the kernels of shared units).
"""

from __future__ import annotations

import time

import ddp
from instances.random import random_instance

from .methods import METHODS
from .solve import solve


def warm() -> float:
    """Run every kernel once; returns the seconds it took."""
    started = time.perf_counter()
    one = random_instance(12, seed=0)
    shared = random_instance(12, seed=1, devices=2, cloud_units=1)
    for inst in (one, shared):
        for name in ddp.POLICIES:
            ddp.run_policy(inst, name)
        ddp.run_policy_batch([inst, inst], "ddp", threads=1)
        for method in METHODS:
            if method == "dp" and inst is shared:
                continue  # dp is exact only with a unit per device
            # brute enumerates (k+1)^n vectors: four events of the instance
            solve(inst.subset([0, 1, 2, 3]) if method == "brute" else inst, method,
                  time_limit=10.0)
    return time.perf_counter() - started


def main() -> None:
    print(f"numba kernels compiled and cached in {warm():.1f} s", flush=True)


if __name__ == "__main__":
    main()
