"""Per-instance records of a run, appended as JSON lines as they finish.

Each record is one line written with a single ``write`` on a file opened for appending, then
flushed and ``fsync``-ed: a record on disk is complete, and an interruption loses at most the
records still being computed. A crash in the middle of a write can leave a torn last line; loading
drops it (and rewrites the file without it, atomically) so that the next append starts clean; so
does a readable record missing a field the results need (:func:`record_problem`).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ddp.io import atomic_write_text, read_text_bounded

from .specs import POLICIES

RecordKey = tuple[str, int]


def record_key(record: dict[str, Any]) -> RecordKey:
    """The identity of a record: its row's key and its instance's seed."""
    return (record["row"], int(record["seed"]))


def _number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value >= 0)


def record_problem(record: Any, needs_opt: bool = False) -> str | None:
    """What makes ``record`` unusable (None when it is complete): the fields the tables and the
    gap read, with the types they need."""
    if not isinstance(record, dict):
        return "not a JSON object"
    if not isinstance(record.get("row"), str):
        return "no row key"
    seed, n = record.get("seed"), record.get("n")
    if not (isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0):
        return "no seed"
    if not (isinstance(n, int) and not isinstance(n, bool) and n >= 1):
        return "no event count n"
    makespans = record.get("makespans")
    if not isinstance(makespans, dict) or not all(_number(makespans.get(p)) for p in POLICIES):
        return "makespans missing"
    if "time_s" in record and not _number(record["time_s"]):
        return "bad time_s"
    opt = record.get("opt")
    if opt is None:
        return "no solver answer" if needs_opt else None
    if not isinstance(opt, dict) or not isinstance(opt.get("status"), str) \
            or not isinstance(opt.get("method"), str) or not _number(opt.get("runtime_s")):
        return "incomplete solver answer"
    for key in ("objective", "lower_bound"):
        if opt.get(key) is not None and not _number(opt[key]):
            return f"bad {key}"
    return None


class RecordStore:
    """The JSON-lines file of a run's records.

    Parameters
    ----------
    path : path-like
        The ``records.jsonl`` file.
    resume : bool
        Keep the records already in the file (default); otherwise start an empty file.
    """

    def __init__(self, path: str | os.PathLike, resume: bool = True, needs_opt: bool = False):
        self.path = Path(path)
        self.needs_opt = needs_opt
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.records: dict[RecordKey, dict[str, Any]] = {}
        self.dropped = 0
        if resume and self.path.exists():
            self._load()
        else:
            atomic_write_text(self.path, "")

    def _load(self) -> None:
        try:
            lines = read_text_bounded(self.path).splitlines()
        except OSError as exc:  # records are ASCII JSON in a regular file: this is not one
            raise ValueError(f"{self.path}: not a records file ({exc.strerror or exc}); move "
                             f"it away or run without --resume") from None
        kept = []
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                record = None  # a torn line from an interrupted write
            # A readable record without every field the results need (edited, or written by
            # another version) is dropped too: it is computed again.
            if record_problem(record, self.needs_opt) is not None:
                self.dropped += 1
                continue
            key = record_key(record)
            self.records[key] = record
            kept.append(line)
        if self.dropped:
            atomic_write_text(self.path, "".join(line + "\n" for line in kept))

    def __contains__(self, key: RecordKey) -> bool:
        return key in self.records

    def __len__(self) -> int:
        return len(self.records)

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        """Write records durably, one line each, and keep them in memory."""
        records = list(records)
        if not records:
            return
        text = "".join(json.dumps(r, allow_nan=False, separators=(",", ":")) + "\n"
                       for r in records)
        handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            data = text.encode("utf-8")
            written = 0
            while written < len(data):
                written += os.write(handle, data[written:])
            os.fsync(handle)
        finally:
            os.close(handle)
        for record in records:
            self.records[record_key(record)] = record

    def for_row(self, row_key: str, seeds: Iterable[int]) -> list[dict[str, Any]]:
        """The records of a row, in seed order (missing seeds are skipped)."""
        return [self.records[(row_key, s)] for s in seeds if (row_key, s) in self.records]
