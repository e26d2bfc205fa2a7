"""``milp``: how HiGHS's answer is read when its objective and its schedule disagree, and the
options it runs with."""

from __future__ import annotations

import importlib.metadata
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

import ddp
from solvers.bounds import own_bound
from solvers.improve import warm_start
from solvers.milp import (
    FOURIER_MOTZKIN_RULE,
    TOLERANCE_MISMATCH,
    build,
    convert_highs,
    presolve_options,
    run_highs,
)
from solvers.model import Model
from solvers.vertex import fixed_except


def _run_claiming(make_random, claimed_share: float):
    """A solved instance, its optimum, and HiGHS's run made to claim ``claimed_share`` of the
    optimum as its objective and bound (what it reports when its rows hold only within its
    tolerances, or when it lost an offset)."""
    inst = make_random(8, 3, k=4, devices=2, cloud_units=1)
    start = warm_start(inst)
    problem = build(inst, start)
    run = run_highs(problem, 20, None, False, True)
    opt = ddp.evaluate(inst, run.choices).makespan
    value = opt * claimed_share * problem.scale
    info = SimpleNamespace(objective_function_value=value, mip_dual_bound=value, mip_gap=0.0,
                           mip_node_count=run.info.mip_node_count)
    return inst, problem, start, replace(run, info=info), opt


def test_an_objective_within_tolerances_below_the_schedule_keeps_the_bound(make_random):
    share = 1 - TOLERANCE_MISMATCH / 4
    _, problem, start, run, opt = _run_claiming(make_random, share)
    outcome = convert_highs(problem, start, run, [], 5)
    assert outcome.lower_bound == pytest.approx(opt * share, rel=1e-12)
    assert "within its tolerances" in outcome.message


def test_an_objective_within_tolerances_above_the_schedule_lowers_the_bound(make_random):
    share = 1 + TOLERANCE_MISMATCH / 4
    _, problem, start, run, opt = _run_claiming(make_random, share)
    outcome = convert_highs(problem, start, run, [], 5)
    # HiGHS's bound (share * opt) less the excess of its objective over the makespan
    assert outcome.lower_bound == pytest.approx(opt, rel=1e-9)
    assert outcome.lower_bound <= opt * (1 + 1e-12)


def test_a_far_objective_leaves_the_bound_to_ours(make_random):
    inst, problem, start, run, opt = _run_claiming(make_random, 1.5)
    outcome = convert_highs(problem, start, run, [], 5)
    assert outcome.lower_bound <= own_bound(inst, time_limit=5) * (1 + 1e-12)
    assert outcome.lower_bound <= opt
    assert "does not match" in outcome.message


def _restricted(make_random):
    """A random instance and the same instance with all but two events kept at one point."""
    inst = make_random(8, 3, k=4, devices=2, cloud_units=1)
    free = np.zeros(inst.n, dtype=bool)
    free[[2, 5]] = True
    return inst, fixed_except(inst, warm_start(inst), free)


@pytest.mark.parametrize(("release", "rule_off"), [
    ("1.15.2", False), ("1.16.0", True), ("1.17.0rc1", True), ("2.0", True),
])
def test_fourier_motzkin_is_off_where_most_events_keep_one_point(monkeypatch, make_random,
                                                                  release, rule_off):
    inst, restricted = _restricted(make_random)
    monkeypatch.setattr(importlib.metadata, "version", lambda name: release)
    assert presolve_options(Model.of(inst)) == {}
    expected = {"presolve_rule_off": 1 << FOURIER_MOTZKIN_RULE} if rule_off else {}
    assert presolve_options(Model.of(restricted)) == expected


def test_a_run_carries_the_presolve_options(make_random):
    for inst in _restricted(make_random):
        problem = build(inst, warm_start(inst))
        run_highs(problem, 20, None, False, True)
        read = problem.prob.solverModel.getOptionValue("presolve_rule_off")
        # highspy 1.16 returns (status, value)
        value = read[1] if isinstance(read, tuple) else read
        assert value == presolve_options(problem.model).get("presolve_rule_off", 0)
