"""CLI: ``ddp profile show``, ``ddp instance generate``, ``ddp demo`` on the paper scenario."""

import json

import pytest

import ddp
import instances
from ddp.cli import main


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


def test_profile_show_json_exact_keys(capsys):
    """The JSON has exactly the keys below, and equals the library's profile."""
    code, out, err = run(["profile", "show", "resnet3d50", "--json"], capsys)
    assert code == 0 and err == []
    data = json.loads(out)
    assert list(data) == ["network", "input_shape", "k", "feature_point", "total_macs", "points"]
    assert list(data["points"][0]) == ["index", "name", "shape", "elements", "bytes",
                                       "cum_macs", "remaining_macs"]
    assert data["k"] == 18 and data["feature_point"] == 17 and len(data["points"]) == 19
    assert data["total_macs"] == 10_068_699_136
    assert data["points"][18]["shape"] == [101]
    assert data == instances.profile("resnet3d50").to_dict()


@pytest.mark.parametrize("network", ["resnet3d50", "i3d", "i3d_r50"])
def test_profile_show_table(network, capsys):
    """The rich table names every point and the total."""
    code, out, err = run(["profile", "show", network], capsys)
    prof = instances.profile(network)
    assert code == 0 and err == []
    assert f"{prof.total_macs / 1e9:.2f} GMACs" in out
    for point in prof.points():
        assert point.name.split("+")[0][:20] in out


def test_instance_generate_writes_the_generated_instance(tmp_path, capsys):
    """The file loads back equal to ``instances.generate`` with the same settings, byte for byte."""
    path = tmp_path / "a.json"
    argv = ["instance", "generate", "--scenario", "edge-3g", "--network", "i3d", "--events",
            "normal:1-50", "--interval", "0-720", "--devices", "4", "--cloud-units", "2",
            "--seed", "5", "-o", str(path)]
    code, _out, err = run(argv, capsys)
    assert code == 0 and err == []
    expected = instances.generate("edge-3g", "i3d", events="normal:1-50", interval="0-720",
                                  devices=4, cloud_units=2, seed=5)
    assert path.read_text() == ddp.dumps_instance(expected)
    first = path.read_text()
    assert run(argv, capsys)[0] == 0 and path.read_text() == first
    assert ddp.load_instance(path).meta["settings"]["seed"] == 5


def test_instance_generate_defaults(tmp_path, capsys):
    """Defaults: paper, resnet3d50, n = 8, interval 0, one device and unit, seed 0."""
    path = tmp_path / "d.json"
    assert run(["instance", "generate", "-o", str(path)], capsys)[0] == 0
    assert ddp.load_instance(path) == instances.generate()


def test_instance_generate_with_profile(tmp_path, capsys):
    """``--profile FILE`` replaces the network."""
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"format": "ddp-profile/1", "network": "mine", "points": [
        {"name": "in", "bytes": 1000, "front_ms": 0, "cloud_ms": 50},
        {"name": "out", "bytes": 10, "front_ms": 80, "cloud_ms": 0}]}))
    path = tmp_path / "i.json"
    code, _, err = run(["instance", "generate", "--profile", str(profile), "--events", "3",
                        "-o", str(path)], capsys)
    assert code == 0 and err == []
    assert ddp.load_instance(path).k == 1


@pytest.mark.parametrize("extra, fragment", [
    (["--scenario", "nope"], "unknown scenario 'nope' (known:"),
    (["--network", "vgg"], "unknown network 'vgg'"),
    (["--link", "5g"], "unknown link '5g'"),
    (["--interval", "-5"], "negative"),
    (["--devices", "0"], "devices must be >= 1"),
    (["--cloud-units", "0"], "cloud_units must be >= 1"),
    (["--events", "0"], "n >= 1"),
    (["--events", "normal:9-1"], "LO <= HI"),
    (["--profile", "/nonexistent/p.json"], "/nonexistent/p.json"),
])
def test_instance_generate_bad_settings_exit_2(tmp_path, capsys, extra, fragment):
    """Bad settings: exit status 2, one line on stderr, no file written."""
    path = tmp_path / "x.json"
    code, _out, err = run(["instance", "generate", *extra, "-o", str(path)], capsys)
    assert code == 2 and len(err) == 1
    assert err[0].startswith("ddp: error: ") and fragment in err[0]
    assert not path.exists()


def test_profile_show_unknown_network_exit_2(capsys):
    """An unknown network: exit 2, one line listing the known ones."""
    code, _out, err = run(["profile", "show", "vgg"], capsys)
    assert code == 2 and len(err) == 1 and "i3d, i3d_r50, resnet3d50" in err[0]


def test_demo_runs_the_paper_scenario_and_says_so(capsys):
    """``ddp demo`` names the paper scenario and runs on instances.generate("paper")."""
    code, out, err = run(["demo"], capsys)
    assert code == 0 and err == []
    assert "Scenario 'paper'" in out and "resnet3d50" in out
    code, out, err = run(["demo", "--json"], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    inst = instances.generate("paper", "resnet3d50", events=8, interval="0")
    for record in records:
        assert record["scenario"] == inst.name
        assert record["makespan"] == ddp.run_policy(inst, record["policy"]).makespan
