"""Table 4's arrival streams: one per device by default, one shared stream on request."""

import json

import pytest

from ddp.cli import main
from experiments.specs import EXPERIMENTS, table_rows


def test_table4_rows_have_a_stream_per_device_unless_told_one():
    """Same settings and paper figures either way; the keys differ, and both differ from the
    keys of records stored before the calibration changed (they name the generator)."""
    per_device = table_rows("table4", ["i3d"], ["paper"])
    one = table_rows("table4", ["i3d"], ["paper"], streams="one")
    assert [(r.devices, r.events, r.interval, r.paper) for r in per_device] == [
        (r.devices, r.events, r.interval, r.paper) for r in one]
    assert all(r.streams == "per-device" and r.setting["streams"] == "per-device"
               and r.generate_kwargs()["streams"] == "per-device" for r in per_device)
    assert all(r.streams == "one" and "streams" not in r.setting
               and "streams" not in r.generate_kwargs() for r in one)
    assert not {r.key for r in per_device} & {r.key for r in one}
    old_key = "table4/i3d/paper/n=normal:1-5000/interval=0-720/devices=8/units=1"
    assert old_key not in {r.key for r in per_device + one}
    assert all(r.key.endswith("/generator=instances/2") for r in per_device + one)
    assert "table4-streams" not in EXPERIMENTS
    with pytest.raises(ValueError, match="streams 'many'"):
        table_rows("table4", ["i3d"], ["paper"], streams="many")


def test_one_device_tables_ignore_streams():
    """Tables 1-3 have one device: the same rows and keys whatever the streams."""
    for name in ("table1", "table2", "table3"):
        assert table_rows(name, ["i3d"], ["paper"], streams="one") == \
            table_rows(name, ["i3d"], ["paper"])


def _rows(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_cli_table4_streams_option_alias_and_resume(tmp_path, capsys):
    """``table4`` has a stream per device, ``--streams one`` one shared stream (in its own
    folder), ``table4-streams`` is table4; records stored under the one-stream keys of an
    earlier version are not reused by ``--resume``."""
    argv = ["experiment", "table4", "--quick", "--network", "resnet3d50", "--jobs", "1",
            "--opt-sample", "0", "--results", str(tmp_path), "--json"]  # OPT: test_opt.py
    assert main(argv) == 0
    per_device = _rows(capsys)
    assert len(per_device) == 3 * 4
    assert all(r["setting"]["streams"] == "per-device" for r in per_device)
    assert main(["experiment", "table4-streams", *argv[2:], "--resume"]) == 0
    assert _rows(capsys) == per_device
    assert (tmp_path / "table4-quick" / "table4.json").exists()

    # an old-form record (no generator in its key) in the one-stream folder is not reused
    folder = tmp_path / "table4-one-stream-quick"
    folder.mkdir()
    old = {"row": "table4/resnet3d50/paper/n=normal:1-500/interval=0-720/devices=8/units=1",
           "seed": 0, "n": 1, "makespans": dict.fromkeys(("ddp", "af", "fb", "ac", "ns"), 1.0)}
    (folder / "records.jsonl").write_text(json.dumps(old) + "\n")
    assert main([*argv, "--streams", "one", "--resume"]) == 0
    one = _rows(capsys)
    assert all("streams" not in r["setting"] and r["instances"] == 50 for r in one)
    meta = json.loads((folder / "table4.json").read_text())
    assert meta["records_reused"] == 0 and meta["records_computed"] == 150
    assert [r["reduction_pct"] for r in one] != [r["reduction_pct"] for r in per_device]

    assert main(["experiment", "table4-streams", "--streams", "one", "--quick"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--streams one" in err[0]


def test_cli_table4_title_names_the_streams(tmp_path, capsys):
    argv = ["experiment", "table4", "--quick", "--network", "resnet3d50", "--jobs", "1",
            "--opt-sample", "0", "--results", str(tmp_path)]
    assert main(argv) == 0
    assert "an arrival stream per device" in capsys.readouterr().out
    assert main([*argv, "--streams", "one"]) == 0
    assert "one arrival stream shared by the devices" in capsys.readouterr().out
