"""The LP relaxation's certified bound (``solvers.lp``)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers import solve
from solvers.lp import _dual_bound, lp_bound
from tests.helpers import any_instances


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


def test_bound_is_tight_on_a_loaded_unit(make_random):
    """Arrivals at 0 on one device and unit: the relaxation is within 1% of the optimum."""
    inst = make_random(30, 4)
    opt = solve(inst, "dp", time_limit=20)
    relaxed = lp_bound(inst, opt.objective)
    assert opt.lower_bound * 0.99 <= relaxed.value <= opt.objective * (1 + 1e-9)


def test_dual_bound_holds_for_any_duals():
    """Weak duality at arbitrary duals: never above the optimum of a tiny LP.

    min x0 + x1 subject to x0 + x1 >= 1, x0 - x1 = 0, 0 <= x <= 2 has optimum 1.
    """
    cost = np.array([1.0, 1.0])
    starts = np.array([0, 2, 4])
    index = np.array([0, 1, 0, 1])
    values = np.array([1.0, 1.0, 1.0, -1.0])
    lower, upper = np.array([1.0, 0.0]), np.array([np.inf, 0.0])
    rng = np.random.default_rng(0)
    for duals in [np.array([1.0, 0.0]), np.array([-3.0, 5.0]), *list(rng.normal(size=(50, 2)))]:
        value, reduced, _ = _dual_bound(duals, lower, upper, cost, np.zeros(2), np.full(2, 2.0),
                                     starts, index, values)
        assert value <= 1.0 + 1e-12
        assert reduced.shape == (2,)
    best, _, _ = _dual_bound(np.array([1.0, 0.0]), lower, upper, cost, np.zeros(2),
                          np.full(2, 2.0), starts, index, values)
    assert abs(best - 1.0) < 1e-9
