"""Saving and showing an experiment's rows: JSON and CSV files, rich tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from rich.table import Table

from ddp.io import atomic_write_text

TITLES = {
    "table1": "Table 1: n = 8, equal intervals",
    "table2": "Table 2: random intervals 0-720 ms",
    "table3": "Table 3: n from a normal distribution, random intervals",
    "table4": "Table 4: several front-end devices sharing one cloud unit",
    "gap": "Optimality gap: makespan over the offline optimum",
    "estimation": "Decisions on estimated times, scored on the actual times",
}


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its setting spread into columns, lists as text (for CSV)."""
    flat = {}
    for key, value in row.items():
        if key == "setting":
            flat.update(value)
        elif isinstance(value, (list, dict)):
            flat[key] = json.dumps(value)
        else:
            flat[key] = value
    return flat


def rows_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV text, one line per row, the setting spread into columns."""
    flat = [_flat(r) for r in rows]
    columns: list[str] = []
    for row in flat:
        columns.extend(c for c in row if c not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return buffer.getvalue()


def save(folder: Path, name: str, rows: list[dict[str, Any]], meta: dict[str, Any],
         summary: dict[str, Any] | None = None) -> None:
    """Write ``<name>.json`` (meta, summary, rows) and ``<name>.csv`` atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {**meta, "summary": summary, "table": rows}
    atomic_write_text(folder / f"{name}.json",
                      json.dumps(document, indent=1, allow_nan=False) + "\n")
    atomic_write_text(folder / f"{name}.csv", rows_csv(rows))


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}%"


