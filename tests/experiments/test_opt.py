"""OPT beside the tables' rows: the fields, the sample, reproducibility and --resume."""

import json
import math

import pytest

import solvers
from ddp.cli import main
from experiments import Options, run_experiment
from experiments.opt import RATIO_POLICIES, opt_fields, opt_plan
from experiments.specs import gap_cells, gap_solver

NETWORK = "resnet3d50"
OPT_KEYS = ["opt_instances", "opt_proven", "opt_failed", "opt_gap_max_pct",
            "ddp_opt_ratio_median", "ddp_opt_ratio_p95", "ddp_opt_ratio_max",
            "ns_opt_ratio_median", "ac_opt_ratio_median", "af_opt_ratio_median",
            "fb_opt_ratio_median"]


def _options(tmp_path, **changes):
    settings = dict(quick=True, networks=[NETWORK], results=tmp_path, jobs=1, progress=False)
    settings.update(changes)
    return Options(**settings)


def _record(makespans, status, objective, lower):
    return {"makespans": dict(zip(RATIO_POLICIES, makespans, strict=True)),
            "opt": {"status": status, "objective": objective, "lower_bound": lower}}


def _opt_of(row):
    return {key: row[key] for key in OPT_KEYS}


def _count_solves(monkeypatch):
    """Count solvers.solve calls made in this process (jobs=1 runs everything here)."""
    calls = []
    solve = solvers.solve

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return solve(*args, **kwargs)

    monkeypatch.setattr(solvers, "solve", counting)
    return calls


def test_opt_fields_over_the_optimum_where_proven_and_the_bound_elsewhere():
    """Proven: over the best schedule known (never below 1); unproven: over the lower bound;
    a failed solve counts in opt_failed only."""
    records = [
        # proven; the solver's objective is 1e-7 above NS's makespan: NS's makespan is OPT
        _record([110, 100, 120, 500, 510], "optimal", 100 * (1 + 1e-7), 100 * (1 - 1e-8)),
        _record([105, 110, 110, 400, 400], "feasible", 102, 100),  # gap 2/102, over LB 100
        _record([90, 90, 90, 90, 90], "error", None, None),
    ]
    fields = opt_fields(records)
    assert (fields["opt_instances"], fields["opt_proven"], fields["opt_failed"]) == (2, 1, 1)
    assert math.isclose(fields["opt_gap_max_pct"], 100 * 2 / 102)
    assert math.isclose(fields["ddp_opt_ratio_max"], 1.10)
    assert math.isclose(fields["ddp_opt_ratio_median"], (1.10 + 1.05) / 2)
    assert math.isclose(fields["ns_opt_ratio_median"], (1.0 + 1.10) / 2)
    assert fields["ddp_opt_ratio_median"] <= fields["ddp_opt_ratio_p95"] \
        <= fields["ddp_opt_ratio_max"]
    empty = opt_fields([])
    assert set(empty) == set(OPT_KEYS)
    assert empty["opt_instances"] == 0 and empty["ddp_opt_ratio_median"] is None


@pytest.mark.parametrize("sample, time_limit, match", [
    (-1, None, "opt sample"),  # negative count
    (2.5, None, "opt sample"),  # not a whole number
    (None, 0, "time limit"),  # no time
    (None, float("inf"), "time limit"),  # no limit: the solvers derive budgets from it
    (None, float("nan"), "time limit"),  # not a number
])
def test_opt_plan_rejects_bad_settings(sample, time_limit, match):
    """A bad sample or time limit is a ValueError naming it."""
    with pytest.raises(ValueError, match=match):
        opt_plan(False, sample, time_limit)


def test_opt_plan_defaults():
    """20 instances at 10 s in a full run, 5 at 2 s with --quick; the sample is the first N."""
    assert (opt_plan(False).sample, opt_plan(False).time_limit) == (20, 10.0)
    assert (opt_plan(True).sample, opt_plan(True).time_limit) == (5, 2.0)
    assert opt_plan(True, 3).seeds([7, 8, 9, 10]) == [7, 8, 9]
    assert opt_plan(True).solver == {"method": "auto", "time_limit": 2.0,
                                     "deterministic": True}


