"""``streams``: one arrival stream (the default, docs/paper.md) or an arrival stream per device."""

import json

import numpy as np
import pytest

import ddp
import instances
from ddp.cli import main

PER_DEVICE = dict(events="normal:50-400", interval="0-720", devices=8, streams="per-device")


@pytest.mark.parametrize("kwargs", [
    dict(events=30, interval="0-720", devices=4, seed=2),
    dict(scenario="edge-lte", network="i3d", events="normal:1-300", interval="poisson:200",
         devices=3, cloud_units=2, seed=9),
])
def test_default_is_the_one_stream_instance_and_meta_does_not_name_streams(kwargs):
    """``streams="one"`` gives the same file as no keyword; neither names streams."""
    plain = ddp.dumps_instance(instances.generate(**kwargs))
    one = instances.generate(streams="one", **kwargs)
    assert ddp.dumps_instance(one) == plain
    assert "streams" not in one.meta["settings"] and "streams" not in plain
    assert "streams" not in one.name


@pytest.mark.parametrize("interval,lo,hi", [("0-720", 0.0, 720.0), ("360", 360.0, 360.0),
                                            ("0", 0.0, 0.0)])
def test_each_device_has_its_own_stream_from_zero(interval, lo, hi):
    """Per device: first arrival at 0, every gap within [lo, hi]; merged non-decreasing."""
    inst = instances.generate(seed=4, **{**PER_DEVICE, "interval": interval})
    assert np.all(np.diff(inst.arrival) >= 0) and inst.arrival[0] == 0
    owners = np.unique(inst.device)
    assert len(owners) == 8  # every device has events at these sizes
    for d in owners:
        own = inst.arrival[inst.device == d]
        gaps = np.diff(own)
        assert own[0] == 0
        assert np.all(gaps >= lo - 1e-9) and np.all(gaps <= hi + 1e-9)
    # ties (all first arrivals at 0, equal gaps) are merged by device index
    tied = np.lexsort((inst.device, inst.arrival))
    assert np.array_equal(tied, np.arange(inst.n))


def test_per_device_splits_n_as_the_one_stream_instance_does():
    """Same seed: the same n and per-device counts as with one stream; arrivals differ; the
    network and load follow the merged arrival times."""
    one = instances.generate(seed=6, **{**PER_DEVICE, "streams": "one"})
    per = instances.generate(seed=6, **PER_DEVICE)
    assert per.n == one.n
    assert np.array_equal(np.bincount(per.device, minlength=8),
                          np.bincount(one.device, minlength=8))
    assert per.arrival[-1] < one.arrival[-1]  # 8 streams in parallel end sooner
    assert per.meta["settings"]["streams"] == "per-device"
    assert per.name.endswith("/streams=per-device")


def test_per_device_deterministic_per_seed():
    """The same seed gives the same file byte for byte; another seed another one."""
    a = ddp.dumps_instance(instances.generate(seed=3, **PER_DEVICE))
    assert a == ddp.dumps_instance(instances.generate(seed=3, **PER_DEVICE))
    assert a != ddp.dumps_instance(instances.generate(seed=4, **PER_DEVICE))


def test_bad_streams_value():
    with pytest.raises(ValueError, match=r"streams 'many'.*per-device"):
        instances.generate(streams="many")


def test_cli_streams_flag(tmp_path, capsys):
    """``--streams per-device`` is recorded in the file; a bad value is one line, exit 2."""
    out = tmp_path / "t4.json"
    code = main(["instance", "generate", "--events", "60", "--interval", "0-720",
                 "--devices", "4", "--seed", "1", "--streams", "per-device", "-o", str(out)])
    assert code == 0
    inst = ddp.load_instance(out)
    assert inst == instances.generate(events=60, interval="0-720", devices=4, seed=1,
                                      streams="per-device")
    assert json.loads(out.read_text())["meta"]["settings"]["streams"] == "per-device"
    capsys.readouterr()
    with pytest.raises(SystemExit) as stop:
        main(["instance", "generate", "--streams", "each", "-o", str(tmp_path / "x.json")])
    err = capsys.readouterr().err.splitlines()
    assert stop.value.code == 2 and len(err) == 1 and "--streams" in err[0]