def _setting_text(setting: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    return [str(setting[k]) for k in keys]


def _streams_text(rows: list[dict[str, Any]]) -> str:
    """How the devices' events arrive, for a title: only where there are several devices."""
    if not any(r["setting"].get("devices", 1) > 1 for r in rows):
        return ""
    if all(r["setting"].get("streams") == "per-device" for r in rows):
        return ", an arrival stream per device"
    return ", one arrival stream shared by the devices"


def table_view(name: str, rows: list[dict[str, Any]], meta: dict[str, Any]) -> Table:
    """A rich table: one line per setting; per baseline ours, and below it the paper's figure
    with the difference (ours minus the paper's) in brackets."""
    quick = " [bold yellow](QUICK: reduced sizes)[/]" if meta.get("quick") else ""
    title = TITLES[name] + _streams_text(rows)
    table = Table(title=f"{title}{quick}",
                  caption="DDP's latency reduction: mean over N instances of "
                          "100 (Z_DDP - Z_X) / Z_X, negative when DDP is faster.\nBelow, "
                          "dim: the paper's figure (ours minus the paper's).")
    table.add_column("network", no_wrap=True)
    scenarios = {r["scenario"] for r in rows}
    if len(scenarios) > 1:
        table.add_column("scenario", no_wrap=True)
    keys = ("n", "interval") + (("devices",) if name.startswith("table4") else ())
    for key in keys:
        table.add_column(key, justify="right", no_wrap=True)
    table.add_column("N", justify="right")
    baselines = list(dict.fromkeys(r["baseline"] for r in rows))
    for baseline in baselines:
        table.add_column(f"vs {baseline.upper()}", justify="right", no_wrap=True)
    with_opt = any(r.get("opt_instances") for r in rows)
    if with_opt:
        table.add_column("DDP/OPT", justify="right", no_wrap=True)
        table.caption += ("\nDDP/OPT: median over the solved sample (below, dim: the max and "
                          "how many are proven optimal); '<=': some optimum not proven, its "
                          "lower bound stands in (an upper bound on the ratio).")
    groups: dict[tuple, dict[str, dict[str, Any]]] = {}
    for row in rows:
        key = (row["network"], row["scenario"], json.dumps(row["setting"], sort_keys=True))
        groups.setdefault(key, {})[row["baseline"]] = row
    for (network, scenario, _), by_baseline in groups.items():
        first = next(iter(by_baseline.values()))
        cells = [network] + ([scenario] if len(scenarios) > 1 else [])
        cells += [*_setting_text(first["setting"], keys), str(first["instances"])]
        for baseline in baselines:
            row = by_baseline.get(baseline)
            if row is None:
                cells.append("")
                continue
            text = f"[bold]{_pct(row['reduction_pct'])}[/]"
            if row["paper_pct"] is not None:
                text += (f"\n[dim]{row['paper_pct']:+.2f} "
                         f"({row['difference_pct']:+.2f})[/]")
            cells.append(text)
        if with_opt:
            cells.append(_opt_text(first))
        table.add_row(*cells)
    return table


def _opt_text(row: dict[str, Any]) -> str:
    """A table row's DDP/OPT: the median, and below it the max and how many are proven."""
    if not row.get("opt_instances"):
        return "-"
    bound = row["opt_proven"] < row["opt_instances"]
    return (f"[bold]{_ratio(row['ddp_opt_ratio_median'], bound)}[/]\n[dim]max "
            f"{_ratio(row['ddp_opt_ratio_max'], bound)}, "
            f"{row['opt_proven']}/{row['opt_instances']} proven[/]")


def _ratio(value: float | None, bound: bool) -> str:
    if value is None:
        return "-"
    return f"{'<=' if bound else ''}{value:.4f}"


def gap_view(rows: list[dict[str, Any]], meta: dict[str, Any],
             summary: dict[str, Any] | None) -> Table:
    """A rich table: one line per cell, DDP, NS and AC over the optimum."""
    quick = " [bold yellow](QUICK: reduced sizes)[/]" if meta.get("quick") else ""
    caption = ("ratio = Z / OPT per instance; '<=' where some optimum is not proven and the "
               "lower bound stands in (an upper bound on the gap)")
    if summary:
        bound = summary["cells_proven"] < summary["cells"]
        caption += (f"\n{summary['proven']}/{summary['instances']} instances proven optimal, "
                    f"{summary['cells_proven']}/{summary['cells']} cells fully proven, worst "
                    f"DDP/OPT {_ratio(summary['ratio_max'], bound)} (over proven instances: "
                    f"{_ratio(summary['proven_ratio_max'], False)})")
    if any(r["setting"].get("streams") == "per-device" for r in rows):
        caption += "\ndevices*: an arrival stream per device (as Table 4)"
    table = Table(title=f"{TITLES['gap']}{quick}", caption=caption)
    scenarios = {r["scenario"] for r in rows}
    for column in ["network"] + (["scenario"] if len(scenarios) > 1 else []) + [
            "devices", "interval", "n", "proven", "DDP med", "DDP p95", "DDP max",
            "NS med", "NS max", "AC med", "AC max", "solve max s"]:
        table.add_column(column, justify="left" if column in ("network", "scenario")
                         else "right")
    for row in rows:
        bound = row["upper_bound"]
        setting = row["setting"]
        cells = [row["network"]] + ([row["scenario"]] if len(scenarios) > 1 else [])
        devices = str(setting["devices"]) + ("*" if setting.get("streams") == "per-device" else "")
        cells += [devices, str(setting["interval"]), str(setting["n"]),
                  f"{row['proven']}/{row['instances']}",
                  _ratio(row["ratio_median"], bound), _ratio(row["ratio_p95"], bound),
                  _ratio(row["ratio_max"], bound), _ratio(row["ns_ratio_median"], bound),
                  _ratio(row["ns_ratio_max"], bound), _ratio(row["ac_ratio_median"], bound),
                  _ratio(row["ac_ratio_max"], bound),
                  "-" if row["solve_s_max"] is None else f"{row['solve_s_max']:.2f}"]
        table.add_row(*cells)
    return table


def estimation_view(rows: list[dict[str, Any]], meta: dict[str, Any]) -> Table:
    """A rich table: per network, scenario and error, each policy's median ratio to OPT (p95
    below, dim)."""
    quick = " [bold yellow](QUICK: reduced sizes)[/]" if meta.get("quick") else ""
    table = Table(title=f"{TITLES['estimation']}{quick}",
                  caption="Makespan / OPT of the actual times: median over "
                          f"{meta.get('instances_per_cell')} instances, p95 below (dim).")
    for column in ("network", "scenario", "error"):
        table.add_column(column, no_wrap=True)
    policies = list(dict.fromkeys(r["policy"] for r in rows))
    for policy in policies:
        table.add_column(policy, justify="right", no_wrap=True)
    groups: dict[tuple, dict[str, dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["network"], row["scenario"], row["error"]), {})[row["policy"]] = row
    for (network, scenario, error), by_policy in groups.items():
        cells = [network, scenario, error]
        for policy in policies:
            row = by_policy[policy]
            cells.append(f"{row['ratio_to_opt_median']:.4f}\n"
                         f"[dim]{row['ratio_to_opt_p95']:.4f}[/]")
        table.add_row(*cells)
    return table
