"""The comparison formulas: reduction, ratio to the optimum, excess over it."""

from __future__ import annotations

import numpy as np
import pytest

from ddp.metrics import excess_over_opt_pct, ratio_to_opt, reduction_pct, reduction_pct_or_none


@pytest.mark.parametrize("ddp_makespan, other, expected", [
    (50.0, 100.0, -50.0),  # DDP twice as fast: -50%
    (100.0, 100.0, 0.0),  # equal
    (120.0, 100.0, 20.0),  # DDP slower
])
def test_reduction_is_100_times_relative_difference(ddp_makespan, other, expected):
    """100 (Z_DDP - Z_X) / Z_X, for numbers and element by element for arrays."""
    assert reduction_pct(ddp_makespan, other) == pytest.approx(expected)
    assert reduction_pct(np.array([ddp_makespan]), np.array([other]))[0] == pytest.approx(
        expected)


@pytest.mark.parametrize("ddp_makespan, other, expected", [
    (0.0, 0.0, 0.0),  # both zero: no difference
    (1.0, 0.0, None),  # Z_X = 0 alone: undefined
    (3.0, 4.0, -25.0),
])
def test_reduction_or_none_handles_a_zero_makespan(ddp_makespan, other, expected):
    """A zero Z_X gives 0 (both zero) or None instead of a division by zero."""
    assert reduction_pct_or_none(ddp_makespan, other) == expected


def test_excess_and_ratio_agree():
    """excess_over_opt_pct is 100 (ratio_to_opt - 1)."""
    assert ratio_to_opt(110.0, 100.0) == pytest.approx(1.1)
    assert excess_over_opt_pct(110.0, 100.0) == pytest.approx(100 * (1.1 - 1))
