"""The ``paper`` scenario: the numbers derived from the paper's Table 1 (``docs/scenarios.md``)."""

import numpy as np
import pytest

import ddp
import instances
from instances.network import link
from instances.scenarios import (
    PAPER_AF_SHARE,
    PAPER_CLOUD_CLIP_MS,
    PAPER_FRONT_CLIP_MS,
    PAPER_INTERVAL_MS,
)


def reductions(inst):
    z = {p: ddp.run_policy(inst, p).makespan for p in ddp.POLICIES}
    return {p: 100 * (z["ddp"] - z[p]) / z[p] for p in ("af", "fb", "ac", "ns")}


def nominal_instance(interval):
    """The first seed whose eight events all meet the nominal cloud and link."""
    for seed in range(200):
        inst = instances.generate("paper", "resnet3d50", events=8, interval=interval, seed=seed)
        nominal_trans = link(inst.meta["settings"]["link"]).trans_ms(
            np.array(inst.meta["point_bytes"]), np.ones(1))[0]
        if np.allclose(inst.cloud[:, 0], PAPER_CLOUD_CLIP_MS) and \
                np.allclose(inst.trans, nominal_trans[None, :]):
            return inst
    raise AssertionError("no nominal instance in 200 seeds")


def test_clip_times_are_the_calibrated_ones():
    """A whole clip takes ``c`` in the nominal cloud and ``f`` on the front; c < 720 ms."""
    inst = instances.generate("paper", "resnet3d50", events=50, interval="0-720", seed=1)
    assert np.allclose(inst.front[:, -1], PAPER_FRONT_CLIP_MS)
    assert np.isclose(inst.cloud[:, 0].min(), PAPER_CLOUD_CLIP_MS)
    assert PAPER_CLOUD_CLIP_MS < PAPER_INTERVAL_MS
    assert (inst.front[:, 0] == 0).all() and (inst.cloud[:, -1] == 0).all()


def test_720_ms_nominal_all_at_cloud_and_front_five_times_slower():
    """The derivation of ``f``: at 720 ms, nominal, nothing queues (AC = NS = DDP) and AF takes
    exactly ``1 / PAPER_AF_SHARE`` = 5 times as long (the paper's -80.00%)."""
    inst = nominal_instance("720")
    z = {p: ddp.run_policy(inst, p).makespan for p in ("ddp", "ac", "ns", "af")}
    assert z["ddp"] == z["ac"] == z["ns"]
    assert z["ac"] == pytest.approx(7 * PAPER_INTERVAL_MS + inst.trans[-1, 0] + inst.cloud[-1, 0])
    assert z["ddp"] / z["af"] == pytest.approx(PAPER_AF_SHARE, rel=1e-12)


@pytest.mark.parametrize("interval", ["0", "360"])
def test_nominal_ddp_gains_over_all_at_cloud_while_the_cloud_queues(interval):
    """A nominal instance: at 0 and 360 ms the cloud queues and DDP gains 5-20% over AC by
    running parts of some clips on the front; AF stays about five times slower."""
    r = reductions(nominal_instance(interval))
    assert -20 <= r["ac"] <= -5
    assert -90 <= r["af"] <= -70


def test_table2_n100_ddp_beats_ac_on_average():
    """Random 0-720 ms intervals, n = 100: DDP beats AC by 5-25% on average (paper -10.43%)."""
    values = []
    for seed in range(10):
        inst = instances.generate("paper", events=100, interval="0-720", seed=seed)
        ddp_z, ac_z = (ddp.run_policy(inst, p).makespan for p in ("ddp", "ac"))
        values.append(100 * (ddp_z - ac_z) / ac_z)
    assert -25 < sum(values) / len(values) < -5
