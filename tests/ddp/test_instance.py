"""``Instance`` and the ``ddp-instance/1`` reader: every rule of the format, each error located."""

from __future__ import annotations

import json

import numpy as np
import pytest

import ddp

BASE = {"format": "ddp-instance/1", "time_unit": "ms", "arrival": [0, 100],
        "front": [[0, 40, 90], [0, 40, 90]], "trans": [[300, 80, 1], [300, 80, 1]],
        "cloud": [[60, 30, 0], [60, 30, 0]], "feature_point": 1}
DELETE = object()  # marks a key to remove from BASE


class Raw:
    """A token written into the JSON text as is (``NaN``, ``Infinity``: not valid JSON)."""

    def __init__(self, token: str):
        self.token = token


def instance_text(changes: dict) -> str:
    """BASE with ``changes`` applied, as JSON text (``Raw`` values written verbatim)."""
    data = {key: value for key, value in BASE.items() if changes.get(key) is not DELETE}
    data.update({key: value for key, value in changes.items() if value is not DELETE})
    raws = {}

    def encode(value):
        raws[f"@raw{len(raws)}@"] = value.token
        return f"@raw{len(raws) - 1}@"

    text = json.dumps(data, default=encode)
    for marker, token in raws.items():
        text = text.replace(f'"{marker}"', token)
    return text


def test_base_instance_is_valid():
    """The table's starting point (the format's own example) parses, so each row breaks one rule."""
    inst = ddp.parse_instance(instance_text({}))
    assert (inst.n, inst.k, inst.feature_point, inst.devices, inst.cloud_units) == (2, 2, 1, 1, 1)
    assert inst.device.tolist() == [0, 0] and inst.unit.tolist() == [0, 0]


@pytest.mark.parametrize("changes, key, event", [
    # n = 0: an empty instance is an error, not a zero makespan
    ({"arrival": [], "front": [], "trans": [], "cloud": []}, "arrival", None),
    # ragged rows: event 1 has k+1 = 2 numbers, event 0 has 3
    ({"front": [[0, 40, 90], [0, 40]]}, "front", 1),
    # k + 1 = 1 < 2: a single point is no partition
    ({"front": [[0], [0]], "trans": [[1], [1]], "cloud": [[0], [0]]}, "front", 0),
    # trans rows wider than front rows
    ({"trans": [[300, 80, 1, 0], [300, 80, 1, 0]]}, "trans", 0),
    # a row that is a number, not a list
    ({"cloud": [[60, 30, 0], 5]}, "cloud", 1),
    # NaN in the JSON text (Python's json accepts it by default)
    ({"arrival": [0, Raw("NaN")]}, "arrival", 1),
    # Infinity in a time row
    ({"trans": [[300, 80, 1], [300, Raw("Infinity"), 1]]}, "trans", 1),
    # -Infinity in a time row
    ({"cloud": [[Raw("-Infinity"), 30, 0], [60, 30, 0]]}, "cloud", 0),
    # NaN where an integer is expected
    ({"device": [0, Raw("NaN")]}, "device", 1),
    # NaN in the free-form meta: still not JSON, and it could never be saved again
    ({"meta": {"seed": Raw("NaN")}}, "meta", None),
    # a negative arrival
    ({"arrival": [-1, 100]}, "arrival", 0),
    # a negative time
    ({"front": [[0, 40, 90], [0, -40, 90]]}, "front", 1),
    # true where a number is expected (numpy would read it as 1)
    ({"arrival": [0, True]}, "arrival", 1),
    # false in a time row
    ({"cloud": [[60, 30, 0], [60, False, 0]]}, "cloud", 1),
    # a string where a number is expected
    ({"trans": [[300, "80", 1], [300, 80, 1]]}, "trans", 0),
    # true as a device
    ({"device": [0, True], "devices": 2}, "device", 1),
    # true as the number of devices
    ({"devices": True}, "devices", None),
    # a float where an integer is expected: device
    ({"device": [0, 1.0], "devices": 2}, "device", 1),
    # a float where an integer is expected: unit
    ({"cloud_units": 2, "unit": [0, 1.0]}, "unit", 1),
    # a float where an integer is expected: feature_point
    ({"feature_point": 1.0}, "feature_point", None),
    # a float where an integer is expected: devices
    ({"devices": 2.0}, "devices", None),
    # a float where an integer is expected: cloud_units
    ({"cloud_units": 1.0}, "cloud_units", None),
    # arrival decreasing at event 1
    ({"arrival": [100, 0]}, "arrival", 1),
    # device past devices - 1
    ({"device": [0, 2], "devices": 2}, "device", 1),
    # negative device
    ({"device": [-1, 0]}, "device", 0),
    # no devices at all
    ({"devices": 0}, "devices", None),
    # unit past cloud_units - 1
    ({"cloud_units": 2, "unit": [0, 2]}, "unit", 1),
    # no cloud unit at all
    ({"cloud_units": 0}, "cloud_units", None),
    # feature point past k
    ({"feature_point": 3}, "feature_point", None),
    # negative feature point
    ({"feature_point": -1}, "feature_point", None),
    # device list longer than the events
    ({"device": [0, 0, 0]}, "device", None),
    # fewer rows than events
    ({"front": [[0, 40, 90]]}, "front", None),
    # unknown top-level key (a typo must not pass silently)
    ({"feature_pont": 1}, "feature_pont", None),
    # wrong format
    ({"format": "ddp-instance/2"}, "format", None),
    # missing required key
    ({"cloud": DELETE}, "cloud", None),
    # missing format
    ({"format": DELETE}, "format", None),
    # arrival not a list
    ({"arrival": 0}, "arrival", None),
    # name not a string
    ({"name": 5}, "name", None),
    # meta not an object
    ({"meta": [1]}, "meta", None),
    # time_unit not a string
    ({"time_unit": 1}, "time_unit", None),
])
def test_reader_rejects_each_broken_rule(changes, key, event):
    """Each broken rule of ddp-instance/1 is an InstanceError naming the file, key and event."""
    with pytest.raises(ddp.InstanceError) as info:
        ddp.parse_instance(instance_text(changes), file="bad.json")
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.key, error.event) == (key, event)
    message = str(error)
    assert message.startswith("bad.json: ")
    assert f"key '{key}'" in message
    if event is not None:
        assert f"event {event}" in message
    assert "\n" not in message


