"""Native solves that a signal or a deadline can stop.

A native solve (HiGHS's ``run``, CP-SAT's ``Solve``, the wait for a CBC process) keeps the main
thread in C or C++ code, where Python's signal handlers cannot run: Ctrl-C then waits for the
solve to end, or the back-end catches SIGINT itself and returns as if its limit had been
reached. So ``run_stoppable`` runs the solve in a worker thread and waits for it in Python. The
exception of a signal handler (``KeyboardInterrupt``, the CLI's exception for SIGTERM) arrives in
the waiting thread; the solve is told to stop, awaited (briefly) and the exception raised again.
A signal whose exception a native call lost while the model was built (``ddp.signals``) is
raised when the wait begins.

The same wait enforces a deadline: a back-end whose own limit comes late (HiGHS or CP-SAT
presolving a large model, CBC preprocessing) is told to stop when the deadline passes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from ddp.signals import raise_if_received

from .errors import OutOfTime

T = TypeVar("T")

POLL_SECONDS = 0.05  # how often the waiting thread looks at the clock
# a back-end's own time limit first; the watchdog stops it this much after that limit
STOP_GRACE_SECONDS = 0.25
STOPPED_TIME_LIMIT = 1e-9  # the time limit that stops a running HiGHS at its next clock check
STOP_WAIT_SECONDS = 2.0  # how long an interrupted solve may take to stop before we give up on it

# Solves still running in their threads (a stop they did not honour: HiGHS 1.16 does not poll
# its interrupt inside sub-MIPs). A process must not end normally while one runs: C++ ends it
# with std::terminate ("terminate called without an active exception", SIGABRT).
_running: set[threading.Thread] = set()
_running_lock = threading.Lock()


def still_running() -> int:
    """How many stoppable solves are still running (after an interruption they ignored)."""
    with _running_lock:
        return len(_running)


class Stopped(Generic[T]):
    """What a stoppable solve returned, and whether the deadline stopped it."""

    def __init__(self, value: T, late: bool) -> None:
        self.value = value
        self.late = late


def run_stoppable(work: Callable[[], T], stop: Callable[[], None],
                  deadline: float | None = None, name: str = "native solve") -> Stopped[T]:
    """Run ``work()`` in a thread; ``stop()`` it when the deadline (``time.perf_counter()``)
    passes or when the waiting thread is interrupted, in which case the interruption is raised
    again once the solve has stopped (or ``STOP_WAIT_SECONDS`` have passed).

    ``stop`` is called again at every poll until ``work`` returns (it must be idempotent): a
    solve told to stop before its native part began (e.g. CBC's process not started yet) is
    stopped when it begins. An exception of ``work`` is raised in the calling thread.
    """
    raise_if_received()  # a signal whose exception a native call dropped while building
    outcome: dict[str, object] = {}
    # An Event, not Thread.join: a join that a signal interrupts can leave the thread marked
    # stopped while it still runs (CPython 3.11), and the stop would be skipped.
    done = threading.Event()

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the calling thread
            outcome["error"] = exc
        finally:
            with _running_lock:
                _running.discard(threading.current_thread())
            done.set()

    thread = threading.Thread(target=target, name=name, daemon=True)
    late = False
    with _running_lock:
        _running.add(thread)
    thread.start()
    try:
        while not done.wait(POLL_SECONDS):
            raise_if_received()  # one that ``stop()``, a native call too, dropped
            if deadline is not None and time.perf_counter() > deadline:
                late = True
            if late:
                stop()
    except BaseException:
        given_up = time.perf_counter() + STOP_WAIT_SECONDS
        while not done.is_set() and time.perf_counter() < given_up:
            stop()
            done.wait(POLL_SECONDS)
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return Stopped(outcome["value"], late)  # type: ignore[arg-type]


def run_highs_stoppable(highs, deadline: float | None = None) -> object:
    """``highs.run()`` of a ``highspy.Highs`` through ``run_stoppable``.

    Stopped by lowering its ``time_limit`` option while it runs: HiGHS reads the option at its
    periodic clock checks in simplex, IPM and the MIP search. highspy's own stop
    (``HandleUserInterrupt`` and ``cancelSolve``) calls back into Python at every simplex
    iteration: the LP relaxation of 3000 events took 2.7 s with it against 0.75 s without.
    """

    def stop() -> None:
        highs.setOptionValue("time_limit", STOPPED_TIME_LIMIT)

    return run_stoppable(highs.run, stop, deadline, name="HiGHS").value


class BuildClock:
    """Looks at the clock every ``every`` calls of ``tick`` while a model is built; raises
    ``OutOfTime`` once ``deadline`` (``time.perf_counter()``) has passed."""

    def __init__(self, deadline: float, every: int = 64) -> None:
        self.deadline = deadline
        self.every = every
        self.calls = 0

    def tick(self) -> None:
        self.calls += 1
        if self.calls % self.every == 0:
            self.check()

    def check(self) -> None:
        if time.perf_counter() > self.deadline:
            raise OutOfTime

    def remaining(self) -> float:
        return self.deadline - time.perf_counter()
