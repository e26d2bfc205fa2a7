"""Estimated times (``ddp-instance/1.1``): policies decide on them and are scored on the actual
times; estimates equal to the actual times change nothing; the file format carries them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given

import ddp
from ddp.errors import InstanceError
from solvers.lookahead import run_lookahead
from tests.helpers import POLICY_NAMES, any_instances


def _exact_estimate(inst: ddp.Instance) -> ddp.Instance:
    return inst.replace(estimate={"front": inst.front, "trans": inst.trans, "cloud": inst.cloud})


@given(any_instances(max_n=8, max_k=4, kind="int"))
def test_estimates_equal_to_actuals_change_nothing(inst):
    estimated = _exact_estimate(inst)
    for name in POLICY_NAMES:
        plain, with_estimate = ddp.run_policy(inst, name), ddp.run_policy(estimated, name)
        np.testing.assert_array_equal(plain.choices, with_estimate.choices)
        assert plain.makespan == with_estimate.makespan
    assert run_lookahead(estimated).makespan == run_lookahead(inst).makespan


@given(any_instances(max_n=8, max_k=4, kind="dyadic"))
def test_decided_on_estimates_scored_on_actuals(inst):
    """The choices are those of the estimated instance; the makespan is the actual one's."""
    estimated = inst.replace(estimate={"front": inst.front * 2, "trans": inst.trans[::-1],
                                       "cloud": inst.cloud + 1})
    for name in POLICY_NAMES:
        chosen = ddp.run_policy(estimated.as_estimated(), name).choices
        schedule = ddp.run_policy(estimated, name)
        np.testing.assert_array_equal(schedule.choices, chosen)
        assert schedule.makespan == ddp.evaluate(inst, chosen).makespan
    lookahead = run_lookahead(estimated, window=1)
    assert lookahead.makespan == ddp.evaluate(inst, lookahead.choices).makespan


def test_file_round_trip_and_format():
    inst = ddp.Instance([0, 1], [[0, 4], [0, 4]], [[5, 0], [5, 0]], [[1, 0], [1, 0]],
                        estimate={"front": [[0, 4], [0, 4]], "trans": [[1, 0], [1, 0]],
                                  "cloud": [[1, 0], [1, 0]]})
    text = ddp.dumps_instance(inst)
    data = json.loads(text)
    assert data["format"] == "ddp-instance/1.1" and set(data["estimate"]) == {
        "front", "trans", "cloud"}
    assert ddp.parse_instance(text) == inst
    assert ddp.parse_instance(text) != inst.replace(estimate=None)
    plain = ddp.dumps_instance(inst.replace(estimate=None))
    assert json.loads(plain)["format"] == "ddp-instance/1" and "estimate" not in plain
    data["format"] = "ddp-instance/1"
    with pytest.raises(InstanceError, match=r"estimate.*1\.1"):
        ddp.parse_instance(json.dumps(data))
    assert inst.subset(slice(1, 2)).estimate["trans"].tolist() == [[1.0, 0.0]]


@pytest.mark.parametrize("estimate, fragment", [
    ([1, 2], "JSON object"),
    ({"front": [[0, 1]], "trans": [[0, 1]]}, "missing cloud"),
    ({"front": [[0, 1]], "trans": [[0, 1]], "cloud": [[0, 1]], "x": 1}, "unknown x"),
    ({"front": [[0, 1, 2]], "trans": [[0, 1]], "cloud": [[0, 1]]}, "estimate.front"),
    ({"front": [[0, -1]], "trans": [[0, 1]], "cloud": [[0, 1]]}, "negative"),
])
def test_bad_estimates_name_the_key(estimate, fragment):
    with pytest.raises(InstanceError, match=fragment):
        ddp.Instance([0], [[0, 1]], [[1, 0]], [[1, 0]], estimate=estimate)
