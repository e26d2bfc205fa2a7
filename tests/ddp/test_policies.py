"""The policies DDP, NS, AC, AF, FB: against the naive reference, their formulas and OPT."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from ddp.schedule import EVENT_TIMES
from tests import naive
from tests.helpers import POLICY_NAMES, any_instances, instances


def spec_example(**changes) -> ddp.Instance:
    """A two-event example (n = 2, k = 2, feature point 1)."""
    inst = ddp.Instance([0, 100], [[0, 40, 90], [0, 40, 90]], [[300, 80, 1], [300, 80, 1]],
                        [[60, 30, 0], [60, 30, 0]], feature_point=1)
    return inst.replace(**changes) if changes else inst


def test_policies_are_the_five_of_the_model():
    """``POLICIES`` holds exactly ddp, ns, ac, af, fb, each with a description."""
    assert sorted(ddp.POLICIES) == sorted(POLICY_NAMES)
    assert all(isinstance(text, str) and text for text in ddp.POLICIES.values())


@pytest.mark.parametrize("policy, choices, makespan", [
    ("ddp", [2, 2], 191.0),  # point 2 ends at 91, then 191: least cloud finish each time
    ("ns", [2, 2], 191.0),  # F+T+C = 360, 150, 91: point 2
    ("ac", [0, 0], 460.0),  # clip sent whole: ready 300 and 400, cloud 60 each
    ("af", [2, 2], 191.0),  # k = 2
    ("fb", [1, 1], 250.0),  # feature point 1: ready 120 and 220, cloud 30 each
])
def test_policies_on_spec_example_by_hand(policy, choices, makespan):
    """Each policy on the format's example gives the choices and makespan worked out by hand."""
    schedule = ddp.run_policy(spec_example(), policy)
    assert schedule.choices.tolist() == choices
    assert schedule.makespan == makespan
    assert schedule.policy == policy


def test_ddp_beats_ns_when_the_queue_matters_by_hand():
    """Three clips at once: NS cuts all at point 1; DDP sends later ones whole, beating NS."""
    # Point 0: front 0, trans 4, cloud 1 (total 5). Point 1: front 1, trans 1, cloud 2 (total 4).
    inst = ddp.Instance([0, 0, 0], [[0, 1]] * 3, [[4, 1]] * 3, [[1, 2]] * 3)
    ns = ddp.run_policy(inst, "ns")
    assert ns.choices.tolist() == [1, 1, 1]
    assert ns.finish_cloud.tolist() == [4, 6, 8]  # ready 2, 3, 4; cloud 2-4, 4-6, 6-8
    schedule = ddp.run_policy(inst, "ddp")
    # event 0: point 0 ends 5, point 1 ends 4 -> 1 (device free at 1, cloud at 4);
    # event 1: point 0 ends max(1+4, 4)+1 = 6, point 1 ends max(1+1+1, 4)+2 = 6: a tie -> 0;
    # event 2: point 0 ends max(1+4, 6)+1 = 7, point 1 ends max(3, 6)+2 = 8 -> 0.
    assert schedule.choices.tolist() == [1, 0, 0]
    assert schedule.finish_cloud.tolist() == [4, 6, 7]


@pytest.mark.parametrize("policy", POLICY_NAMES)
@settings(max_examples=60)
@given(inst=st.one_of(any_instances(kind="int", max_time=5, max_gap=3),
                      any_instances(kind="float", max_time=1e3, max_gap=500)))
def test_run_policy_matches_naive(policy, inst):
    """``run_policy`` gives exactly the naive reference's choices, times and makespan."""
    schedule = ddp.run_policy(inst, policy)
    reference = naive.schedule(inst, policy=policy)
    np.testing.assert_array_equal(schedule.choices, reference.choices)
    for name in EVENT_TIMES:
        np.testing.assert_array_equal(getattr(schedule, name), getattr(reference, name),
                                      err_msg=name)
    assert schedule.makespan == reference.makespan
    assert schedule.choices.dtype == np.int64


@settings(max_examples=100)
@given(inst=any_instances(kind="int", max_time=4, max_gap=3))
def test_ddp_choice_is_argmin_of_its_formula(inst):
    """DDP picks ``argmin_i max(max(F(d), a) + F + T, C(u)) + C`` per step, ties to the smallest.

    The state ``F(d)``, ``C(u)`` is read off DDP's own schedule (the previous event on the same
    device and unit), so each step is checked on its own.
    """
    schedule = ddp.run_policy(inst, "ddp")
    for j in range(inst.n):
        same_device = np.flatnonzero(inst.device[:j] == inst.device[j])
        same_unit = np.flatnonzero(inst.unit[:j] == inst.unit[j])
        front_free = float(schedule.finish_front[same_device[-1]]) if len(same_device) else 0.0
        cloud_free = float(schedule.finish_cloud[same_unit[-1]]) if len(same_unit) else 0.0
        arrival = float(inst.arrival[j])
        values = [max(max(front_free, arrival) + float(inst.front[j, i])
                      + float(inst.trans[j, i]), cloud_free) + float(inst.cloud[j, i])
                  for i in range(inst.k + 1)]
        best = min(values)
        assert schedule.choices[j] == values.index(best), f"event {j}: {values}"
        assert schedule.finish_cloud[j] == best


