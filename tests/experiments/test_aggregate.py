"""Aggregation of records into table rows and gap cells, on hand-made records."""

import pytest

from experiments.gap import gap_row, gap_summary, is_consistent, reference
from experiments.specs import Row
from experiments.tables import table_rows

ROW = Row(experiment="table1", network="resnet3d50", scenario="paper", events=8, interval="0",
          count=2, paper={"af": -80.0, "fb": -80.0, "ac": -10.0, "ns": -10.0})


def _record(seed, ddp, af, fb, ac, ns, opt=None):
    record = {"row": ROW.key, "seed": seed, "n": 8,
              "makespans": {"ddp": ddp, "af": af, "fb": fb, "ac": ac, "ns": ns}}
    if opt is not None:
        record["opt"] = opt
    return record


def test_row_reduction_is_the_mean_of_per_instance_reductions():
    """Mean of 100 (Z_DDP - Z_X) / Z_X, beside the reduction of the mean makespans."""
    records = [_record(0, 50.0, 100.0, 100.0, 50.0, 50.0),
               _record(1, 90.0, 100.0, 100.0, 100.0, 90.0)]
    rows = {r["baseline"]: r for r in table_rows(ROW, records, quick=False)}
    assert list(rows) == ["af", "fb", "ac", "ns"]
    assert rows["af"]["reduction_pct"] == pytest.approx((-50.0 - 10.0) / 2)
    assert rows["af"]["reduction_of_means_pct"] == pytest.approx(100 * (70 - 100) / 100)
    assert rows["af"]["median_reduction_pct"] == pytest.approx(-30.0)
    assert rows["ac"]["reduction_pct"] == pytest.approx((0.0 - 10.0) / 2)
    assert rows["ac"]["reduction_of_means_pct"] == pytest.approx(100 * (70 - 75) / 75)
    assert rows["af"]["paper_pct"] == -80.0
    assert rows["af"]["difference_pct"] == pytest.approx(-30.0 + 80.0)
    assert rows["ns"]["instances"] == 2 and rows["ns"]["setting"]["n"] == 8


def test_a_baseline_without_paper_figure_has_null_paper_and_difference():
    """Table 3 has no NS figure: paper_pct and difference_pct are None."""
    row = Row(experiment="table3", network="i3d", scenario="paper", events="normal:1-100",
              interval="0-120", count=1, paper={"af": -83.05, "fb": -82.80, "ac": -15.24})
    record = {"row": row.key, "seed": 0, "n": 40,
              "makespans": {"ddp": 1.0, "af": 2.0, "fb": 2.0, "ac": 1.0, "ns": 1.5}}
    rows = {r["baseline"]: r for r in table_rows(row, [record], quick=True)}
    assert rows["ns"]["paper_pct"] is None and rows["ns"]["difference_pct"] is None
    assert rows["ns"]["setting"]["n"] == "1-100"
    assert rows["ns"]["quick"] is True


def _opt(objective, lower, status):
    return {"objective": objective, "lower_bound": lower, "status": status, "method": "dp",
            "runtime_s": 0.1}


def test_gap_cell_uses_the_optimum_or_the_bound_where_not_proven():
    """Ratios over OPT where proven, over the lower bound otherwise (marked as upper bound)."""
    records = [_record(0, 110.0, 0, 0, 120.0, 130.0, _opt(100.0, 100.0, "optimal")),
               _record(1, 100.0, 0, 0, 100.0, 100.0, _opt(100.0, 100.0, "optimal")),
               _record(2, 120.0, 0, 0, 150.0, 120.0, _opt(110.0, 100.0, "feasible"))]
    cell = gap_row(ROW, records, quick=True)
    assert cell["instances"] == 3 and cell["proven"] == 2 and cell["upper_bound"]
    assert cell["ratio_max"] == pytest.approx(1.2)
    assert cell["proven_ratio_max"] == pytest.approx(1.1)
    assert cell["ratio_median"] == pytest.approx(1.1)
    assert cell["ac_ratio_max"] == pytest.approx(1.5)
    assert cell["ns_ratio_median"] == pytest.approx(1.2)
    assert reference(records[2]) == (100.0, False)
    summary = gap_summary([cell])
    assert summary["cells_proven"] == 0 and summary["proven"] == 2
    assert summary["proven_ratio_max"] == pytest.approx(1.1)


def test_a_proven_record_with_a_lower_bound_below_the_optimum_is_inconsistent():
    """is_consistent flags 'optimal' records whose bound does not meet the objective."""
    assert is_consistent({"opt": _opt(100.0, 100.0 * (1 - 1e-9), "optimal")})
    assert not is_consistent({"opt": _opt(100.0, 90.0, "optimal")})
    assert is_consistent({"opt": _opt(100.0, 90.0, "feasible")})


def test_gap_records_without_the_future_aware_policies_are_recomputed_on_resume():
    """A gap record written before lookahead and rollout existed is incomplete: --resume
    recomputes it; a table record needs only the paper's policies."""
    from experiments.specs import FUTURE_AWARE_SETTINGS, record_complete

    old = {"makespans": {name: 1.0 for name in ("ddp", "af", "fb", "ac", "ns")}}
    assert not record_complete(old, "gap") and record_complete(old, "table1")
    new = {"makespans": {**old["makespans"], "lookahead": 1.0, "rollout": 1.0},
           "policy_settings": FUTURE_AWARE_SETTINGS}
    assert record_complete(new, "gap")
    # a record of an earlier rollout rule (no settings, or other ones) is recomputed too
    assert not record_complete({"makespans": new["makespans"]}, "gap")
    earlier = {"rollout": {**FUTURE_AWARE_SETTINGS["rollout"], "version": 1},
               "lookahead": FUTURE_AWARE_SETTINGS["lookahead"]}
    assert not record_complete({**new, "policy_settings": earlier}, "gap")
    cell = gap_row(ROW, [_record(0, 110.0, 0, 0, 120.0, 130.0, _opt(100.0, 100.0, "optimal"))],
                   quick=True)
    assert cell["lookahead_ratio_median"] is None and cell["ratio_median"] == pytest.approx(1.1)
