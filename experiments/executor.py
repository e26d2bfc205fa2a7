"""Run work units here, on a process pool over every core, or on a Dask cluster.

Whatever runs them, each finished unit's records go to ``on_records`` in the calling process as
soon as the unit finishes (the store writes them to disk there), so only one process ever writes
the records file.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Callable, Sequence

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
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

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


def _run_pool(units: Sequence[Unit], jobs: int, on_records: OnRecords,
              bar: ProgressBar) -> None:
    # spawn, not fork: the parent may already run numba's thread pool, which is not fork-safe.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        pending = {pool.submit(run_unit, unit) for unit in units}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                records = future.result()
                on_records(records)
                bar.advance(len(records))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(units: Sequence[Unit], address: Any, on_records: OnRecords,
              bar: ProgressBar) -> None:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise RuntimeError("--dask needs dask.distributed: pip install 'ddp[dask]'") from None
    client = address if isinstance(address, Client) else Client(address)
    try:
        futures = [client.submit(run_unit, unit, pure=False) for unit in units]
        try:
            for _, records in as_completed(futures, with_results=True):
                on_records(records)
                bar.advance(len(records))
        finally:
            client.cancel(futures)
    finally:
        if client is not address:
            client.close()


def execute(units: Sequence[Unit], on_records: OnRecords, jobs: int | None = None,
            dask: Any = None, progress: bool = True, description: str = "instances") -> None:
    """Run ``units``, handing each unit's records to ``on_records`` as it finishes.

    Parameters
    ----------
    units : sequence of Unit
    on_records : callable
        Called in this process with each finished unit's records.
    jobs : int, optional
        Worker processes (default: every core); 1 runs everything in this process.
    dask : str or dask.distributed.Client, optional
        A scheduler address (or a client): the units run on that cluster instead.
    progress : bool
        Show a progress bar on stderr (only on a terminal, after a second).
    """
    units = list(units)
    if not units:
        return
    bar = ProgressBar(sum(len(u.seeds) for u in units), description, progress)
    try:
        if dask is not None:
            _run_dask(units, dask, on_records, bar)
        else:
            jobs = default_jobs() if jobs is None else max(1, int(jobs))
            if jobs == 1 or len(units) == 1:
                _run_here(units, on_records, bar)
            else:
                _run_pool(units, min(jobs, len(units)), on_records, bar)
    finally:
        bar.close()
