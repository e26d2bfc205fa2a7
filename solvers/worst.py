"""How bad can greedy DDP be? A seeded hill climbing over small integer instances for a large
``DDP / OPT``.

Instances have one device and one cloud unit, ``n`` events, ``k + 1`` points and integer times
in ``0..max_time`` (arrival gaps too). OPT is exact: the rolling-horizon window search of
``solvers.lookahead`` over the whole instance from the empty state (the least latest cloud
finish of all events, which the tests check against enumeration); DDP is ``ddp.run_policy``.

Why the ratio is bounded by ``n``: whatever point DDP gives event ``j``, it could have given
OPT's point ``p``; the device and the unit are free by ``Z_{j-1}`` (DDP's makespan of the events
before), so DDP's finish of ``j`` is at most ``max(Z_{j-1}, a_j) + F+T+C[j, p]``, and OPT's
finish of ``j`` is at least ``a_j + F+T+C[j, p]``, so ``Z_j <= Z_{j-1} + OPT`` and
``Z_n <= n OPT``. ``greedy_trap`` is a family that comes as close to ``n`` as the time scale
allows: every event can run on the device in ``M`` or be sent in ``M`` and finish in the
cloud in ``1``; DDP prefers the device each time (``j M < (j - 1) M + M + 1``), so the events
queue on it (``n M``), while sending all gives ``M + n``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

import ddp

from ._window_kernels import window_point
from .points import dominant_points


def optimum(inst: ddp.Instance) -> float:
    """OPT of ``inst`` (any devices and units) by the exact window search over all events."""
    _, _, _, kept_index, kept_count = dominant_points(inst.front, inst.trans, inst.cloud)
    _, value = window_point(np.zeros(inst.devices), np.zeros(inst.cloud_units), inst.arrival,
                            inst.front, inst.trans, inst.cloud, inst.device, inst.unit,
                            kept_index, kept_count)
    return float(value)


def ddp_ratio(inst: ddp.Instance) -> tuple[float, float, float]:
    """``(Z_DDP, OPT, Z_DDP / OPT)``; the ratio is 1 when both are 0."""
    greedy = ddp.run_policy(inst, "ddp").makespan
    best = optimum(inst)
    return greedy, best, (greedy / best if best > 0 else 1.0)


def greedy_trap(n: int, scale: int) -> ddp.Instance:
    """``n`` events at time 0, point 0 (send: ``T = scale``, ``C = 1``), point 1 (device:
    ``F = scale``): DDP makes ``n scale``, sending everything ``scale + n``."""
    return ddp.Instance(np.zeros(n), [[0, scale]] * n, [[scale, 0]] * n, [[1, 0]] * n,
                        name=f"greedy-trap/n={n}/scale={scale}")


@dataclass
class WorstCase:
    """The worst instance found and how it was found."""

    instance: ddp.Instance
    ddp_makespan: float
    opt: float
    ratio: float
    evaluations: int
    seconds: float


def _random_tables(rng: np.random.Generator, n: int, k: int, max_time: int):
    gaps = rng.integers(0, max_time + 1, size=n) * (rng.random() < 0.5)
    gaps[0] = 0
    return [np.cumsum(gaps).astype(float),
            *(rng.integers(0, max_time + 1, size=(n, k + 1)).astype(float) for _ in range(3))]


def _instance(tables) -> ddp.Instance:
    return ddp.Instance(*tables)


def _mutate(rng: np.random.Generator, tables, max_time: int):
    """A neighbour: one time (or one arrival gap) set anew or moved by one."""
    out = [table.copy() for table in tables]
    which = int(rng.integers(0, 4))
    if which == 0:
        gaps = np.diff(out[0], prepend=0.0)
        event = int(rng.integers(0, len(gaps)))
        gaps[event] = _new_value(rng, gaps[event], max_time)
        gaps[0] = 0.0
        out[0] = np.cumsum(gaps)
    else:
        table = out[which]
        event = int(rng.integers(0, table.shape[0]))
        point = int(rng.integers(0, table.shape[1]))
        table[event, point] = _new_value(rng, table[event, point], max_time)
    return out


def _new_value(rng: np.random.Generator, value: float, max_time: int) -> float:
    if rng.random() < 0.5:
        return float(min(max_time, max(0, value + rng.choice((-1, 1)))))
    return float(rng.integers(0, max_time + 1))


def search_worst(events: int, points: int, budget: float, seed: int, max_time: int = 20,
                 max_evaluations: int | None = None, patience: int = 400) -> WorstCase:
    """Hill climbing with restarts for the largest ``DDP / OPT``.

    Parameters
    ----------
    events, points : int
        ``n`` and ``k`` of the instances (rows of ``k + 1`` times).
    budget : float
        Seconds of search (wall clock; ``max_evaluations`` caps it deterministically).
    seed : int
        The random generator's seed: the same seed and evaluation count give the same result.
    max_time : int
        Largest time and arrival gap.
    patience : int
        Steps without a strict gain before a restart from a fresh random instance.
    """
    if events < 1 or points < 1 or max_time < 1:
        raise ValueError("events, points and max_time must be >= 1")
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    best = None
    evaluations = 0

    def spent() -> bool:
        if max_evaluations is not None and evaluations >= max_evaluations:
            return True
        return time.perf_counter() - started >= budget

    while best is None or not spent():
        current = _random_tables(rng, events, points, max_time)
        current_ratio = ddp_ratio(_instance(current))[2]
        evaluations += 1
        stale = 0
        while stale < patience and not spent():
            candidate = _mutate(rng, current, max_time)
            ratio = ddp_ratio(_instance(candidate))[2]
            evaluations += 1
            stale = 0 if ratio > current_ratio else stale + 1
            if ratio >= current_ratio:
                current, current_ratio = candidate, ratio
        if best is None or current_ratio > best[1]:
            best = (current, current_ratio)
    inst = _instance(best[0])
    greedy, opt, ratio = ddp_ratio(inst)
    meta = {"search": "worst", "events": events, "points": points, "seed": seed,
            "max_time": max_time, "evaluations": evaluations, "ddp_makespan": greedy,
            "opt": opt, "ddp_ratio_to_opt": ratio}
    inst = ddp.Instance(inst.arrival, inst.front, inst.trans, inst.cloud,
                        name=f"worst/n={events}/k={points}/seed={seed}", meta=meta)
    return WorstCase(inst, greedy, opt, ratio, evaluations, time.perf_counter() - started)
