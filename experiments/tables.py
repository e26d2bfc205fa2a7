"""Aggregate per-instance records into table rows: DDP's latency reduction against each baseline.

Conventions of ``docs/paper.md``: the reduction on one instance is ``100 (Z_DDP - Z_X) / Z_X``
(``ddp.metrics.reduction_pct``, negative when DDP is faster) and a row reports the mean over
its instances; the reduction of the mean makespans is given beside it, with the median of the
per-instance reductions (the typical instance, robust to rare heavy ones) and a 95% confidence
half-width of the mean.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ddp.metrics import reduction_pct

from .opt import opt_fields
from .specs import BASELINES, Row


def reductions(records: list[dict[str, Any]], baseline: str) -> np.ndarray:
    """Per-instance reductions (%) of DDP against ``baseline``; instances with Z_X = 0 skipped."""
    ddp = np.array([r["makespans"]["ddp"] for r in records], dtype=float)
    other = np.array([r["makespans"][baseline] for r in records], dtype=float)
    keep = other > 0
    return reduction_pct(ddp[keep], other[keep])


def _clean(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def table_rows(row: Row, records: list[dict[str, Any]], quick: bool,
               opt_records: list[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """One output row per baseline for one setting.

    ``opt_records`` are the records of the row's solved sample (``opt.py``); every baseline's
    row carries the same OPT fields (``opt.opt_fields``), null ratios without a sample.

    Returns
    -------
    list of dict
        ``experiment, network, scenario, setting, baseline, reduction_pct, paper_pct,
        difference_pct, median_reduction_pct, reduction_of_means_pct, ci95_pct, instances,
        mean_n, mean_makespan_ddp, mean_makespan``, the OPT fields, ``quick``.
    """
    opt = opt_fields(list(opt_records))
    out = []
    ddp_mean = float(np.mean([r["makespans"]["ddp"] for r in records])) if records else None
    mean_n = float(np.mean([r["n"] for r in records])) if records else None
    for baseline in BASELINES:
        values = reductions(records, baseline)
        mean = float(values.mean()) if values.size else None
        median = float(np.median(values)) if values.size else None
        ci95 = (1.96 * float(values.std(ddof=1)) / math.sqrt(values.size)
                if values.size > 1 else None)
        other_mean = (float(np.mean([r["makespans"][baseline] for r in records]))
                      if records else None)
        of_means = reduction_pct(ddp_mean, other_mean) if other_mean else None
        paper = row.paper.get(baseline)
        out.append({
            "experiment": row.experiment, "network": row.network, "scenario": row.scenario,
            "setting": row.setting, "baseline": baseline,
            "reduction_pct": _clean(mean), "paper_pct": paper,
            "difference_pct": (_clean(mean - paper)
                               if mean is not None and paper is not None else None),
            "median_reduction_pct": _clean(median),
            "reduction_of_means_pct": _clean(of_means), "ci95_pct": _clean(ci95),
            "instances": len(records), "mean_n": _clean(mean_n),
            "mean_makespan_ddp": _clean(ddp_mean), "mean_makespan": _clean(other_mean),
            **opt, "quick": quick,
        })
    return out
