"""The online form of DDP (one event at a time) and the batch form (many instances at once)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from ddp.schedule import EVENT_TIMES
from tests.helpers import POLICY_NAMES, any_instances, instances


def feed(inst: ddp.Instance, online: ddp.OnlineDDP | None = None) -> tuple[ddp.OnlineDDP, list]:
    """Push every event of ``inst`` into an online DDP; return it and the points it returned."""
    if online is None:
        online = ddp.OnlineDDP(devices=inst.devices, cloud_units=inst.cloud_units)
    points = [online.push(inst.arrival[j], inst.front[j], inst.trans[j], inst.cloud[j],
                          device=int(inst.device[j]), unit=int(inst.unit[j]))
              for j in range(inst.n)]
    return online, points


@settings(max_examples=150)
@given(inst=st.one_of(any_instances(kind="int", max_time=5, max_gap=3),
                      any_instances(kind="float", max_time=1e3, max_gap=300)))
def test_online_equals_batch_ddp(inst):
    """OnlineDDP fed an instance gives exactly batch DDP: every choice, every time, the makespan."""
    online, points = feed(inst)
    batch = ddp.run_policy(inst, "ddp")
    schedule = online.schedule()
    assert points == batch.choices.tolist()
    np.testing.assert_array_equal(schedule.choices, batch.choices)
    for name in EVENT_TIMES:
        np.testing.assert_array_equal(getattr(schedule, name), getattr(batch, name),
                                      err_msg=name)
    assert online.makespan == schedule.makespan == batch.makespan
    assert online.events == inst.n


@settings(max_examples=60)
@given(inst=instances(kind="int", max_time=5, max_gap=3, devices=(2, 4), units=(2, 3),
                      explicit_units=False))
def test_online_defaults_unit_to_device_mod_units(inst):
    """Without a unit, OnlineDDP uses ``device mod cloud_units``, as the format does."""
    online = ddp.OnlineDDP(devices=inst.devices, cloud_units=inst.cloud_units)
    points = [online.push(inst.arrival[j], inst.front[j], inst.trans[j], inst.cloud[j],
                          device=int(inst.device[j])) for j in range(inst.n)]
    batch = ddp.run_policy(inst, "ddp")
    assert points == batch.choices.tolist()
    np.testing.assert_array_equal(online.schedule().start_cloud, batch.start_cloud)


@settings(max_examples=60)
@given(inst=any_instances(kind="int", max_time=5, max_gap=3))
def test_online_state_is_the_schedule_so_far(inst):
    """After each push, the makespan so far is that of the prefix run as a batch."""
    online = ddp.OnlineDDP(devices=inst.devices, cloud_units=inst.cloud_units)
    for j in range(inst.n):
        online.push(inst.arrival[j], inst.front[j], inst.trans[j], inst.cloud[j],
                    device=int(inst.device[j]), unit=int(inst.unit[j]))
        assert online.makespan == ddp.run_policy(inst.subset(slice(0, j + 1)), "ddp").makespan


def test_online_spec_example():
    """The format's example pushed by hand: points 2, 2 and makespan 191."""
    online = ddp.OnlineDDP()
    assert online.push(0, [0, 40, 90], [300, 80, 1], [60, 30, 0]) == 2
    assert online.makespan == 91.0
    assert online.push(100, [0, 40, 90], [300, 80, 1], [60, 30, 0]) == 2
    assert online.makespan == 191.0


def test_online_new_device_joins_idle():
    """A device number not declared joins with an idle queue, as if declared from the start."""
    inst = ddp.Instance([0, 0, 1], [[0, 5]] * 3, [[3, 1]] * 3, [[4, 0]] * 3, device=[0, 3, 3],
                        devices=4)
    online, points = feed(inst, ddp.OnlineDDP(devices=1))
    assert points == ddp.run_policy(inst, "ddp").choices.tolist()
    assert online.makespan == ddp.run_policy(inst, "ddp").makespan


def test_online_rows_may_change_between_events():
    """Each push uses the rows estimated at that moment (network and load change per event)."""
    online = ddp.OnlineDDP()
    assert online.push(0, [0, 10], [1, 1], [1, 0]) == 0  # cloud is cheap now
    assert online.push(0, [0, 10], [1, 1], [100, 0]) == 1  # cloud is loaded now


