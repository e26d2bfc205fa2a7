"""Random instances for solver tests and benchmarks, k = 18 by default.

The network profile is drawn once per instance: per part, a front time uniform in 5-60 ms and a
cloud speed-up uniform in 3-12 (the cloud time of a part is its front time over the speed-up);
per point, a tensor size uniform in 0.2-10 units, sent at 10 ms per unit. Per event, a bandwidth
factor uniform in 0.5-2 divides the transmission times and a load factor uniform in 1-2
multiplies the cloud times. Arrivals all at 0, or gaps uniform in ``interval``.
"""

from __future__ import annotations

import numpy as np

import ddp


def random_instance(n: int, seed: int, k: int = 18, interval: tuple[float, float] | None = None,
                    devices: int = 1, cloud_units: int = 1) -> ddp.Instance:
    rng = np.random.default_rng(seed)
    part_front = rng.uniform(5.0, 60.0, size=k)
    part_cloud = part_front / rng.uniform(3.0, 12.0, size=k)
    front = np.concatenate([[0.0], np.cumsum(part_front)])
    cloud_base = np.concatenate([np.cumsum(part_cloud[::-1])[::-1], [0.0]])
    trans_base = rng.uniform(0.2, 10.0, size=k + 1) * 10.0
    bandwidth = rng.uniform(0.5, 2.0, size=n)
    load = rng.uniform(1.0, 2.0, size=n)
    if interval is None:
        arrival = np.zeros(n)
    else:
        gaps = rng.uniform(interval[0], interval[1], size=n)
        gaps[0] = 0.0
        arrival = np.cumsum(gaps)
    device = rng.integers(0, devices, size=n) if devices > 1 else None
    return ddp.Instance(arrival, np.tile(front, (n, 1)), trans_base[None, :] / bandwidth[:, None],
                        cloud_base[None, :] * load[:, None], device=device, devices=devices,
                        cloud_units=cloud_units, name=f"random-n{n}-s{seed}")
