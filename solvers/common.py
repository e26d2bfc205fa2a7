"""What every method shares: the warm start, the components, the final re-evaluation."""

from __future__ import annotations

import contextlib
import os
import sys
import time

import numpy as np

import ddp
from ddp.recurrence import check_choices

from .result import Result, Status, gap_of, proven


class UnsupportedInstance(ValueError):
    """A method cannot solve this instance exactly (e.g. ``dp`` with several devices per unit)."""


class SolverUnavailable(RuntimeError):
    """A back-end is missing or fails to start (e.g. ``highspy`` not installed)."""


@contextlib.contextmanager
def quiet_stdout(enabled: bool = True):
    """Send what a native library prints on file descriptor 1 to /dev/null.

    HiGHS prints its banner from C++ before PuLP can switch its output off; the CLI's ``--json``
    lines must stay clean.
    """
    if not enabled:
        yield
        return
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real file descriptor (e.g. captured): nothing to protect
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def warm_start(inst: ddp.Instance, hint=None) -> np.ndarray:
    """The warm-start choices: ``hint`` when given (validated), else DDP's choices."""
    if hint is None:
        return np.asarray(ddp.run_policy(inst, "ddp").choices, dtype=np.int64)
    return check_choices(inst, hint).copy()


def kept_points(inst: ddp.Instance, choices: np.ndarray, pidx: np.ndarray,
                npts: np.ndarray) -> np.ndarray:
    """Column of each event's point among its kept (non-dominated) points.

    A dropped point maps to a kept point at least as good in front time, front + transfer time
    and cloud time (one exists: that is why it was dropped).
    """
    cols = np.zeros(inst.n, dtype=np.int64)
    for j in range(inst.n):
        kept = pidx[j, :npts[j]]
        hit = np.flatnonzero(kept == choices[j])
        if len(hit):
            cols[j] = hit[0]
            continue
        i = choices[j]
        f, r, c = inst.front[j], inst.front[j] + inst.trans[j], inst.cloud[j]
        beats = (f[kept] <= f[i]) & (r[kept] <= r[i]) & (c[kept] <= c[i])
        cols[j] = int(np.flatnonzero(beats)[0])
    return cols


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

    for d, u in set(zip(inst.device.tolist(), inst.unit.tolist())):
        a, b = find(d), find(inst.devices + u)
        if a != b:
            parent[a] = b
    roots = np.array([find(int(d)) for d in inst.device], dtype=np.int64)
    groups = []
    for root in dict.fromkeys(roots.tolist()):
        events = np.flatnonzero(roots == root)
        groups.append((events, np.unique(inst.device[events]), np.unique(inst.unit[events])))
    return groups


def pair_bound(inst: ddp.Instance) -> float:
    """A combinatorial lower bound valid for any number of devices and units.

    For each (device, unit) pair and its events S, the makespan is at least the cloud work of S
    (one unit) and at least the front work of S plus the last event's ``T + C``; so it is at
    least ``w * cloud + (1 - w) * front`` for each ``w``, minimised event by event. Also at
    least ``a_j + min_i(F + T + C)`` for each event.
    """
    if inst.n == 0:
        return 0.0
    best = float(np.max(inst.arrival + np.min(inst.front + inst.trans + inst.cloud, axis=1)))
    pairs = inst.device * inst.cloud_units + inst.unit
    weights = np.linspace(0.0, 1.0, 21)
    for key in np.unique(pairs):
        events = np.flatnonzero(pairs == key)
        last = events[-1]
        for w in weights:
            priced = w * inst.cloud[events] + (1 - w) * inst.front[events]
            body = np.min(priced[:-1], axis=1).sum() if len(events) > 1 else 0.0
            tail = np.min(inst.cloud[last] + (1 - w) * (inst.front[last] + inst.trans[last]))
            best = max(best, float(body + tail))
    return best * (1 - 1e-12)


def with_own_bound(inst: ddp.Instance, bound: float, message: str) -> tuple[float, str]:
    """``max(bound, bounds.cheap_bound(inst))``, saying so when ours is the larger."""
    from .bounds import cheap_bound

    ours = cheap_bound(inst)
    if ours > bound:
        note = (f"the solver's bound {bound:.9g} is below our path/machine bound "
                f"{ours:.9g}, reported instead")
        return ours, (message + "; " if message else "") + note
    return bound, message


def finish(inst: ddp.Instance, choices, lower_bound: float, method: str, started: float,
           message: str = "", stats: dict | None = None, error: bool = False) -> Result:
    """Build the Result: objective re-computed with ``ddp.evaluate``, status from the bound.

    The bound is at least ``pair_bound`` (cheap, always valid).
    ``optimal`` only when the re-evaluated objective and ``lower_bound`` agree within a
    relative 1e-6; a bound above the objective (a solver's tolerance) is cut to the objective
    and said in the message.
    """
    stats = dict(stats or {})
    if choices is None:
        return Result(float("inf"), float(max(lower_bound, 0.0)),
                      Status.ERROR if error else Status.FEASIBLE, None,
                      time.perf_counter() - started, method, message, stats)
    choices = check_choices(inst, choices).copy()
    objective = float(ddp.evaluate(inst, choices).makespan)
    bound = float(max(lower_bound, 0.0))
    combinatorial = pair_bound(inst)
    if combinatorial > bound:
        message = (message + "; " if message else "") + (
            f"the solver's bound {bound:.9g} is below the combinatorial pair bound, reported "
            f"instead")
        bound = combinatorial
    if bound > objective:
        if gap_of(bound, objective) > 1e-6:
            message = (message + "; " if message else "") + (
                f"the solver's bound {bound:.9g} exceeded the re-evaluated objective "
                f"{objective:.9g} and was cut to it")
        bound = objective
    status = Status.OPTIMAL if proven(objective, bound) else Status.FEASIBLE
    if error:
        status = Status.ERROR
    return Result(objective, bound, status, choices, time.perf_counter() - started, method,
                  message, stats)
