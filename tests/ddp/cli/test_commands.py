"""The ``ddp`` command line (demo, solve, evaluate, compare), through ``ddp.cli.main``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ddp
from ddp.cli import main
from ddp.schedule import EVENT_TIMES
from solvers.lookahead import run_lookahead, run_rollout
from tests.helpers import POLICY_NAMES


def run(argv: list[str], capsys) -> tuple[int, list[str], list[str]]:
    """Run the CLI; return the exit status and the stdout and stderr lines."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def json_lines(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines]


def spec_example() -> ddp.Instance:
    return ddp.Instance([0, 100], [[0, 40, 90], [0, 40, 90]], [[300, 80, 1], [300, 80, 1]],
                        [[60, 30, 0], [60, 30, 0]], feature_point=1, name="spec example")


def several_devices() -> ddp.Instance:
    rng = np.random.default_rng(3)
    n, k = 12, 4
    return ddp.Instance(np.cumsum(rng.integers(0, 4, n)),
                        *(rng.integers(0, 9, (n, k + 1)) * 0.5 for _ in range(3)),
                        device=rng.integers(0, 3, n), devices=3, cloud_units=2)


@pytest.fixture
def files(tmp_path) -> list[Path]:
    """Three good instance files: the format's example, several devices and units, one event."""
    paths = []
    for name, inst in (("spec.json", spec_example()), ("multi.json", several_devices()),
                       ("one.json", ddp.Instance([5], [[0, 2]], [[3, 1]], [[4, 0]]))):
        ddp.save_instance(inst, tmp_path / name)
        paths.append(tmp_path / name)
    return paths


@pytest.fixture
def bad_file(tmp_path) -> Path:
    """An instance file with a negative front time at event 1."""
    path = tmp_path / "bad.json"
    path.write_text('{"format": "ddp-instance/1", "arrival": [0, 1], "front": [[0, 1], [0, -1]],'
                    ' "trans": [[1, 0], [1, 0]], "cloud": [[1, 0], [1, 0]]}', encoding="utf-8")
    return path


def assert_one_error_line(err: list[str], *fragments: str) -> None:
    """Exactly one stderr line, ``ddp: error: ...`` containing every fragment, no traceback."""
    assert len(err) == 1, err
    assert err[0].startswith("ddp: error: ")
    for fragment in fragments:
        assert fragment in err[0]


def test_demo_prints_every_policy(capsys):
    """``ddp demo`` runs without a file and prints a table with all five policies."""
    code, out, err = run(["demo"], capsys)
    assert code == 0 and err == []
    text = "\n".join(out)
    for policy in POLICY_NAMES:
        assert f" {policy.upper()} " in text, policy
    assert "makespan" in text


def test_demo_json_has_every_policy_and_consistent_reductions(capsys):
    """``demo --json``: a line per policy; DDP's reduction vs each is 100 (Z_DDP - Z_X) / Z_X."""
    code, out, err = run(["demo", "--json"], capsys)
    assert code == 0 and err == []
    records = json_lines(out)
    assert [r["policy"] for r in records] == list(ddp.POLICIES)
    makespans = {r["policy"]: r["makespan"] for r in records}
    for record in records:
        expected = 100 * (makespans["ddp"] - record["makespan"]) / record["makespan"]
        assert record["ddp_reduction_pct"] == pytest.approx(expected)
        assert record["status"] == "heuristic"


@pytest.mark.parametrize("policy", POLICY_NAMES)
def test_solve_json_one_line_per_file_in_order(files, capsys, policy):
    """``solve --json`` on several files: one object per file, in order, equal to run_policy."""
    code, out, err = run(["solve", *files, "--policy", policy, "--json"], capsys)
    assert code == 0 and err == []
    records = json_lines(out)
    assert [r["file"] for r in records] == [str(p) for p in files]
    for path, record in zip(files, records, strict=False):
        schedule = ddp.run_policy(ddp.load_instance(path), policy)
        assert record["policy"] == policy
        assert record["status"] == "heuristic"
        assert record["makespan"] == schedule.makespan
        assert record["choices"] == schedule.choices.tolist()
        assert "schedule" not in record


def test_solve_defaults_to_ddp(files, capsys):
    """Without ``--policy``, solve runs DDP."""
    code, out, _ = run(["solve", files[0], "--json"], capsys)
    assert code == 0 and json_lines(out)[0]["policy"] == "ddp"


