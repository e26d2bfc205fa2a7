"""``table4-streams``: Table 4 with an arrival stream per device, beside the paper's figures."""

import json

from ddp.cli import main
from experiments.specs import EXPERIMENTS, table_rows


def test_table4_streams_rows_are_table4_with_per_device_streams():
    """Same settings and paper figures as Table 4, plus streams; Table 4's keys unchanged."""
    plain = table_rows("table4", ["i3d"], ["paper"])
    streams = table_rows("table4-streams", ["i3d"], ["paper"])
    assert [(r.devices, r.events, r.interval, r.paper) for r in streams] == [
        (r.devices, r.events, r.interval, r.paper) for r in plain]
    assert all(r.streams == "per-device" for r in streams)
    assert all(r.streams == "one" and "streams" not in r.key and "streams" not in r.setting
               and "streams" not in r.generate_kwargs() for r in plain)
    assert streams[0].setting["streams"] == "per-device"
    assert streams[0].generate_kwargs()["streams"] == "per-device"
    assert streams[0].key.endswith("/streams=per-device")
    assert EXPERIMENTS.index("table4-streams") < EXPERIMENTS.index("gap")


def test_table4_streams_quick_shows_the_papers_trend(tmp_path, capsys):
    """Quick, one network: DDP vs AC more negative from 8 to 32 to 128 devices (the paper's
    trend, which one shared stream does not show), vs AF less negative; the title says the
    run departs from model.md."""
    argv = ["experiment", "table4-streams", "--quick", "--network", "resnet3d50", "--jobs", "1",
            "--results", str(tmp_path)]
    assert main(argv + ["--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by = {(r["setting"]["devices"], r["baseline"]): r for r in rows}
    assert len(rows) == 3 * 4 and all(r["setting"]["streams"] == "per-device" for r in rows)
    ac = [by[(m, "ac")]["reduction_pct"] for m in (8, 32, 128)]
    af = [by[(m, "af")]["reduction_pct"] for m in (8, 32, 128)]
    assert ac[0] > ac[1] > ac[2] and ac[2] < -80
    assert af[0] < af[1] < af[2]
    assert by[(128, "ac")]["paper_pct"] == -80.17
    assert main(argv + ["--resume"]) == 0
    out = capsys.readouterr().out
    assert "arrival stream per device" in out and "NOT model.md" in out
