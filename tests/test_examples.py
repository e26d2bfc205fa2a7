"""The files in ``examples/`` work as the README and docs/ say, and the docs' examples are real."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ddp
import solvers
from instances.user_profile import load_user_profile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"
BIN = Path(sys.executable).parent

# What each script must print (besides exiting with status 0).
PRINTS = {
    "optimal_schedule.py": ["DDP: makespan 482.0 ms", "OPT: makespan 422.0 ms", "optimal"],
    "ddp_gap.py": ["DDP/OPT"],
    "paper_table.py": ["-82.65", "saved in results/table1-quick/"],
    "online_ddp.py": ["makespan"],
}


@pytest.mark.parametrize("script", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_example_script_runs(script, tmp_path):
    """Each script runs from a folder of its own (it finds its data beside itself)."""
    done = subprocess.run([sys.executable, str(EXAMPLES / script)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert script in PRINTS, f"say in PRINTS what {script} prints"
    for text in PRINTS[script]:
        assert text in done.stdout


def test_example_instance_is_the_worked_example_of_the_model_page():
    """examples/instance.json gives the DDP schedule tabled in docs/model.md, and the optimum
    the page names (checked by enumeration)."""
    inst = ddp.load_instance(EXAMPLES / "instance.json")
    section = (DOCS / "model.md").read_text().split("### Worked example")[1]
    rows = [[float(cell) for cell in line.strip("| ").split(" | ")]
            for line in section.splitlines() if re.match(r"\| \d", line)]
    table = np.array(rows)
    schedule = ddp.run_policy(inst, "ddp")
    assert np.array_equal(table[:, 0], np.arange(inst.n))
    assert np.array_equal(table[:, 1], schedule.choices)
    for column, name in enumerate(("start_front", "finish_front", "ready", "start_cloud",
                                   "finish_cloud"), start=2):
        assert np.array_equal(table[:, column], getattr(schedule, name))
    assert "The makespan is 482 ms" in section and schedule.makespan == 482.0
    best = solvers.solve(inst, method="brute")
    assert best.status == "optimal" and best.objective == 422.0
    assert "optimum is\n422 ms" in section and "Three choice vectors reach it" in section
    reach = [x for x in itertools.product(range(inst.k + 1), repeat=inst.n)
             if ddp.evaluate(inst, x).makespan == 422.0]
    assert len(reach) == 3 and (1, 1, 1, 1, 1, 3) in reach


def _json_blocks(path: Path) -> list[dict]:
    return [json.loads(body) for body in
            re.findall(r"^```json\n(.*?)^```", path.read_text(), re.S | re.M)]


def test_formats_page_examples_are_valid(tmp_path):
    """Every JSON example of docs/formats.md is a valid instance or profile; the annotated ones
    are the files in examples/."""
    blocks = _json_blocks(DOCS / "formats.md")
    formats = [block["format"] for block in blocks]
    assert formats.count("ddp-instance/1") == 2 and formats.count("ddp-profile/1") == 1
    assert formats.count("ddp-instance/1.1") == 1
    for index, block in enumerate(blocks):
        if block["format"].startswith("ddp-instance/"):
            inst = ddp.parse_instance(json.dumps(block))
            assert (inst.estimate is not None) == ("estimate" in block)
        else:
            path = tmp_path / f"profile{index}.json"
            path.write_text(json.dumps(block))
            load_user_profile(path)
    assert blocks[0] == json.loads((EXAMPLES / "instance.json").read_text())
    assert json.loads((EXAMPLES / "profile.json").read_text()) in blocks
    two_devices = ddp.parse_instance(json.dumps(blocks[1]))
    assert (two_devices.devices, two_devices.cloud_units, two_devices.feature_point) == (2, 1, 1)
    assert two_devices.unit.tolist() == [0, 0, 0]


def test_example_profile_generates_an_instance(tmp_path):
    """``ddp instance generate --profile examples/profile.json`` (the entry point) writes an
    instance whose front times are the profile's measured ones."""
    out = tmp_path / "x.json"
    done = subprocess.run([str(BIN / "ddp"), "instance", "generate", "--profile",
                           str(EXAMPLES / "profile.json"), "--events", "50", "--interval",
                           "0-720", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    inst = ddp.load_instance(out)
    profile = load_user_profile(EXAMPLES / "profile.json")
    measured = ~np.isnan(profile.front_ms)
    assert inst.n == 50 and inst.k == profile.k == 4 and inst.feature_point == 3
    assert np.array_equal(inst.front[:, measured], np.tile(profile.front_ms[measured], (50, 1)))
    assert np.all(inst.front[:, 1] > 0)  # from MACs through the scenario's front device
