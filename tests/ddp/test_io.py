"""Reading and writing ``ddp-instance/1`` files: exact round trips, atomic saves, named files."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import any_instances

import ddp
import ddp.io

JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                        st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
META = st.dictionaries(st.text(max_size=8),
                       st.recursive(JSON_LEAVES, lambda inner: st.one_of(
                           st.lists(inner, max_size=3),
                           st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                           max_leaves=6),
                       max_size=4)


@st.composite
def described_instances(draw):
    """Instances with arbitrary floats (tiny, huge, subnormal), a name, meta and time unit."""
    inst = draw(st.one_of(any_instances(kind="float", max_time=1e12, max_gap=1e9),
                          any_instances(kind="float", max_time=1e-300, max_gap=1e-300),
                          any_instances(kind="int", max_time=3)))
    return inst.replace(name=draw(st.none() | st.text(max_size=10)), meta=draw(META),
                        time_unit=draw(st.sampled_from(["ms", "s", "us"])))


def assert_identical(loaded: ddp.Instance, inst: ddp.Instance) -> None:
    """Every field equal, and every time equal bit for bit."""
    assert loaded == inst
    for name in ("arrival", "front", "trans", "cloud"):
        assert getattr(loaded, name).tobytes() == getattr(inst, name).tobytes(), name


@settings(max_examples=40)  # fsync per example: the dict round trip below covers more cases
@given(inst=described_instances())
def test_save_load_round_trip_is_exact(tmp_path_factory, inst):
    """Saving then loading gives back the same instance, every float bit for bit."""
    path = tmp_path_factory.mktemp("round") / "inst.json"
    ddp.save_instance(inst, path)
    loaded = ddp.load_instance(path)
    assert_identical(loaded, inst)
    assert ddp.dumps_instance(loaded) == ddp.dumps_instance(inst)  # deterministic text


@settings(max_examples=100)
@given(inst=described_instances())
def test_dict_round_trip_is_exact(inst):
    """``instance_from_dict(instance_to_dict(inst))`` and the JSON text round trip exactly."""
    assert_identical(ddp.io.instance_from_dict(ddp.io.instance_to_dict(inst)), inst)
    assert_identical(ddp.parse_instance(ddp.dumps_instance(inst)), inst)


def test_saved_file_follows_the_format(tmp_path):
    """A saved file is one strict-JSON object with format ddp-instance/1 and only known keys."""
    inst = ddp.Instance([0, 1], [[0, 1]] * 2, [[1, 0]] * 2, [[1, 0]] * 2, device=[0, 1],
                        cloud_units=2, name="two", meta={"seed": 3})
    path = tmp_path / "inst.json"
    ddp.save_instance(inst, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "ddp-instance/1"
    assert set(data) <= set(ddp.io.REQUIRED_KEYS + ddp.io.OPTIONAL_KEYS)
    assert data["device"] == [0, 1] and data["unit"] == [0, 1] and data["meta"] == {"seed": 3}


def test_save_leaves_only_the_target(tmp_path):
    """Saving (also over an existing file) leaves the target and no temporary file behind."""
    inst = ddp.Instance([0], [[0, 1]], [[1, 0]], [[1, 0]])
    path = tmp_path / "inst.json"
    ddp.save_instance(inst, path)
    ddp.save_instance(inst.replace(name="again"), path)
    assert os.listdir(tmp_path) == ["inst.json"]
    assert ddp.load_instance(path).name == "again"


@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch, broken):
    """A failed write (sync or rename) leaves the old file intact and no temporary file."""
    old = ddp.Instance([0], [[0, 1]], [[1, 0]], [[1, 0]], name="old")
    path = tmp_path / "inst.json"
    ddp.save_instance(old, path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ddp.io.os, broken, fail)
    with pytest.raises(OSError, match="No space left"):
        ddp.save_instance(old.replace(name="new"), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["inst.json"]


def test_atomic_write_text_in_the_current_directory(tmp_path, monkeypatch):
    """A bare file name (no directory part) is written in the current directory."""
    monkeypatch.chdir(tmp_path)
    ddp.io.atomic_write_text("plain.txt", "hello\n")
    assert (tmp_path / "plain.txt").read_text() == "hello\n"
    assert os.listdir(tmp_path) == ["plain.txt"]


def test_load_names_the_file_in_every_error(tmp_path):
    """A rule broken in a file gives an error that names the file, the key and the event."""
    path = tmp_path / "bad.json"
    path.write_text('{"format": "ddp-instance/1", "arrival": [0, 1], "front": [[0, 1], [0, -1]],'
                    ' "trans": [[1, 0], [1, 0]], "cloud": [[1, 0], [1, 0]]}', encoding="utf-8")
    with pytest.raises(ddp.InstanceError) as info:
        ddp.load_instance(path)
    assert info.value.file == str(path)
    assert str(info.value).startswith(f"{path}: key 'front', event 1: ")


@pytest.mark.parametrize("make, fragment", [
    (lambda p: None, "cannot read the file"),  # missing
    (lambda p: p.mkdir(), "cannot read the file"),  # a directory
    (lambda p: p.write_bytes(b"\xff\xfe{"), "cannot read the file"),  # not UTF-8
    (lambda p: p.write_text("{", encoding="utf-8"), "invalid JSON"),  # not JSON
])
def test_load_unreadable_files_name_the_file(tmp_path, make, fragment):
    """A file that cannot be read or parsed is an InstanceError starting with its path."""
    path = tmp_path / "inst.json"
    make(path)
    with pytest.raises(ddp.InstanceError, match=fragment) as info:
        ddp.load_instance(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "\n" not in str(info.value)


def test_load_accepts_integers_and_floats_for_times(tmp_path):
    """Numbers may be written as integers or floats; both read as float64."""
    path = tmp_path / "inst.json"
    path.write_text('{"format": "ddp-instance/1", "arrival": [0, 1.5], "front": [[0, 1.0], '
                    '[0, 2]], "trans": [[1, 0], [1e0, 0]], "cloud": [[1, 0], [1, 0]]}',
                    encoding="utf-8")
    inst = ddp.load_instance(path)
    assert inst.arrival.tolist() == [0.0, 1.5]
    assert inst.front.dtype == np.float64 and inst.front.tolist() == [[0, 1], [0, 2]]
