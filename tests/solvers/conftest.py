"""Fixtures of the solver tests: small instances and the reference optimum by enumeration."""

from __future__ import annotations

import numpy as np
import pytest

import ddp


def random_instance(n: int, seed: int, k: int = 18, interval=None, devices: int = 1,
                    cloud_units: int = 1) -> ddp.Instance:
    """The benchmark's random instance (``benchmarks/bench_instances.py``), inlined."""
    rng = np.random.default_rng(seed)
    part_front = rng.uniform(5.0, 60.0, size=k)
    part_cloud = part_front / rng.uniform(3.0, 12.0, size=k)
    front = np.concatenate([[0.0], np.cumsum(part_front)])
    cloud = np.concatenate([np.cumsum(part_cloud[::-1])[::-1], [0.0]])
    trans = rng.uniform(0.2, 10.0, size=k + 1) * 10.0
    bandwidth = rng.uniform(0.5, 2.0, size=n)
    load = rng.uniform(1.0, 2.0, size=n)
    arrival = np.zeros(n) if interval is None else np.cumsum(
        np.concatenate([[0.0], rng.uniform(*interval, size=n - 1)]))
    device = rng.integers(0, devices, size=n) if devices > 1 else None
    return ddp.Instance(arrival, np.tile(front, (n, 1)), trans[None, :] / bandwidth[:, None],
                        cloud[None, :] * load[:, None], device=device, devices=devices,
                        cloud_units=cloud_units)


@pytest.fixture(scope="session")
def make_random():
    return random_instance
