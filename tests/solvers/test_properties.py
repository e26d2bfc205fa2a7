"""Properties of OPT: below every policy, monotone in the times, scaling, re-evaluation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from solvers import Status, solve
from tests.helpers import SINGLE, any_instances, instances

DP_SHAPE = {**SINGLE, "max_n": 8, "max_k": 4}


@settings(max_examples=40)
@given(inst=any_instances(max_n=6, max_k=3, kind="dyadic"))
def test_opt_is_at_most_every_policy(inst):
    """OPT (auto) is proven and never above any online policy."""
    result = solve(inst, "auto", time_limit=20)
    assert result.status == Status.OPTIMAL
    for name in ddp.POLICIES:
        assert result.objective <= ddp.run_policy(inst, name).makespan * (1 + 1e-12)


@settings(max_examples=60)
@given(inst=instances(**DP_SHAPE, kind="float"))
def test_choices_re_evaluate_to_the_objective(inst):
    """The objective is exactly the makespan of the returned choices; bound below it."""
    result = solve(inst, "dp")
    assert result.objective == ddp.evaluate(inst, result.choices).makespan
    assert result.lower_bound <= result.objective


@settings(max_examples=60)
@given(inst=instances(**DP_SHAPE, kind="dyadic"), data=st.data())
def test_raising_a_time_never_lowers_opt(inst, data):
    """Raising one front, transmission or cloud time (or delaying the last arrival) never
    lowers OPT."""
    before = solve(inst, "dp").objective
    table = data.draw(st.sampled_from(["front", "trans", "cloud", "arrival"]))
    delta = data.draw(st.integers(1, 64)) / 8
    if table == "arrival":
        arrival = inst.arrival.copy()
        arrival[-1] += delta
        raised = inst.replace(arrival=arrival)
    else:
        values = getattr(inst, table).copy()
        j = data.draw(st.integers(0, inst.n - 1))
        i = data.draw(st.integers(0, inst.k))
        values[j, i] += delta
        raised = inst.replace(**{table: values})
    after = solve(raised, "dp").objective
    assert after >= before * (1 - 1e-12)


@settings(max_examples=40)
@given(inst=instances(**DP_SHAPE, kind="dyadic"), power=st.integers(-3, 3))
def test_opt_scales_with_the_times(inst, power):
    """Multiplying every time and arrival by 2^p multiplies OPT by 2^p (exact in binary)."""
    factor = 2.0 ** power
    scaled = inst.replace(arrival=inst.arrival * factor, front=inst.front * factor,
                          trans=inst.trans * factor, cloud=inst.cloud * factor)
    assert solve(scaled, "dp").objective == pytest.approx(solve(inst, "dp").objective * factor,
                                                          rel=1e-9, abs=1e-12)


def test_dp_time_limit_returns_a_schedule_and_a_bound(make_random):
    """dp on 3000 events all at 0 with 0.3 s: a valid schedule, a bound within 6%."""
    inst = make_random(3000, 5)
    result = solve(inst, "dp", time_limit=0.3)
    assert result.status == Status.FEASIBLE
    assert result.objective == ddp.evaluate(inst, result.choices).makespan
    assert 0.94 * result.objective < result.lower_bound < result.objective
    assert result.objective <= ddp.run_policy(inst, "ddp").makespan
    assert "time limit" in result.message


@pytest.mark.parametrize("method", ["cpsat", "milp-highs", "milp-cbc"])
def test_general_time_limit_returns_a_schedule_and_a_valid_bound(make_random, method):
    """cpsat / milp on 150 events all at 0 with 1 s: a valid schedule and a bound below the
    optimum proven by dp."""
    inst = make_random(150, 2)
    opt = solve(inst, "dp", time_limit=30)
    assert opt.status == Status.OPTIMAL
    result = solve(inst, method, time_limit=1.0)
    assert result.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert result.objective == ddp.evaluate(inst, result.choices).makespan
    assert result.objective >= opt.objective * (1 - 1e-9)
    assert 0 < result.lower_bound <= opt.objective * (1 + 1e-9)


def test_cpsat_deterministic_runs_repeat(make_random):
    """cpsat with deterministic=True and one worker gives the same answer twice."""
    inst = make_random(25, 3)
    runs = [solve(inst, "cpsat", time_limit=10, deterministic=True, workers=1,
                  deterministic_time=0.3) for _ in range(2)]
    assert runs[0].objective == runs[1].objective
    assert np.array_equal(runs[0].choices, runs[1].choices)
    assert runs[0].lower_bound == runs[1].lower_bound


@pytest.mark.parametrize("method", ["dp", "cpsat", "milp-highs"])
def test_hint_is_used_and_never_worsens(make_random, method):
    """A good hint (the optimum) gives at least as good an answer within a tiny time."""
    inst = make_random(40, 4)
    best = solve(inst, "dp")
    result = solve(inst, method, time_limit=1.0, hint=best.choices)
    assert result.objective <= best.objective * (1 + 1e-9)
