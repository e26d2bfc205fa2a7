"""The errors of the solvers, and the rule that tells a solver failure from a bug."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class UnsupportedInstance(ValueError):  # noqa: N818 (public name, kept for callers)
    """A method cannot solve this instance exactly (e.g. ``dp`` with several devices per unit)."""


class SolverUnavailable(RuntimeError):  # noqa: N818 (public name, kept for callers)
    """A back-end is missing or fails to start (e.g. ``highspy`` not installed)."""


class SolverError(RuntimeError):
    """A back-end failed while it ran; ``solvers.solve`` turns this into status ``error``."""


class OutOfTime(Exception):  # noqa: N818 (a condition, not a failure)
    """The time limit passed while a model was being built or handed to a back-end."""


# Errors of our own code: never a solver failure, always raised to the caller.
PROGRAMMING_ERRORS: tuple[type[BaseException], ...] = (
    TypeError, AttributeError, NameError, IndexError, KeyError, AssertionError, ImportError)


@contextlib.contextmanager
def native_call(solver: str) -> Iterator[None]:
    """Run a back-end's native solve: its own exceptions become ``SolverError``.

    Only the call into the back-end goes inside (PuLP's ``solve``, HiGHS's ``run``, CP-SAT's
    ``Solve``); ``PROGRAMMING_ERRORS``, ``SolverError`` and ``OutOfTime`` pass through
    unchanged, as do ``KeyboardInterrupt`` and ``SystemExit`` (not ``Exception``).
    """
    try:
        yield
    except (SolverError, OutOfTime, *PROGRAMMING_ERRORS):
        raise
    except Exception as exc:
        raise SolverError(f"{solver} failed: {type(exc).__name__}: {exc}") from exc
