"""The schedule recurrence: ``ddp.evaluate`` against the naive reference and the model's laws."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from ddp.schedule import EVENT_TIMES
from tests import naive
from tests.helpers import (
    POLICY_NAMES,
    any_instances,
    any_instances_with_choices,
    instances_with_choices,
)


def spec_example() -> ddp.Instance:
    """A two-event example (n = 2, k = 2, feature point 1)."""
    return ddp.Instance([0, 100], [[0, 40, 90], [0, 40, 90]], [[300, 80, 1], [300, 80, 1]],
                        [[60, 30, 0], [60, 30, 0]], feature_point=1)


def recurrence_violations(inst: ddp.Instance, schedule: ddp.Schedule) -> list[str]:
    """Every way ``schedule`` breaks the recurrence of ``docs/model.md``, checked line by line.

    Each event must start on its device no earlier than its arrival and than the end of the
    device's previous event, and exactly at the later of the two; front, transmission and cloud
    durations must be exactly the chosen point's; the cloud part starts no earlier than ready and
    than the end of the unit's previous event, and exactly at the later of the two.
    """
    problems = []
    last_front: dict[int, float] = {}
    last_cloud: dict[int, float] = {}
    for j in range(inst.n):
        d, u, x = int(inst.device[j]), int(inst.unit[j]), int(schedule.choices[j])
        sf, ff = schedule.start_front[j], schedule.finish_front[j]
        r, sc, fc = schedule.ready[j], schedule.start_cloud[j], schedule.finish_cloud[j]
        device_free, unit_free = last_front.get(d, 0.0), last_cloud.get(u, 0.0)
        checks = {
            "start_front >= arrival": sf >= inst.arrival[j],
            "start_front >= device free": sf >= device_free,
            "start_front == max(device free, arrival)": sf == max(device_free, inst.arrival[j]),
            "finish_front == start_front + F": ff == sf + inst.front[j, x],
            "ready == finish_front + T": r == ff + inst.trans[j, x],
            "start_cloud >= ready": sc >= r,
            "start_cloud >= unit free": sc >= unit_free,
            "start_cloud == max(ready, unit free)": sc == max(r, unit_free),
            "finish_cloud == start_cloud + C": fc == sc + inst.cloud[j, x],
        }
        problems += [f"event {j}: {rule}" for rule, ok in checks.items() if not ok]
        last_front[d], last_cloud[u] = ff, fc
    return problems


def overlaps(inst: ddp.Instance, schedule: ddp.Schedule) -> list[str]:
    """Pairs of events that run at once on a device or a unit, or out of arrival order."""
    problems = []
    for resource, owner, start, finish in (
            ("device", inst.device, schedule.start_front, schedule.finish_front),
            ("unit", inst.unit, schedule.start_cloud, schedule.finish_cloud)):
        for r in np.unique(owner):
            events = np.flatnonzero(owner == r)  # in arrival order
            for before, after in itertools.pairwise(events):
                if start[after] < finish[before]:
                    problems.append(f"{resource} {r}: event {after} starts before {before} ends")
                if start[after] < start[before]:
                    problems.append(f"{resource} {r}: event {after} starts before {before}")
    return problems


def assert_same_schedule(schedule: ddp.Schedule, reference) -> None:
    """``schedule`` equals ``reference`` exactly: choices, every per-event time and makespan."""
    np.testing.assert_array_equal(schedule.choices, reference.choices)
    for name in EVENT_TIMES:
        np.testing.assert_array_equal(getattr(schedule, name), getattr(reference, name),
                                      err_msg=name)
    assert schedule.makespan == reference.makespan


def scaled(inst: ddp.Instance, factor: float) -> ddp.Instance:
    return inst.replace(arrival=inst.arrival * factor, front=inst.front * factor,
                        trans=inst.trans * factor, cloud=inst.cloud * factor)


@settings(max_examples=150)
@given(case=st.one_of(any_instances_with_choices(kind="float", max_time=1e4),
                      any_instances_with_choices(kind="int", max_time=5)))
def test_evaluate_matches_naive_recurrence(case):
    """The numba ``evaluate`` gives exactly the naive recurrence's times and makespan."""
    inst, choices = case
    assert_same_schedule(ddp.evaluate(inst, choices), naive.schedule(inst, choices))


