"""Independent groups of events: no device and no cloud unit shared between groups."""

from __future__ import annotations

import numpy as np

import ddp


def components(inst: ddp.Instance) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Groups of events that share no device and no cloud unit with any other group.

    Devices and units are joined when an event uses both; the makespan is the max over groups
    and each group's schedule is independent of the others. Returns ``(events, devices, units)``
    per group, events in arrival order.
    """
    parent = list(range(inst.devices + inst.cloud_units))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d, u in set(zip(inst.device.tolist(), inst.unit.tolist(), strict=True)):
        a, b = find(d), find(inst.devices + u)
        if a != b:
            parent[a] = b
    roots = np.array([find(int(d)) for d in inst.device], dtype=np.int64)
    groups = []
    for root in dict.fromkeys(roots.tolist()):
        events = np.flatnonzero(roots == root)
        groups.append((events, np.unique(inst.device[events]), np.unique(inst.unit[events])))
    return groups


def shares_a_unit(inst: ddp.Instance) -> bool:
    """Whether several devices send to one cloud unit (a group with more than one device)."""
    return any(len(devices) > 1 for _events, devices, _units in components(inst))
