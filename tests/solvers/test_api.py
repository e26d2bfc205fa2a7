"""solve() errors, Result, the CBC log parser, the CP-SAT scaling, own bounds."""

from __future__ import annotations

import numpy as np
import pytest

import ddp
from solvers import Result, Status, check_time_limit, solve
from solvers.bounds import own_bound, pair_bound
from solvers.cpsat import floored, scale_for
from solvers.errors import SolverError, native_call
from solvers.finish import finish
from solvers.methods import REGISTRY, Method
from solvers.milp import parse_cbc_log
from solvers.result import Outcome, proven

CBC_OPTIMAL = """Result - Optimal solution found

Objective value:                1097.46663124
Enumerated nodes:               68
"""
CBC_TIME = """Cbc0010I After 2000 nodes, 10 on tree, 3160.2 best solution, best possible 3151.93
Result - Stopped on time limit

Objective value:                3160.20000000
Lower bound:                    3152.000
Gap:                            0.00
"""


@pytest.mark.parametrize("text, result, bound", [
    (CBC_OPTIMAL, "Optimal solution found", 1097.46663124),
    (CBC_TIME, "Stopped on time limit", 3152.0),  # "Lower bound:" wins over "best possible"
    (CBC_TIME.replace("Lower bound:                    3152.000\n", ""),
     "Stopped on time limit", 3151.93),  # no "Lower bound:": the last "best possible"
    ("garbage", "", None),  # nothing to read
])
def test_parse_cbc_log(text, result, bound):
    """The CBC log parser reads the result line and the bound."""
    assert parse_cbc_log(text) == (result, bound)


@pytest.mark.parametrize("kwargs, match", [
    ({"method": "gurobi"}, "unknown method"),  # not a method
    ({"method": "dp", "time_limit": 0}, "time_limit"),  # non-positive limit
    ({"method": "dp", "time_limit": float("inf")}, "finite"),  # no limit: dp budgets from it
    ({"method": "cpsat", "time_limit": float("nan")}, "time_limit"),  # not a number
    ({"method": "dp", "hint": [0]}, "points"),  # hint of the wrong length
])
def test_solve_rejects_bad_arguments(make_random, kwargs, match):
    """Bad arguments raise ValueError with a message that says what is wrong."""
    with pytest.raises(ValueError, match=match):
        solve(make_random(3, 0), **kwargs)


def test_result_text_and_dict(make_random):
    """Result prints its fields and converts to the CLI's JSON names."""
    inst = make_random(6, 1)
    result = solve(inst, "dp")
    text = str(result)
    assert "dp" in text and "optimal" in text
    data = result.to_dict()
    assert data["makespan"] == result.objective and data["solver"] == "dp"
    assert data["status"] == "optimal" and data["lower_bound"] == result.lower_bound
    assert isinstance(result, Result) and result.status == "optimal"


@pytest.mark.parametrize("objective, bound, expected", [
    (2.0, 1.0, False),  # a real gap
    (2.0, 2.0 * (1 - 1e-7), True),  # within 1e-6
    (2.0, 2.0 * (1 - 2e-6), False),  # just outside
    (0.0, 0.0, True),  # zero makespan, zero bound
    (2.0, 2.5, True),  # bound above (cut to the objective by finish)
])
def test_status_optimal_only_within_1e_6(objective, bound, expected):
    """The status rule: optimal when objective and bound agree within a relative 1e-6."""
    assert proven(objective, bound) is expected


def test_finish_cuts_a_bound_above_the_objective():
    """A solver bound above the re-evaluated objective is cut to it and said."""
    zeros = np.zeros((2, 2))
    inst = ddp.Instance([0.0, 0.0], zeros + 1, zeros, zeros)
    result = finish(inst, Outcome([0, 0], 3.0), "test", 0.0)
    assert result.lower_bound == result.objective == 2.0
    assert "cut" in result.message


@pytest.mark.parametrize("seed", range(4))
def test_cpsat_floor_never_raises_a_time(make_random, seed):
    """The scale is a power of two and floor(t S) / S <= t for every time."""
    inst = make_random(20, seed)
    scale = scale_for(inst, ddp.run_policy(inst, "ddp").makespan)
    assert scale == 2.0 ** round(np.log2(scale))
    for table in (inst.front, inst.trans, inst.cloud, inst.arrival):
        assert np.all(floored(table, scale) / scale <= table)
        assert np.all(table - floored(table, scale) / scale < 1 / scale)


@pytest.mark.parametrize("devices, units", [(1, 1), (3, 1), (3, 2)])
def test_own_bounds_are_below_the_optimum(make_random, devices, units):
    """The combinatorial and per-pair bounds never exceed the proven optimum."""
    inst = make_random(10, 9, interval=(0, 30), devices=devices, cloud_units=units)
    opt = solve(inst, "auto", time_limit=30)
    assert opt.status == Status.OPTIMAL
    assert pair_bound(inst) <= own_bound(inst) <= opt.objective * (1 + 1e-9)


def _raising(error: Exception):
    def run(inst, time_limit, hint, *, started, **options):
        raise error
    return run


def test_a_solver_failure_is_a_result_with_status_error(monkeypatch):
    """A back-end's own error becomes status error with the warm start and the error named."""
    monkeypatch.setitem(REGISTRY, "dp", Method(_raising(SolverError("HiGHS failed: boom")), ""))
    inst = ddp.Instance([0.0], np.ones((1, 2)), np.zeros((1, 2)), np.ones((1, 2)))
    result = solve(inst, "dp", time_limit=5)
    assert result.status == Status.ERROR
    assert "boom" in result.message
    assert result.objective == ddp.run_policy(inst, "ddp").makespan


@pytest.mark.parametrize("error", [TypeError("bad"), KeyError("k"), AttributeError("a"),
                                   IndexError("i"), AssertionError("x")])
def test_a_programming_error_propagates(monkeypatch, error):
    """An error of our own code is raised to the caller, never turned into a status."""
    monkeypatch.setitem(REGISTRY, "dp", Method(_raising(error), ""))
    inst = ddp.Instance([0.0], np.ones((1, 2)), np.zeros((1, 2)), np.ones((1, 2)))
    with pytest.raises(type(error)):
        solve(inst, "dp", time_limit=5)


class _NativeError(Exception):
    """Stands for a back-end library's own exception type."""


@pytest.mark.parametrize("error, raised", [
    (_NativeError("solver crashed"), SolverError),  # the back-end's own error: a failure
    (MemoryError(), SolverError),  # a limit inside the back-end: a failure
    (RuntimeError("HiGHS run failed"), SolverError),  # pybind11 errors arrive as RuntimeError
    (TypeError("wrong argument"), TypeError),  # our bug, even inside the native call
    (KeyError("x"), KeyError),  # our bug
])
def test_native_call_tells_failures_from_bugs(error, raised):
    """Inside native_call a back-end's exception becomes SolverError, a bug stays itself."""
    with pytest.raises(raised), native_call("test"):
        raise error


@pytest.mark.parametrize("limit", [0, -1, float("inf"), float("nan"), None, "soon"])
def test_a_bad_time_limit_is_refused(limit):
    """The one time-limit check: positive and finite seconds only."""
    with pytest.raises(ValueError, match="time_limit"):
        check_time_limit(limit)