def test_evaluate_spec_example_by_hand():
    """The format's example, worked by hand: DDP's choice (2, 2) ends at 191."""
    schedule = ddp.evaluate(spec_example(), [2, 2])
    assert schedule.start_front.tolist() == [0, 100]
    assert schedule.finish_front.tolist() == [90, 190]
    assert schedule.ready.tolist() == [91, 191]
    assert schedule.start_cloud.tolist() == [91, 191]
    assert schedule.finish_cloud.tolist() == [91, 191]
    assert schedule.makespan == 191.0
    # Point 0 for both: the clip is sent whole (300) and the second waits for the cloud.
    assert ddp.evaluate(spec_example(), [0, 0]).finish_cloud.tolist() == [360, 460]


def test_evaluate_queues_by_device_and_unit_by_hand():
    """Two devices sharing one unit: devices run in parallel, the unit serialises the clouds."""
    inst = ddp.Instance([0, 0, 0], [[0, 10]] * 3, [[5, 0]] * 3, [[20, 0]] * 3,
                        device=[0, 1, 0], cloud_units=1)
    schedule = ddp.evaluate(inst, [0, 0, 1])
    assert schedule.start_front.tolist() == [0, 0, 0]  # point 0: no front work, device free
    assert schedule.ready.tolist() == [5, 5, 10]
    assert schedule.start_cloud.tolist() == [5, 25, 45]  # one unit, in arrival order
    assert schedule.finish_cloud.tolist() == [25, 45, 45]  # point k still queues (C = 0)
    assert schedule.makespan == 45.0


@settings(max_examples=100)
@given(case=any_instances_with_choices(kind="int", max_time=6, max_gap=4))
def test_evaluate_obeys_the_recurrence(case):
    """``evaluate`` obeys every inequality of the recurrence, with equality where the model says."""
    inst, choices = case
    assert recurrence_violations(inst, ddp.evaluate(inst, choices)) == []


@pytest.mark.parametrize("policy", POLICY_NAMES)
@settings(max_examples=40)
@given(inst=any_instances(kind="int", max_time=6, max_gap=4))
def test_policy_schedule_obeys_the_recurrence(policy, inst):
    """Every policy's schedule obeys the recurrence for the choices it made."""
    assert recurrence_violations(inst, ddp.run_policy(inst, policy)) == []


@settings(max_examples=100)
@given(case=any_instances_with_choices(kind="dyadic", max_time=8, max_gap=4))
def test_no_resource_runs_two_events_at_once(case):
    """Each device and each unit runs one event at a time, in arrival order."""
    inst, choices = case
    assert overlaps(inst, ddp.evaluate(inst, choices)) == []
    assert overlaps(inst, ddp.run_policy(inst, "ddp")) == []


@settings(max_examples=100)
@given(case=any_instances_with_choices(kind="float", max_time=100))
def test_makespan_is_max_finish_cloud(case):
    """The makespan is ``max finish_cloud``, non-negative, and no event ends after it."""
    inst, choices = case
    schedule = ddp.evaluate(inst, choices)
    assert schedule.makespan == schedule.finish_cloud.max()
    assert schedule.makespan >= 0
    assert isinstance(schedule.makespan, float)
    assert np.all(schedule.finish_front <= schedule.makespan)


@settings(max_examples=100)
@given(case=instances_with_choices(kind="float", max_time=100, devices=1, units=1))
def test_one_device_and_unit_makespan_is_last_finish(case):
    """With one device and one unit the makespan is the last event's cloud finish."""
    inst, choices = case
    schedule = ddp.evaluate(inst, choices)
    assert schedule.makespan == schedule.finish_cloud[-1]
    assert np.all(np.diff(schedule.finish_cloud) >= 0)


def test_all_zero_times_give_zero_makespan():
    """Events at 0 with nothing to do finish at 0: the makespan is 0, not negative or NaN."""
    inst = ddp.Instance([0, 0], np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 3)))
    assert ddp.evaluate(inst, [1, 2]).makespan == 0.0
    assert ddp.run_policy(inst, "ddp").choices.tolist() == [0, 0]  # all tie: smallest point


# Dyadic factors: with dyadic times (multiples of 1/8, small), every product and sum is exact.
FACTORS = st.sampled_from([0.125, 0.5, 0.75, 1.5, 2.0, 3.0, 10.0, 1024.0])


@settings(max_examples=100)
@given(case=any_instances_with_choices(kind="dyadic"), factor=FACTORS)
def test_scaling_times_scales_evaluate(case, factor):
    """Scaling every time by c > 0 scales a fixed-choice schedule's times and makespan by c."""
    inst, choices = case
    base, scaled_schedule = ddp.evaluate(inst, choices), ddp.evaluate(scaled(inst, factor), choices)
    assert scaled_schedule.makespan == factor * base.makespan
    for name in EVENT_TIMES:
        np.testing.assert_array_equal(getattr(scaled_schedule, name),
                                      factor * getattr(base, name), err_msg=name)


