"""The shared hypothesis strategies (``tests/helpers.py``) produce the cases they promise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from tests.helpers import any_instances, instances, instances_with_choices, times


@settings(max_examples=50)
@given(data=st.data(), kind=st.sampled_from(["int", "dyadic", "float"]))
def test_instances_respect_their_bounds(data, kind):
    """Generated instances stay within the requested n, k, devices, units and time kind."""
    inst = data.draw(instances(min_n=2, max_n=6, min_k=2, max_k=3, devices=(2, 3), units=3,
                               kind=kind, max_time=10, max_gap=5))
    assert 2 <= inst.n <= 6 and 2 <= inst.k <= 3
    assert inst.devices in (2, 3) and inst.cloud_units == 3
    times_ = np.concatenate([inst.front.ravel(), inst.trans.ravel(), inst.cloud.ravel()])
    assert times_.min() >= 0 and times_.max() <= 10
    assert np.all(np.diff(inst.arrival) <= 5)
    if kind != "float":
        exact = 1 if kind == "int" else 8
        assert np.all(times_ * exact == np.round(times_ * exact))


@settings(max_examples=50)
@given(case=instances_with_choices(max_n=4, max_k=2))
def test_choices_fit_their_instance(case):
    """``instances_with_choices`` gives one point in 0..k per event."""
    inst, choices = case
    assert choices.shape == (inst.n,) and choices.min() >= 0 and choices.max() <= inst.k


CASES = {
    "several devices and units, units not device mod u": lambda i: i.devices > 1
    and i.cloud_units > 1 and not np.array_equal(i.unit, i.device % i.cloud_units),
    "several devices sharing one unit": lambda i: len(set(i.device.tolist())) > 1
    and i.cloud_units == 1,
    "one device and one unit": lambda i: i.devices == 1 and i.cloud_units == 1,
    "one event": lambda i: i.n == 1,
    "events arriving together": lambda i: i.n > 1 and i.arrival[1] == i.arrival[0],
    "zero times": lambda i: i.front[0, 1] == 0 and i.cloud[0, 0] == 0,
    "a tie between points for NS": lambda i: np.sum(
        (t := (i.front + i.trans + i.cloud)[0]) == t.min()) > 1,
    "a non-integer dyadic time": lambda i: np.any(i.front % 1 == 0.125),
    "an explicit feature point": lambda i: i.feature_point != i.k - 1,
}


def test_strategies_reach_the_interesting_cases():
    """Each case the strategies promise (ties, zeros, several devices and units) is generated."""
    seen = dict.fromkeys(CASES, False)

    @settings(max_examples=500, phases=[Phase.generate], database=None)
    @given(inst=any_instances(max_time=3))
    def sample(inst):
        for name, predicate in CASES.items():
            seen[name] = seen[name] or bool(predicate(inst))

    sample()
    assert [name for name, hit in seen.items() if not hit] == []


def test_times_rejects_an_unknown_kind():
    """``times(kind=...)`` names the kinds it knows."""
    with pytest.raises(ValueError, match="int"):
        times("decimal")
