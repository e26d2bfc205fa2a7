"""Figures: a Gantt chart of a schedule, reduction against interval, the DDP/OPT distribution.

matplotlib is an optional extra (``pip install 'ddp[plot]'``), imported only when a figure is
drawn. Each function takes an optional matplotlib ``ax`` to draw into (so figures compose) and
returns the axes; without one it makes its own figure (no pyplot, no global state).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import ddp

from .specs import Row

LABEL_LIMIT = 60  # events beyond which bars are not labelled (the labels would overlap)


class PlotError(RuntimeError):
    """matplotlib is missing."""


def _figure(width: float = 9.0, height: float = 4.0):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise PlotError("plots need matplotlib, an optional extra: pip install 'ddp[plot]'"
                        ) from None
    return Figure(figsize=(width, height), layout="constrained")


def _axes(ax, width: float = 9.0, height: float = 4.0):
    if ax is not None:
        return ax
    return _figure(width, height).add_subplot()


def gantt(inst: ddp.Instance, schedule: ddp.Schedule, ax=None, title: str | None = None):
    """A Gantt chart: one lane per front-end device and per cloud unit, one bar per event part.

    Front parts are drawn on their device's lane, cloud parts on their unit's lane, each labelled
    ``event:point``; the transmission is the thin line from a front bar's end to ``ready``.

    Parameters
    ----------
    inst : ddp.Instance
    schedule : ddp.Schedule
        For example ``ddp.run_policy(inst, "ddp")``.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, 10.0, 1.2 + 0.5 * (inst.devices + inst.cloud_units))
    lanes = [f"device {d}" for d in range(inst.devices)] + [
        f"cloud {u}" for u in range(inst.cloud_units)]
    colours = _colours(inst.n)
    label = inst.n <= LABEL_LIMIT
    for j in range(inst.n):
        point = int(schedule.choices[j])
        device_lane = int(inst.device[j])
        cloud_lane = inst.devices + int(inst.unit[j])
        text = f"{j}:{point}"
        _part_bar(ax, schedule.start_front[j], schedule.finish_front[j], device_lane,
                  colours[j], text if label else None)
        if schedule.ready[j] > schedule.finish_front[j]:
            ax.plot([schedule.finish_front[j], schedule.ready[j]],
                    [device_lane + 0.42, device_lane + 0.42], color=colours[j], linewidth=1.5)
        _part_bar(ax, schedule.start_cloud[j], schedule.finish_cloud[j], cloud_lane,
                  colours[j], text if label else None)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_ylim(len(lanes) - 0.5, -0.5)
    ax.set_xlabel(f"time ({inst.time_unit})")
    ax.axvline(schedule.makespan, color="red", linestyle="--", linewidth=0.8)
    policy = (schedule.policy or "given").upper()
    ax.set_title(title or f"{policy}: makespan {schedule.makespan:.1f} {inst.time_unit} "
                          f"(bars: event:point)")
    return ax


def _part_bar(ax, start: float, finish: float, lane: int, colour, text: str | None) -> None:
    """One event part as a bar on its lane, labelled ``text`` (none for an empty part)."""
    length = finish - start
    if length > 0:
        ax.broken_barh([(start, length)], (lane - 0.4, 0.8), facecolors=colour,
                       edgecolor="black", linewidth=0.4)
        if text is not None:
            ax.text(start + length / 2, lane, text, ha="center", va="center", fontsize=7)


def _colours(count: int) -> list:
    from matplotlib import colormaps

    cmap = colormaps["tab20"]
    return [cmap(i % 20) for i in range(count)]


def _interval_value(text: str) -> float:
    """``"360"`` -> 360, ``"0-720"`` -> 360 (the mean gap)."""
    parts = [float(p) for p in str(text).split("-")]
    return sum(parts) / len(parts)


