"""``ddp solve --policy opt`` and ``ddp compare``'s OPT row, through ``ddp.cli.main``."""

from __future__ import annotations

import json

import pytest

import ddp
from ddp.cli import main
from solvers.lookahead import run_rollout
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def files(tmp_path_factory, make_random):
    """One-device, shared-unit (two devices) and too-big instance files."""
    folder = tmp_path_factory.mktemp("opt")
    paths = {}
    for name, inst in {"single": make_random(12, 1),
                       "shared": make_random(6, 2, k=3, devices=2),
                       "big": make_random(3000, 3)}.items():
        paths[name] = str(folder / f"{name}.json")
        ddp.save_instance(inst, paths[name])
    return paths




@pytest.mark.parametrize("solver", ["auto", "dp", "cpsat", "milp-highs", "milp-cbc"])
def test_solve_opt_json(files, capsys, solver):
    """``--policy opt --json``: makespan re-evaluates, bound below it, solver named."""
    code, out, err = run_cli(["solve", files["single"], "--policy", "opt", "--solver", solver,
                          "--time-limit", 30, "--json"], capsys)
    assert code == 0 and err == []
    record = json.loads(out[0])
    inst = ddp.load_instance(files["single"])
    assert record["makespan"] == ddp.evaluate(inst, record["choices"]).makespan
    assert record["lower_bound"] <= record["makespan"]
    assert record["solver"] == solver
    assert record["status"] == "optimal" and record["runtime_s"] >= 0


def test_solve_opt_table_on_several_files(files, capsys):
    """The table shows the bound, the status and the solver per file."""
    code, out, _ = run_cli(["solve", files["single"], files["shared"], "--policy", "opt"], capsys)
    text = "\n".join(out)
    assert code == 0
    assert "auto" in text and "optimal" in text and text.count("optimal") >= 2


def test_solve_opt_time_limit_reached_is_feasible(files, capsys):
    """A time limit reached: the best schedule found, status feasible, exit 0."""
    code, out, _ = run_cli(["solve", files["big"], "--policy", "opt", "--time-limit", 0.3,
                        "--json"], capsys)
    record = json.loads(out[0])
    assert code == 0 and record["status"] == "feasible"
    assert 0 < record["lower_bound"] < record["makespan"]


@pytest.mark.parametrize("argv, fragment", [
    (["--solver", "dp"], "dp is exact only"),  # dp cannot do devices sharing a unit
    (["--solver", "brute", "--time-limit", 5], None),  # brute fits: no error
    (["--time-limit", 0], "--time-limit"),  # non-positive limit
])
def test_solve_opt_errors_exit_2_with_reason(files, capsys, argv, fragment):
    """An unfit solver or bad limit: exit 2, one line with the reason."""
    code, out, err = run_cli(["solve", files["shared"], "--policy", "opt", *argv, "--json"], capsys)
    if fragment is None:
        assert code == 0 and json.loads(out[0])["status"] == "optimal"
    else:
        assert code == 2 and len(err) == 1
        assert err[0].startswith("ddp: error:") and fragment in err[0]


def test_solve_opt_brute_too_big_exit_2(files, capsys):
    """brute on an instance past its enumeration limit: exit 2 naming the limit."""
    code, _, err = run_cli(["solve", files["single"], "--policy", "opt", "--solver", "brute"],
                       capsys)
    assert code == 2 and "enumerate" in err[0]


def test_compare_json_has_opt_row_and_gap(files, capsys):
    """``compare --json``: an OPT row with bound, status, solver and DDP's excess over it."""
    code, out, err = run_cli(["compare", files["single"], "--json", "--time-limit", 20], capsys)
    assert code == 0 and err == []
    records = [json.loads(line) for line in out]
    assert [r["policy"] for r in records] == [*ddp.POLICIES, "lookahead", "rollout", "opt"]
    opt = records[-1]
    ddp_makespan = records[0]["makespan"]
    assert opt["status"] == "optimal" and opt["solver"] == "auto"
    assert opt["makespan"] <= min(r["makespan"] for r in records[:-1])
    assert opt["ddp_ratio_to_opt"] == pytest.approx(ddp_makespan / opt["makespan"])
    assert opt["ddp_excess_pct"] == pytest.approx(100 * (ddp_makespan / opt["makespan"] - 1))
    assert opt["ddp_excess_pct_max"] >= opt["ddp_excess_pct"] - 1e-9


