"""The records file: durable appends, torn lines dropped on resume, fresh start otherwise."""

import json

from experiments.specs import POLICIES
from experiments.store import RecordStore


def _record(seed, row="table1/x"):
    return {"row": row, "seed": seed, "n": 8,
            "makespans": {name: 1.0 + seed for name in POLICIES}}


def test_appended_records_survive_a_reload(tmp_path):
    """Records appended in two batches are all there after reopening with resume."""
    path = tmp_path / "records.jsonl"
    store = RecordStore(path)
    store.append([_record(0), _record(1)])
    store.append([_record(2)])
    again = RecordStore(path, resume=True)
    assert len(again) == 3
    assert ("table1/x", 2) in again
    assert again.for_row("table1/x", [2, 0, 7]) == [_record(2), _record(0)]


def test_a_torn_last_line_is_dropped_and_the_file_rewritten(tmp_path):
    """A half-written record (a crash mid-write) is dropped; the next append starts clean."""
    path = tmp_path / "records.jsonl"
    RecordStore(path).append([_record(0), _record(1)])
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(json.dumps(_record(2))[:17])
    store = RecordStore(path, resume=True)
    assert store.dropped == 1 and len(store) == 2
    store.append([_record(3)])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["seed"] for line in lines] == [0, 1, 3]


def test_without_resume_the_run_starts_empty(tmp_path):
    """Not resuming replaces an earlier run's records."""
    path = tmp_path / "records.jsonl"
    RecordStore(path).append([_record(0)])
    store = RecordStore(path, resume=False)
    assert len(store) == 0
    assert path.read_text(encoding="utf-8") == ""
