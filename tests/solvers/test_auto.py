"""``auto``: blocks, combined bounds, deterministic runs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from solvers import Status, solve
from solvers.auto import last_block_start
from tests.helpers import any_instances_with_choices


@settings(max_examples=40)
@given(pair=any_instances_with_choices(kind="int", max_n=6, max_k=2, max_gap=40))
def test_the_last_block_alone_has_the_instance_optimum(pair):
    """Where the system empties under some schedule, OPT is the last block's OPT alone."""
    inst, choices = pair
    first = last_block_start(inst, np.asarray(choices))
    schedule = ddp.evaluate(inst, choices)
    if first:
        assert schedule.finish_cloud[:first].max() <= inst.arrival[first]
    opt = solve(inst, "brute").objective
    block_opt = solve(inst.subset(np.arange(first, inst.n)), "brute").objective
    assert block_opt == opt


def test_blocks_prove_a_long_light_instance(make_random):
    """Sparse arrivals: the system empties often, only the last block is searched."""
    inst = make_random(1500, 2, interval=(500, 2000))
    result = solve(inst, "auto", time_limit=20)
    assert result.status == Status.OPTIMAL
    assert result.stats["block_start"] > 0
    assert result.objective == ddp.evaluate(inst, result.choices).makespan


def test_deterministic_runs_repeat(make_random):
    inst = make_random(40, 3, devices=3, cloud_units=1)
    first = solve(inst, "auto", time_limit=1, deterministic=True)
    again = solve(inst, "auto", time_limit=1, deterministic=True)
    assert first.objective == again.objective
    assert first.lower_bound == again.lower_bound
    assert (first.choices == again.choices).all()


def test_deterministic_runs_repeat_on_a_large_shared_unit_block():
    """Beyond CP-SAT's block size the search's share goes to windows on budgets: still the same
    answer twice, never above the relaxation's rounding it started from."""
    import instances
    from solvers.auto import MILP_MAX_EVENTS

    inst = instances.generate(scenario="paper", events=MILP_MAX_EVENTS + 100, interval="0-720",
                              devices=8, cloud_units=1, streams="per-device", seed=2)
    first = solve(inst, "auto", time_limit=1, deterministic=True)
    again = solve(inst, "auto", time_limit=1, deterministic=True)
    assert "windows in the search's share" in first.message
    assert (first.objective, first.lower_bound) == (again.objective, again.lower_bound)
    assert (first.choices == again.choices).all()
    assert first.objective <= first.stats["lp_rounding"] + 1e-9 * first.objective


@given(events=st.integers(1, 100_000), seconds=st.floats(1e-3, 1e4))
def test_the_beam_width_is_the_widest_its_share_pays_for(events, seconds):
    from solvers.auto import BEAM_MAX_WIDTH, BEAM_MIN_WIDTH, BEAM_SECONDS_PER_STATE, beam_width

    width = beam_width(events, seconds)
    if width == 0:
        assert seconds < BEAM_MIN_WIDTH * events * BEAM_SECONDS_PER_STATE
        return
    assert BEAM_MIN_WIDTH <= width <= BEAM_MAX_WIDTH
    assert width * events * BEAM_SECONDS_PER_STATE <= seconds * (1 + 1e-12)
    assert width == BEAM_MAX_WIDTH or (width + 1) * events * BEAM_SECONDS_PER_STATE > seconds


def test_a_wide_beam_runs_where_the_quick_search_does_not_prove_one_device():
    """Near-identical events on one device: the quick search stops, the beam gets its share,
    and a deterministic run repeats."""
    import instances
    from solvers.auto import BEAM_SHARE, beam_width

    inst = instances.generate(scenario="paper", events=100, interval="360", seed=0)
    first = solve(inst, "auto", time_limit=1, deterministic=True)
    again = solve(inst, "auto", time_limit=1, deterministic=True)
    assert "quick dp: stopped" in first.message
    assert first.stats["beam"]["width"] == beam_width(inst.n, BEAM_SHARE * 1)
    assert first.stats["beam"]["makespan"] >= first.objective
    assert (first.objective, first.lower_bound) == (again.objective, again.lower_bound)
    assert (first.choices == again.choices).all()


def test_no_beam_on_a_long_block():
    import instances
    from solvers.auto import BEAM_MAX_EVENTS

    inst = instances.generate(scenario="paper", events=BEAM_MAX_EVENTS + 1, interval="0",
                              seed=0)
    result = solve(inst, "auto", time_limit=1, deterministic=True)
    assert "quick dp: stopped" in result.message
    assert "beam" not in result.stats


@settings(max_examples=4)
@given(seed=st.integers(0, 10_000))
def test_auto_never_worse_than_its_hint(seed):
    from instances.random import random_instance

    inst = random_instance(40, seed, interval=(0, 40), devices=2)
    hint = ddp.run_policy(inst, "ddp").choices
    result = solve(inst, "auto", time_limit=1, hint=hint)
    assert result.objective <= ddp.evaluate(inst, hint).makespan
    assert result.lower_bound <= result.objective


def test_the_relaxation_is_solved_by_interior_point_where_devices_share_a_unit(monkeypatch):
    """Where devices share a unit every run rounds the interior-point solution (the
    deterministic method's: balanced, it rounds better than a simplex vertex); a device with
    its own unit keeps the method its run asks for. (A vertex may follow where devices share a
    unit: ``vertex.complete_vertex``.)"""
    import instances
    import solvers.auto

    asked = []
    solved = solvers.auto.lp_bound

    def recording(block, upper, *, time_limit, deterministic=False, vertex=False):
        asked.append("vertex" if vertex else deterministic)
        return solved(block, upper, time_limit=time_limit, deterministic=deterministic,
                      vertex=vertex)

    monkeypatch.setattr(solvers.auto, "lp_bound", recording)
    # paper's near-identical events: neither is proven before the relaxation
    shared = instances.generate(scenario="paper", events=100, interval="0-720", devices=4,
                                cloud_units=1, streams="per-device", seed=3)
    own = instances.generate(scenario="paper", events=100, interval="360", seed=3)
    for inst, expected in ((shared, True), (own, False)):
        asked.clear()
        solve(inst, "auto", time_limit=2)
        assert asked[0] == expected
        assert asked[1:] in ([], ["vertex"] if expected else [])


def test_the_relaxation_vertex_is_completed_where_devices_share_a_unit(make_random):
    """A default run completes the simplex vertex's split events exactly
    (``vertex.complete_vertex``); a deterministic run does not (HiGHS's search has no work
    budget)."""
    from tests.solvers.test_vertex import _split_relaxation

    inst, _, split = _split_relaxation(make_random)
    default = solve(inst, "auto", time_limit=5)
    assert default.stats["vertex_split"] == int(split.sum())
    assert default.stats["vertex"] >= default.objective - 1e-9
    assert "vertex_split" not in solve(inst, "auto", time_limit=5, deterministic=True).stats


def test_the_schedule_is_rechosen_where_the_vertex_completion_does_not_win(make_random,
                                                                         monkeypatch):
    """Where the vertex's completion does not beat the schedule, the schedule's own events
    that the vertex splits are re-chosen (``vertex.rechoose``), and the result keeps the
    better of the two."""
    from solvers import auto
    from tests.solvers.test_vertex import _split_relaxation

    inst, _, _ = _split_relaxation(make_random)
    monkeypatch.setattr(auto, "complete_vertex", lambda *args, **kwargs: None)
    result = solve(inst, "auto", time_limit=5)
    assert "vertex_rechosen" in result.stats
    assert result.stats["vertex_rechosen"] >= result.objective - 1e-9
