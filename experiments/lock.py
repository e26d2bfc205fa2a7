"""One run at a time per results folder.

A run holds an exclusive ``flock`` on ``FOLDER/.lock`` for as long as it uses the folder, and
writes there who it is (pid, host, start time, command). A second run on the folder fails at once
with :class:`ResultsInUseError` naming the holder. The kernel drops the lock when its process dies,
however it dies, so the lock of a killed run is simply taken over by the next one.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import os
import socket
import sys
from pathlib import Path

LOCK_NAME = ".lock"


class ResultsInUseError(ValueError):
    """The results folder is locked by another run."""


class ResultsLock:
    """The lock of one results folder (a context manager; ``release`` is idempotent)."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self._handle: int | None = None

    def acquire(self) -> ResultsLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe(_read(handle))
            os.close(handle)
            raise ResultsInUseError(f"{self.folder} is in use by another run ({holder}); wait for "
                               f"it to end or give another --results folder") from None
        except BaseException:
            os.close(handle)
            raise
        owner = {"pid": os.getpid(), "host": socket.gethostname(),
                 "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                 "command": " ".join(sys.argv)}
        os.ftruncate(handle, 0)
        os.pwrite(handle, (json.dumps(owner) + "\n").encode("utf-8"), 0)
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            os.close(self._handle)  # closing drops the flock
            self._handle = None

    def __enter__(self) -> ResultsLock:
        return self.acquire()

    def __exit__(self, *exc_info) -> None:
        self.release()


def _read(handle: int) -> dict:
    try:
        data = json.loads(os.pread(handle, 65536, 0).decode("utf-8"))
    except (OSError, ValueError):  # being written this very moment, or not ours
        return {}
    return data if isinstance(data, dict) else {}


def _describe(owner: dict) -> str:
    if not owner:
        return "holder unknown"
    return (f"pid {owner.get('pid')} on host {owner.get('host')}, started "
            f"{owner.get('started')}: {owner.get('command')}")
