"""The online policies of the paper (DDP and the four baselines AC, AF, FB, NS) and QA, a
queue-aware DDP."""

from __future__ import annotations

import numpy as np

from .instance import Instance
from .recurrence import MODE_DDP, MODE_GIVEN, MODE_NS, MODE_QA, run_kernel
from .schedule import Schedule

POLICIES = {
    "ddp": "DDP: per event, the point of least cloud finish from the current state (Alg. 1-3)",
    "ns": "Neurosurgeon: per event, the point of least F+T+C, ignoring queues",
    "ac": "All at Cloud: point 0, the clip is sent",
    "af": "All at Front: point k, only the result is sent",
    "fb": "Feature Based: the instance's feature point (default k-1)",
    "qa": "Queue-aware DDP: per event, the point of least max(its cloud finish, DDP's cloud "
          "finish of a copy arriving at the same time), charging the queue it leaves",
}


# The policies the kernel chooses points for; every other policy uses one fixed point.
CHOOSING_MODES = {"ddp": MODE_DDP, "ns": MODE_NS, "qa": MODE_QA}


def fixed_point(inst: Instance, name: str) -> int | None:
    """The point a fixed policy uses for every event (None for DDP, NS and QA)."""
    return {"ac": 0, "af": inst.k, "fb": inst.feature_point}.get(name)


def check_policy(name: str) -> str:
    """Normalise a policy name, or raise ValueError listing the known ones."""
    key = str(name).lower()
    if key not in POLICIES:
        raise ValueError(f"unknown policy {name!r} (known: {', '.join(POLICIES)})")
    return key


def run_policy(inst: Instance, name: str) -> Schedule:
    """Run a policy on an instance: its choices and their schedule, computed in one pass.

    Parameters
    ----------
    inst : Instance
    name : {"ddp", "ns", "ac", "af", "fb"}

    Returns
    -------
    Schedule
        With estimated times (``inst.estimate``) the policy chooses on the estimates and the
        schedule is that of its choices on the actual times.
    """
    name = check_policy(name)
    if inst.estimate is not None:
        chosen = run_policy(inst.as_estimated(), name)
        schedule = run_kernel(inst, MODE_GIVEN, chosen.choices.copy(), policy=name)
        return schedule
    if name in CHOOSING_MODES:
        return run_kernel(inst, CHOOSING_MODES[name], policy=name)
    choices = np.full(inst.n, fixed_point(inst, name), dtype=np.int64)
    return run_kernel(inst, MODE_GIVEN, choices, policy=name)
