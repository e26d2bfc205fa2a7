"""The limits of ``ddp/limits.py`` and the checks of the Python API that go with them: maxima,
the overflow rule, array types, ``meta``, ``subset``, ``OnlineDDP.push`` and choice vectors."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

import ddp
from ddp.limits import MAX_CLOUD_UNITS, MAX_DEVICES, MAX_EVENTS, MAX_TOTAL_TIME

ROW = [[0.0, 1.0]]


def one_event(**changes) -> ddp.Instance:
    fields = {"arrival": [0.0], "front": ROW, "trans": ROW, "cloud": ROW}
    fields.update(changes)
    return ddp.Instance(**fields)


# -- maxima --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "key"), [
    ({"devices": MAX_DEVICES + 1}, "devices"),
    ({"devices": 10**20}, "devices"),
    ({"device": [MAX_DEVICES]}, "device"),
    ({"device": [10**9]}, "device"),
    ({"cloud_units": MAX_CLOUD_UNITS + 1}, "cloud_units"),
    ({"cloud_units": 10**20}, "cloud_units"),
])
def test_counts_beyond_the_maxima_are_instance_errors(changes, key):
    with pytest.raises(ddp.InstanceError, match=f"key '{key}'"):
        one_event(**changes)


def test_the_maxima_themselves_are_accepted():
    inst = one_event(devices=MAX_DEVICES, device=[MAX_DEVICES - 1], cloud_units=MAX_CLOUD_UNITS)
    assert inst.devices == MAX_DEVICES and inst.cloud_units == MAX_CLOUD_UNITS


def test_more_events_than_the_maximum_is_an_error_before_allocating():
    class Huge(list):  # claims MAX_EVENTS + 1 entries without holding them
        def __len__(self):
            return MAX_EVENTS + 1

    with pytest.raises(ddp.InstanceError, match="more than the maximum"):
        one_event(arrival=Huge([0.0]))


# -- the overflow rule ---------------------------------------------------------------------------

def test_times_whose_sum_overflows_are_rejected_at_construction():
    with pytest.raises(ddp.InstanceError, match="key 'front', event 1: times too large"):
        ddp.Instance([0, 0], [[0, 1e300], [0, 1e300]], [[0, 0]] * 2, [[0, 0]] * 2)
    with pytest.raises(ddp.InstanceError, match="key 'arrival', event 0: times too large"):
        one_event(arrival=[1e308])
    with pytest.raises(ddp.InstanceError, match="times too large"):
        one_event(front=[[1e308, 1e308]], trans=[[1e308, 1e308]])


def test_times_just_within_the_rule_give_finite_makespans_everywhere():
    half = MAX_TOTAL_TIME / 4
    inst = ddp.Instance([0, half], [[0, half], [0, half]], [[half, 0]] * 2, [[0, 0]] * 2)
    for policy in ddp.POLICIES:
        assert np.isfinite(ddp.run_policy(inst, policy).makespan)


# -- array types ---------------------------------------------------------------------------------

@pytest.mark.parametrize("arrival", [
    np.array(["0"]),
    np.array([0 + 1j]),
    np.array([object()], dtype=object),
    np.array([datetime.date(2020, 1, 1)], dtype="datetime64[D]"),
    np.array([True]),
    np.ma.masked_array([0.0], mask=[True]),
    [10**400],
], ids=["str", "complex", "object", "datetime", "bool", "masked", "huge-int"])
def test_arrays_numpy_would_convert_silently_are_rejected(arrival):
    with pytest.raises(ddp.InstanceError, match="key 'arrival'"):
        one_event(arrival=arrival)


def test_masked_and_float_device_arrays_are_rejected():
    with pytest.raises(ddp.InstanceError, match="masked"):
        one_event(device=np.ma.masked_array([0], mask=[False]))
    with pytest.raises(ddp.InstanceError, match="key 'device'"):
        one_event(device=np.array([0.0]))


# -- meta and subset -----------------------------------------------------------------------------

@pytest.mark.parametrize("meta", [
    {"x": float("nan")}, {"x": [1, {"y": float("inf")}]}, {1: "a"}, {"x": object()},
    {"x": np.int64(3)}, {"x": 10**5000},
], ids=["nan", "nested-inf", "int-key", "object", "numpy-int", "5000-digits"])
def test_meta_that_cannot_be_saved_is_rejected_at_construction(meta):
    with pytest.raises(ddp.InstanceError, match="key 'meta'"):
        one_event(meta=meta)


def test_meta_nested_too_deep_is_rejected():
    meta: dict = {}
    inner = meta
    for _ in range(70):
        inner["a"] = {}
        inner = inner["a"]
    with pytest.raises(ddp.InstanceError, match="nested deeper"):
        one_event(meta=meta)


def test_a_saved_meta_reads_back(tmp_path):
    inst = one_event(meta={"a": [1, 2.5, None, True, "x", {"b": []}]})
    ddp.save_instance(inst, tmp_path / "x.json")
    assert ddp.load_instance(tmp_path / "x.json") == inst


@pytest.mark.parametrize("events", [[5], [-3], np.array([0.5])])
def test_subset_of_missing_events_is_an_instance_error(events):
    inst = ddp.Instance([0, 1], ROW * 2, ROW * 2, ROW * 2)
    with pytest.raises(ddp.InstanceError, match=r"key 'events'.*events are 0\.\.1"):
        inst.subset(events)


# -- OnlineDDP -----------------------------------------------------------------------------------

GOOD = {"arrival": 0.0, "front": [0, 40, 90], "trans": [300, 80, 1], "cloud": [60, 30, 0]}


@pytest.mark.parametrize(("changes", "key"), [
    ({"arrival": "5"}, "arrival"), ({"arrival": True}, "arrival"), ({"arrival": -1.0}, "arrival"),
    ({"arrival": float("nan")}, "arrival"), ({"arrival": None}, "arrival"),
    ({"front": ["0", "40", "90"]}, "front"), ({"front": [0, "x", 1]}, "front"),
    ({"trans": np.array(["1", "2", "3"])}, "trans"), ({"cloud": [0, 1 + 1j, 2]}, "cloud"),
    ({"device": 1.7}, "device"), ({"device": True}, "device"), ({"device": -1}, "device"),
    ({"device": 10**9}, "device"), ({"device": "0"}, "device"),
    ({"unit": 5}, "unit"), ({"unit": 0.0}, "unit"),
    ({"front": [1e300, 1e300, 1e300], "trans": [1e300] * 3}, "front"),
])
def test_a_bad_push_is_an_error_and_leaves_the_state_unchanged(changes, key):
    online = ddp.OnlineDDP(devices=2)
    online.push(**GOOD)
    before = (online.front_free.copy(), online.cloud_free.copy(), online.events,
              online.makespan)
    with pytest.raises(ddp.InstanceError, match=f"key '{key}', event 1"):
        online.push(**{**GOOD, **changes})
    assert np.array_equal(online.front_free, before[0])
    assert np.array_equal(online.cloud_free, before[1])
    assert (online.events, online.makespan) == before[2:]
    online.push(**GOOD)  # still usable, and the same as if the bad push never happened
    assert online.events == 2


def test_push_accepts_numpy_scalars_and_new_devices_up_to_the_maximum():
    online = ddp.OnlineDDP()
    online.push(np.float32(1.5), **{k: v for k, v in GOOD.items() if k != "arrival"},
                device=np.int64(MAX_DEVICES - 1))
    assert len(online.front_free) == MAX_DEVICES


@pytest.mark.parametrize("counts", [{"devices": 0}, {"devices": MAX_DEVICES + 1},
                                    {"cloud_units": 1.5}, {"devices": True}])
def test_online_counts_are_checked(counts):
    with pytest.raises(ddp.InstanceError):
        ddp.OnlineDDP(**counts)


# -- choice vectors ------------------------------------------------------------------------------

def test_a_nested_choice_vector_names_its_shape():
    inst = ddp.Instance([0, 1], ROW * 2, ROW * 2, ROW * 2)
    with pytest.raises(ddp.InstanceError, match=r"flat list of 2 points.*shape \(1, 2\)"):
        ddp.evaluate(inst, [[0, 0]])
