"""The last step of every method: re-evaluate its choices and fix status and bound."""

from __future__ import annotations

import time

import ddp
from ddp.recurrence import check_choices

from .bounds import pair_bound
from .result import Outcome, Result, Status, gap_of, proven


def _joined(message: str, note: str) -> str:
    return (message + "; " if message else "") + note


def finish(inst: ddp.Instance, outcome: Outcome, method: str, started: float) -> Result:
    """Build the Result: objective re-computed with ``ddp.evaluate``, status from the bound.

    The bound is at least ``pair_bound`` (cheap, always valid). ``optimal`` only when the
    re-evaluated objective and the bound agree within a relative 1e-6; a bound above the
    objective (a solver's tolerance) is cut to the objective and said in the message.
    """
    stats = dict(outcome.stats)
    message = outcome.message
    if outcome.choices is None:
        return Result(float("inf"), float(max(outcome.lower_bound, 0.0)),
                      Status.ERROR if outcome.failed else Status.FEASIBLE, None,
                      time.perf_counter() - started, method, message, stats)
    choices = check_choices(inst, outcome.choices).copy()
    objective = float(ddp.evaluate(inst, choices).makespan)
    bound = float(max(outcome.lower_bound, 0.0))
    combinatorial = pair_bound(inst)
    if combinatorial > bound:
        message = _joined(message, f"the solver's bound {bound:.9g} is below the "
                                   f"combinatorial pair bound, reported instead")
        bound = combinatorial
    if bound > objective:
        if gap_of(bound, objective) > 1e-6:
            message = _joined(message, f"the solver's bound {bound:.9g} exceeded the "
                                       f"re-evaluated objective {objective:.9g} and was cut "
                                       f"to it")
        bound = objective
    status = Status.OPTIMAL if proven(objective, bound) else Status.FEASIBLE
    if outcome.failed:
        status = Status.ERROR
    return Result(objective, bound, status, choices, time.perf_counter() - started, method,
                  message, stats)

