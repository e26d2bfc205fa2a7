"""Figures draw from hand-made instances and rows (matplotlib, the plot extra)."""

import numpy as np

import ddp
from experiments.plots import gantt, ratio_distribution, reduction_vs_interval, save_axes


def _instance():
    rng = np.random.default_rng(3)
    n, k = 6, 3
    front = rng.uniform(1, 50, (n, k + 1))
    front[:, 0] = 0
    cloud = rng.uniform(1, 20, (n, k + 1))
    cloud[:, k] = 0
    return ddp.Instance(np.arange(n) * 10.0, front, rng.uniform(0, 30, (n, k + 1)), cloud,
                        device=np.array([0, 1, 0, 1, 0, 1]), devices=2, cloud_units=2)


def test_gantt_has_one_lane_per_device_and_cloud_unit(tmp_path):
    """Lanes device 0, device 1, cloud 0, cloud 1; bars labelled event:point; a PNG is saved."""
    inst = _instance()
    schedule = ddp.run_policy(inst, "ddp")
    ax = gantt(inst, schedule)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "device 0", "device 1", "cloud 0", "cloud 1"]
    labels = {t.get_text() for t in ax.texts}
    assert f"0:{schedule.choices[0]}" in labels
    path = save_axes(ax, tmp_path / "gantt.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_reduction_and_ratio_plots_draw_into_a_given_axes():
    """Both take an ax and draw into it (lines for each baseline, bars for the ratios)."""
    from matplotlib.figure import Figure

    figure = Figure()
    left, right = figure.subplots(1, 2)
    rows = [{"network": "i3d", "scenario": "paper", "baseline": b,
             "setting": {"n": 8, "interval": i, "devices": 1, "cloud_units": 1},
             "reduction_pct": -10.0 - int(i) / 100, "paper_pct": -12.0}
            for b in ("af", "ac") for i in ("0", "360", "720")]
    assert reduction_vs_interval(rows, ax=left) is left
    assert len(left.lines) == 5  # two baselines and their paper figures, the zero line
    records = [{"n": 5, "makespans": {"ddp": 1.1, "ns": 1.2, "ac": 1.5},
                "opt": {"status": "optimal", "objective": 1.0, "lower_bound": 1.0}}]
    assert ratio_distribution(records, ax=right) is right
    assert len(right.patches) > 0


def test_progress_bar_appears_on_a_terminal_after_its_delay(monkeypatch):
    """On a terminal the bar starts once the delay is over (even before any result) and
    stops on close; off a terminal or disabled it never starts."""
    import sys
    import time

    from experiments.executor import ProgressBar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(ProgressBar, "DELAY_S", 0.01)
    bar = ProgressBar(total=4, description="test", enabled=True)
    for _ in range(200):
        if bar._progress is not None:
            break
        time.sleep(0.01)
    assert bar._progress is not None
    bar.advance(2)
    assert bar.done == 2
    bar.close()
    assert bar._progress is None
    quiet = ProgressBar(total=4, description="test", enabled=False)
    quiet.advance(4)
    time.sleep(0.05)
    assert quiet._progress is None