@pytest.mark.parametrize("push, key, event", [
    # arrival before the previous event's (0 was pushed first, at 5)
    (dict(arrival=4), "arrival", 1),
    # a non-finite arrival
    (dict(arrival=float("nan")), "arrival", 1),
    # a negative time
    (dict(front=[0, -1]), "front", 1),
    # an infinite time
    (dict(cloud=[float("inf"), 0]), "cloud", 1),
    # k+1 = 1
    (dict(front=[0], trans=[0], cloud=[0]), "front", 1),
    # a row width other than the earlier events'
    (dict(front=[0, 1, 2], trans=[0, 1, 2], cloud=[0, 1, 2]), "front", 1),
    # rows of different widths within the event
    (dict(trans=[0, 1, 2]), "trans", 1),
    # a negative device
    (dict(device=-1), "device", 1),
    # a unit past cloud_units = 2
    (dict(unit=2), "unit", 1),
])
def test_online_rejects_a_bad_event(push, key, event):
    """A bad event is an InstanceError naming the key and the event index, and changes nothing."""
    online = ddp.OnlineDDP(cloud_units=2)
    online.push(5, [0, 1], [1, 0], [1, 0])
    before = (online.makespan, online.front_free.copy(), online.cloud_free.copy())
    event_args = dict(arrival=5, front=[0, 1], trans=[1, 0], cloud=[1, 0], device=0, unit=None)
    event_args.update(push)
    with pytest.raises(ddp.InstanceError) as info:
        online.push(**event_args)
    assert (info.value.key, info.value.event) == (key, event)
    assert f"key '{key}'" in str(info.value) and f"event {event}" in str(info.value)
    assert online.events == 1 and online.makespan == before[0]
    np.testing.assert_array_equal(online.cloud_free, before[2])


def test_online_needs_at_least_one_device_and_unit():
    """``OnlineDDP(devices=0)`` or ``cloud_units=0`` is refused."""
    with pytest.raises(ValueError):
        ddp.OnlineDDP(devices=0)
    with pytest.raises(ValueError):
        ddp.OnlineDDP(cloud_units=0)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("policy", POLICY_NAMES)
@settings(max_examples=10)
@given(batch=st.lists(st.one_of(any_instances(kind="int", max_time=5, max_gap=3, max_k=5),
                                any_instances(kind="float", max_time=100, max_gap=50, max_n=20)),
                      min_size=1, max_size=12))
def test_batch_equals_run_policy_per_instance(policy, threads, batch):
    """``run_policy_batch`` equals ``run_policy`` per instance (mixed k, devices, units)."""
    result = ddp.run_policy_batch(batch, policy, threads=threads)
    assert result.policy == policy
    assert len(result.makespans) == len(result.choices) == len(batch)
    for inst, makespan, choices in zip(batch, result.makespans, result.choices, strict=False):
        schedule = ddp.run_policy(inst, policy)
        assert makespan == schedule.makespan
        np.testing.assert_array_equal(choices, schedule.choices)


def test_batch_of_many_mixed_instances():
    """300 instances of different n, k, devices and units: the batch agrees with run_policy."""
    rng = np.random.default_rng(7)
    batch = []
    for index in range(300):
        n, k = int(rng.integers(1, 40)), int(rng.integers(1, 8))
        devices, units = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        batch.append(ddp.Instance(np.cumsum(rng.integers(0, 5, n)),
                                  *(rng.integers(0, 9, (n, k + 1)) * 1.0 for _ in range(3)),
                                  device=rng.integers(0, devices, n), devices=devices,
                                  cloud_units=units, name=f"mixed-{index}"))
    result = ddp.run_policy_batch(batch, "ddp", threads=2)
    expected = [ddp.run_policy(inst, "ddp") for inst in batch]
    np.testing.assert_array_equal(result.makespans, [s.makespan for s in expected])
    assert all(np.array_equal(c, s.choices) for c, s in zip(result.choices, expected, strict=False))


def test_batch_of_nothing_is_empty():
    """An empty batch gives no makespans and no choices (not an error)."""
    result = ddp.run_policy_batch([], "ddp")
    assert result.makespans.shape == (0,) and result.choices == []


def test_batch_unknown_policy_is_an_error():
    """The batch form rejects an unknown policy like ``run_policy``."""
    inst = ddp.Instance([0], [[0, 1]], [[1, 0]], [[1, 0]])
    with pytest.raises(ValueError, match="unknown policy"):
        ddp.run_policy_batch([inst], "best")


@given(instances(max_n=8, max_k=4, devices=(1, 3), units=(1, 2), kind="int"))
def test_online_qa_matches_the_batch_policy(inst):
    """``OnlineDDP(policy="qa")`` fed an instance's events gives ``run_policy(inst, "qa")``."""
    online = ddp.OnlineDDP(inst.devices, inst.cloud_units, policy="qa")
    for j in range(inst.n):
        online.push(inst.arrival[j], inst.front[j], inst.trans[j], inst.cloud[j],
                    int(inst.device[j]), int(inst.unit[j]))
    batch = ddp.run_policy(inst, "qa")
    np.testing.assert_array_equal(online.schedule().choices, batch.choices)
    assert online.makespan == batch.makespan and online.schedule().policy == "qa"


def test_online_rejects_an_unknown_policy():
    with pytest.raises(ValueError, match="policy"):
        ddp.OnlineDDP(policy="ac")