@pytest.mark.parametrize("policy", POLICY_NAMES)
@settings(max_examples=30)
@given(inst=any_instances(kind="int", max_time=6, max_gap=4), factor=FACTORS)
def test_scaling_times_keeps_policy_choices(policy, inst, factor):
    """With exact data, a scaled instance gets the same choices and c times the makespan."""
    base, scaled_schedule = ddp.run_policy(inst, policy), ddp.run_policy(scaled(inst, factor),
                                                                         policy)
    np.testing.assert_array_equal(scaled_schedule.choices, base.choices)
    assert scaled_schedule.makespan == factor * base.makespan


@st.composite
def shifts(draw, inst_strategy):
    """An instance (or instance and choices) and a dyadic shift ``D >= -a_1``."""
    case = draw(inst_strategy)
    inst = case[0] if isinstance(case, tuple) else case
    shift = draw(st.integers(-int(inst.arrival[0] * 8), 800)) / 8
    return case, shift


@settings(max_examples=60)
@given(case=shifts(any_instances_with_choices(kind="dyadic")))
def test_shifting_arrivals_shifts_evaluate(case):
    """Adding D to every arrival adds D to every time of a fixed-choice schedule.

    The initial state is 0 and every shifted arrival is still >= 0, so no event waits on it.
    """
    (inst, choices), shift = case
    base = ddp.evaluate(inst, choices)
    moved = ddp.evaluate(inst.replace(arrival=inst.arrival + shift), choices)
    assert moved.makespan == base.makespan + shift
    for name in EVENT_TIMES:
        np.testing.assert_array_equal(getattr(moved, name), getattr(base, name) + shift,
                                      err_msg=name)


@settings(max_examples=60)
@given(case=shifts(any_instances(kind="dyadic", max_time=8, max_gap=4)))
def test_shifting_arrivals_shifts_ddp(case):
    """Exact dyadic data: DDP chooses the same on shifted arrivals; its makespan shifts by D."""
    inst, shift = case
    base = ddp.run_policy(inst, "ddp")
    moved = ddp.run_policy(inst.replace(arrival=inst.arrival + shift), "ddp")
    np.testing.assert_array_equal(moved.choices, base.choices)
    assert moved.makespan == base.makespan + shift


@pytest.mark.parametrize("choices, fragment", [
    ([0, 3], "event 1"),  # point past k = 2
    ([-1, 0], "event 0"),  # negative point
    ([0], "needs 2 points"),  # too few
    ([0, 1, 2], "needs 2 points"),  # too many
    ([0.5, 1], "integers expected"),  # not an integer
    ([True, False], "integers expected"),  # booleans are not points
])
def test_evaluate_rejects_bad_choices(choices, fragment):
    """A bad choice vector is an InstanceError naming key 'choices' (and the event)."""
    with pytest.raises(ddp.InstanceError, match=fragment) as info:
        ddp.evaluate(spec_example(), choices)
    assert info.value.key == "choices"


def test_evaluate_leaves_choices_untouched():
    """``evaluate`` neither writes to the caller's choices nor depends on their dtype."""
    choices = np.array([2, 1], dtype=np.int32)
    schedule = ddp.evaluate(spec_example(), choices)
    assert choices.tolist() == [2, 1]
    assert schedule.choices.tolist() == [2, 1]
    assert ddp.evaluate(spec_example(), [2.0, 1.0]).makespan == schedule.makespan


def test_checkers_catch_a_broken_schedule():
    """The recurrence and overlap checkers above report a schedule that was tampered with."""
    inst = ddp.Instance([0, 0], [[0, 10]] * 2, [[5, 0]] * 2, [[20, 0]] * 2)
    good = ddp.evaluate(inst, [0, 0])
    assert recurrence_violations(inst, good) == [] and overlaps(inst, good) == []
    late = np.array(good.start_cloud)
    late[1] = good.finish_cloud[0] + 1  # waits for no reason
    bad = ddp.Schedule(good.choices, good.start_front, good.finish_front, good.ready, late,
                       late + 20, makespan=float(late[1] + 20))
    assert "event 1: start_cloud == max(ready, unit free)" in recurrence_violations(inst, bad)
    early = np.array(good.start_cloud)
    early[1] = good.start_cloud[0]  # both on the unit at once
    bad = ddp.Schedule(good.choices, good.start_front, good.finish_front, good.ready, early,
                       early + 20, makespan=float(early[1] + 20))
    assert overlaps(inst, bad) == ["unit 0: event 1 starts before 0 ends"]
