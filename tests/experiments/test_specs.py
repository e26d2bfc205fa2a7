"""The experiments' rows: the paper's settings and figures, quick sizes, seeds."""

from experiments.specs import (
    QUICK_MAX_EVENTS,
    SEED_STRIDE,
    experiment_rows,
    instance_seeds,
    table_rows,
)


def test_table1_rows_carry_the_papers_figures():
    """Three equal-interval rows with n = 8 and the paper's figures (docs/paper.md)."""
    rows = table_rows("table1", ["resnet3d50"], ["paper"])
    assert [r.interval for r in rows] == ["0", "360", "720"]
    assert all(r.events == 8 and r.count == 1000 for r in rows)
    assert rows[1].paper == {"af": -83.45, "fb": -82.20, "ac": -12.26, "ns": -9.13}


def test_quick_rows_are_small():
    """Quick: 50 instances a row and n at most 500 in every table."""
    for name in ("table1", "table2", "table3", "table4"):
        for row in experiment_rows(name, ["resnet3d50", "i3d"], ["paper"], quick=True):
            assert row.count == 50
            high = row.events if isinstance(row.events, int) else int(row.n_label.split("-")[1])
            assert high <= QUICK_MAX_EVENTS


def test_table4_shares_one_cloud_unit_and_has_no_ns_figure():
    """8, 32, 128 devices, one cloud unit, n over 1-5000, an arrival stream per device."""
    rows = table_rows("table4", ["i3d"], ["paper"])
    assert [(r.devices, r.cloud_units, r.events) for r in rows] == [
        (8, 1, "normal:1-5000"), (32, 1, "normal:1-5000"), (128, 1, "normal:1-5000")]
    assert all("ns" not in r.paper for r in rows)
    assert rows[0].setting == {"n": "1-5000", "interval": "0-720", "devices": 8,
                               "cloud_units": 1, "streams": "per-device"}


def test_row_keys_are_unique_and_seeds_do_not_overlap_across_base_seeds():
    """Every row has its own key; base seeds 0 and 1 give disjoint instance seeds."""
    rows = experiment_rows("gap", ["resnet3d50", "i3d"], ["paper"], quick=False)
    assert len({r.key for r in rows}) == len(rows)
    first, second = instance_seeds(rows[0], 0), instance_seeds(rows[0], 1)
    assert not set(first) & set(second) and second[0] == SEED_STRIDE


def test_gap_cells_use_auto_on_work_budgets():
    """Every cell: auto, deterministic (work budgets), under the run's limit."""
    from experiments.specs import gap_solver

    cells = [c for c in experiment_rows("gap", ["i3d"], ["paper"], quick=True)
             if isinstance(c.events, int)]
    assert {c.devices for c in cells} == {1, 2} and all(c.count == 5 for c in cells)
    assert all(c.events <= 10 for c in cells)
    for cell in cells:
        assert gap_solver(cell, 2.0) == {"method": "auto", "time_limit": 2.0,
                                         "deterministic": True}
