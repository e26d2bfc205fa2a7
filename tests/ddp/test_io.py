"""Reading and writing ``ddp-instance/1`` files: exact round trips, atomic saves, named files."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
import ddp.io
from tests.helpers import any_instances

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


# -- bounded reads -------------------------------------------------------------------------------

def test_special_files_are_refused_before_reading(tmp_path):
    """A FIFO without a writer would block and /dev/zero never ends: both are refused at once."""
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "a FIFO"), ("/dev/zero", "a character device"),
                       (tmp_path, "a directory")):
        with pytest.raises(ddp.InstanceError, match=f"cannot read the file \\({kind}, not a "
                                                    f"regular file\\)"):
            ddp.load_instance(path)


def test_a_symlink_to_an_instance_is_read(tmp_path):
    inst = ddp.Instance([0], [[0, 1]], [[1, 0]], [[1, 0]])
    ddp.save_instance(inst, tmp_path / "real.json")
    os.symlink(tmp_path / "real.json", tmp_path / "link.json")
    assert ddp.load_instance(tmp_path / "link.json") == inst


def test_reads_are_bounded(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(OSError, match="larger than the limit of 100 bytes"):
        ddp.io.read_text_bounded(path, limit=100)
    assert ddp.io.read_text_bounded(path, limit=101) == "x" * 101


@pytest.mark.parametrize("text, fragment", [
    ("[" * 100000 + "]" * 100000, "nested deeper than 64"),
    ('{"format": "ddp-instance/1", "arrival": [' + "[" * 70 + "0" + "]" * 70 + '], '
     '"front": [[0, 1]], "trans": [[0, 1]], "cloud": [[0, 1]]}', "key 'arrival'"),
    ('{"format": "ddp-instance/1", "arrival": [' + "9" * 400 + '], "front": [[0, 1]], '
     '"trans": [[0, 1]], "cloud": [[0, 1]]}', "key 'arrival'"),
    ('{"format": "ddp-instance/1", "arrival": [' + "9" * 5000 + "]}", "invalid JSON"),
    ('{"format": "ddp-instance/1", "arrival": [0], "front": [[0, 1]], "trans": [[0, 1]], '
     '"cloud": [[0, 1]], "devices": ' + "1" + "0" * 20 + "}", "key 'devices'"),
    ('{"format": "ddp-instance/1", "arrival": [0], "front": [[0, 1]], "trans": [[0, 1]], '
     '"cloud": [[0, 1]], "cloud_units": ' + "1" + "0" * 20 + "}", "key 'cloud_units'"),
    ('{"format": "ddp-instance/1", "arrival": [1e308], "front": [[0, 1]], "trans": [[0, 1]], '
     '"cloud": [[0, 1]]}', "times too large"),
    ('{"format": "ddp-instance/1", "arrival": [0], "front": [[0, 1]], "trans": [[0, 1]], '
     '"cloud": [[0, 1]], "meta": ' + '{"a": ' * 70 + "0" + "}" * 70 + "}", "key 'meta'"),
])
def test_hostile_json_is_one_error_naming_the_file(tmp_path, text, fragment):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ddp.InstanceError, match=fragment) as info:
        ddp.load_instance(path)
    assert str(info.value).startswith(f"{path}: ") and "\n" not in str(info.value)


# -- what a write does to its target -------------------------------------------------------------

def test_a_write_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    (tmp_path / "sub").mkdir()
    target = tmp_path / "sub" / "real.txt"
    target.write_text("old")
    target.chmod(0o600)
    link = tmp_path / "link.txt"
    os.symlink("sub/real.txt", link)
    ddp.io.atomic_write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == "sub/real.txt"
    assert target.read_text() == "new"
    assert (target.stat().st_mode & 0o777) == 0o600  # an existing file keeps its mode
    assert sorted(os.listdir(tmp_path / "sub")) == ["real.txt"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    os.symlink("created.txt", tmp_path / "link.txt")
    ddp.io.atomic_write_text(tmp_path / "link.txt", "x")
    assert (tmp_path / "created.txt").read_text() == "x"


@pytest.mark.parametrize("kind", ["fifo", "directory", "link-to-fifo", "empty", "slash"])
def test_writes_refuse_targets_that_are_not_regular_files(tmp_path, kind):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "folder").mkdir()
    os.symlink(fifo, tmp_path / "link")
    target = {"fifo": str(fifo), "directory": str(tmp_path / "folder"),
              "link-to-fifo": str(tmp_path / "link"), "empty": "",
              "slash": str(tmp_path / "new") + "/"}[kind]
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(OSError, match=r"not a regular file|not a file name"):
        ddp.io.atomic_write_text(target, "data")
    assert sorted(os.listdir(tmp_path)) == before
    assert (tmp_path / "fifo").is_fifo() and (tmp_path / "folder").is_dir()


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_write_removes_the_temporaries_of_dead_writers_only(tmp_path):
    host = ddp.io._HOST
    dead = tmp_path / f".out.json.{host}.{_dead_pid()}.abcd1234.tmp"
    alive = tmp_path / f".out.json.{host}.{os.getpid()}.abcd1234.tmp"
    other_host = tmp_path / f".out.json.elsewhere.{_dead_pid()}.abcd1234.tmp"
    other_target = tmp_path / f".other.json.{host}.{_dead_pid()}.abcd1234.tmp"
    for path in (dead, alive, other_host, other_target):
        path.write_bytes(b"x" * 1000)
    ddp.io.atomic_write_text(tmp_path / "out.json", "{}")
    assert not dead.exists()
    assert alive.exists() and other_host.exists() and other_target.exists()
