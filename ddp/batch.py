"""Run a policy over many instances at once, on every core.

The instances are packed into flat arrays (one concatenation per field, offsets per instance) and
a ``prange`` kernel runs ``schedule_kernel`` on each; threads take instances round-robin, which
balances instances of different sizes well. The results are exactly those of ``run_policy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numba
import numpy as np

from ._jit import njit
from .instance import Instance
from .policies import check_policy, fixed_point
from .recurrence import MODE_DDP, MODE_GIVEN, MODE_NS, schedule_kernel

MODES = {"ddp": MODE_DDP, "ns": MODE_NS}


@dataclass(frozen=True)
class BatchResult:
    """Makespans of one policy on each instance, and the choices, split per instance."""

    policy: str
    makespans: np.ndarray
    choices: list[np.ndarray]


@njit(parallel=True)
def _batch_kernel(mode, event_start, arrival, front, trans, cloud, device, unit, widths,
                  devices, cloud_units, choices, threads):
    count = event_start.shape[0] - 1
    makespans = np.empty(count)
    for thread in numba.prange(threads):
        for index in range(thread, count, threads):
            first = event_start[index]
            last = event_start[index + 1]
            n = last - first
            width = widths[index]
            rows = slice(first, last)
            out = np.empty((5, n))
            makespans[index] = schedule_kernel(
                mode, arrival[rows], front[rows, :width], trans[rows, :width],
                cloud[rows, :width], device[rows], unit[rows], np.zeros(devices[index]),
                np.zeros(cloud_units[index]), choices[rows], out[0], out[1], out[2], out[3],
                out[4])
    return makespans


def run_policy_batch(instances: Sequence[Instance], name: str,
                     threads: int | None = None) -> BatchResult:
    """Run policy ``name`` on every instance, in parallel over ``threads`` (default: all cores).

    Returns
    -------
    BatchResult
        ``makespans[i]`` and ``choices[i]`` equal ``run_policy(instances[i], name)``'s.
    """
    name = check_policy(name)
    instances = list(instances)
    if not instances:
        return BatchResult(name, np.empty(0), [])
    sizes = np.array([inst.n for inst in instances], dtype=np.int64)
    event_start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    widths = np.array([inst.k + 1 for inst in instances], dtype=np.int64)
    width = int(widths.max())

    def stack(field: str) -> np.ndarray:
        if np.all(widths == width):
            return np.ascontiguousarray(np.concatenate([getattr(i, field) for i in instances]))
        block = np.zeros((int(event_start[-1]), width))
        for inst, first in zip(instances, event_start[:-1]):
            block[first:first + inst.n, :inst.k + 1] = getattr(inst, field)
        return block

    if name in MODES:
        mode = MODES[name]
        choices = np.zeros(int(event_start[-1]), dtype=np.int64)
    else:
        mode = MODE_GIVEN
        choices = np.repeat([fixed_point(inst, name) for inst in instances], sizes)
        choices = np.ascontiguousarray(choices, dtype=np.int64)
    threads = numba.get_num_threads() if threads is None else max(1, int(threads))
    makespans = _batch_kernel(
        mode, event_start, np.concatenate([i.arrival for i in instances]), stack("front"),
        stack("trans"), stack("cloud"), np.concatenate([i.device for i in instances]),
        np.concatenate([i.unit for i in instances]), widths,
        np.array([i.devices for i in instances], dtype=np.int64),
        np.array([i.cloud_units for i in instances], dtype=np.int64), choices, threads)
    return BatchResult(name, makespans, np.split(choices, event_start[1:-1]))
