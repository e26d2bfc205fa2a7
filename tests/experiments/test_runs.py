"""End-to-end runs on the real instances and solvers packages: the paper's pattern, the gap,
reproducibility, resume after an interruption, a process pool and a Dask cluster."""

import json

import pytest

from ddp.cli import main
from experiments import Options, run_experiment
from experiments.gap import is_consistent, ratios

NETWORK = "resnet3d50"
# Timings differ between runs; every other number must not.
TIMING_KEYS = {"solve_s_max"}


def _numbers(rows):
    return [{k: v for k, v in row.items() if k not in TIMING_KEYS} for row in rows]


def _options(tmp_path, **changes):
    settings = dict(quick=True, networks=[NETWORK], results=tmp_path, jobs=1, progress=False)
    settings.update(changes)
    return Options(**settings)


def test_table1_quick_reproduces_the_papers_pattern(tmp_path, capsys):
    """vs AF below -50%; vs AC and NS between -5% and -30% at 0 ms; 0% (within 0.5) at 720 ms,
    on average and on the typical (median) instance."""
    status = main(["experiment", "table1", "--quick", "--json", "--network", NETWORK,
                   "--jobs", "1", "--results", str(tmp_path)])
    assert status == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 3 * 4
    by = {(r["setting"]["interval"], r["baseline"]): r for r in rows}
    for row in rows:
        assert {"experiment", "network", "scenario", "setting", "baseline", "reduction_pct",
                "paper_pct"} <= set(row)
        assert row["experiment"] == "table1" and row["scenario"] == "paper" and row["quick"]
        assert row["instances"] == 50
    for interval in ("0", "360", "720"):
        assert by[(interval, "af")]["reduction_pct"] < -50
        assert by[(interval, "fb")]["reduction_pct"] < -50
    for baseline in ("ac", "ns"):
        assert -30 < by[("0", baseline)]["reduction_pct"] < -5
        assert abs(by[("720", baseline)]["reduction_pct"]) <= 0.5
        assert abs(by[("720", baseline)]["median_reduction_pct"]) <= 0.5
    assert by[("0", "af")]["paper_pct"] == -82.65
    saved = json.loads((tmp_path / "table1-quick" / "table1.json").read_text())
    assert saved["quick"] and saved["versions"]["ddp"] and saved["base_seed"] == 0
    assert _numbers(saved["table"]) == _numbers(rows)
    assert (tmp_path / "table1-quick" / "table1.csv").read_text().count("\n") == 13


def test_same_seed_same_numbers_other_seed_other_numbers(tmp_path):
    """Two runs with seed 0 agree exactly; seed 1 draws other instances."""
    # OPT off: its reproducibility is tested in test_opt.py, here it would only add solves
    first = run_experiment("table2", _options(tmp_path / "a", opt_sample=0))
    second = run_experiment("table2", _options(tmp_path / "b", opt_sample=0))
    other = run_experiment("table2", _options(tmp_path / "c", seed=1, opt_sample=0))
    assert _numbers(first.rows) == _numbers(second.rows)
    assert _numbers(first.rows) != _numbers(other.rows)


def test_resume_after_an_interruption_gives_the_uninterrupted_table(tmp_path):
    """Keep 30 records and a torn line of a full run, resume: the same rows, 30 reused."""
    full = run_experiment("table1", _options(tmp_path / "full"))
    interrupted = _options(tmp_path / "cut")
    run_experiment("table1", interrupted)
    records = interrupted.results / "table1-quick" / "records.jsonl"
    lines = records.read_text().splitlines()
    records.write_text("\n".join(lines[:30]) + "\n" + lines[30][:25])
    resumed = run_experiment("table1", _options(tmp_path / "cut", resume=True))
    assert resumed.meta["records_reused"] == 30
    assert resumed.meta["records_computed"] == len(lines) - 30
    assert resumed.rows == full.rows


def test_gap_quick_ratios_at_least_one_and_proven_bounds_meet_the_optimum(tmp_path):
    """Every ratio >= 1, every cell proven (quick cells are small), lb == opt where proven."""
    result = run_experiment("gap", _options(tmp_path))
    counts = [row["count"] for row in result.meta["rows"]]
    assert result.rows and [row["instances"] for row in result.rows] == counts
    assert {row["scenario"] for row in result.rows} == {"paper", "edge-3g", "edge-lte",
                                                       "edge-wifi"}  # gap: every scenario
    for row in result.rows:
        for prefix in ("", "ns_", "ac_"):
            assert row[f"{prefix}ratio_median"] >= 1 - 1e-9
            assert row[f"{prefix}ratio_max"] >= row[f"{prefix}ratio_p95"] - 1e-12
        assert row["proven"] == row["instances"] and not row["upper_bound"]
    records = [json.loads(line) for line in
               (tmp_path / "gap-quick" / "records.jsonl").read_text().splitlines()]
    assert all(is_consistent(r) for r in records)
    for policy in ("ddp", "ns", "ac"):
        assert (ratios(records, policy) >= 1 - 1e-9).all()
    assert all(r["opt"]["objective"] <= r["makespans"]["ddp"] * (1 + 1e-9) for r in records)
    again = run_experiment("gap", _options(tmp_path / "again"))
    assert _numbers(again.rows) == _numbers(result.rows)


