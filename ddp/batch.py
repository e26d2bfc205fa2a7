"""Run a policy over many instances at once, on every core.

Each thread runs ``schedule_kernel`` on its instances, taken round-robin, which balances
instances of different sizes well. The results are exactly those of ``run_policy``.

The instances' arrays are not copied: copying them costs more than running DDP over them (each
number is read once). They go in as numba typed lists of the instances' own arrays, filled many
arrays per jitted call: a call from Python costs about as much as handing over dozens of arrays,
so one call per array would dominate on small instances. The choices are written into one flat
array, split into per-instance views at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numba
import numpy as np
from numba.typed import List

from ._jit import njit
from .instance import Instance
from .policies import CHOOSING_MODES, check_policy, fixed_point
from .recurrence import MODE_GIVEN, schedule_kernel
from .schedule import event_times_kernel

# Arrays handed over per call of ``_extend``: its fixed cost is shared by this many.
_CHUNK = 64


@dataclass(frozen=True)
class BatchResult:
    """Makespans of one policy on each instance, and the choices, split per instance."""

    policy: str
    makespans: np.ndarray
    choices: list[np.ndarray]


@njit(parallel=True)
def _batch_kernel(mode, arrival, front, trans, cloud, device, unit, devices, cloud_units, offsets,
                  choices, threads):
    count = len(front)
    makespans = np.empty(count)
    longest = np.max(offsets[1:] - offsets[:-1])
    for thread in numba.prange(threads):
        # the per-event times are not returned: one scratch block per thread holds them
        times = event_times_kernel(longest)
        for index in range(thread, count, threads):
            start, stop = offsets[index], offsets[index + 1]
            n = stop - start
            makespans[index] = schedule_kernel(
                mode, arrival[index], front[index], trans[index], cloud[index], device[index],
                unit[index], np.zeros(devices[index]), np.zeros(cloud_units[index]),
                choices[start:stop], times[0, :n], times[1, :n], times[2, :n], times[3, :n],
                times[4, :n])
    return makespans


@njit
def _extend(typed, count, *arrays):
    for index in range(count):
        typed.append(arrays[index])


def _typed_list(arrays: list[np.ndarray]) -> List:
    """A numba typed list of ``arrays`` themselves (no copy), ``_CHUNK`` arrays per jitted call."""
    typed = List.empty_list(numba.typeof(arrays[0]))
    for start in range(0, len(arrays), _CHUNK):
        chunk = arrays[start:start + _CHUNK]
        # padded to the fixed arity, so that one compiled signature serves every call
        _extend(typed, len(chunk), *chunk, *[chunk[0]] * (_CHUNK - len(chunk)))
    return typed


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
    sizes = np.fromiter((inst.n for inst in instances), dtype=np.int64, count=len(instances))
    offsets = np.zeros(len(instances) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    if name in CHOOSING_MODES:
        mode = CHOOSING_MODES[name]
        choices = np.zeros(offsets[-1], dtype=np.int64)
    else:
        mode = MODE_GIVEN
        points = np.fromiter((fixed_point(inst, name) for inst in instances), dtype=np.int64,
                             count=len(instances))
        choices = np.repeat(points, sizes)
    threads = numba.get_num_threads() if threads is None else max(1, int(threads))
    makespans = _batch_kernel(
        mode, *[_typed_list([getattr(inst, field) for inst in instances])
                for field in ("arrival", "front", "trans", "cloud", "device", "unit")],
        np.fromiter((inst.devices for inst in instances), dtype=np.int64, count=len(instances)),
        np.fromiter((inst.cloud_units for inst in instances), dtype=np.int64,
                    count=len(instances)),
        offsets, choices, threads)
    return BatchResult(name, makespans,
                       [choices[start:stop] for start, stop in pairwise(offsets.tolist())])
