"""The dp and bound kernels: bound tables, root and cheap bounds below the optimum, points."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from solvers import _dp_bounds, _dp_kernels, solve
from solvers.bounds import machine_bound, pair_bound, path_bound
from solvers.dp import _Group
from solvers.improve import improve
from solvers.points import KeptPoints
from tests.helpers import SINGLE, any_instances, instances

SMALL = {**SINGLE, "max_n": 6, "max_k": 3}


@settings(max_examples=60)
@given(inst=instances(**SMALL, kind="float"), levels=st.integers(2, 20))
def test_path_tables_equal_the_plain_minimum(inst, levels):
    """The envelope walk gives the plain minimum over points, to rounding."""
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    arrays = (kept.front, kept.trans, kept.cloud, kept.count)
    weights = np.linspace(0.0, 1.0, levels)
    fast = _dp_bounds.path_tables(*arrays, weights)
    plain = _dp_bounds.path_tables_naive(*arrays, weights)
    assert np.array_equal(np.isfinite(fast), np.isfinite(plain))
    finite = np.isfinite(plain)
    assert np.allclose(fast[finite], plain[finite], rtol=1e-12, atol=1e-12)


@settings(max_examples=60)
@given(inst=instances(**SMALL, kind="float"))
def test_root_bound_is_below_the_optimum(inst):
    """The bound of the empty state never exceeds the enumerated optimum."""
    group = _Group(inst, np.arange(inst.n), 17)
    root = _dp_bounds.state_bound(0, 0.0, 0.0, group.arrival, group.tables, np.inf,
                                  np.zeros(1, dtype=np.int64))
    opt = solve(inst, "brute").objective
    assert root <= opt * (1 + 1e-12) + 1e-12


@pytest.mark.parametrize("seed", range(3))
def test_local_search_never_worsens(make_random, seed):
    """Local search from DDP's rule: a makespan no larger than the start."""
    inst = make_random(60, seed)
    group = _Group(inst, np.arange(inst.n), 17)
    start = np.zeros(inst.n, dtype=np.int64)
    greedy = _dp_kernels.complete_greedy(0, 0.0, 0.0, *group.kernel_arrays, start)
    polished = _dp_kernels.local_search(*group.kernel_arrays, start.copy(), 3, 10**9)
    assert polished <= greedy


@settings(max_examples=60)
@given(inst=any_instances(max_n=6, max_k=3, kind="float"))
def test_cheap_bounds_are_below_the_optimum(inst):
    """pair, path and machine bounds never exceed the enumerated optimum, on every shape."""
    opt = solve(inst, "brute").objective
    for bound in (pair_bound(inst), path_bound(inst), machine_bound(inst)):
        assert bound <= opt * (1 + 1e-12) + 1e-12


@settings(max_examples=40)
@given(inst=any_instances(max_n=8, max_k=3, kind="dyadic"))
def test_improved_start_is_never_worse(inst):
    """The warm start of cpsat / milp (biased greedy + local search) never loses to DDP."""
    start = ddp.run_policy(inst, "ddp").choices
    better = improve(inst, start, seconds=0.2)
    assert ddp.evaluate(inst, better).makespan <= ddp.evaluate(inst, start).makespan


@settings(max_examples=40)
@given(inst=instances(**SMALL, kind="dyadic"))
def test_dive_finds_a_schedule_at_the_proven_optimum(inst):
    """The depth-first rebuild reaches the optimum's value (the bound never cuts its path)."""
    opt = solve(inst, "brute").objective
    group = _Group(inst, np.arange(inst.n), 17)
    cols = np.zeros(inst.n, dtype=np.int64)
    assert _dp_kernels.dive_to_target(*group.kernel_arrays, group.tables, opt * (1 + 1e-12),
                                      10**6, cols)
    assert ddp.evaluate(inst, group.kept.choices_of(cols)).makespan <= opt * (1 + 1e-9)
