"""Hostile inputs, flags and targets on the command line: one error line and exit 2, nothing a
user saved destroyed, the remaining files of a multi-file command still processed."""

from __future__ import annotations

import json
import os
import tracemalloc

import pytest

import ddp
from tests.helpers import run_cli

HOSTILE = {
    "deep.json": "[" * 100000 + "]" * 100000,
    "int400.json": '{"format": "ddp-instance/1", "arrival": [' + "9" * 400 + '], '
                   '"front": [[0, 1]], "trans": [[0, 1]], "cloud": [[0, 1]]}',
    "units.json": '{"format": "ddp-instance/1", "arrival": [0], "front": [[0, 1]], '
                  '"trans": [[0, 1]], "cloud": [[0, 1]], "cloud_units": 100000000000000000000}',
    "devices.json": '{"format": "ddp-instance/1", "arrival": [0], "front": [[0, 1]], '
                    '"trans": [[0, 1]], "cloud": [[0, 1]], "devices": 1000000000}',
    "index.json": '{"format": "ddp-instance/1", "arrival": [0], "front": [[0, 1]], '
                  '"trans": [[0, 1]], "cloud": [[0, 1]], "device": [1000000000]}',
    "e308.json": '{"format": "ddp-instance/1", "arrival": [1e308, 1e308], "front": [[1e308, '
                 '1e308], [1e308, 1e308]], "trans": [[1e308, 1e308], [1e308, 1e308]], '
                 '"cloud": [[1e308, 1e308], [1e308, 1e308]]}',
}




@pytest.fixture
def good(tmp_path):
    path = tmp_path / "ok.json"
    ddp.save_instance(ddp.Instance([0, 100], [[0, 40, 90]] * 2, [[300, 80, 1]] * 2,
                                   [[60, 30, 0]] * 2), path)
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_are_one_line_and_the_next_file_is_still_solved(tmp_path, good, capsys,
                                                                      name):
    bad = tmp_path / name
    bad.write_text(HOSTILE[name], encoding="utf-8")
    code, out, err = run_cli(["solve", good, bad, good, "--json"], capsys)
    assert code == 2
    assert [json.loads(line)["file"] for line in out] == [str(good), str(good)]
    assert len(err) == 1 and err[0].startswith(f"ddp: error: {bad}: ")


def test_special_input_files_are_refused_at_once(tmp_path, good, capsys):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    code, out, err = run_cli(["solve", "/dev/zero", fifo, good, "--json"], capsys)
    assert code == 2 and len(out) == 1
    assert err == ["ddp: error: /dev/zero: cannot read the file (a character device, not a "
                   "regular file)",
                   f"ddp: error: {fifo}: cannot read the file (a FIFO, not a regular file)"]


@pytest.mark.parametrize("command", [["compare"], ["evaluate", "--choices", "0,0"],
                                     ["plot", "-o", "x.png"]])
def test_overflowing_times_are_refused_by_every_command(tmp_path, capsys, command):
    bad = tmp_path / "e308.json"
    bad.write_text(HOSTILE["e308.json"], encoding="utf-8")
    code, _, err = run_cli([command[0], bad, *command[1:]], capsys)
    assert code == 2 and err[0].startswith(f"ddp: error: {bad}: key 'arrival'")
    assert "times too large" in err[0] and len(err) == 1


@pytest.mark.parametrize("choices", ["", " ", "0,,1", "0,1,", ",0,1"])
def test_empty_choice_entries_are_errors(good, capsys, choices):
    code, _, err = run_cli(["evaluate", good, "--choices", choices], capsys)
    assert code == 2 and len(err) == 1 and "--choices" in err[0]


@pytest.mark.parametrize("output", ["adir", "out/", ""])
def test_plot_refuses_names_that_are_not_files_before_any_work(tmp_path, good, capsys,
                                                               monkeypatch, output):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    before = sorted(os.listdir(tmp_path))
    code, _, err = run_cli(["plot", good, "-o", output], capsys)
    assert code == 2 and len(err) == 1 and "cannot write the figure" in err[0]
    assert sorted(os.listdir(tmp_path)) == before


def test_plot_writes_exactly_the_name_given(tmp_path, good, capsys):
    pytest.importorskip("matplotlib")
    code, out, _ = run_cli(["plot", good, "-o", tmp_path / "figure"], capsys)
    assert code == 0 and out[0].startswith(f"{tmp_path / 'figure'}: ")
    assert (tmp_path / "figure").read_bytes()[:4] == b"\x89PNG"
    assert sorted(os.listdir(tmp_path)) == ["figure", "ok.json"]


def test_generate_refuses_a_fifo_and_writes_through_a_symlink(tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, _, err = run_cli(["instance", "generate", "-o", fifo], capsys)
    assert code == 2 and "a FIFO, not a regular file" in err[0] and fifo.is_fifo()
    os.symlink("target.json", tmp_path / "link.json")
    code, _, err = run_cli(["instance", "generate", "-o", tmp_path / "link.json"], capsys)
    assert code == 0 and (tmp_path / "link.json").is_symlink()
    assert ddp.load_instance(tmp_path / "target.json").n == 8


@pytest.mark.parametrize(("flags", "fragment"), [
    (["--interval", "1e308"], "interval 1e+308"),
    (["--interval", "poisson:1e308"], "interval poisson"),
    (["--devices", "1000000000"], "devices must be >= 1 and at most 1000000"),
    (["--cloud-units", "1000000000"], "cloud_units must be >= 1 and at most 1000000"),
    (["--events", "99999999999"], "at most 10000000 events"),
])
def test_generate_limits_are_one_line(tmp_path, capsys, flags, fragment):
    code, _, err = run_cli(["instance", "generate", *flags, "-o", tmp_path / "x.json"], capsys)
    assert code == 2 and len(err) == 1 and fragment in err[0]
    assert not (tmp_path / "x.json").exists()


def test_generate_memory_does_not_grow_with_the_interval(tmp_path, capsys):
    tracemalloc.start()
    try:
        code, _, _ = run_cli(["instance", "generate", "--events", "4", "--interval", "3e10",
                          "-o", tmp_path / "x.json"], capsys)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 0 and peak < 50e6
    inst = ddp.load_instance(tmp_path / "x.json")
    assert inst.arrival.tolist() == [0.0, 3e10, 6e10, 9e10]