def test_process_pool_and_dask_cluster_equal_the_local_run(tmp_path):
    """Two worker processes, and a Dask LocalCluster, give the rows of the in-process run."""
    from dask.distributed import LocalCluster

    local = run_experiment("table1", _options(tmp_path / "local"))
    pool = run_experiment("table1", _options(tmp_path / "pool", jobs=2))
    assert pool.rows == local.rows
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster:
        remote = run_experiment("table1", _options(tmp_path / "dask",
                                                   dask=cluster.scheduler_address))
    assert remote.rows == local.rows
    assert remote.meta["dask"] == cluster.scheduler_address


def test_bad_settings_exit_2_with_one_line(tmp_path, capsys):
    """An unknown network or a zero --jobs is one error line and exit status 2."""
    assert main(["experiment", "table1", "--quick", "--network", "alexnet",
                 "--results", str(tmp_path)]) == 2
    assert main(["experiment", "table1", "--jobs", "0", "--results", str(tmp_path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and "unknown network 'alexnet'" in lines[0]


def test_plots_are_written_beside_the_results(tmp_path):
    """--plots: reduction against interval per network and an example Gantt chart, as PNG."""
    result = run_experiment("table1", _options(tmp_path, plots=True))
    names = sorted(p.name for p in result.plots)
    assert names == ["gantt_example.png", f"reduction_vs_interval_{NETWORK}.png"]
    assert all(p.read_bytes()[:4] == b"\x89PNG" and p.parent == result.folder
               for p in result.plots)


def test_gap_plots_show_the_distribution_and_the_worst_instance(tmp_path):
    """--plots on gap: the DDP/OPT histogram and DDP beside OPT on the worst proven instance."""
    result = run_experiment("gap", _options(tmp_path, plots=True))
    names = sorted(p.name for p in result.plots)
    assert names == ["gantt_example.png", "gantt_worst_gap.png", "ratio_distribution.png"]


def test_an_interrupted_pool_run_resumes_to_the_uninterrupted_table(tmp_path, monkeypatch):
    """Ctrl-C after two units have been written (two worker processes): --resume completes it."""
    from experiments.store import RecordStore

    full = run_experiment("table2", _options(tmp_path / "full", opt_sample=0))
    append = RecordStore.append
    calls = []

    def append_then_interrupt(self, records):
        append(self, records)
        calls.append(len(records))
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(RecordStore, "append", append_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        run_experiment("table2", _options(tmp_path / "cut", jobs=2, opt_sample=0))
    monkeypatch.setattr(RecordStore, "append", append)
    resumed = run_experiment("table2", _options(tmp_path / "cut", resume=True, opt_sample=0))
    assert resumed.meta["records_reused"] == sum(calls) > 0
    assert resumed.rows == full.rows


def test_stopped_searches_are_reproducible_with_deterministic_limits():
    """dp stopped by its state budget and CP-SAT stopped by deterministic time: same answers."""
    from experiments.specs import Row
    from experiments.work import instance_record

    cases = [
        (Row("gap", NETWORK, "paper", 40, "0-720"), {"method": "dp", "time_limit": 600.0,
                                                      "max_states": 300}),
        (Row("gap", NETWORK, "paper", 16, "0-720", devices=3),
         {"method": "cpsat", "time_limit": 600.0, "deterministic": True,
          "deterministic_time": 0.05, "workers": 1}),
    ]
    for row, solver in cases:
        first, second = (instance_record(row, 3, solver)["opt"] for _ in range(2))
        assert first["status"] == "feasible"
        first.pop("runtime_s"), second.pop("runtime_s")
        assert first == second
        assert first["lower_bound"] <= first["objective"]


def test_plot_command_draws_a_policy_and_the_optimum(tmp_path, capsys):
    """ddp plot FILE --policy P -o PNG for DDP and OPT; an unwritable output exits 2."""
    import ddp
    import instances

    path = tmp_path / "inst.json"
    ddp.save_instance(instances.generate(events=6, interval="0-720", devices=2, seed=4), path)
    for policy in ("ddp", "opt"):
        out = tmp_path / f"{policy}.png"
        assert main(["plot", str(path), "--policy", policy, "-o", str(out)]) == 0
        assert out.read_bytes()[:4] == b"\x89PNG"
    assert main(["plot", str(path), "-o", str(tmp_path / "missing" / "x.png")]) == 2
    assert "cannot write the figure" in capsys.readouterr().err


def test_a_solver_exception_is_recorded_for_its_instance(monkeypatch):
    """An exception in solvers.solve becomes the instance's opt record (status error, named)."""
    from experiments.specs import Row
    from experiments.work import instance_record

    def broken(*args, **kwargs):
        raise KeyError("lost")

    monkeypatch.setattr("solvers.solve", broken)
    record = instance_record(Row("gap", NETWORK, "paper", 5, "0-720"), 1,
                             {"method": "dp", "time_limit": 5.0})
    assert record["opt"]["status"] == "error"
    assert record["opt"]["error"] == "KeyError: 'lost'"
    assert record["opt"]["objective"] is None
    assert set(record["makespans"]) >= {"ddp"}
