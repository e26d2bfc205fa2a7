"""One run at a time per results folder; a dead run's lock is taken over; options are checked
before a results folder is touched; incomplete records are recomputed on --resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from experiments import Options, run_experiment
from experiments.lock import ResultsInUseError, ResultsLock
from tests.helpers import run_cli

NETWORK = "resnet3d50"




def table1(results, *extra):
    return ["experiment", "table1", "--quick", "--json", "--network", NETWORK, "--jobs", "1",
            "--results", results, *extra]


def test_a_second_run_on_a_folder_in_use_exits_2_naming_the_holder(tmp_path, capsys):
    with ResultsLock(tmp_path / "table1-quick"):
        code, out, err = run_cli(table1(tmp_path), capsys)
    assert code == 2 and out == [] and len(err) == 1
    assert f"in use by another run (pid {os.getpid()} on host" in err[0]
    assert not (tmp_path / "table1-quick" / "records.jsonl").exists()
    code, out, err = run_cli(table1(tmp_path), capsys)  # released: the run goes ahead
    assert code == 0


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path):
    folder = tmp_path / "table1-quick"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from experiments.lock import ResultsLock; "
         f"ResultsLock({str(folder)!r}).acquire(); print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(ResultsInUseError, match=f"pid {holder.pid}"):
            ResultsLock(folder).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with ResultsLock(folder) as lock:
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()


def test_bad_options_leave_earlier_records_untouched(tmp_path, capsys):
    assert run_cli(table1(tmp_path), capsys)[0] == 0
    records = tmp_path / "table1-quick" / "records.jsonl"
    before = records.read_bytes()
    assert before.count(b"\n") == 150
    for extra in (["--dask", "garbage:::"], ["--scenario", "nowhere"]):
        code, _, err = run_cli(table1(tmp_path, *extra), capsys)
        assert code == 2 and len(err) == 1
        assert records.read_bytes() == before
    with pytest.raises(ValueError, match="jobs"):
        run_experiment("table1", Options(quick=True, networks=[NETWORK], results=tmp_path,
                                         jobs=0, progress=False))
    assert records.read_bytes() == before


def test_incomplete_records_are_recomputed_on_resume(tmp_path, capsys):
    code, first, _ = run_cli(table1(tmp_path), capsys)
    records = tmp_path / "table1-quick" / "records.jsonl"
    lines = records.read_text().splitlines()
    broken = [json.loads(line) for line in lines[:4]]
    del broken[0]["makespans"]
    broken[1]["makespans"].pop("ac")
    broken[2]["seed"] = "x"
    broken[3]["n"] = None
    records.write_text("".join(json.dumps(r) + "\n" for r in broken) + "\n".join(lines[4:])
                       + "\n")
    code, again, err = run_cli(table1(tmp_path, "--resume"), capsys)
    assert code == 0 and err == []
    assert [json.loads(r)["reduction_pct"] for r in again] == \
        [json.loads(r)["reduction_pct"] for r in first]
    assert len(records.read_text().splitlines()) == 150