def test_table1_quick_rows_carry_consistent_reproducible_opt_fields(tmp_path):
    """Every baseline's row of a setting has the same OPT fields; 5 solved, proven ratios at
    least 1; the records hold the answers with their settings; the same seed, the same
    numbers."""
    result = run_experiment("table1", _options(tmp_path / "a"))
    assert result.meta["opt"]["sample"] == 5 and result.meta["opt"]["time_limit_s"] == 2.0
    by_setting = {}
    for row in result.rows:
        assert set(OPT_KEYS) <= set(row)
        by_setting.setdefault(json.dumps(row["setting"]), []).append(_opt_of(row))
    for fields in by_setting.values():
        assert len(fields) == 4 and all(f == fields[0] for f in fields)
        opt = fields[0]
        assert opt["opt_proven"] <= opt["opt_instances"] == 5 and opt["opt_failed"] == 0
        assert opt["opt_proven"] == 5  # n = 8: proven within the quick limit
        assert opt["opt_gap_max_pct"] <= 1e-4
        for policy in RATIO_POLICIES:
            assert opt[f"{policy}_opt_ratio_median"] >= 1 - 1e-9
        assert opt["ddp_opt_ratio_median"] <= opt["ddp_opt_ratio_p95"] \
            <= opt["ddp_opt_ratio_max"]
    records = [json.loads(line) for line in
               (tmp_path / "a" / "table1-quick" / "records.jsonl").read_text().splitlines()]
    solved = [r for r in records if "opt" in r]
    assert sorted(r["seed"] for r in solved) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert all(r["opt"]["solver"] == result.meta["opt"]["solver"] for r in solved)
    assert all(r["opt"]["lower_bound"] <= r["opt"]["objective"] <= r["makespans"]["ddp"]
               * (1 + 1e-9) for r in solved)
    again = run_experiment("table1", _options(tmp_path / "b", jobs=2))
    assert again.rows == result.rows


def test_resume_solves_only_what_is_missing(tmp_path, monkeypatch):
    """--resume after a full run solves nothing; a larger sample solves only the new
    instances; other solver settings solve the sample again; --opt-sample 0 solves none."""
    first = run_experiment("table1", _options(tmp_path, opt_sample=2))
    calls = _count_solves(monkeypatch)
    same = run_experiment("table1", _options(tmp_path, opt_sample=2, resume=True))
    assert calls == [] and same.meta["records_computed"] == 0 and same.rows == first.rows
    larger = run_experiment("table1", _options(tmp_path, opt_sample=3, resume=True))
    assert len(calls) == 3 and larger.meta["records_computed"] == 3  # one new per row
    assert all(row["opt_instances"] == 3 for row in larger.rows)
    calls.clear()
    run_experiment("table1", _options(tmp_path, opt_sample=3, opt_time_limit=1.5,
                                      resume=True))
    assert len(calls) == 9 and all(c["time_limit"] == 1.5 for c in calls)
    calls.clear()
    none = run_experiment("table1", _options(tmp_path, opt_sample=0, resume=True))
    assert calls == [] and none.meta["records_computed"] == 0
    assert all(row["opt_instances"] == 0 and row["ddp_opt_ratio_median"] is None
               for row in none.rows)
    assert [row["reduction_pct"] for row in none.rows] == [
        row["reduction_pct"] for row in first.rows]


def test_cli_opt_flags(tmp_path, capsys):
    """--opt-sample and --opt-time-limit reach the run; bad values are one line, exit 2."""
    argv = ["experiment", "table1", "--quick", "--network", NETWORK, "--jobs", "1",
            "--results", str(tmp_path)]
    assert main([*argv, "--json", "--opt-sample", "2", "--opt-time-limit", "3"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(row["opt_instances"] == 2 for row in rows)
    saved = json.loads((tmp_path / "table1-quick" / "table1.json").read_text())
    assert saved["opt"]["time_limit_s"] == 3.0
    assert main([*argv, "--opt-sample", "-1"]) == 2
    assert main([*argv, "--opt-time-limit", "nan"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert "--opt-sample -1" in lines[0] and "--opt-time-limit nan" in lines[1]


def test_gap_cells_reach_table3_and_table4_sizes_with_auto():
    """Full gap cells: n drawn up to 5000 on one device, and 8 / 32 / 128 devices on one unit
    with a stream per device, solved by auto under the run's limit."""
    cells = gap_cells(["i3d"], ["paper"])
    big = [c for c in cells if isinstance(c.events, str)]
    assert {(c.devices, c.events, c.interval) for c in big} == {
        (1, "normal:1-100", "0-120"), (1, "normal:1-500", "0-360"),
        (1, "normal:1-5000", "0-720"), (8, "normal:1-5000", "0-720"),
        (32, "normal:1-5000", "0-720"), (128, "normal:1-5000", "0-720")}
    assert all(c.cloud_units == 1 for c in big)
    assert all(c.streams == ("per-device" if c.devices > 1 else "one") for c in big)
    assert all(gap_solver(c, 7.0) == {"method": "auto", "time_limit": 7.0,
                                      "deterministic": True} for c in cells)



def test_json_lines_stay_clean_while_solving_in_this_process(tmp_path, capfd):
    """--json with the solves in this process (--jobs 1): every line of stdout is a JSON row,
    though the solver's LP runs HiGHS, whose constructor prints a banner on file descriptor 1."""
    argv = ["experiment", "table2", "--quick", "--network", NETWORK, "--jobs", "1", "--json",
            "--opt-sample", "1", "--opt-time-limit", "0.5", "--results", str(tmp_path)]
    assert main(argv) == 0
    lines = capfd.readouterr().out.splitlines()
    assert len(lines) == 3 * 4
    assert all(json.loads(line)["opt_instances"] == 1 for line in lines)
