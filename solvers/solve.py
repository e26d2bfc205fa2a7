"""The one entry point: ``solve(inst, method, time_limit, hint, **options) -> Result``."""

from __future__ import annotations

import time

import ddp

from .common import SolverUnavailable, UnsupportedInstance, finish, warm_start
from .result import Result

# What each method supports (also printed by the CLI's help).
SUPPORT = {
    "dp": "exact when every device has its own cloud unit (one device and one unit, or "
          "m devices on m separate units); numba; the fastest",
    "cpsat": "any devices and units; OR-Tools CP-SAT on integer-scaled times",
    "milp-highs": "any devices and units; PuLP model solved by HiGHS (highspy)",
    "milp-cbc": "any devices and units; PuLP model solved by CBC (bound: ours, see milp.py)",
    "brute": "any devices and units; enumerates (k+1)^n vectors (at most 2e6)",
    "auto": "dp when it is exact for the instance, else milp-highs",
}
METHODS = list(SUPPORT)


def _runner(method: str):
    if method == "dp":
        from .dp import solve_dp
        return solve_dp
    if method == "cpsat":
        from .cpsat import solve_cpsat
        return solve_cpsat
    if method == "milp-highs":
        from .milp import solve_highs
        return solve_highs
    if method == "milp-cbc":
        from .milp import solve_cbc
        return solve_cbc
    if method == "brute":
        from .brute import solve_brute
        return solve_brute
    raise ValueError(f"unknown method {method!r} (known: {', '.join(METHODS)})")


def choose_method(inst: ddp.Instance) -> str:
    """``auto``'s choice: ``dp`` when it is exact for the instance, else ``milp-highs``."""
    from .dp import check_supported

    try:
        check_supported(inst)
    except UnsupportedInstance:
        return "milp-highs"
    return "dp"


def solve(inst: ddp.Instance, method: str = "auto", time_limit: float = 60.0, hint=None,
          **options) -> Result:
    """The offline optimum of ``inst`` with a proven lower bound.

    Parameters
    ----------
    inst : ddp.Instance
    method : {"auto", "dp", "cpsat", "milp-highs", "milp-cbc", "brute"}
        See ``SUPPORT``. ``auto`` records the method it chose in ``Result.method``.
    time_limit : float
        Seconds for the whole call; when reached the best schedule found is returned with
        status ``feasible`` and the bound proven so far.
    hint : array-like of int, optional
        Warm-start choices; DDP's by default.
    **options
        Passed to the method (e.g. ``deterministic=True``, ``workers=1`` for ``cpsat``,
        ``threads`` for the MILPs, ``beam_width`` for ``dp``).

    Returns
    -------
    Result
        ``objective`` is always ``ddp.evaluate(inst, choices).makespan``.

    Raises
    ------
    ValueError
        Unknown method, bad hint, or ``UnsupportedInstance`` (the method cannot solve this
        instance exactly, e.g. ``dp`` with two devices on one unit).
    SolverUnavailable
        A back-end is missing.
    """
    started = time.perf_counter()
    key = str(method).lower()
    if key == "auto":
        key = choose_method(inst)
    if time_limit is None or not 0 < time_limit < float("inf"):
        raise ValueError(f"time_limit must be a positive, finite number of seconds, got "
                         f"{time_limit}")
    runner = _runner(key)
    if hint is not None:
        hint = warm_start(inst, hint)
    try:
        return runner(inst, time_limit=float(time_limit), hint=hint, started=started,
                      **options)
    except (UnsupportedInstance, SolverUnavailable, TypeError):
        raise
    except Exception as exc:  # a back-end crashed: report it as a Result with status error
        fallback = warm_start(inst, hint)
        return finish(inst, fallback, 0.0, key, started,
                      f"{key} failed: {type(exc).__name__}: {exc}", error=True)
