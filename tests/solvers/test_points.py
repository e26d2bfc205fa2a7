"""The point filter: kept points keep an optimum; any choice maps onto a kept point."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

import ddp
from solvers import solve
from solvers.points import KeptPoints, relaxation_dominated
from tests import naive
from tests.helpers import SINGLE, any_instances_with_choices, instances

SMALL = {**SINGLE, "max_n": 6, "max_k": 3}


@settings(max_examples=60)
@given(inst=instances(**SMALL, kind="int"))
def test_dominant_points_keep_an_optimum(inst):
    """Enumerating only the kept points finds the same optimum as enumerating all."""
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    assert np.all(kept.count >= 1)
    keep = np.zeros_like(inst.front, dtype=bool)
    for j in range(inst.n):
        keep[j, kept.index[j, :kept.count[j]]] = True
    # make dropped points useless (huge times) and enumerate again
    big = 1e9
    pruned = inst.replace(front=np.where(keep, inst.front, big),
                          trans=np.where(keep, inst.trans, big),
                          cloud=np.where(keep, inst.cloud, big))
    assert solve(pruned, "brute").objective == solve(inst, "brute").objective


@settings(max_examples=60)
@given(case=any_instances_with_choices(max_n=8, max_k=4, kind="dyadic"))
def test_a_choice_maps_onto_a_kept_point_no_worse(case):
    """columns_of keeps a kept choice and moves a dropped one to a point at least as good."""
    inst, choices = case
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    mapped = kept.choices_of(kept.columns_of(choices))
    for j, (old, new) in enumerate(zip(choices, mapped, strict=True)):
        if old in kept.index[j, :kept.count[j]]:
            assert new == old
        assert inst.front[j, new] <= inst.front[j, old]
        assert inst.front[j, new] + inst.trans[j, new] <= inst.front[j, old] + inst.trans[j, old]
        assert inst.cloud[j, new] <= inst.cloud[j, old]
    assert ddp.evaluate(inst, mapped).makespan <= ddp.evaluate(inst, choices).makespan


@settings(max_examples=80)
@given(inst=instances(**SMALL, kind="int"))
def test_relaxation_dominated_matches_plain_python(inst):
    """The numba kernel marks exactly the columns the plain-Python reference marks, and never
    every column of an event (integer times: many ties and collinear columns)."""
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    to_done = kept.trans + kept.cloud
    found = relaxation_dominated(kept.front, to_done, kept.cloud, kept.count)
    expected = naive.relaxation_dominated(kept.front, to_done, kept.cloud, kept.count)
    assert found.tolist() == expected
    for j in range(inst.n):
        assert not found[j, :kept.count[j]].all()
