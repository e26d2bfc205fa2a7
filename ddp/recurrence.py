"""The schedule recurrence of ``docs/model.md``, written once, and the kernel every policy runs in.

``step`` is the recurrence for one event; ``ddp_point`` and ``ns_point`` are the two state-aware
and state-free choices, ``qa_point`` DDP charged for the queue it leaves; ``schedule_kernel``
runs events in order, choosing (DDP, NS, QA) or reading a given choice, and applies ``step`` in
the same pass. ``evaluate`` (fixed choices), every policy,
the online form, the batch form and the solvers' re-evaluation all go through it: there is no
second implementation of the recurrence in the project.
"""

from __future__ import annotations

import numpy as np

from ._jit import njit
from .errors import InstanceError
from .instance import Instance
from .schedule import Schedule, event_times

# How ``schedule_kernel`` picks each event's point.
MODE_GIVEN = 0  # read ``choices`` (evaluate, AC, AF, FB, a solver's answer)
MODE_DDP = 1  # paper Alg. 1: argmin of the event's cloud finish given the current state
MODE_NS = 2  # Neurosurgeon: argmin of F + T + C, ignoring queues
MODE_QA = 3  # queue-aware: argmin of the later of its cloud finish and a same-time copy's


@njit(inline="always")
def step(front_free, cloud_free, arrival, front_time, trans_time, cloud_time):
    """One event through the recurrence.

    ``front_free`` is ``F(d_j)``, when the event's device is free; ``cloud_free`` is ``C(u_j)``.
    Returns ``(start_front, finish_front, ready, start_cloud, finish_cloud)``.
    """
    start_front = max(front_free, arrival)
    finish_front = start_front + front_time
    ready = finish_front + trans_time
    start_cloud = max(ready, cloud_free)
    finish_cloud = start_cloud + cloud_time
    return start_front, finish_front, ready, start_cloud, finish_cloud


@njit(inline="always")
def ddp_point(front_free, cloud_free, arrival, front_row, trans_row, cloud_row):
    """DDP's point: the least cloud finish from the current state, ties to the smallest.

    Returns ``(point, its cloud finish)``.
    """
    best_point = 0
    best_finish = np.inf
    for point in range(front_row.shape[0]):
        finish = step(front_free, cloud_free, arrival, front_row[point], trans_row[point],
                      cloud_row[point])[4]
        if finish < best_finish:
            best_finish = finish
            best_point = point
    return best_point, best_finish


@njit(inline="always")
def ns_point(front_row, trans_row, cloud_row):
    """Neurosurgeon's point: the least ``F + T + C`` of the event alone, ties to the smallest."""
    best_point = 0
    best_total = np.inf
    for point in range(front_row.shape[0]):
        total = front_row[point] + trans_row[point] + cloud_row[point]
        if total < best_total:
            best_total = total
            best_point = point
    return best_point


@njit(inline="always")
def qa_point(front_free, cloud_free, arrival, front_row, trans_row, cloud_row):
    """The queue-aware point: DDP's choice charged for the queue it leaves behind.

    Each point is valued at the later of the event's cloud finish and the cloud finish DDP
    would give a copy of the event arriving at the same time, from the state the point leaves
    (the copy waits for the device time and unit time the point takes). Least value, ties to the
    smallest point. ``k + 1`` DDP searches per event.
    """
    best_point = 0
    best_value = np.inf
    for point in range(front_row.shape[0]):
        times = step(front_free, cloud_free, arrival, front_row[point], trans_row[point],
                     cloud_row[point])
        copy_finish = ddp_point(times[1], times[4], arrival, front_row, trans_row, cloud_row)[1]
        value = max(times[4], copy_finish)
        if value < best_value:
            best_value = value
            best_point = point
    return best_point


