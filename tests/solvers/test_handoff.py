"""Devices that take a shared unit in turn (``solvers.handoff``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from instances import generate
from solvers import solve
from solvers.handoff import beam_in_turn, device_runs, run_instance, solve_in_turn
from tests import naive
from tests.helpers import instances, instances_with_choices


def in_turn(inst: ddp.Instance) -> ddp.Instance:
    """``inst`` with its events' devices sorted, each device on unit ``device mod units``: each
    device's events one run in its unit's order."""
    device = np.sort(inst.device)
    return inst.replace(device=device, unit=device % inst.cloud_units)


def test_runs_only_where_devices_take_the_unit_in_turn():
    def shaped(device, unit=None, units=1):
        n = len(device)
        return ddp.Instance(np.zeros(n), np.tile([0.0, 2.0], (n, 1)), np.ones((n, 2)),
                            np.tile([3.0, 0.0], (n, 1)), device=device, devices=4, unit=unit,
                            cloud_units=units)

    def as_lists(chains):
        return [[run.tolist() for run in chain] for chain in chains]

    assert as_lists(device_runs(shaped([2, 2, 0, 1, 1]))) == [[[0, 1], [2], [3, 4]]]
    # two units, each a chain of its own
    assert as_lists(device_runs(shaped([0, 0, 1, 2, 3, 3], unit=[0, 0, 1, 0, 1, 1], units=2))
                    ) == [[[0, 1], [3]], [[2], [4, 5]]]
    assert device_runs(shaped([0, 1, 0])) is None  # device 0 is open across the handoff
    assert device_runs(shaped([1, 1, 1])) is None  # one device: dp's own case
    assert device_runs(shaped([0, 1], unit=[0, 1], units=2)) is None  # each device its unit
    assert device_runs(shaped([0, 0, 1], unit=[0, 1, 1], units=2)) is None  # a device on two


@settings(max_examples=60)
@given(case=instances_with_choices(kind="dyadic", min_n=2, max_n=7, max_k=3, devices=(2, 4),
                                   units=(1, 2)),
       unit_free=st.sampled_from([0.0, 2.5, 40.0]))
def test_a_run_from_the_unit_free_time_is_that_part_of_the_recurrence(case, unit_free):
    # chained run by run, the stand-in event's makespans give the whole instance's
    inst, choices = case
    inst = in_turn(inst)
    chains = device_runs(inst)
    if chains is None:
        return
    last_finish = []
    for chain in chains:
        chained = 0.0
        for run in chain:
            part = run_instance(inst, run, chained)
            chained = ddp.evaluate(part, np.concatenate([[0], choices[run]])).makespan
        last_finish.append(chained)
    assert max(last_finish) == ddp.evaluate(inst, choices).makespan
    # and the stand-in holds the unit until the time given, the device free from 0
    run = chains[0][0]
    first = ddp.evaluate(run_instance(inst, run, unit_free), np.concatenate([[0], choices[run]]))
    assert first.finish_cloud[0] == unit_free and first.finish_front[0] == 0.0


@settings(max_examples=60)
@given(inst=instances(kind="int", min_n=2, max_n=6, max_k=2, devices=(2, 4), units=(1, 2),
                      max_time=16, max_gap=4))
def test_runs_solved_in_turn_reach_opt_with_a_bound_below_it(inst):
    inst = in_turn(inst)
    chains = device_runs(inst)
    if chains is None:
        return
    runs = sum(map(len, chains))
    opt = naive.brute_force_opt(inst)[0]
    beams = beam_in_turn(inst, chains, width=4096, time_limit=30.0, deterministic=True)
    assert ddp.evaluate(inst, beams).makespan == opt
    chained = solve_in_turn(inst, chains, 30.0, np.zeros(inst.n, dtype=np.int64),
                            deterministic=True)
    assert ddp.evaluate(inst, chained.choices).makespan == opt
    assert chained.lower_bound <= opt * (1 + 1e-9)
    assert chained.stats["proven_runs"] == chained.stats["runs"] == runs
    # runs stopped at once: the hint's schedules polished, the bound still below OPT
    stopped = solve_in_turn(inst, chains, 30.0, np.zeros(inst.n, dtype=np.int64),
                            deterministic=True, states_per_second=0)
    assert stopped.lower_bound <= opt * (1 + 1e-9)
    assert ddp.evaluate(inst, stopped.choices).makespan >= opt


@pytest.mark.parametrize(("devices", "units", "runs"), [(3, 1, 3), (5, 2, 5)])
def test_auto_proves_a_paper_instance_whose_devices_take_the_unit_in_turn(devices, units, runs):
    # per-device streams that all start at 0: each device's events reach its unit together
    inst = generate(events=40, interval="0", devices=devices, cloud_units=units,
                    streams="per-device", seed=2)
    assert device_runs(inst) is not None
    result = solve(inst, "auto", time_limit=10.0, deterministic=True)
    assert result.status == "optimal"
    assert f"dp in turn: {runs} of {runs} runs proven" in result.message
    assert result.objective == ddp.evaluate(inst, result.choices).makespan


def test_auto_in_turn_repeats_when_deterministic():
    # a short limit: the runs stop on their state budgets, not on the clock
    inst = generate(network="i3d", events=60, interval="0", devices=4, streams="per-device",
                    seed=1)
    first = solve(inst, "auto", time_limit=0.5, deterministic=True)
    again = solve(inst, "auto", time_limit=0.5, deterministic=True)
    assert np.array_equal(first.choices, again.choices)
    assert first.lower_bound == again.lower_bound
