"""Ctrl-C (SIGINT) and SIGTERM end ``ddp solve --policy opt`` with every solver: one line on
stderr, exit status 130 / 143, within seconds, no solver process left behind.

The five solvers run at once, each in its own process (a test takes about as long as one): each
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
from ddp.cli import main
from ddp.cli import solve as solve_command
from ddp.signals import Terminated, catching_signals
from solvers.stoppable import run_stoppable

DDP = str(Path(sys.executable).with_name("ddp"))
SOLVERS = ["cpsat", "milp-highs", "milp-cbc", "dp", "auto"]
SIGNALS = {signal.SIGINT: (130, "ddp: error: interrupted"),
           signal.SIGTERM: (143, "ddp: error: terminated")}
CPU_BEFORE_SIGNAL = 2.0  # seconds of CPU: imports and reading take about 1 s
EXIT_WITHIN = 30.0  # generous: the machine may be shared; a stop takes well under 3 s


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


def default_sigint() -> None:
    """In the child: SIGINT back to its default, so that Python handles it even when the tests
    run as a background job of a shell (which starts them with SIGINT ignored, inherited)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_and_signal(path: Path, sig: signal.Signals) -> None:
    """Every solver on ``path`` at once, each sent ``sig`` once it is into its solve."""
    runs = [(solver, subprocess.Popen(
        [DDP, "solve", str(path), "--policy", "opt", "--solver", solver, "--time-limit", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=default_sigint)) for solver in SOLVERS]
    try:
        pending = list(runs)
        started = time.perf_counter()
        children = {}
        while pending and time.perf_counter() - started < 120:
            for run in list(pending):
                process = run[1]
                if process.poll() is not None or cpu_seconds(process.pid) >= CPU_BEFORE_SIGNAL:
                    process.send_signal(sig)
                    children[process.pid] = children_of(process.pid)
                    pending.remove(run)
            time.sleep(0.05)
        assert not pending, "a command never got past its imports"
        status, line = SIGNALS[sig]
        for solver, process in runs:
            what = f"{solver} {sig.name}"
            try:
                out, err = process.communicate(timeout=EXIT_WITHIN)
            except subprocess.TimeoutExpired:
                threads = len(os.listdir(f"/proc/{process.pid}/task"))
                process.kill()
                _, err = process.communicate()
                pytest.fail(f"{what}: still running {EXIT_WITHIN} s after the signal "
                            f"({threads} threads; stderr: {err.strip()[-500:]!r})")
            assert (process.returncode, err.strip(), out) == (status, line, ""), what
            for child in children[process.pid]:  # e.g. CBC's process: killed, not left to run
                assert not Path(f"/proc/{child}").exists() or "Z" in Path(
                    f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0], what
    finally:
        for _, process in runs:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads CPU times in /proc")
@pytest.mark.parametrize("sig", list(SIGNALS), ids=lambda sig: sig.name)
def test_every_solver_ends_on_the_signal_with_one_line(tmp_path, make_random, sig):
    hard = tmp_path / "hard.json"  # all arrivals at 0: no solver proves it within a minute
    ddp.save_instance(make_random(1500, 0), hard)
    run_and_signal(hard, sig)


def interrupted_then(ending):
    """A ``ddp solve`` whose run gets SIGINT and ends as ``ending(KeyboardInterrupt)`` does,
    as a native call can: pybind11 turns an exception raised while it converts arguments into
    a ``TypeError`` or drops it when another overload matches."""

    def run(args):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(2)
        except KeyboardInterrupt as exc:
            return ending(exc)
        raise AssertionError("the signal never arrived")

    return run


def turned_into_a_type_error(exc):
    raise TypeError("addRow(): incompatible function arguments")


def dropped(exc):
    return 0


@pytest.mark.parametrize("ending", [turned_into_a_type_error, dropped])
def test_an_interruption_a_native_call_lost_is_still_one(tmp_path, make_random, monkeypatch,
                                                         capsys, ending):
    path = tmp_path / "small.json"
    ddp.save_instance(make_random(5, 0), path)
    monkeypatch.setattr(solve_command, "run", interrupted_then(ending))
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        assert main(["solve", str(path)]) == 130
    finally:
        signal.signal(signal.SIGINT, previous)
    assert capsys.readouterr().err.strip() == "ddp: error: interrupted"


def test_a_lost_interruption_stops_the_next_native_wait():
    started = []
    with catching_signals():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(2)
        except Terminated:
            pass  # lost, as in a native call
        with pytest.raises(Terminated):
            run_stoppable(lambda: started.append(1), lambda: None)
    assert not started