def reduction_vs_interval(rows: Sequence[dict[str, Any]], ax=None, network: str | None = None):
    """DDP's reduction (%) against each baseline as the interval between events grows.

    Parameters
    ----------
    rows : table rows (``experiments.tables.table_rows`` output) of one table
    ax : matplotlib Axes, optional
    network : str, optional
        Only this network's rows (default: the first network found).

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, 6.0, 4.0)
    network = network or rows[0]["network"]
    mine = [r for r in rows if r["network"] == network]
    for index, baseline in enumerate(dict.fromkeys(r["baseline"] for r in mine)):
        points = sorted((_interval_value(r["setting"]["interval"]), r["reduction_pct"],
                         r["paper_pct"]) for r in mine if r["baseline"] == baseline)
        colour = f"C{index}"
        xs = [p[0] for p in points]
        ax.plot(xs, [p[1] for p in points], marker="o", markersize=3, color=colour,
                label=f"vs {baseline.upper()}")
        paper = [(p[0], p[2]) for p in points if p[2] is not None]
        if paper:
            ax.plot([p[0] for p in paper], [p[1] for p in paper], marker="x", markersize=8,
                    linestyle=":", color=colour, label=f"vs {baseline.upper()} (paper)")
    ax.axhline(0.0, color="grey", linewidth=0.6)
    ax.set_xlabel("interval between events (ms)")
    ax.set_ylabel("latency reduction of DDP (%)")
    ax.set_title(f"{network}: reduction against interval")
    ax.legend(fontsize=7, ncols=2)
    return ax


SWEEP_INTERVALS = tuple(range(0, 1081, 40))
SWEEP_COUNT = 50


def interval_sweep(network: str, scenario: str, count: int = SWEEP_COUNT, base_seed: int = 0,
                   intervals=SWEEP_INTERVALS) -> list[dict[str, Any]]:
    """Table 1's setting (n = 8, equal intervals) on a fine grid of intervals: table rows.

    The rows at 0, 360 and 720 ms carry the paper's figures. Computed here, not stored: a
    sweep of n = 8 instances takes about a second.
    """
    from .specs import instance_seeds
    from .specs import table_rows as spec_rows
    from .tables import table_rows
    from .work import instance_record

    paper = {row.interval: row.paper for row in spec_rows("table1", [network], [scenario])}
    out = []
    for interval in intervals:
        row = Row(experiment="table1", network=network, scenario=scenario, events=8,
                  interval=str(interval), count=count, paper=paper.get(str(interval), {}))
        records = [instance_record(row, seed, None) for seed in instance_seeds(row, base_seed)]
        out.extend(table_rows(row, records, quick=True))
    return out


def reduction_by_row(rows: Sequence[dict[str, Any]], ax=None):
    """Bars of DDP's reduction against each baseline, one group per row, paper figures as dots."""
    groups = list(dict.fromkeys(
        (r["network"], r["scenario"], tuple(r["setting"].items())) for r in rows))
    ax = _axes(ax, max(6.0, 1.1 * len(groups)), 4.5)
    baselines = list(dict.fromkeys(r["baseline"] for r in rows))
    width = 0.8 / max(1, len(baselines))
    for b_index, baseline in enumerate(baselines):
        values, papers = [], []
        for group in groups:
            match = [r for r in rows if r["baseline"] == baseline and
                     (r["network"], r["scenario"], tuple(r["setting"].items())) == group]
            values.append(match[0]["reduction_pct"] if match else np.nan)
            papers.append(match[0]["paper_pct"] if match and match[0]["paper_pct"] is not None
                          else np.nan)
        xs = np.arange(len(groups)) + (b_index - (len(baselines) - 1) / 2) * width
        ax.bar(xs, [np.nan if v is None else v for v in values], width,
               label=f"vs {baseline.upper()}", color=f"C{b_index}")
        ax.plot(xs, papers, "k_", markersize=8)
    # Label each group by what differs between groups, one item a line.
    varying = [k for k in ("n", "interval", "devices")
               if len({dict(g[2])[k] for g in groups}) > 1]
    labels = ["\n".join([g[0]] + [f"{k}={dict(g[2])[k]}" for k in varying]) for g in groups]
    ax.set_xticks(range(len(groups)), labels, fontsize=7)
    ax.axhline(0.0, color="grey", linewidth=0.6)
    ax.set_ylabel("latency reduction of DDP (%)")
    ax.set_title("DDP's reduction per row (black marks: the paper)")
    ax.legend(fontsize=7)
    return ax


def ratio_distribution(records: Sequence[dict[str, Any]], ax=None, policies=("ddp", "ns", "ac")):
    """Histograms of Z/OPT over instances (over the lower bound where not proven)."""
    from .gap import ratios

    ax = _axes(ax, 6.0, 4.0)
    series = {policy: ratios(list(records), policy) for policy in policies}
    values_all = np.concatenate([v for v in series.values() if v.size] or [np.ones(1)])
    bins = np.linspace(min(1.0, values_all.min()), max(values_all.max(), 1.0 + 1e-6), 31)
    for index, (policy, values) in enumerate(series.items()):
        if values.size:
            # Outlines, not filled bars: NS and AC often coincide and must both stay visible.
            ax.hist(values, bins=bins, histtype="step", linewidth=1.6 - 0.3 * index,
                    linestyle=("-", "--", ":")[index % 3], color=f"C{index}",
                    label=f"{policy.upper()}/OPT ({values.size} instances)")
    ax.axvline(1.0, color="black", linewidth=0.6)
    ax.set_xlabel("makespan / optimum")
    ax.set_ylabel("instances")
    ax.set_title("Distance from the offline optimum")
    ax.legend(fontsize=7)
    return ax


