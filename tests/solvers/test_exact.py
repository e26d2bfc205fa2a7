"""Every method against ``brute`` (enumeration) on small generated instances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from solvers import Status, UnsupportedInstance, solve
from tests.helpers import SINGLE, any_instances, instances

SMALL = {"max_n": 6, "max_k": 3}


def small_any():
    """Any shape, times that tie often (int) or not (dyadic).

    Not "float": MILP and CP-SAT work to absolute tolerances near 1e-6 of the horizon, so the
    arbitrary floats of that kind (1e-300 beside 64) are beyond their precision.
    """
    return st.one_of(any_instances(kind="int", **SMALL), any_instances(kind="dyadic", **SMALL))


def small_dp():
    """Shapes where dp is exact: one device and unit, or each device on its own unit."""
    own_units = st.integers(1, 3).flatmap(lambda m: st.one_of(
        instances(devices=m, units=m, explicit_units=False, kind="int", **SMALL),
        instances(devices=m, units=m, explicit_units=False, kind="float", **SMALL)))
    return st.one_of(instances(**SINGLE, kind="int", **SMALL),
                     instances(**SINGLE, kind="float", **SMALL), own_units)


def brute_optimum(inst: ddp.Instance) -> float:
    result = solve(inst, "brute")
    assert result.status == Status.OPTIMAL
    return result.objective


def assert_valid(inst: ddp.Instance, result, opt: float) -> None:
    """Objective re-evaluated, bound below the optimum, and 'optimal' only when it is."""
    assert result.objective == ddp.evaluate(inst, result.choices).makespan
    assert result.lower_bound <= opt * (1 + 1e-9) + 1e-12
    assert result.lower_bound <= result.objective
    assert result.objective >= opt * (1 - 1e-12)
    if result.status == Status.OPTIMAL:
        assert result.objective == pytest.approx(opt, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("method", ["cpsat", "milp-highs", "auto"])
@settings(max_examples=30)
@given(inst=small_any())
def test_general_methods_equal_brute(method, inst):
    """cpsat, milp-highs and auto prove the enumerated optimum on every shape."""
    opt = brute_optimum(inst)
    result = solve(inst, method, time_limit=20)
    assert_valid(inst, result, opt)
    assert result.status == Status.OPTIMAL


@settings(max_examples=30)
@given(inst=small_dp())
def test_dp_equals_brute(inst):
    """dp proves the enumerated optimum where it is exact (own unit per device)."""
    opt = brute_optimum(inst)
    result = solve(inst, "dp", time_limit=20)
    assert_valid(inst, result, opt)
    assert result.status == Status.OPTIMAL
    assert result.method == "dp"


@settings(max_examples=30)
@given(inst=small_dp(), width=st.sampled_from([1, 2, 1 << 20]))
def test_dp_beam_search_never_worse_than_its_hint_and_exact_when_nothing_is_dropped(inst, width):
    """A beam keeps every state it can afford: at a width no stage reaches it is the exact DP
    (the optimum, or the hint where that is within the pruning's 1e-9 of it)."""
    from solvers.dp import beam_search

    hint = ddp.run_policy(inst, "ddp").choices
    choices = beam_search(inst, width, time_limit=20, hint=hint)
    makespan = ddp.evaluate(inst, choices).makespan
    assert makespan <= ddp.evaluate(inst, hint).makespan
    if width == 1 << 20:
        assert makespan <= brute_optimum(inst) * (1 + 1e-9)


@settings(max_examples=15)
@given(inst=small_any())
def test_cbc_never_overclaims(inst):
    """milp-cbc: valid bound, re-evaluated objective, 'optimal' only at the true optimum."""
    opt = brute_optimum(inst)
    result = solve(inst, "milp-cbc", time_limit=20)
    assert_valid(inst, result, opt)


@pytest.mark.parametrize("method", ["dp", "cpsat", "milp-highs", "milp-cbc", "brute"])
def test_all_zero_times(method):
    """Every time zero: makespan 0, proven."""
    zeros = np.zeros((4, 3))
    inst = ddp.Instance(np.zeros(4), zeros, zeros, zeros)
    result = solve(inst, method, time_limit=10)
    assert result.objective == 0.0 and result.lower_bound == 0.0
    assert result.status == Status.OPTIMAL


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("method", ["dp", "cpsat", "milp-highs"])
def test_benchmark_shape_equals_brute(make_random, method, seed):
    """k = 18 times of the benchmark generator, n = 4: the optimum of enumeration."""
    inst = make_random(4, seed, interval=(0, 60) if seed else None)
    opt = brute_optimum(inst)
    result = solve(inst, method, time_limit=20)
    assert_valid(inst, result, opt)
    assert result.status == Status.OPTIMAL


def test_methods_agree_on_several_devices_and_units(make_random):
    """Three devices on two units, n = 12, k = 18: cpsat and milp-highs prove the same value."""
    inst = make_random(12, 7, interval=(0, 40), devices=3, cloud_units=2)
    values = [solve(inst, m, time_limit=30) for m in ("cpsat", "milp-highs")]
    assert all(r.status == Status.OPTIMAL for r in values)
    assert values[0].objective == pytest.approx(values[1].objective, rel=1e-6)


def test_dp_rejects_devices_sharing_a_unit():
    """dp on two devices sharing one unit: UnsupportedInstance naming the alternatives."""
    inst = ddp.Instance(np.zeros(2), np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)),
                        device=[0, 1], devices=2, cloud_units=1)
    with pytest.raises(UnsupportedInstance, match="cpsat"):
        solve(inst, "dp")
    result = solve(inst, "auto")
    assert result.method == "auto" and result.status == Status.OPTIMAL


def test_brute_refuses_large_instances(make_random):
    """brute past its enumeration limit: UnsupportedInstance, not a long run."""
    with pytest.raises(UnsupportedInstance, match="enumerate"):
        solve(make_random(10, 0), "brute")


PAPER_SHAPES = [
    {"events": 4, "interval": "0"},
    {"events": 4, "interval": "360"},
    {"events": 4, "interval": "0-720", "seed": 4},
    {"events": 4, "interval": "0-720", "devices": 2, "seed": 2},
    {"events": 4, "interval": "0", "devices": 3, "streams": "per-device", "seed": 1},
]


@pytest.mark.parametrize("settings_", PAPER_SHAPES, ids=lambda s: "-".join(map(str, s.values())))
@pytest.mark.parametrize("method", ["auto", "dp", "cpsat", "milp-highs", "milp-cbc"])
def test_paper_scenario_equals_brute(method, settings_):
    """The paper scenario's near-identical events (k = 18), one and several devices on one
    unit: every method's bound is below the enumerated optimum and its answer re-evaluates."""
    import instances

    inst = instances.generate(scenario="paper", **settings_)
    opt = brute_optimum(inst)
    try:
        result = solve(inst, method, time_limit=20)
    except UnsupportedInstance:
        assert method == "dp" and inst.devices > 1
        return
    assert_valid(inst, result, opt)
    if method != "milp-cbc":
        assert result.status == Status.OPTIMAL