@settings(max_examples=100)
@given(inst=any_instances(kind="int", max_time=4))
def test_ns_choice_is_argmin_of_its_formula(inst):
    """NS picks ``argmin_i F + T + C`` of each event alone, ties to the smallest i."""
    totals = inst.front + inst.trans + inst.cloud
    expected = [int(np.flatnonzero(row == row.min())[0]) for row in totals]
    assert ddp.run_policy(inst, "ns").choices.tolist() == expected


@settings(max_examples=50)
@given(inst=any_instances(kind="int", max_time=4))
def test_fixed_policies_choose_their_point(inst):
    """AC picks 0, AF picks k and FB the feature point for every event."""
    assert ddp.run_policy(inst, "ac").choices.tolist() == [0] * inst.n
    assert ddp.run_policy(inst, "af").choices.tolist() == [inst.k] * inst.n
    assert ddp.run_policy(inst, "fb").choices.tolist() == [inst.feature_point] * inst.n


def test_fb_defaults_to_the_point_before_the_head():
    """Without a feature point, FB cuts at k - 1."""
    inst = ddp.Instance([0], [[0, 1, 2, 3]], [[0, 1, 2, 3]], [[0, 1, 2, 3]])
    assert inst.feature_point == 2
    assert ddp.run_policy(inst, "fb").choices.tolist() == [2]


@settings(max_examples=80)
@given(inst=instances(max_n=1, max_k=6, kind="int", max_time=6, max_gap=64),
       devices=st.integers(1, 3))
def test_ddp_on_one_event_picks_ns_point(inst, devices):
    """With one event (nothing queued), DDP's point is NS's, ties included."""
    inst = inst.replace(devices=devices)
    assert ddp.run_policy(inst, "ddp").choices[0] == ddp.run_policy(inst, "ns").choices[0]


@settings(max_examples=80)
@given(inst=instances(max_n=1, max_k=6, kind="dyadic", max_time=6, max_gap=64))
def test_ddp_on_one_event_picks_ns_point_dyadic(inst):
    """One event, dyadic times (exact sums): DDP's point is NS's and ends at a + F + T + C."""
    ddp_schedule, ns_schedule = ddp.run_policy(inst, "ddp"), ddp.run_policy(inst, "ns")
    assert ddp_schedule.choices[0] == ns_schedule.choices[0]
    x = ns_schedule.choices[0]
    assert ddp_schedule.makespan == (inst.arrival[0] + inst.front[0, x] + inst.trans[0, x]
                                     + inst.cloud[0, x])


@settings(max_examples=100)
@given(inst=any_instances(max_n=5, max_k=3, kind="int", max_time=6, max_gap=4))
def test_no_policy_beats_brute_force(inst):
    """No policy beats brute-force OPT on tiny instances (n <= 5, k <= 3); evaluate confirms OPT."""
    opt, opt_choices = naive.brute_force_opt(inst)
    assert ddp.evaluate(inst, opt_choices).makespan == opt
    for policy in POLICY_NAMES:
        assert ddp.run_policy(inst, policy).makespan >= opt, policy


def test_ddp_is_not_always_optimal_by_hand():
    """Brute force finds a better schedule than greedy DDP here: the check above can bite."""
    # Event 0 alone prefers point 1 (front 1, ends at 1 < 3), which holds the device until 1;
    # event 1 (also at 0) then ends at 1 + 4 + 2 = 7. Sending event 0 whole (point 0, ends at 3)
    # leaves the device free: event 1 ends at 0 + 4 + 2 = 6.
    inst = ddp.Instance([0, 0], [[0, 1], [0, 4]], [[3, 0], [4, 2]], [[0, 0], [3, 0]])
    assert ddp.run_policy(inst, "ddp").makespan == 7.0
    assert naive.brute_force_opt(inst) == (6.0, [0, 1])


@pytest.mark.parametrize("name", ["DDP", "Ns"])
def test_policy_names_ignore_case(name):
    """Policy names are case-insensitive; the schedule reports the normal name."""
    assert ddp.run_policy(spec_example(), name).policy == name.lower()


def test_unknown_policy_is_an_error_listing_the_known_ones():
    """An unknown policy name raises ValueError listing the known names."""
    with pytest.raises(ValueError, match=r"unknown policy 'opt'.*ddp, ns, ac, af, fb"):
        ddp.run_policy(spec_example(), "opt")


def test_qa_avoids_the_greedy_trap():
    """Events at once that DDP queues on the device (each finishes there 1 before it would in
    the cloud): QA sees that a copy of the event would wait and sends the clips."""
    n, scale = 6, 20
    inst = ddp.Instance([0] * n, [[0, scale]] * n, [[scale, 0]] * n, [[1, 0]] * n)
    assert ddp.run_policy(inst, "ddp").makespan == n * scale
    assert ddp.run_policy(inst, "qa").makespan <= scale + n
