"""DDP's ratio to the optimum, ``Z / OPT`` (``ddp.metrics.ratio_to_opt``), per cell of settings.

On an instance whose optimum is proven (status ``optimal``: objective and lower bound agree) the
ratio is ``Z_X / OPT``; where the solver stopped at its (deterministic) limit it is ``Z_X / LB``
with LB the solver's proven lower bound, which over-states the ratio: such a cell's ratios are
upper bounds (``upper_bound`` is true and ``proven < instances``). The ratios are those of the
tables' OPT fields (``opt.py``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from solvers import OPTIMAL_RTOL

from .opt import ratios, reference
from .specs import Row

__all__ = ["gap_row", "gap_summary", "is_consistent", "ratios", "reference"]

GAP_POLICIES = ("ddp", "ns", "ac", "lookahead", "rollout")


def _stats(values: np.ndarray, prefix: str) -> dict[str, float | None]:
    if not values.size:
        return {f"{prefix}ratio_median": None, f"{prefix}ratio_p95": None,
                f"{prefix}ratio_max": None}
    return {f"{prefix}ratio_median": float(np.median(values)),
            f"{prefix}ratio_p95": float(np.percentile(values, 95)),
            f"{prefix}ratio_max": float(values.max())}


def gap_row(row: Row, records: list[dict[str, Any]], quick: bool) -> dict[str, Any]:
    """The summary of one gap cell.

    Returns
    -------
    dict
        ``experiment, network, scenario, setting, instances, proven, upper_bound,
        ratio_median, ratio_p95, ratio_max`` and the same three prefixed ``ns_``, ``ac_``,
        ``lookahead_`` and ``rollout_`` (the policies that see the next events, default settings),
        ``mean_n``, ``solve_s_max``, ``methods``, ``quick``.
    """
    proven = sum(1 for r in records if reference(r)[1])
    solve_times = [r["opt"]["runtime_s"] for r in records if r.get("opt")]
    out: dict[str, Any] = {
        "experiment": row.experiment, "network": row.network, "scenario": row.scenario,
        "setting": row.setting, "instances": len(records), "proven": proven,
        "upper_bound": proven < len(records)}
    for policy in GAP_POLICIES:
        out.update(_stats(ratios(records, policy), "" if policy == "ddp" else f"{policy}_"))
    proven_ratios = ratios([r for r in records if reference(r)[1]], "ddp")
    out["proven_ratio_max"] = float(proven_ratios.max()) if proven_ratios.size else None
    out["mean_n"] = float(np.mean([r["n"] for r in records])) if records else None
    out["solve_s_max"] = float(max(solve_times)) if solve_times else None
    out["methods"] = sorted({r["opt"]["method"] for r in records if r.get("opt")})
    out["quick"] = quick
    return out


def gap_summary(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals over every cell: instances, proven, cells fully proven, DDP's worst ratio (over
    everything, an upper bound where unproven, and over proven instances only)."""
    worst = [c["ratio_max"] for c in cells if c["ratio_max"] is not None]
    worst_proven = [c["proven_ratio_max"] for c in cells if c["proven_ratio_max"] is not None]
    medians = [c["ratio_median"] for c in cells if c["ratio_median"] is not None]
    return {"cells": len(cells), "cells_proven": sum(1 for c in cells if not c["upper_bound"]),
            "instances": sum(c["instances"] for c in cells),
            "proven": sum(c["proven"] for c in cells),
            "ratio_max": max(worst) if worst else None,
            "proven_ratio_max": max(worst_proven) if worst_proven else None,
            "ratio_median_of_medians": float(np.median(medians)) if medians else None}


def is_consistent(record: dict[str, Any]) -> bool:
    """A proven record has lower bound equal to the optimum (``solvers.OPTIMAL_RTOL``)."""
    opt = record.get("opt") or {}
    if opt.get("status") != "optimal":
        return True
    objective, lower = opt.get("objective"), opt.get("lower_bound")
    return (objective is not None and lower is not None
            and math.isclose(objective, lower, rel_tol=OPTIMAL_RTOL, abs_tol=1e-9))