def test_solve_schedule_adds_per_event_times(files, capsys):
    """``solve --json --schedule`` adds each event's point and five times, as the schedule."""
    code, out, _ = run(["solve", *files, "--json", "--schedule"], capsys)
    assert code == 0
    for path, record in zip(files, json_lines(out), strict=False):
        schedule = ddp.run_policy(ddp.load_instance(path), "ddp")
        assert [row["event"] for row in record["schedule"]] == list(range(schedule.n))
        assert [row["point"] for row in record["schedule"]] == schedule.choices.tolist()
        for name in EVENT_TIMES:
            assert [row[name] for row in record["schedule"]] == getattr(schedule, name).tolist()


@pytest.mark.parametrize("extra", [[], ["--schedule"]])
def test_solve_table(files, capsys, extra):
    """Without ``--json``, solve prints a rich table (and the schedules with ``--schedule``)."""
    code, out, err = run(["solve", *files, "--policy", "fb", *extra], capsys)
    assert code == 0 and err == []
    text = "\n".join(out)
    assert "ddp solve" in text and "heuristic" in text and "250.000" in text  # FB on the example
    assert ("finish_cl" in text) == bool(extra)


def test_solve_bad_file_among_good_ones(files, bad_file, tmp_path, capsys):
    """A bad or missing file gets its error line on stderr, the others are solved, exit status 2."""
    missing = tmp_path / "missing.json"
    argv = ["solve", files[0], bad_file, files[1], missing, files[2], "--json"]
    code, out, err = run(argv, capsys)
    assert code == 2
    assert [r["file"] for r in json_lines(out)] == [str(p) for p in files]
    assert len(err) == 2
    assert err[0] == f"ddp: error: {bad_file}: key 'front', event 1: value -1.0 is negative " \
                     f"(times must be >= 0)"
    assert err[1].startswith(f"ddp: error: {missing}: cannot read the file")


def test_solve_only_bad_files_exit_2_without_table(bad_file, capsys):
    """When every file is bad the table is not printed and the status is 2."""
    code, out, err = run(["solve", bad_file], capsys)
    assert code == 2 and out == []
    assert_one_error_line(err, str(bad_file), "key 'front'", "event 1")


def test_evaluate_choices_gives_evaluate_makespan(files, capsys):
    """``evaluate --choices`` prints the makespan and times ``ddp.evaluate`` gives."""
    path = files[1]
    inst = ddp.load_instance(path)
    choices = [(3 * j) % (inst.k + 1) for j in range(inst.n)]
    code, out, err = run(["evaluate", path, "--choices", ",".join(map(str, choices)), "--json"],
                         capsys)
    assert code == 0 and err == []
    (record,) = json_lines(out)
    schedule = ddp.evaluate(inst, choices)
    assert record["makespan"] == schedule.makespan
    assert record["choices"] == choices
    assert [row["finish_cloud"] for row in record["schedule"]] == schedule.finish_cloud.tolist()


@pytest.mark.parametrize("text", ["[2, 2]", "2 2\n", "2,2"])
def test_evaluate_choices_file(files, tmp_path, capsys, text):
    """``evaluate --choices-file`` reads a JSON list or numbers separated by commas or spaces."""
    choices = tmp_path / "choices.txt"
    choices.write_text(text, encoding="utf-8")
    code, out, _ = run(["evaluate", files[0], "--choices-file", choices, "--json"], capsys)
    assert code == 0
    assert json_lines(out)[0]["makespan"] == 191.0


def test_evaluate_table_prints_the_makespan(files, capsys):
    """Without ``--json``, evaluate prints the schedule table and the makespan."""
    code, out, _ = run(["evaluate", files[0], "--choices", "0,0"], capsys)
    assert code == 0
    assert out[-1] == "makespan: 460.000000 ms"


@pytest.mark.parametrize("choices, fragments", [
    ("2,5", ["key 'choices'", "event 1", "out of range 0..2"]),  # point past k
    ("2", ["key 'choices'", "needs 2 points"]),  # too few points
    ("2,x", ["--choices", "integers"]),  # not a number
    ("[2, 1.5]", ["--choices", "integers"]),  # a float in a JSON list
])
def test_evaluate_bad_choices_exit_2(files, capsys, choices, fragments):
    """Bad choices: exit status 2 and one stderr line naming what is wrong (and the event)."""
    code, out, err = run(["evaluate", files[0], "--choices", choices], capsys)
    assert code == 2 and out == []
    assert_one_error_line(err, *fragments)


