"""The options of ``solve(..., **options)``: names checked against the method, values checked.

A method's options are the keyword-only parameters of its runner (``methods.REGISTRY``) but
``started``, which ``solve`` sets. Each known option name has one check here; an unknown name,
a wrong type or a value out of range is a ``ValueError`` naming the option and the method.
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable
from typing import Any

from .model import OBJECTIVE_FORMS

INTERNAL = frozenset({"started"})  # set by solve, not an option


def _integer(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _at_least(low: int, optional: bool = False) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value is None and optional:
            return None
        if not _integer(value) or value < low:
            return f"an integer >= {low}{' or None' if optional else ''}"
        return None
    return check


def _seconds(optional: bool) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value is None and optional:
            return None
        if (not isinstance(value, numbers.Real) or isinstance(value, bool)
                or not 0 < float(value) < math.inf):
            return f"a positive, finite number of seconds{' or None' if optional else ''}"
        return None
    return check


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "True or False"


def _any_integer(value: Any) -> str | None:
    return None if _integer(value) else "an integer"


def _form(value: Any) -> str | None:
    return None if value in OBJECTIVE_FORMS else f"one of {', '.join(OBJECTIVE_FORMS)}"


def _callable_or_none(value: Any) -> str | None:
    return None if value is None or callable(value) else "a function or None"


# What each option must be (a phrase for the error), by name.
CHECKS: dict[str, Callable[[Any], str | None]] = {
    "workers": _at_least(1),
    "threads": _at_least(1, optional=True),
    "beam_width": _at_least(0),
    "weights": _at_least(2, optional=True),
    "max_states": _at_least(1),
    "max_visited": _at_least(1, optional=True),
    "max_vectors": _at_least(1),
    "local_search_passes": _at_least(0),
    "seed": _any_integer,
    "deterministic": _boolean,
    "log": _boolean,
    "msg": _boolean,
    "split": _boolean,
    "deterministic_time": _seconds(optional=True),
    "last_cut_seconds": _seconds(optional=True),
    "objective_form": _form,
    "state_cuts": _callable_or_none,
}


def option_names(run: Callable[..., Any]) -> list[str]:
    """The options of a runner: its keyword-only parameters but ``started``."""
    return [name for name, parameter in inspect.signature(run).parameters.items()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name not in INTERNAL]


def check_options(method: str, run: Callable[..., Any], options: dict[str, Any]) -> None:
    """``ValueError`` naming the option and ``method`` for an unknown option or a bad value."""
    known = option_names(run)
    for name, value in options.items():
        if name not in known:
            raise ValueError(f"unknown option {name!r} for method {method!r} (its options: "
                             f"{', '.join(known) or 'none'})")
        check = CHECKS.get(name)
        wanted = check(value) if check is not None else None
        if wanted is not None:
            raise ValueError(f"option {name}={value!r} of method {method!r}: must be {wanted}")
