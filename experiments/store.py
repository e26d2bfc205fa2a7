"""Per-instance records of a run, appended as JSON lines as they finish.

Each record is one line written with a single ``write`` on a file opened for appending, then
flushed and ``fsync``-ed: a record on disk is complete, and an interruption loses at most the
records still being computed. A crash in the middle of a write can leave a torn last line; loading
drops it (and rewrites the file without it, atomically) so that the next append starts clean.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable

from ddp.io import atomic_write_text

RecordKey = tuple[str, int]


def record_key(record: dict[str, Any]) -> RecordKey:
    """The identity of a record: its row's key and its instance's seed."""
    return (record["row"], int(record["seed"]))


class RecordStore:
    """The JSON-lines file of a run's records.

    Parameters
    ----------
    path : path-like
        The ``records.jsonl`` file.
    resume : bool
        Keep the records already in the file (default); otherwise start an empty file.
    """

    def __init__(self, path: str | os.PathLike, resume: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.records: dict[RecordKey, dict[str, Any]] = {}
        self.dropped = 0
        if resume and self.path.exists():
            self._load()
        else:
            atomic_write_text(self.path, "")

    def _load(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:  # records are ASCII JSON: this is not a records file
            raise ValueError(f"{self.path}: not a records file (not UTF-8 text); move it "
                             f"away or run without --resume") from None
        kept = []
        for line in lines:
            try:
                record = json.loads(line)
                key = record_key(record)
            except (ValueError, KeyError, TypeError):
                self.dropped += 1  # a torn line from an interrupted write
                continue
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
