"""Time limits kept with generous slack, and options checked (``solvers/options.py``).

The timing promise itself (within max(10% of L, 1 s)) is measured by
benchmarks/bench_time_limits.py; here a 2 s limit must return within 10 s, whatever the load.
"""

from __future__ import annotations

import _thread
import signal
import threading
import time

import numpy as np
import pytest

import ddp
from ddp.cli import main
from solvers import METHODS, solve
from solvers.methods import REGISTRY
from solvers.options import CHECKS, option_names
from solvers.stoppable import run_stoppable


@pytest.fixture(scope="module")
def hard(make_random):
    """Every arrival at 0, 1500 events: far from proven in 2 s by any method."""
    return make_random(1500, 0)


@pytest.mark.parametrize("method", ["cpsat", "milp-highs", "milp-cbc", "dp", "auto"])
def test_a_two_second_limit_returns_within_ten_seconds(hard, method):
    started = time.perf_counter()
    result = solve(hard, method, time_limit=2.0)
    assert time.perf_counter() - started < 10.0
    assert result.objective == ddp.evaluate(hard, result.choices).makespan
    assert 0 < result.lower_bound <= result.objective


def test_a_killed_cbc_leaves_no_files_behind(hard, tmp_path, monkeypatch):
    # CBC is killed at its limit on this instance; PuLP would leave its model files in the
    # system's temporary folder (here tmp_path) had they not gone in a folder of our own.
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # where PuLP puts its files by default
    monkeypatch.delenv("TMP", raising=False)
    result = solve(hard, "milp-cbc", time_limit=2.0)
    assert result.objective == ddp.evaluate(hard, result.choices).makespan
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("limit", [1e13, 1e300])
def test_huge_time_limits_are_capped_not_a_crash(make_random, method, limit):
    inst = make_random(4, 1, k=3)
    result = solve(inst, method, time_limit=limit)
    assert str(result.status) == "optimal"


def test_cli_accepts_a_huge_time_limit(tmp_path, make_random, capsys):
    path = tmp_path / "small.json"
    ddp.save_instance(make_random(6, 2, k=3), path)
    assert main(["solve", str(path), "--policy", "opt", "--solver", "dp", "--time-limit",
                 "1e13", "--json"]) == 0


@pytest.mark.parametrize(("method", "options", "words"), [
    ("cpsat", {"workers": -1}, ["workers=-1", "'cpsat'", "integer >= 1"]),
    ("cpsat", {"workers": 2.0}, ["workers=2.0", "integer"]),
    ("milp-highs", {"threads": "x"}, ["threads='x'", "'milp-highs'"]),
    ("milp-cbc", {"threads": 0}, ["threads=0", "'milp-cbc'"]),
    ("dp", {"beam_width": -5}, ["beam_width=-5", "'dp'", ">= 0"]),
    ("dp", {"max_states": True}, ["max_states=True", "'dp'"]),
    ("auto", {"deterministic": "yes"}, ["deterministic='yes'", "'auto'", "True or False"]),
    ("cpsat", {"deterministic_time": float("nan")}, ["deterministic_time=nan", "'cpsat'"]),
    ("milp-cbc", {"objective_form": "fastest"}, ["objective_form='fastest'", "'milp-cbc'"]),
    ("dp", {"wokers": 2}, ["unknown option 'wokers'", "'dp'", "beam_width"]),
    ("auto", {"threads": 2}, ["unknown option 'threads'", "'auto'", "deterministic"]),
])
def test_bad_options_name_the_option_and_the_method(make_random, method, options, words):
    with pytest.raises(ValueError) as caught:
        solve(make_random(4, 1, k=3), method, time_limit=5, **options)
    for word in words:
        assert word in str(caught.value)


def test_good_options_are_accepted(make_random):
    inst = make_random(6, 1, k=3)
    for method, options in [("cpsat", {"workers": 1, "seed": np.int64(3)}),
                            ("milp-highs", {"threads": 1, "msg": False}),
                            ("dp", {"beam_width": 0, "weights": None})]:
        assert str(solve(inst, method, time_limit=10, **options).status) == "optimal"


def test_every_option_of_every_method_has_a_check():
    for method in REGISTRY.values():
        assert set(option_names(method.run)) <= set(CHECKS)


def test_a_stoppable_solve_is_stopped_at_its_deadline_and_by_an_interruption():
    stopped = []

    def work():
        while not stopped:
            time.sleep(0.01)
        return "stopped"

    answer = run_stoppable(work, lambda: stopped.append(1), time.perf_counter() + 0.2)
    assert (answer.value, answer.late) == ("stopped", True)

    stopped.clear()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # whatever ran before
    try:
        threading.Timer(0.2, _thread.interrupt_main).start()  # Ctrl-C, as the main thread sees
        with pytest.raises(KeyboardInterrupt):  # the deadline only guards against a hang
            run_stoppable(work, lambda: stopped.append(1), time.perf_counter() + 30)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert stopped
