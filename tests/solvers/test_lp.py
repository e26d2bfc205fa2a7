"""The LP relaxation's certified bound (``solvers.lp``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from solvers import solve
from solvers.lp import LpBound, _dual_bound, balanced_rounding, best_rounding, lp_bound
from tests.helpers import SINGLE, any_instances, instances


@settings(max_examples=40)
@given(inst=st.one_of(any_instances(kind="int", max_n=6, max_k=3),
                      any_instances(kind="dyadic", max_n=6, max_k=3)))
def test_bound_never_above_the_optimum(inst):
    """With the optimum itself as the upper bound, the bound stays at or below it."""
    opt = solve(inst, "brute").objective
    relaxed = lp_bound(inst, opt)
    assert relaxed.value <= opt * (1 + 1e-9) + 1e-9
    # points that the fixing test excludes are not used by any optimum-reaching schedule
    assert relaxed.allowed().shape == relaxed.reduced_cost.shape


@settings(max_examples=30)
@given(inst=any_instances(kind="int", max_n=8, max_k=3))
def test_a_vertex_has_the_relaxation_bound_and_a_share_per_column(inst):
    """``vertex=True`` (interior point and crossover) solves the same relaxation: the same
    bound, below the optimum, and each event's shares summing to one."""
    opt = solve(inst, "brute").objective
    vertex = lp_bound(inst, opt, vertex=True)
    assert vertex.value == pytest.approx(lp_bound(inst, opt).value, rel=1e-6, abs=1e-6)
    assert vertex.value <= opt * (1 + 1e-9) + 1e-9
    np.testing.assert_allclose(vertex.point_share.sum(axis=1), 1.0, atol=1e-6)


def test_bound_is_tight_on_a_loaded_unit(make_random):
    """Arrivals at 0 on one device and unit: the relaxation is within 1% of the optimum."""
    inst = make_random(30, 4)
    opt = solve(inst, "dp", time_limit=20)
    relaxed = lp_bound(inst, opt.objective)
    assert opt.lower_bound * 0.99 <= relaxed.value <= opt.objective * (1 + 1e-9)


def test_dual_bound_holds_for_any_duals():
    """The Lagrangian bound at arbitrary duals: never above the optimum of a tiny relaxation.

    One event with two shares ``x0 + x1 = 1`` (its choice row) and the makespan column ``M``,
    ``M - 3 x0 - x1 >= 0``, ``0 <= M <= 10``: minimising ``M`` gives 1 (the second point).
    """
    cost = np.array([0.0, 0.0, 1.0])
    starts = np.array([0, 2, 4, 5])
    index = np.array([0, 1, 0, 1, 1])
    values = np.array([1.0, -3.0, 1.0, -1.0, 1.0])
    lower, upper = np.array([1.0, 0.0]), np.array([1.0, np.inf])
    box_lower, box_upper = np.zeros(3), np.array([1.0, 1.0, 10.0])
    x_event = np.array([0, 0])
    rng = np.random.default_rng(0)
    for duals in [np.array([1.0, 0.0]), np.array([-3.0, 5.0]), *list(rng.normal(size=(50, 2)))]:
        value, reduced, _ = _dual_bound(duals, lower, upper, cost, box_lower, box_upper,
                                        starts, index, values, x_event)
        assert value <= 1.0 + 1e-12
        assert reduced.shape == (3,)
        assert reduced[:2].min() == 0.0  # relative to the event's cheapest share
    best, reduced, _ = _dual_bound(np.array([0.0, 1.0]), lower, upper, cost, box_lower,
                                   box_upper, starts, index, values, x_event)
    assert abs(best - 1.0) < 1e-9
    assert reduced[0] == 2.0  # the first point costs 2 over the bound


@settings(max_examples=40)
@given(inst=st.one_of(any_instances(kind="int", max_n=8, max_k=4),
                      any_instances(kind="dyadic", max_n=8, max_k=4)))
def test_left_out_columns_do_not_change_the_relaxation(inst):
    """Solving without the columns ``points.relaxation_dominated`` marks gives the bound of the
    whole relaxation (a wrongly marked column would lower it: the prices cover every column)."""
    upper = float(ddp.evaluate(inst, ddp.run_policy(inst, "ddp").choices).makespan)
    pruned = lp_bound(inst, upper)
    whole = lp_bound(inst, upper, every_column=True)
    assert pruned.value == pytest.approx(whole.value, rel=1e-7, abs=1e-7)


def suffix_optimum(inst, start, front_free, cloud_free):
    """Plain Python: the least makespan of events ``start..`` from free times ``(F, C)``."""
    import itertools

    best = np.inf
    for choices in itertools.product(range(inst.k + 1), repeat=inst.n - start):
        front, cloud = front_free, cloud_free
        for offset, point in enumerate(choices):
            e = start + offset
            front = max(front, inst.arrival[e]) + inst.front[e, point]
            cloud = max(front + inst.trans[e, point], cloud) + inst.cloud[e, point]
        best = min(best, cloud)
    return best


@settings(max_examples=30)
@given(inst=instances(**SINGLE, kind="int", max_n=5, max_k=2),
       data=st.data())
