"""Ctrl-C (SIGINT) and SIGTERM end ``ddp solve --policy opt`` with every solver: one line on
stderr, exit status 130 / 143, within seconds, no solver process left behind.

Every command runs in its own process, all at once (the test takes about as long as one): each
gets its signal once it has used a few seconds of CPU, i.e. once it is past its imports and
into the solve, which with a 60 s limit on these instances would go on for far longer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ddp

DDP = str(Path(sys.executable).with_name("ddp"))
SOLVERS = ["cpsat", "milp-highs", "milp-cbc", "dp", "auto"]
SIGNALS = {signal.SIGINT: (130, "ddp: error: interrupted"),
           signal.SIGTERM: (143, "ddp: error: terminated")}
CPU_BEFORE_SIGNAL = 2.0  # seconds of CPU: imports and reading take about 1 s
EXIT_WITHIN = 15.0  # generous: the machine may be shared; a stop takes well under 3 s


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its threads (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_of(pid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads CPU times in /proc")
def test_every_solver_ends_on_sigint_and_sigterm_with_one_line(tmp_path, make_random):
    hard = tmp_path / "hard.json"  # all arrivals at 0: no solver proves it within a minute
    ddp.save_instance(make_random(1500, 0), hard)
    runs = []
    for solver in SOLVERS:
        for sig in SIGNALS:
            process = subprocess.Popen(
                [DDP, "solve", str(hard), "--policy", "opt", "--solver", solver,
                 "--time-limit", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True)
            runs.append((solver, sig, process))
    try:
        pending = list(runs)
        started = time.perf_counter()
        signalled = {}
        while pending and time.perf_counter() - started < 120:
            for run in list(pending):
                solver, sig, process = run
                if process.poll() is not None or cpu_seconds(process.pid) >= CPU_BEFORE_SIGNAL:
                    process.send_signal(sig)
                    signalled[process.pid] = children_of(process.pid)
                    pending.remove(run)
            time.sleep(0.05)
        assert not pending, "a command never got past its imports"
        for solver, sig, process in runs:
            out, err = process.communicate(timeout=EXIT_WITHIN)
            children = signalled[process.pid]
            status, line = SIGNALS[sig]
            what = f"{solver} {sig.name}"
            assert (process.returncode, err.strip()) == (status, line), what
            assert out == "", what
            for child in children:  # e.g. CBC's process: killed, not left to run
                assert not Path(f"/proc/{child}").exists() or "Z" in Path(
                    f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0], what
    finally:
        for _, _, process in runs:
            if process.poll() is None:
                process.kill()
                process.wait()
