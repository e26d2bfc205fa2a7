"""Signals and worker processes, through the ``ddp`` command in a subprocess: Ctrl-C and SIGTERM
end an experiment with one line and exit 130 / 143, and no worker process (nor multiprocessing's
resource tracker) outlives its parent, also after kill -9. Times have generous slack."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from experiments import executor
from experiments.specs import Row
from experiments.work import Unit, run_unit

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing


def _default_sigint() -> None:
    """The child starts with SIGINT at its default: a shell's background job (as CI may run
    the suite) inherits it ignored, and Python then installs no KeyboardInterrupt handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(tmp_path) -> tuple[subprocess.Popen, set[int]]:
    """A long experiment on two workers, once both computed a record; its descendants."""
    records = tmp_path / "table4" / "records.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "ddp", "experiment", "table4", "--jobs", "2", "--json",
         "--network", "resnet3d50", "--results", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=_default_sigint)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if records.exists() and records.stat().st_size > 0 and len(_children(process.pid)) >= 3:
            break
        time.sleep(0.2)
    assert process.poll() is None, process.stderr.read()
    workers = _children(process.pid)
    assert len(workers) >= 3  # two workers and the resource tracker
    return process, workers


def _gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = {pid for pid in pids if _running(pid)}
        if not alive:
            return set()
        time.sleep(0.1)
    return alive


@pytest.mark.parametrize(("sent", "status", "line"), [
    (signal.SIGINT, 130, "ddp: error: interrupted"),
    (signal.SIGTERM, 143, "ddp: error: terminated"),
])
def test_an_interrupted_experiment_ends_with_one_line_and_its_workers(tmp_path, sent, status,
                                                                      line):
    process, workers = _start(tmp_path)
    # Ctrl-C in a terminal reaches the whole process group; SIGTERM usually the parent alone.
    if sent == signal.SIGINT:
        os.killpg(process.pid, sent)
    else:
        process.send_signal(sent)
    try:
        code = process.wait(timeout=30)
    finally:
        process.kill()
    err = process.stderr.read().splitlines()
    assert code == status
    assert err == [line]
    assert _gone_within(workers, 10) == set()
    # the records written are whole; --resume completes them
    records = (tmp_path / "table4" / "records.jsonl").read_text()
    assert records.endswith("\n")


def test_workers_exit_when_their_parent_is_killed_with_sigkill(tmp_path):
    process, workers = _start(tmp_path)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert _gone_within(workers, 10) == set()


def test_the_default_runs_small_work_here_and_gives_the_same_records():
    """The default starts no pool for work that ends quickly, and any mode gives the same
    records."""
    row = Row(experiment="table1", network="resnet3d50", scenario="paper", events=8,
              interval="0", devices=1, cloud_units=1, count=6)
    units = [Unit(row, (seed,)) for seed in range(6)]
    found: dict[str, list] = {}
    for name, jobs in (("here", 1), ("default", None), ("pool", 2)):
        records: list = []
        with executor.LocalWorkers(2) as workers:
            executor.execute(units, records.extend, jobs=jobs, progress=False, workers=workers)
            if name == "default":
                assert not workers.started
        found[name] = sorted((r["seed"], r["makespans"]["ddp"]) for r in records)
    expected = sorted((s, r["makespans"]["ddp"]) for u in units for r in run_unit(u)
                      for s in [r["seed"]])
    assert found["here"] == found["default"] == found["pool"] == expected