@njit(inline="always")
def _run_events(mode, arrival, front, trans, cloud, device, unit, front_free, cloud_free,
                choices, start_front, finish_front, ready, start_cloud, finish_cloud):
    # The event loop of ``schedule_kernel``, inlined there once per mode: ``mode`` is then a
    # constant and each copy of the loop is free of the mode test.
    makespan = 0.0
    # The free times of the current device and unit are kept in locals while consecutive events
    # share them (always, with one device and one unit) and written back when they change:
    # a store and reload per event would lengthen the chain from one event to the next.
    held_device = -1
    held_unit = -1
    device_free = 0.0
    unit_free = 0.0
    for event in range(arrival.shape[0]):
        if device[event] != held_device:
            if held_device >= 0:
                front_free[held_device] = device_free
            held_device = device[event]
            device_free = front_free[held_device]
        if unit[event] != held_unit:
            if held_unit >= 0:
                cloud_free[held_unit] = unit_free
            held_unit = unit[event]
            unit_free = cloud_free[held_unit]
        front_row, trans_row, cloud_row = front[event], trans[event], cloud[event]
        best_finish = 0.0
        if mode == MODE_DDP:
            point, best_finish = ddp_point(device_free, unit_free, arrival[event], front_row,
                                           trans_row, cloud_row)
            choices[event] = point
        elif mode == MODE_NS:
            point = ns_point(front_row, trans_row, cloud_row)
            choices[event] = point
        elif mode == MODE_QA:
            point = qa_point(device_free, unit_free, arrival[event], front_row, trans_row,
                             cloud_row)
            choices[event] = point
        else:
            point = choices[event]
        times = step(device_free, unit_free, arrival[event], front_row[point], trans_row[point],
                     cloud_row[point])
        # DDP's search computed this event's cloud finish with the same ``step``, bit for bit;
        # taking it from there keeps the chosen row's reload off that chain.
        finish = best_finish if mode == MODE_DDP else times[4]
        start_front[event] = times[0]
        finish_front[event] = times[1]
        ready[event] = times[2]
        start_cloud[event] = times[3]
        finish_cloud[event] = finish
        device_free = times[1]
        unit_free = finish
        if finish > makespan:
            makespan = finish
    if held_device >= 0:
        front_free[held_device] = device_free
        cloud_free[held_unit] = unit_free
    return makespan


@njit
def schedule_kernel(mode, arrival, front, trans, cloud, device, unit, front_free, cloud_free,
                    choices, start_front, finish_front, ready, start_cloud, finish_cloud):
    """Run events in order from the state ``front_free`` (per device) and ``cloud_free`` (per unit).

    With ``mode`` MODE_GIVEN the points are read from ``choices``, otherwise chosen and written
    there. Per-event times go to the five output arrays; ``front_free`` and ``cloud_free`` are
    updated in place (the online form keeps them between calls). Returns the makespan of these
    events (``max finish_cloud``; 0 for none).
    """
    if mode == MODE_DDP:
        return _run_events(MODE_DDP, arrival, front, trans, cloud, device, unit, front_free,
                           cloud_free, choices, start_front, finish_front, ready, start_cloud,
                           finish_cloud)
    if mode == MODE_QA:
        return _run_events(MODE_QA, arrival, front, trans, cloud, device, unit, front_free,
                           cloud_free, choices, start_front, finish_front, ready, start_cloud,
                           finish_cloud)
    if mode == MODE_NS:
        return _run_events(MODE_NS, arrival, front, trans, cloud, device, unit, front_free,
                           cloud_free, choices, start_front, finish_front, ready, start_cloud,
                           finish_cloud)
    return _run_events(MODE_GIVEN, arrival, front, trans, cloud, device, unit, front_free,
                       cloud_free, choices, start_front, finish_front, ready, start_cloud,
                       finish_cloud)


def run_kernel(inst: Instance, mode: int, choices: np.ndarray | None = None,
               policy: str | None = None) -> Schedule:
    """Run ``schedule_kernel`` on a whole instance from the empty state."""
    n = inst.n
    if choices is None:
        choices = np.zeros(n, dtype=np.int64)
    times = event_times(n)
    makespan = schedule_kernel(mode, inst.arrival, inst.front, inst.trans, inst.cloud,
                               inst.device, inst.unit, np.zeros(inst.devices),
                               np.zeros(inst.cloud_units), choices, *times)
    return Schedule.from_event_times(choices, times, makespan, policy=policy)


def check_choices(inst: Instance, choices) -> np.ndarray:
    """Validate a choice vector for ``inst``: n integers in ``0..k``."""
    raw = np.asarray(choices)
    if raw.dtype == np.bool_ or raw.dtype.kind not in "iu":
        if raw.dtype.kind == "f" and raw.size and np.all(np.isfinite(raw)) \
                and np.all(raw == np.round(raw)):
            raw = raw.astype(np.int64)
        else:
            raise InstanceError(f"integers expected, got dtype {raw.dtype}", key="choices")
    if raw.ndim != 1:
        raise InstanceError(f"needs a flat list of {inst.n} points (one per event), got an "
                            f"array of shape {raw.shape}", key="choices")
    if len(raw) != inst.n:
        raise InstanceError(f"needs {inst.n} points (one per event), got {len(raw)}",
                            key="choices")
    bad = np.flatnonzero((raw < 0) | (raw > inst.k))
    if len(bad):
        event = int(bad[0])
        raise InstanceError(f"point {int(raw[event])} is out of range 0..{inst.k}",
                            key="choices", event=event)
    return np.ascontiguousarray(raw, dtype=np.int64)


def evaluate(inst: Instance, choices) -> Schedule:
    """The schedule of a given choice vector (the recurrence of ``docs/model.md``).

    Parameters
    ----------
    inst : Instance
    choices : array-like of int, shape (n,)
        Partition point ``x_j`` of each event, in ``0..k``.

    Returns
    -------
    Schedule
        Per-event times and the makespan.
    """
    return run_kernel(inst, MODE_GIVEN, check_choices(inst, choices).copy())