def worst_gap_figure(rows, per_row: dict[str, list[dict[str, Any]]],
                     solver_options: dict[str, dict[str, Any]]):
    """DDP's and the optimum's schedules, one above the other, on the instance of the largest
    proven DDP/OPT (re-generated from its seed and re-solved with its cell's options)."""
    import instances
    import solvers

    from .gap import reference

    best = None
    for row in rows:
        for record in per_row.get(row.key, []):
            ref, proven = reference(record)
            if proven and ref:
                ratio = record["makespans"]["ddp"] / ref
                if best is None or ratio > best[0]:
                    best = (ratio, row, record)
    if best is None or best[1].expected_events() > LABEL_LIMIT:
        return None
    ratio, row, record = best
    inst = instances.generate(seed=record["seed"], **row.generate_kwargs())
    options = dict(solver_options.get(row.key) or {"method": "auto"})
    method = options.pop("method", "auto")
    time_limit = options.pop("time_limit", 60.0)
    result = solvers.solve(inst, method=method, time_limit=time_limit, **options)
    figure = _figure(10.0, 2.0 + 1.0 * (inst.devices + inst.cloud_units))
    top, bottom = figure.subplots(2, 1, sharex=True)
    gantt(inst, ddp.run_policy(inst, "ddp"), ax=top,
          title=f"DDP on {row.network}, n={inst.n}, interval {row.interval}, seed "
                f"{record['seed']}: DDP/OPT = {ratio:.4f}")
    schedule = ddp.evaluate(inst, result.choices)
    gantt(inst, schedule, ax=bottom, title=f"OPT ({result.method}, {result.status}): "
                                           f"makespan {schedule.makespan:.1f} {inst.time_unit}")
    return bottom


def save_axes(ax, path: Path) -> Path:
    """Save the figure of ``ax`` at 120 dpi to exactly ``path``, in the format its suffix names
    (``.png`` or no suffix: PNG), atomically (``ddp.io.atomic_write_bytes``: a directory or a
    device is refused, a symbolic link written through)."""
    from ddp.io import atomic_write_bytes

    path = Path(path)
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format=path.suffix.lstrip(".").lower() or "png", dpi=120)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def experiment_plots(result, per_row: dict[str, list[dict[str, Any]]], rows) -> list[Path]:
    """The PNG files of an experiment, beside its results; returns their paths."""
    import instances

    folder: Path = result.folder
    written = []
    if result.name == "gap":
        records = [r for recs in per_row.values() for r in recs]
        written.append(save_axes(ratio_distribution(records), folder / "ratio_distribution.png"))
        worst = worst_gap_figure(rows, per_row, result.meta.get("solvers") or {})
        if worst is not None:
            written.append(save_axes(worst, folder / "gantt_worst_gap.png"))
    else:
        networks = list(dict.fromkeys(r["network"] for r in result.rows))
        if result.name == "table1":
            scenario = rows[0].scenario
            count = min(rows[0].count, SWEEP_COUNT)
            for network in networks:
                sweep = interval_sweep(network, scenario, count, result.meta["base_seed"])
                ax = reduction_vs_interval(sweep, network=network)
                ax.set_title(f"{network} ({scenario}), n = 8: reduction against interval "
                             f"({count} instances a point)", fontsize=9)
                written.append(save_axes(ax, folder / f"reduction_vs_interval_{network}.png"))
        else:
            written.append(save_axes(reduction_by_row(result.rows),
                                     folder / "reduction_by_row.png"))
    # A Gantt chart of DDP on the first instance of the first row, as an example schedule.
    first = rows[0]
    seeds = [r["seed"] for r in per_row.get(first.key, [])]
    if seeds and first.expected_events() <= 200:
        inst = instances.generate(seed=seeds[0], **first.generate_kwargs())
        ax = gantt(inst, ddp.run_policy(inst, "ddp"))
        written.append(save_axes(ax, folder / "gantt_example.png"))
    return written