@pytest.mark.parametrize("text, fragment", [
    ("", "invalid JSON"),  # an empty file
    ('{"format": "ddp-instance/1",', "invalid JSON"),  # truncated
    ("[0, 1]", "one JSON object"),  # not an object
    ("null", "one JSON object"),  # not an object either
])
def test_reader_rejects_text_that_is_not_an_instance(text, fragment):
    """Text that is not one JSON object is an InstanceError naming the file."""
    with pytest.raises(ddp.InstanceError, match=fragment) as info:
        ddp.parse_instance(text, file="bad.json")
    assert str(info.value).startswith("bad.json: ")


@pytest.mark.parametrize("field, value, key, event", [
    # NaN in a numpy array
    ("arrival", np.array([0.0, np.nan]), "arrival", 1),
    # inf in a numpy table
    ("cloud", np.array([[1.0, 0.0], [np.inf, 0.0]]), "cloud", 1),
    # negative in a numpy table
    ("trans", np.array([[1.0, -0.5], [1.0, 0.0]]), "trans", 0),
    # a float array of devices (an integer key)
    ("device", np.array([0.0, 1.0]), "device", None),
    # a boolean array where numbers are expected
    ("front", np.array([[True, False], [True, True]]), "front", None),
    # a 1-D array where rows are expected
    ("front", np.array([1.0, 2.0]), "front", None),
    # arrival decreasing
    ("arrival", np.array([3.0, 2.0]), "arrival", 1),
])
def test_constructor_rejects_bad_arrays(field, value, key, event):
    """``Instance(...)`` given numpy arrays applies the same rules, naming key and event."""
    fields = dict(arrival=[0.0, 1.0], front=[[0.0, 1.0]] * 2, trans=[[1.0, 0.0]] * 2,
                  cloud=[[1.0, 0.0]] * 2)
    fields[field] = value
    with pytest.raises(ddp.InstanceError) as info:
        ddp.Instance(**fields)
    assert (info.value.key, info.value.event) == (key, event)


def test_instance_arrays_are_contiguous_read_only_and_typed():
    """An instance holds read-only C-contiguous float64 times and int64 devices and units."""
    inst = ddp.Instance([0, 1], [[0, 1], [0, 1]], [[1, 0], [1, 0]], [[1, 0], [1, 0]],
                        device=np.array([0, 1], dtype=np.int32))
    for name in ("arrival", "front", "trans", "cloud"):
        array = getattr(inst, name)
        assert array.dtype == np.float64 and array.flags.c_contiguous
        assert not array.flags.writeable
    for name in ("device", "unit"):
        assert getattr(inst, name).dtype == np.int64
    with pytest.raises(ValueError):
        inst.front[0, 0] = 5.0


def test_instance_defaults_follow_the_format():
    """devices = max(device)+1, unit = device mod cloud_units, feature_point = k-1, time_unit ms."""
    inst = ddp.Instance([0, 0, 0], [[0, 1, 2]] * 3, [[0, 1, 2]] * 3, [[0, 1, 2]] * 3,
                        device=[0, 4, 3], cloud_units=2)
    assert inst.devices == 5
    assert inst.unit.tolist() == [0, 0, 1]
    assert inst.feature_point == 1
    assert inst.time_unit == "ms" and inst.meta == {} and inst.name is None


def test_replace_and_subset_revalidate():
    """``replace`` and ``subset`` give new validated instances; a bad change is refused."""
    inst = ddp.Instance([0, 1, 2], [[0, 1]] * 3, [[1, 0]] * 3, [[1, 0]] * 3, device=[0, 1, 1],
                        cloud_units=2, name="three")
    moved = inst.replace(device=[1, 0, 0])
    assert moved.unit.tolist() == [1, 0, 0]  # unit re-derived from the new devices
    part = inst.subset(slice(1, 3))
    assert part.n == 2 and part.arrival.tolist() == [1, 2] and part.devices == 2
    assert part.name == "three"
    with pytest.raises(ddp.InstanceError, match="key 'arrival', event 1"):
        inst.replace(arrival=[0, -1, 2])
    assert inst == ddp.Instance([0, 1, 2], [[0, 1]] * 3, [[1, 0]] * 3, [[1, 0]] * 3,
                                device=[0, 1, 1], cloud_units=2, name="three")
    assert inst != moved