def test_compare_table_shows_opt_and_gap(files, capsys):
    """``compare`` prints the OPT row and DDP's gap under the table."""
    code, out, _ = run_cli(["compare", files["shared"]], capsys)
    text = " ".join(" ".join(out).split())
    assert code == 0
    assert "OPT" in text and "DDP above OPT" in text and "DDP/OPT" in text


def test_compare_time_limit_reached_says_not_proven(files, capsys):
    """``compare`` with a limit too short to prove: the caption bounds the gap instead."""
    code, out, _ = run_cli(["compare", files["big"], "--time-limit", 0.3], capsys)
    text = " ".join(" ".join(out).split())
    assert code == 0 and "not proven" in text and "at most" in text


def test_solve_lookahead_json(files, capsys):
    """``--policy lookahead``: the window and prediction are recorded, the makespan
    re-evaluates, and ``--window 0`` gives DDP's choices."""
    code, out, err = run_cli(["solve", files["single"], "--policy", "lookahead", "--window", 2,
                          "--predict", "repeat", "--json"], capsys)
    assert code == 0 and err == []
    record = json.loads(out[0])
    inst = ddp.load_instance(files["single"])
    assert record["window"] == 2 and record["predict"] == "repeat"
    assert record["makespan"] == ddp.evaluate(inst, record["choices"]).makespan
    code, out, _ = run_cli(["solve", files["single"], "--policy", "lookahead", "--window", 0,
                        "--json"], capsys)
    ddp_choices = [int(c) for c in ddp.run_policy(inst, "ddp").choices]
    assert code == 0 and json.loads(out[0])["choices"] == ddp_choices


def test_solve_rollout_json_records_its_settings(files, capsys):
    """``--policy rollout --polish N``: the settings are recorded, the choices are
    ``run_rollout``'s with them, and the makespan re-evaluates."""
    inst = ddp.load_instance(files["single"])
    for polish in (0, 3):
        code, out, err = run_cli(["solve", files["single"], "--policy", "rollout", "--window", 1,
                                  "--polish", polish, "--json"], capsys)
        assert code == 0 and err == []
        record = json.loads(out[0])
        assert record["window"] == 1 and record["polish"] == polish
        expected = run_rollout(inst, window=1, polish=polish)
        assert record["choices"] == [int(c) for c in expected.choices]
        assert record["makespan"] == ddp.evaluate(inst, record["choices"]).makespan


@pytest.mark.parametrize("argv", [["--window", -1], ["--window", "x"], ["--predict", "oracle"],
                                  ["--polish", -2], ["--polish", "1.5"]])
def test_solve_lookahead_bad_flags_exit_2(files, capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        main(["solve", files["single"], "--policy", "lookahead", *map(str, argv)])
    err = capsys.readouterr().err.splitlines()
    assert exit_info.value.code == 2 and len(err) == 1 and err[0].startswith("ddp: error:")


def test_compare_has_a_lookahead_row(files, capsys):
    code, out, _ = run_cli(["compare", files["single"], "--json", "--window", 1], capsys)
    rows = {json.loads(line)["policy"]: json.loads(line) for line in out}
    assert code == 0 and "lookahead" in rows
    assert rows["lookahead"]["makespan"] >= rows["opt"]["makespan"] - 1e-9


def test_search_worst_writes_a_file_compare_re_checks(tmp_path, capsys):
    path = tmp_path / "worst.json"
    code, out, err = run_cli(["search", "worst", "--events", 3, "--points", 1, "--budget", 30,
                          "--evaluations", 200, "--seed", 3, "-o", path, "--json"], capsys)
    assert code == 0 and err == []
    record = json.loads(out[0])
    assert record["evaluations"] == 200 and record["ddp_ratio_to_opt"] >= 1.0
    code, out, _ = run_cli(["compare", path, "--json"], capsys)
    opt = [json.loads(line) for line in out][-1]
    assert opt["ddp_ratio_to_opt"] == pytest.approx(record["ddp_ratio_to_opt"], rel=1e-12)


@pytest.mark.parametrize("argv", [["--events", 0], ["--budget", "x"], ["--events", 40]])
def test_search_worst_bad_flags_exit_2(capsys, argv):
    try:
        code = main(["search", "worst", *map(str, argv)])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("ddp: error:")
