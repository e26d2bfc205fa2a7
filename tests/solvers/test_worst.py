"""The worst-case search of greedy DDP: its exact OPT, the bound DDP <= n OPT, the trap family,
a reproducible search, and every saved worst case in ``examples/worst/``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given

import ddp
from solvers import solve
from solvers.worst import ddp_ratio, greedy_trap, optimum, search_worst
from tests.helpers import any_instances

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "worst").glob("*.json"))


@given(any_instances(max_n=6, max_k=3, kind="dyadic"))
def test_optimum_is_brute_force(inst):
    assert optimum(inst) == pytest.approx(solve(inst, "brute").objective, rel=1e-12, abs=1e-12)


@given(any_instances(max_n=7, max_k=3, kind="int"))
def test_ddp_is_at_most_n_times_opt(inst):
    """The bound of the module docstring: each event adds at most OPT to DDP's makespan."""
    greedy, best, _ = ddp_ratio(inst)
    assert greedy <= inst.n * best + 1e-9


@pytest.mark.parametrize("n, scale", [(2, 5), (4, 20), (8, 100)])
def test_greedy_trap(n, scale):
    """DDP queues every event on the device (n scale); OPT is at most scale + n."""
    inst = greedy_trap(n, scale)
    schedule = ddp.run_policy(inst, "ddp")
    assert list(schedule.choices) == [1] * n and schedule.makespan == n * scale
    assert optimum(inst) <= scale + n
    assert n * scale / (scale + n) <= ddp_ratio(inst)[2] <= n


def test_search_is_reproducible_with_an_evaluation_cap():
    first = search_worst(3, 2, budget=60, seed=7, max_evaluations=300)
    again = search_worst(3, 2, budget=60, seed=7, max_evaluations=300)
    assert first.ratio == again.ratio and first.evaluations == again.evaluations == 300
    assert ddp.dumps_instance(first.instance) == ddp.dumps_instance(again.instance)
    assert 1.0 <= first.ratio <= 3.0
    assert first.instance.meta["ddp_ratio_to_opt"] == first.ratio


def test_examples_exist():
    assert len(EXAMPLES) == 28  # n = 2..8, k = 1..4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_saved_worst_case_re_evaluates_to_its_ratio(path):
    """DDP by ``ddp.run_policy``, OPT by enumeration: the ratio recorded in the file."""
    inst = ddp.load_instance(path)
    meta = json.loads(path.read_text())["meta"]
    greedy = ddp.run_policy(inst, "ddp").makespan
    best = solve(inst, "brute").objective
    assert greedy == meta["ddp_makespan"] and best == meta["opt"]
    assert greedy / best == pytest.approx(meta["ddp_ratio_to_opt"], rel=1e-12)
    assert inst.n == meta["events"] and inst.k == meta["points"]
    assert greedy <= inst.n * best
