"""The dp and bound kernels: bound tables, root and cheap bounds below the optimum, points."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from ddp.recurrence import step
from solvers import _dp_bounds, _dp_kernels, solve
from solvers.bounds import machine_bound, pair_bound, path_bound
from solvers.dp import _Group
from solvers.improve import improve
from solvers.points import KeptPoints
from tests.helpers import SINGLE, any_instances, instances
from tests.naive import stage_children

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


def plain_state_bound(j, front_free, cloud_free, arrival, tables):
    """``state_bound`` as the plain maximum over every weight of both families."""
    weights, path_values, cloud_suffix, later_values = tables[:4]
    if j >= len(arrival):
        return cloud_free
    x = max(front_free, arrival[j])
    values = [cloud_free]
    values += [w * cloud_free + (1 - w) * x + path_values[j, g] for g, w in enumerate(weights)]
    later = [q for q in range(j, len(arrival)) if arrival[q] > x]
    if later:
        values += [w * cloud_free + w * cloud_suffix[j] + later_values[g, later[0]]
                   for g, w in enumerate(weights)]
    return max(values)


@settings(max_examples=100)
@given(inst=instances(**{**SINGLE, "max_n": 8}, kind="float"), levels=st.integers(2, 40),
       front_free=st.floats(0, 200), wait=st.floats(0, 200), j=st.integers(0, 8))
def test_state_bound_is_the_largest_line_of_every_weight(inst, levels, front_free, wait, j):
    """The envelope bisection finds the plain maximum over every weight (to rounding)."""
    group = _Group(inst, np.arange(inst.n), levels)
    j = min(j, inst.n)
    cloud_free = front_free + wait
    fast = _dp_bounds.state_bound(j, front_free, cloud_free, group.arrival, group.tables, np.inf)
    plain = plain_state_bound(j, front_free, cloud_free, group.arrival, group.tables)
    assert fast == pytest.approx(plain, rel=1e-12, abs=1e-9)


@settings(max_examples=150)
@given(inst=st.one_of(instances(**SMALL, kind="int"), instances(**SMALL, kind="float")),
       states=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 80)), min_size=1,
                       max_size=12),
       cut=st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_a_stage_keeps_the_pareto_children_below_the_threshold(inst, states, cut):
    """``expand_stage`` against the plain Pareto set of every child: the same (F, C) values,
    each rebuilt exactly from its parent and point, and the least pruned bound."""
    group = _Group(inst, np.arange(inst.n), 9)
    arrival, front, trans, cloud, count = group.kernel_arrays
    j = inst.n // 2
    states = sorted((float(f), float(f + c)) for f, c in states)
    points = [(front[j, p], trans[j, p], cloud[j, p]) for p in range(count[j])]
    expected = stage_children(states, float(arrival[j]), points)

    def bound(child):
        return _dp_bounds.state_bound(j + 1, *child, arrival, group.tables, np.inf)

    bounds = [bound(c) for c in expected]
    threshold = np.inf if cut is None else min(bounds) + cut * (max(bounds) - min(bounds))
    front_in = np.array([f for f, _ in states])
    cloud_in = np.array([c for _, c in states])
    out_front, out_cloud, parent, point, _, pruned = _dp_kernels.expand_stage(
        j, front_in, cloud_in, arrival, front, trans, cloud, count, group.tables, threshold,
        False)
    assert list(zip(out_front, out_cloud, strict=True)) == [
        c for c, b in zip(expected, bounds, strict=True) if b < threshold]
    # a pruned child's bound is computed only until it reaches the threshold
    least_pruned = min([b for b in bounds if b >= threshold], default=np.inf)
    assert pruned == least_pruned or threshold <= pruned <= least_pruned
    for f, c, s, p in zip(out_front, out_cloud, parent, point, strict=True):
        times = step(front_in[s], cloud_in[s], arrival[j], front[j, p], trans[j, p],
                     cloud[j, p])
        assert (times[1], times[4]) == (f, c)


@settings(max_examples=60)
@given(inst=instances(**SMALL, kind="float"))
def test_root_bound_is_below_the_optimum(inst):
    """The bound of the empty state never exceeds the enumerated optimum."""
    group = _Group(inst, np.arange(inst.n), 17)
    root = _dp_bounds.state_bound(0, 0.0, 0.0, group.arrival, group.tables, np.inf)
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


@given(bounds=st.lists(st.floats(0, 100), min_size=1, max_size=60), width=st.integers(1, 80))
def test_a_beam_keeps_the_least_bounds_and_a_spread_of_the_rest(bounds, width):
    from solvers.dp import BEAM_SPREAD, beam_keep

    bounds = np.array(bounds)
    keep = beam_keep(bounds, width)
    assert len(keep) == min(width, len(bounds))
    assert (np.diff(keep) > 0).all()
    least = np.argsort(bounds, kind="stable")[:round(width * (1 - BEAM_SPREAD))]
    assert set(least.tolist()) <= set(keep.tolist())


@given(width=st.integers(1, 10_000), stages_left=st.integers(0, 5000),
       seconds_left=st.floats(-1, 100), seconds_per_state=st.floats(0, 1e-3))
def test_a_beam_narrows_to_the_width_its_time_left_pays_for(width, stages_left, seconds_left,
                                                           seconds_per_state):
    from solvers.dp import beam_fit

    fitted = beam_fit(width, stages_left, seconds_left, seconds_per_state)
    assert 1 <= fitted <= width
    if stages_left == 0 or seconds_per_state == 0:
        assert fitted == width
    elif fitted > 1:  # what is kept fits in the time left
        assert fitted * stages_left * seconds_per_state <= seconds_left * (1 + 1e-12)