def test_state_cuts_hold_at_every_state(inst, data):
    """A cut solved at one state bounds every other state's completions that beat upper."""
    from solvers.lp import state_cut
    from solvers.points import KeptPoints

    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    start = data.draw(st.integers(0, inst.n - 1))
    state = st.integers(0, 60).map(float)
    solved_at = (data.draw(state), data.draw(state))
    upper = suffix_optimum(inst, start, *solved_at) + data.draw(st.integers(0, 20))
    cut = state_cut(inst.arrival, kept, start, *solved_at, upper)
    assert cut is not None
    for _ in range(5):
        front_free, cloud_free = data.draw(state), data.draw(state)
        truth = suffix_optimum(inst, start, front_free, cloud_free)
        value = cut.at(np.array([front_free]), np.array([cloud_free]))[0]
        assert min(value, upper) <= truth * (1 + 1e-9) + 1e-9


def test_dp_with_cuts_proves_what_dp_proves(make_random, monkeypatch):
    """Cuts only remove states that cannot beat the incumbent: same optimum, valid bound."""
    from solvers import dp
    from solvers.dp import solve_dp
    from solvers.lp import state_cut

    monkeypatch.setattr(dp, "CUT_MIN_STATES", 1)  # cuts at every stage

    inst = make_random(25, 7, interval=(0, 20))
    plain = solve(inst, "dp", time_limit=30)
    outcome = solve_dp(inst, time_limit=30, state_cuts=state_cut, beam_width=0)
    made = ddp.evaluate(inst, outcome.choices).makespan
    assert made == plain.objective
    assert outcome.lower_bound <= plain.objective * (1 + 1e-9)


def test_bound_after_a_milp_run_in_the_same_process(make_random):
    """HiGHS's thread pool is set once per process: the relaxation must not ask for another."""
    inst = make_random(12, 4)
    solve(inst, "milp-highs", time_limit=10)
    relaxed = lp_bound(inst, ddp.run_policy(inst, "ddp").makespan)
    assert relaxed.status == "Optimal" and relaxed.value > 0


def _relaxation_with(share: np.ndarray) -> LpBound:
    """A relaxation's answer with the given shares over every point (a stand-in for HiGHS's)."""
    n, width = share.shape
    return LpBound(value=0.0, upper=1.0, reduced_cost=np.zeros((n, width)),
                   columns=np.tile(np.arange(width), (n, 1)), count=np.full(n, width),
                   status="Optimal", seconds=0.0, point_share=share)


def test_balanced_rounding_alternates_where_the_relaxation_splits_an_event():
    """Half of each event on each of two points: each device alternates between them (the
    largest share would put every event on the same point), devices counted apart."""
    n = 8
    front = np.tile([0.0, 10.0], (n, 1))
    inst = ddp.Instance(np.zeros(n), front, np.zeros((n, 2)), np.tile([10.0, 0.0], (n, 1)),
                        device=[0, 1] * (n // 2), devices=2)
    relaxed = _relaxation_with(np.full((n, 2), 0.5))
    choices = balanced_rounding(relaxed, inst)
    for device in (0, 1):
        mine = choices[inst.device == device]
        assert sorted(mine.tolist()) == [0, 0, 1, 1]
        assert np.all(mine[1:] != mine[:-1])


@settings(max_examples=60)
@given(inst=any_instances(kind="dyadic", min_n=2, max_n=12, max_k=3), data=st.data())
def test_balanced_rounding_keeps_each_device_near_the_relaxation(inst, data):
    """Whatever the shares, each device's front work stays, event by event, within the widest
    spread of one event's front times of the relaxation's (rounding each event alone drifts by
    up to half a spread an event)."""
    weights = np.array(data.draw(st.lists(
        st.lists(st.integers(0, 4), min_size=inst.k + 1, max_size=inst.k + 1),
        min_size=inst.n, max_size=inst.n)), dtype=np.float64)
    weights[weights.sum(axis=1) == 0, 0] = 1.0
    share = weights / weights.sum(axis=1, keepdims=True)
    choices = balanced_rounding(_relaxation_with(share), inst, min_share=0.0)
    assert np.all(share[np.arange(inst.n), choices] > 0)  # only points the relaxation uses
    wanted = (share * inst.front).sum(axis=1)
    made = inst.front[np.arange(inst.n), choices]
    spread = float(np.max(np.ptp(inst.front, axis=1)))
    for device in range(inst.devices):
        mine = inst.device == device
        drift = np.cumsum(made[mine]) - np.cumsum(wanted[mine])
        assert np.all(np.abs(drift) <= spread * (1 + 1e-9))


@settings(max_examples=20)
@given(inst=any_instances(kind="int", max_n=8, max_k=3))
def test_best_rounding_is_the_better_of_the_two(inst):
    relaxed = lp_bound(inst, ddp.run_policy(inst, "ddp").makespan)
    made = ddp.evaluate(inst, best_rounding(relaxed, inst)).makespan
    assert made == min(ddp.evaluate(inst, relaxed.rounded()).makespan,
                       ddp.evaluate(inst, balanced_rounding(relaxed, inst)).makespan)
