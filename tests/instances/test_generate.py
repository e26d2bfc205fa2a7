"""``instances.generate``: determinism, meta, the cost structure and bad settings."""

import json

import numpy as np
import pytest

import ddp
import instances
from instances.network import LINKS


def test_same_settings_and_seed_same_file_byte_for_byte():
    """The same settings and seed give the same JSON text; another seed another one."""
    kwargs = dict(scenario="edge-lte", network="i3d", events="normal:1-300",
                  interval="poisson:200", devices=3, cloud_units=2)
    a = ddp.dumps_instance(instances.generate(seed=11, **kwargs))
    b = ddp.dumps_instance(instances.generate(seed=11, **kwargs))
    c = ddp.dumps_instance(instances.generate(seed=12, **kwargs))
    assert a == b and a != c


def test_meta_holds_settings_and_seed():
    """``meta["settings"]`` records every generator setting and the seed."""
    inst = instances.generate(interval="0-720", events=20, devices=2, seed=7, link="wifi",
                              precision="fp16")
    settings = inst.meta["settings"]
    assert settings == {"scenario": "paper", "network": "resnet3d50", "events": "20",
                        "interval": "0-720", "devices": 2, "cloud_units": 1, "seed": 7,
                        "link": "wifi", "profile": None, "precision": "fp16"}
    json.dumps(inst.meta, allow_nan=False)  # a plain JSON object


def test_file_round_trip_equals_generated():
    """What is saved loads back equal (meta included)."""
    inst = instances.generate(events=30, interval="0-720", seed=3)
    assert ddp.parse_instance(ddp.dumps_instance(inst)) == inst


@pytest.mark.parametrize("scenario", list(instances.SCENARIOS))
@pytest.mark.parametrize("network", list(instances.NETWORKS))
def test_point_zero_no_front_point_k_no_cloud(scenario, network):
    """F[:,0] = 0 and C[:,k] = 0 in every scenario; F rises, C falls along the points."""
    inst = instances.generate(scenario, network, events=40, interval="0-720", seed=1)
    assert inst.k == instances.profile(network).k
    assert (inst.front[:, 0] == 0).all() and (inst.cloud[:, -1] == 0).all()
    assert (inst.front[:, 1:] > 0).all() and (inst.cloud[:, :-1] > 0).all()
    assert (np.diff(inst.front, axis=1) >= 0).all() and (np.diff(inst.cloud, axis=1) <= 0).all()
    assert inst.feature_point == inst.k - 1


def test_point_zero_sends_compressed_video():
    """T[:,0] = rtt/2 + bitrate x clip duration; other points float32 tensors."""
    inst = instances.generate("edge-wifi", "resnet3d50", events=1)
    wifi = LINKS["wifi"]
    clip_bytes = 0.535e6 * (16 / 25) / 8   # UCF101 bitrate x 0.64 s
    assert inst.trans[0, 0] == pytest.approx(wifi.rtt_ms / 2 + 8 * clip_bytes /
                                             (wifi.uplink_mbit_s * 1e3))
    stem_bytes = 4 * 64 * 8 * 28 * 28
    assert inst.trans[0, 1] == pytest.approx(wifi.rtt_ms / 2 + 8 * stem_bytes /
                                             (wifi.uplink_mbit_s * 1e3))


def test_fp16_halves_the_tensor_part_only():
    """fp16 halves the serialisation time of points 1..k, not the clip's."""
    a = instances.generate("edge-lte", events=1, precision="fp32")
    b = instances.generate("edge-lte", events=1, precision="fp16")
    half_rtt = LINKS["lte"].rtt_ms / 2
    assert b.trans[0, 0] == a.trans[0, 0]
    assert np.allclose(b.trans[0, 1:] - half_rtt, (a.trans[0, 1:] - half_rtt) / 2)


def test_links_order_transmission():
    """3G is slower than LTE, LTE slower than Wi-Fi, on every point."""
    t = {name: instances.generate(link=name, events=1).trans[0] for name in ("3g", "lte", "wifi")}
    assert (t["3g"] > t["lte"]).all() and (t["lte"] > t["wifi"]).all()


def test_simultaneous_arrivals_share_the_nominal_status():
    """At interval 0 every event sees the chains' start (nominal) level: identical rows."""
    inst = instances.generate(events=50, interval="0", seed=4)
    for key in ("front", "trans", "cloud"):
        rows = getattr(inst, key)
        assert (rows == rows[0]).all()


def test_congestion_and_load_vary_over_time():
    """Over a long stream the bandwidth and cloud load take every level of their chains."""
    sc = instances.SCENARIOS["paper"]
    inst = instances.generate(events=3000, interval="0-720", seed=2)
    theta = inst.cloud[:, 0] / inst.cloud[:, 0].min()
    assert set(np.round(theta, 9)) == set(sc.load.levels)
    bits = inst.trans[:, 0] - inst.trans[:, 0].min()
    assert len(np.unique(np.round(bits, 9))) == len(sc.congestion.levels)


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(scenario="nope"), "known: edge-3g, edge-lte, edge-wifi, paper"),
    (dict(network="vgg"), "known: i3d, i3d_r50, resnet3d50"),
    (dict(link="5g"), "known: 3g, lan, lte, wifi"),
    (dict(interval="-5"), "negative"),
    (dict(interval=-360), "negative"),
    (dict(devices=0), "devices must be >= 1"),
    (dict(cloud_units=0), "cloud_units must be >= 1"),
    (dict(events=0), "n >= 1"),
    (dict(seed=-1), "seed"),
    (dict(precision="int8"), "known: fp16, fp32"),
])
def test_bad_settings_raise_one_line_value_error(kwargs, fragment):
    """Bad settings: a one-line ValueError naming the problem (and the known presets)."""
    with pytest.raises(ValueError) as info:
        instances.generate(**kwargs)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_normal_event_count_in_generate():
    """``events="normal:1-100"`` gives n within the range, seeded."""
    ns = {instances.generate(events="normal:1-100", seed=s).n for s in range(30)}
    assert min(ns) >= 1 and max(ns) <= 100 and len(ns) > 5
