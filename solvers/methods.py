"""The registry of methods: name -> runner and what it supports.

A runner is ``run(inst, time_limit, hint, *, started, **options) -> Outcome``; ``solve`` turns
its ``Outcome`` into a ``Result``. Adding a method is one entry in ``REGISTRY``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .auto import solve_auto
from .brute import solve_brute
from .cpsat import solve_cpsat
from .dp import solve_dp
from .milp import solve_cbc, solve_highs
from .result import Outcome

AUTO = "auto"


@dataclass(frozen=True)
class Method:
    """A method of ``solve``: its runner and what it supports (printed by the CLI's help)."""

    run: Callable[..., Outcome]
    support: str


REGISTRY: dict[str, Method] = {
    "dp": Method(solve_dp, "exact when every device has its own cloud unit (one device and one "
                           "unit, or m devices on m separate units); numba; the fastest"),
    "cpsat": Method(solve_cpsat, "any devices and units; OR-Tools CP-SAT on integer-scaled "
                                 "times"),
    "milp-highs": Method(solve_highs, "any devices and units; PuLP model solved by HiGHS "
                                      "(highspy)"),
    "milp-cbc": Method(solve_cbc, "any devices and units; PuLP model solved by CBC per group "
                                  "of events, minimising the last cloud finish (CBC's bound "
                                  "where verified, see milp.trusted_bound)"),
    "brute": Method(solve_brute, "any devices and units; enumerates (k+1)^n vectors (at most "
                                 "2e6)"),
    AUTO: Method(solve_auto, "any devices and units; everything combined: blocks where the "
                             "system empties, dp (or HiGHS on small shared units), window "
                             "search, the LP relaxation's bound (the default)"),
}


# What each method supports, ``auto`` included (the CLI's help prints it).
SUPPORT: dict[str, str] = {name: method.support for name, method in REGISTRY.items()}
METHODS: list[str] = list(SUPPORT)


def runner(name: str) -> Callable[..., Outcome]:
    """The runner of method ``name``."""
    if name not in REGISTRY:
        raise ValueError(f"unknown method {name!r} (known: {', '.join(METHODS)})")
    return REGISTRY[name].run
