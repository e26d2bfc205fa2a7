"""Run work units here, on a pool of local worker processes, or on a Dask cluster.

Whatever runs them, each finished unit's records go to ``on_records`` in the calling process as
soon as the unit finishes (the store writes them to disk there), so only one process ever writes
the records file. Local workers ignore Ctrl-C (the parent stops them) and exit within a second of
their parent's death, also when it was killed with SIGKILL.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from .work import Unit, run_unit

OnRecords = Callable[[list[dict[str, Any]]], None]


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class ProgressBar:
    """A rich progress bar on stderr that appears once a run has lasted a second.

    A timer starts it, so that it shows even while the first slow units are still running.
    """

    DELAY_S = 1.0

    def __init__(self, total: int, description: str, enabled: bool):
        self.total = total
        self.description = description
        self.enabled = enabled and sys.stderr.isatty()
        self.done = 0
        self._progress = None
        self._task = None
        self._lock = threading.Lock()
        self._timer = None
        if self.enabled:
            self._timer = threading.Timer(self.DELAY_S, self._start)
            self._timer.daemon = True
            self._timer.start()

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        with self._lock:
            if self._progress is not None or self._timer is None:
                return  # already started, or closed before the delay was over
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeElapsedColumn(),
                                      TimeRemainingColumn(), console=Console(stderr=True),
                                      transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=self.total,
                                                 completed=self.done)

    def advance(self, count: int) -> None:
        with self._lock:
            self.done += count
            if self._progress is not None:
                self._progress.update(self._task, completed=self.done)

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._progress is not None:
                self._progress.stop()
                self._progress = None


def _run_here(units: Sequence[Unit], on_records: OnRecords, bar: ProgressBar) -> None:
    for unit in units:
        records = run_unit(unit)
        on_records(records)
        bar.advance(len(records))


# -- local worker processes ----------------------------------------------------------------------

PARENT_POLL_S = 0.5  # how often a worker checks that its parent is alive


def _exit_with_parent(parent: int) -> None:
    """Make this worker exit when the process that started it dies, even by kill -9.

    On Linux the kernel sends SIGKILL at the parent's death (``PR_SET_PDEATHSIG``), which works
    even while a solver holds the GIL; everywhere, a daemon thread also polls ``getppid``.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the thread stays
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    if os.getppid() != parent:  # died before the death signal was armed
        os._exit(1)
    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _worker_init(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and stops the workers, so a
    # worker ignores it instead of printing a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)


def _ready() -> bool:
    return True


class LocalWorkers:
    """A pool of ``workers`` processes, started on first use, that several runs can share.

    ``close`` waits for the workers; ``kill`` stops them at once (an interruption). Use it as a
    context manager: leaving on an exception kills the workers.
    """

    def __init__(self, workers: int):
        self.workers = max(1, int(workers))
        self._pool: ProcessPoolExecutor | None = None
        self._ping = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the parent may already run numba's thread pool, which is not
            # fork-safe.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=_worker_init,
                                             initargs=(os.getpid(),))
            self._ping = self._pool.submit(_ready)
        return self._pool

    def ready(self) -> bool:
        """Whether a worker has started and answered (start the pool first)."""
        return self._ping is not None and self._ping.done()

    def kill(self) -> None:
        """Stop the workers now (their running units are lost; their records were not
        written)."""
        if self._pool is None:
            return
        # The executor has no public way to stop running workers before Python 3.14.
        for process in list(getattr(self._pool, "_processes", {}).values()):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                process.kill()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalWorkers:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.kill()


# In the default mode the units run in this process; once a run has lasted AUTO_POOL_AFTER_S
# and what is left looks like more than POOL_WORTH_S at the pace so far, a pool of a worker per
# core starts (its start costs a few seconds of a core), this process computing units until a
# worker is ready, then leaving them to the pool.
AUTO_POOL_AFTER_S = 1.0
POOL_WORTH_S = 10.0


