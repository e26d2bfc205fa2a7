"""The one entry point: ``solve(inst, method, time_limit, hint, **options) -> Result``."""

from __future__ import annotations

import math
import time
from typing import Any

from numpy.typing import ArrayLike

import ddp

from .errors import SolverError
from .finish import finish
from .improve import warm_start
from .methods import AUTO, runner
from .options import check_options
from .result import Outcome, Result

# The largest time limit used (about 31.7 years): a larger one is treated as this. Work
# budgets derive from the limit (states, steps, windows per second); capped here they stay far
# inside int64 (a limit of 1e13 s made dp's step budget overflow numba's int64).
MAX_TIME_LIMIT = 1e9


def check_time_limit(time_limit: Any, name: str = "time_limit") -> float:
    """``time_limit`` as float seconds, at most ``MAX_TIME_LIMIT``; ``ValueError`` naming
    ``name`` unless it is a positive, finite number (``dp`` derives its budgets from it, so inf
    and nan are refused too)."""
    try:
        seconds = float(time_limit)
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if isinstance(time_limit, bool) or not 0 < seconds < math.inf:
        raise ValueError(f"{name} must be a positive, finite number of seconds, got "
                         f"{time_limit}")
    return min(seconds, MAX_TIME_LIMIT)


def solve(inst: ddp.Instance, method: str = AUTO, time_limit: float = 60.0,
          hint: ArrayLike | None = None, **options: Any) -> Result:
    """The offline optimum of ``inst`` with a proven lower bound.

    Parameters
    ----------
    inst : ddp.Instance
    method : {"auto", "dp", "cpsat", "milp-highs", "milp-cbc", "brute"}
        See ``SUPPORT``; ``auto`` (the default) combines the others (``solvers/auto.py``).
    time_limit : float
        Seconds for the whole call, model building included; when reached the best schedule
        found is returned with status ``feasible`` and the bound proven so far. Kept within
        ``max(10% of it, 1 s)`` (measured by benchmarks/bench_time_limits.py); a limit above
        ``MAX_TIME_LIMIT`` (1e9 s) is treated as 1e9 s.
    hint : array-like of int, optional
        Warm-start choices; DDP's by default.
    **options
        Passed to the method (e.g. ``deterministic=True``, ``workers=1`` for ``cpsat``,
        ``threads`` for the MILPs, ``beam_width`` for ``dp``); checked first
        (``options.check_options``).

    Returns
    -------
    Result
        ``objective`` is always ``ddp.evaluate(inst, choices).makespan``.

    Raises
    ------
    ValueError
        Unknown method, bad time limit, unknown option or bad option value (naming option
        and method), bad hint, or ``UnsupportedInstance`` (the method cannot
        solve this instance exactly, e.g. ``dp`` with two devices on one unit).
    SolverUnavailable
        A back-end is missing.

    Notes
    -----
    Failures and bugs are told apart by where they come from. A back-end's own error while
    it runs (an exception of HiGHS, PuLP, CBC or CP-SAT, running out of memory inside it) is a
    solver failure: the call returns a ``Result`` with status ``error``, the warm start as its
    choices and the error in ``message``. Any other exception (``TypeError``,
    ``AttributeError``, ``IndexError``, ``KeyError``, ``AssertionError``, ... from our own code,
    also when raised through a back-end's callback) propagates to the caller.
    """
    started = time.perf_counter()
    seconds = check_time_limit(time_limit)
    key = str(method).lower()
    run = runner(key)
    check_options(key, run, options)
    if hint is not None:
        hint = warm_start(inst, hint)
    try:
        outcome = run(inst, time_limit=seconds, hint=hint, started=started, **options)
    except SolverError as exc:
        outcome = Outcome(warm_start(inst, hint), 0.0, str(exc), failed=True)
    return finish(inst, outcome, key, started)