def test_evaluate_missing_choices_file_exit_2(files, tmp_path, capsys):
    """An unreadable choices file: exit 2, one line naming it."""
    missing = tmp_path / "nope.txt"
    code, _, err = run(["evaluate", files[0], "--choices-file", missing], capsys)
    assert code == 2
    assert_one_error_line(err, str(missing))


def test_compare_json(files, capsys):
    """``compare --json``: a line per policy, makespan as run_policy, DDP's reduction."""
    code, out, err = run(["compare", files[1], "--json"], capsys)
    assert code == 0 and err == []
    records = [r for r in json_lines(out) if r["policy"] != "opt"]  # OPT: tests/solvers
    inst = ddp.load_instance(files[1])
    assert [r["policy"] for r in records] == [*ddp.POLICIES, "lookahead", "rollout"]
    ddp_makespan = ddp.run_policy(inst, "ddp").makespan
    special = {"lookahead": run_lookahead, "rollout": run_rollout}
    for record in records:
        schedule = special.get(record["policy"], lambda i, p=record["policy"]:
                               ddp.run_policy(i, p))(inst)
        assert record["file"] == str(files[1])
        assert record["makespan"] == schedule.makespan
        assert record["choices"] == schedule.choices.tolist()
        assert record["ddp_reduction_pct"] == pytest.approx(
            100 * (ddp_makespan - schedule.makespan) / schedule.makespan)


def test_compare_table(files, capsys):
    """``compare`` without ``--json`` prints a table naming every policy."""
    code, out, _ = run(["compare", files[0]], capsys)
    assert code == 0
    text = "\n".join(out)
    assert all(f" {p.upper()} " in text for p in POLICY_NAMES)


@pytest.mark.parametrize("argv", [
    ["solve", "{file}", "--policy", "bogus"],  # unknown policy
    ["solve"],  # no file
    ["evaluate", "{file}"],  # neither --choices nor --choices-file
    ["frobnicate"],  # unknown command
    [],  # no command
])
def test_usage_errors_exit_2_with_one_line(files, capsys, argv):
    """A usage error (unknown policy, missing argument or command): exit 2, one stderr line."""
    code, out, err = run([a.format(file=files[0]) for a in argv], capsys)
    assert code == 2 and out == []
    assert_one_error_line(err)
    if "bogus" in argv:
        assert "bogus" in err[0]


@pytest.mark.parametrize("command", [["compare"], ["evaluate", "--choices", "0"]])
def test_bad_file_exit_2_naming_file_key_event(bad_file, capsys, command):
    """compare and evaluate on a bad file: exit 2, one line naming the file, key and event."""
    code, out, err = run([command[0], bad_file, *command[1:]], capsys)
    assert code == 2 and out == []
    assert_one_error_line(err, str(bad_file), "key 'front'", "event 1")


def test_console_script_exit_status_and_single_error_line(bad_file):
    """The installed ``ddp`` script exits 2 with a single stderr line and no traceback."""
    script = Path(sys.prefix) / "bin" / "ddp"
    assert script.exists(), f"console script not installed at {script}"
    result = subprocess.run([str(script), "solve", str(bad_file), "--json"],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == [f"ddp: error: {bad_file}: key 'front', event 1: value -1.0 is negative "
                     f"(times must be >= 0)"]


def _broken(args):
    raise KeyError("no such thing")


def test_an_internal_error_is_one_line_and_exit_1(monkeypatch, capsys):
    """A bug in a command: one line naming the exception, exit status 1, no traceback."""
    monkeypatch.setattr("ddp.cli.demo.run", _broken)
    code, _out, err = run(["demo"], capsys)
    assert code == 1
    assert err == ["ddp: internal error: KeyError: 'no such thing' (run with --debug for the "
                   "traceback)"]


def test_debug_shows_the_traceback_of_an_internal_error(monkeypatch):
    """With --debug the exception propagates (Python prints its traceback)."""
    monkeypatch.setattr("ddp.cli.demo.run", _broken)
    with pytest.raises(KeyError, match="no such thing"):
        main(["--debug", "demo"])