def _run_pool(units: Sequence[Unit], workers: LocalWorkers, on_records: OnRecords,
              bar: ProgressBar, parent_computes: bool) -> None:
    """Units on the pool (at most a unit queued per worker beyond the running ones); with
    ``parent_computes``, in this process until the pool is worth starting (see
    ``POOL_WORTH_S``) and has a worker ready, then on the pool."""
    queue = deque(units)
    in_flight: set = set()
    limit = workers.workers * 2
    started = time.perf_counter()

    def worth_a_pool() -> bool:
        if not parent_computes:
            return True
        elapsed = time.perf_counter() - started
        done = len(units) - len(queue) - len(in_flight)
        return (elapsed >= AUTO_POOL_AFTER_S and done > 0
                and elapsed / done * len(queue) >= POOL_WORTH_S)

    def collect(timeout: float | None) -> None:
        nonlocal in_flight
        if not in_flight:
            return
        finished, in_flight = wait(in_flight, timeout=timeout, return_when=FIRST_COMPLETED)
        for future in finished:
            records = future.result()
            on_records(records)
            bar.advance(len(records))

    try:
        while queue or in_flight:
            if not workers.started and queue and worth_a_pool():
                workers.pool()
            ready = workers.started and workers.ready()
            use_pool = ready or (workers.started and not parent_computes)
            while use_pool and queue and len(in_flight) < limit:
                in_flight.add(workers.pool().submit(run_unit, queue.popleft()))
            # Once the workers are ready, this process only writes their records: measured,
            # computing here too was slower than leaving it to the workers (the records' writes
            # then wait behind this process's own units).
            if parent_computes and queue and not ready:
                records = run_unit(queue.popleft())
                on_records(records)
                bar.advance(len(records))
                collect(0)
            else:
                collect(None)
    except BaseException:
        workers.kill()  # interrupted or failed: no worker goes on computing for nobody
        raise


def _run_dask(units: Sequence[Unit], address: Any, on_records: OnRecords,
              bar: ProgressBar) -> None:
    client = connect_dask(address)
    try:
        futures = [client.submit(run_unit, unit, pure=False) for unit in units]
        try:
            from dask.distributed import as_completed

            for _, records in as_completed(futures, with_results=True):
                on_records(records)
                bar.advance(len(records))
        finally:
            client.cancel(futures)
    finally:
        if client is not address:
            client.close()


def connect_dask(address: Any, timeout_s: float = 30.0) -> Any:
    """A dask.distributed client of ``address`` (returned as is when it is a client).

    Raises
    ------
    ValueError
        dask.distributed is missing, the address is malformed or nothing answers there.
    """
    try:
        from dask.distributed import Client
    except ImportError:
        raise ValueError("--dask needs dask.distributed: pip install 'ddp[dask]'") from None
    if isinstance(address, Client):
        return address
    try:
        return Client(address, timeout=timeout_s)
    except (OSError, ValueError, TypeError) as exc:  # OSError: includes the connect timeout
        raise ValueError(f"--dask {address}: cannot connect ({exc})") from None


def execute(units: Sequence[Unit], on_records: OnRecords, jobs: int | None = None,
            dask: Any = None, progress: bool = True, description: str = "instances",
            workers: LocalWorkers | None = None) -> None:
    """Run ``units``, handing each unit's records to ``on_records`` as it finishes.

    Parameters
    ----------
    units : sequence of Unit
    on_records : callable
        Called in this process with each finished unit's records.
    jobs : int, optional
        Worker processes; 1 runs everything in this process. By default (None) the units run
        here, and only work whose rest looks like more than ``POOL_WORTH_S`` starts a pool of a
        worker per core, which takes over once a worker is ready.
    dask : str or dask.distributed.Client, optional
        A scheduler address (or a client): the units run on that cluster instead.
    progress : bool
        Show a progress bar on stderr (only on a terminal, after a second).
    workers : LocalWorkers, optional
        A pool shared with other runs (started when first needed, left open); by default a
        pool of this call's own, closed at the end.
    """
    units = list(units)
    if not units:
        return
    bar = ProgressBar(sum(len(u.seeds) for u in units), description, progress)
    try:
        if dask is not None:
            _run_dask(units, dask, on_records, bar)
            return
        auto = jobs is None
        count = pool_size(jobs)
        if count < 1 or len(units) == 1:
            _run_here(units, on_records, bar)
            return
        own = workers is None
        workers = LocalWorkers(count) if own else workers
        try:
            _run_pool(units, workers, on_records, bar, parent_computes=auto)
        finally:
            if own:
                workers.close()
    finally:
        bar.close()


def pool_size(jobs: int | None) -> int:
    """Worker processes for ``jobs``: ``jobs`` (0 for 1: everything in this process); by
    default a worker per core (0 on one core: no pool)."""
    if jobs is None:
        cores = default_jobs()
        return cores if cores > 1 else 0
    return 0 if int(jobs) <= 1 else int(jobs)
