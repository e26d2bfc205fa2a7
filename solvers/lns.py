"""Large-neighbourhood search: windows of consecutive events re-chosen, the rest fixed.

Upper bounds for every instance shape (any devices and units). A window's choices are searched
breadth-first over the free times of the devices and units it uses, each end state judged
exactly through the max-plus form of the fixed suffix (``_lns_kernels``). Windows slide over the
schedule; a window is accepted when the makespan drops, or stays equal with less total free
time at the window's end. The search stops after a sweep without change or at its time limit.
"""

from __future__ import annotations

import math
import time

import numpy as np

import ddp

from . import _lns_kernels
from .points import KeptPoints

WIDER = (2, 4)  # wider neighbourhoods, as multiples of the window
BEAM_GROWTH = 8  # every width quiet: the beams grow by this factor ...
MAX_BEAM = 4096  # ... while the widest stays within this
# Short windows with narrow beams (``polish``): cheap passes that take a schedule's small local
# excesses out (rollout's first plans; auto after the relaxation's rounding).
SHORT_WINDOW = 6
SHORT_BEAM = 32


def improve_by_windows(inst: ddp.Instance, choices: np.ndarray, time_limit: float,
                       window: int = 24, beam_width: int = 128, max_sweeps: int = 50,
                       max_windows: int | None = None,
                       grow_beams: bool = True) -> tuple[np.ndarray, float, dict]:
    """Improve ``choices`` by re-choosing windows of ``window`` events (see the module docstring).

    A sweep without change moves on to wider windows (``WIDER`` times ``window``, with
    narrower beams); a change returns to ``window``. When every width has swept once without
    change, the beams grow ``BEAM_GROWTH``-fold (a beam that drops the state leading to a
    better window is the usual reason for a quiet sweep) while they stay within ``MAX_BEAM``
    (and ``grow_beams``).
    Stops when every width of the widest beams has swept without change, after ``max_sweeps``
    sweeps, ``max_windows`` windows (a budget that does not depend on the machine) or
    ``time_limit`` seconds.

    Returns ``(choices, makespan, stats)``; the makespan is ``ddp.evaluate``'s for the choices.
    """
    started = time.perf_counter()
    choices = np.asarray(choices, dtype=np.int64)
    if inst.n == 0:
        return choices.copy(), 0.0, {"sweeps": 0, "windows": 0, "accepted": 0}
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    kept_front, kept_trans, kept_cloud, count = kept.front, kept.trans, kept.cloud, kept.count
    columns = kept.columns_of(choices)
    arrays = (inst.arrival, kept_front, kept_trans, kept_cloud, count, inst.device, inst.unit)
    events = (inst.arrival, kept_front, kept_trans, kept_cloud, inst.device, inst.unit)
    value = _lns_kernels.makespan_of(*events, columns, inst.devices, inst.cloud_units)
    candidate = np.empty_like(columns)
    sweeps = windows = accepted = 0
    # Neighbourhoods of growing size (narrower beams): when one finds nothing, the next may.
    schedule = [(int(window), int(beam_width))] + [
        (int(window) * grow, max(8, int(beam_width) // grow)) for grow in WIDER]
    level = 0
    quiet_levels = 0
    while sweeps < max_sweeps and quiet_levels < len(schedule):
        size = max(1, min(schedule[level][0], inst.n))
        beam = schedule[level][1]
        stride = max(1, size // 2)
        offset = (sweeps * stride // 2) % stride
        starts = list(range(offset, max(1, inst.n - size + 1), stride))
        if not starts or starts[-1] + size < inst.n:
            starts.append(max(0, inst.n - size))
        changed = False
        out_of_time = False
        # The windows slide forward: the free times before each are carried from the previous
        # one, and the forms after each hold for the whole sweep (a change inside a window
        # leaves the events after it alone).
        stops = np.minimum(inst.n, np.asarray(starts, dtype=np.int64) + size)
        front_coefs, cloud_coefs, consts = _lns_kernels.tail_forms(
            *events, columns, stops, inst.devices, inst.cloud_units)
        front_free = np.zeros(inst.devices)
        cloud_free = np.zeros(inst.cloud_units)
        carried = 0
        for index, start in enumerate(starts):
            if (time.perf_counter() - started > time_limit
                    or (max_windows is not None and windows >= max_windows)):
                out_of_time = True
                break
            stop = int(stops[index])
            _lns_kernels.run_events(*events, columns, carried, start, front_free, cloud_free)
            carried = start
            found = _lns_kernels.window_search(*arrays, columns, start, stop, front_free,
                                              cloud_free, front_coefs[index],
                                              cloud_coefs[index], consts[index], beam,
                                              candidate)
            windows += 1
            if found > value or np.array_equal(candidate, columns):
                continue
            found = _lns_kernels.makespan_of(*events, candidate, inst.devices, inst.cloud_units)
            if found < value or (found == value
                                 and _slack(events, candidate, start, stop, front_free,
                                            cloud_free)
                                 < _slack(events, columns, start, stop, front_free,
                                          cloud_free)):
                changed = True
                value = min(value, found)
                columns[:] = candidate
                accepted += 1
        sweeps += 1
        if out_of_time:
            break
        if changed:
            quiet_levels = 0
            level = 0
        else:
            quiet_levels += 1
            level = (level + 1) % len(schedule)
            if (grow_beams and quiet_levels == len(schedule)
                    and max(beam for _, beam in schedule) * BEAM_GROWTH <= MAX_BEAM):
                schedule = [(size, beam * BEAM_GROWTH) for size, beam in schedule]
                quiet_levels = 0
                level = 0
    improved = kept.choices_of(columns)
    makespan = float(ddp.evaluate(inst, improved).makespan)
    return improved, makespan, {"sweeps": sweeps, "windows": windows, "accepted": accepted,
                                "seconds": time.perf_counter() - started}


def _slack(events, columns, start, stop, front_free, cloud_free) -> float:
    """Total free time of the devices and units after events ``..stop-1``, from the free times
    before ``start``."""
    front_free, cloud_free = front_free.copy(), cloud_free.copy()
    _lns_kernels.run_events(*events, columns, start, stop, front_free, cloud_free)
    return float(front_free.sum() + cloud_free.sum())


def polish(inst: ddp.Instance, choices: np.ndarray, max_windows: int,
           time_limit: float = math.inf) -> tuple[np.ndarray, float, dict]:
    """``improve_by_windows`` with short windows (``SHORT_WINDOW`` events, beams of
    ``SHORT_BEAM``), at most ``max_windows`` of them, beams never grown."""
    return improve_by_windows(inst, choices, time_limit, window=SHORT_WINDOW,
                              beam_width=SHORT_BEAM, max_windows=max_windows, grow_beams=False)
