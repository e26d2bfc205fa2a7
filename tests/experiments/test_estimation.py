"""``ddp experiment estimation``: the error settings and the rows of one cell."""

from __future__ import annotations

import numpy as np

import instances
from experiments.estimation import POLICIES, cell_rows, error_settings, with_estimate


def test_error_settings_make_the_documented_estimates():
    inst = instances.generate("paper", "i3d", events=6, interval="0-720", seed=1)
    rng = np.random.default_rng(0)
    exact = with_estimate(inst, "noise", 0.0, rng)
    assert np.array_equal(exact.estimate["front"], inst.front)
    biased = with_estimate(inst, "bias", 0.2, rng)
    assert np.allclose(biased.estimate["cloud"], inst.cloud * 1.2)
    stale = with_estimate(inst, "stale", 2, rng)
    assert np.array_equal(stale.estimate["trans"][2:], inst.trans[:-2])
    assert np.array_equal(stale.estimate["trans"][:2], inst.trans[[0, 0]])
    assert np.array_equal(stale.estimate["front"], inst.front)
    noisy = with_estimate(inst, "noise", 0.4, rng)
    assert (noisy.estimate["cloud"] >= 0).all() and not np.array_equal(noisy.estimate["cloud"],
                                                                          inst.cloud)


def test_cell_rows():
    rows = cell_rows("i3d", "paper", count=1, base_seed=0)
    assert len(rows) == len(error_settings()) * len(POLICIES)
    keys = {"experiment", "network", "scenario", "setting", "error", "policy",
            "ratio_to_opt_median", "ratio_to_opt_p95"}
    assert all(keys <= set(row) for row in rows)
    assert all(row["ratio_to_opt_median"] >= 1 - 1e-9 for row in rows)
    exact = {r["policy"]: r for r in rows if r["error"] == "noise 0%"}
    assert exact["opt-on-estimates"]["ratio_to_opt_median"] == 1.0
