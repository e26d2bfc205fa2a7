"""Ctrl-C (SIGINT) and SIGTERM, remembered once they arrive.

A signal handler's exception can be lost on its way out of a native call. Raised while pybind11
converts the arguments of a call into HiGHS or OR-Tools, it becomes a ``TypeError``
("incompatible function arguments"), or vanishes when another overload then matches; raised
inside a numba function, it becomes a ``SystemError``. The handlers that ``catching_signals``
installs record the signal before they raise, so that whatever exception reaches the caller, it
can tell an interruption from a bug (``received``), and a long wait (a solve) can raise the
interruption again if it was lost (``raise_if_received``).

Raised inside a callback that native code makes into Python (numba's compiler calls one through
ctypes as it loads a cached kernel), the exception cannot leave the callback: Python reports it
through ``sys.unraisablehook`` ("Exception ignored on calling ctypes callback function", a
traceback) and goes on. Within ``catching_signals`` that report is dropped for the interruption
of a signal that arrived, which is remembered and raised again; any other goes to the hook
there was.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl-C (solves stopped, files closed)."""


_received: signal.Signals | None = None


def received() -> signal.Signals | None:
    """The signal that arrived while ``catching_signals`` was active, if any."""
    return _received


def interruption(signum: int) -> BaseException:
    """The exception that a signal raises: ``KeyboardInterrupt`` for SIGINT, else
    ``Terminated``."""
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated()


def raise_if_received() -> None:
    """Raise the interruption of a signal that arrived, in case its exception was lost."""
    if _received is not None:
        raise interruption(_received)


def _handle(signum: int, frame) -> None:
    global _received
    _received = signal.Signals(signum)
    raise interruption(signum)


@contextmanager
def catching_signals() -> Iterator[None]:
    """Within the block SIGTERM and SIGINT raise ``Terminated`` and ``KeyboardInterrupt`` and
    are remembered (``received``). SIGINT is left alone when it is ignored (a shell's background
    job) or handled by someone else; outside the main thread nothing changes."""
    global _received
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received = None
    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, _handle)}
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, _handle)
    previous_hook = sys.unraisablehook

    def unraisable(report) -> None:
        if _received is not None and isinstance(report.exc_value,
                                                (KeyboardInterrupt, Terminated)):
            return  # remembered, raised again: the report would only be noise
        previous_hook(report)

    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        sys.unraisablehook = previous_hook
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _received = None
