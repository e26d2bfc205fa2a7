"""Decisions on estimated times, scored on the actual ones (``ddp experiment estimation``).

Each seeded instance of a cell is given an ``estimate`` (``ddp-instance/1.1``) made from its
actual times by one error setting, and every policy chooses on the estimate and is scored on the
actual times; ``opt-on-estimates`` is the exact optimum of the estimated instance scored on the
actual times. Ratios are over the exact optimum of the actual instance (``dp``, proven).

Error settings (one at a time, the rest exact):

- ``noise X%``: every estimated time is the actual one times ``max(0, 1 + X * N(0, 1))``,
  drawn independently per time (seeded by the instance);
- ``bias B%``: every estimated time is the actual one times ``1 + B``;
- ``stale S``: the network readings are ``S`` events old: event ``j``'s estimated transfer row
  is the actual row of event ``j - S`` (event 0's for the first ``S`` events); front and cloud
  times are exact.

The rows are computed in this process from the instances' seeds (no records file: a run is
short; ``--resume`` recomputes them).
"""

from __future__ import annotations

import datetime as _dt
import time
from pathlib import Path
from typing import Any

import numpy as np

import ddp
import instances
import solvers
from solvers.lookahead import run_lookahead, run_rollout

from . import output

NOISE = (0.0, 0.05, 0.10, 0.20, 0.40)
BIAS = (-0.20, -0.10, 0.10, 0.20)
STALE = (1, 2, 5, 10)
POLICIES = ("ddp", "ns", "ac", "af", "qa", "lookahead", "rollout", "opt-on-estimates")
SETTING = {"n": 10, "interval": "0-720", "devices": 1, "cloud_units": 1}
FULL_COUNT = 20
QUICK_COUNT = 5
SEED_STRIDE = 1_000_000


def error_settings() -> list[tuple[str, float, str]]:
    """``(kind, value, label)`` of every error setting, in display order."""
    return ([("noise", v, f"noise {v:.0%}") for v in NOISE]
            + [("bias", v, f"bias {v:+.0%}") for v in BIAS]
            + [("stale", s, f"stale {s}") for s in STALE])


def with_estimate(inst: ddp.Instance, kind: str, value: float,
                  rng: np.random.Generator) -> ddp.Instance:
    """``inst`` with an ``estimate`` made by one error setting (see the module docstring)."""
    actual = {"front": inst.front, "trans": inst.trans, "cloud": inst.cloud}
    if kind == "noise":
        estimate = {key: array * np.maximum(0.0, 1.0 + value * rng.standard_normal(array.shape))
                    for key, array in actual.items()}
    elif kind == "bias":
        estimate = {key: array * (1.0 + value) for key, array in actual.items()}
    elif kind == "stale":
        source = np.maximum(np.arange(inst.n) - int(value), 0)
        estimate = dict(actual, trans=inst.trans[source])
    else:
        raise ValueError(f"unknown error kind {kind!r} (noise, bias, stale)")
    return inst.replace(estimate={key: np.ascontiguousarray(a) for key, a in estimate.items()})


def _optimum(inst: ddp.Instance) -> solvers.Result:
    result = solvers.solve(inst, "dp", time_limit=300.0)
    if str(result.status) != "optimal":
        raise RuntimeError(f"dp did not prove the optimum of {inst.name} ({result.status})")
    return result


def makespans(inst: ddp.Instance) -> dict[str, float]:
    """Every policy's makespan on ``inst`` (chosen on its estimate, scored on its times)."""
    out = {name: ddp.run_policy(inst, name).makespan for name in POLICIES[:5]}
    out["lookahead"] = run_lookahead(inst).makespan
    out["rollout"] = run_rollout(inst).makespan
    out["opt-on-estimates"] = ddp.evaluate(inst, _optimum(inst.as_estimated()).choices).makespan
    return out


def cell_rows(network: str, scenario: str, count: int, base_seed: int) -> list[dict[str, Any]]:
    """The rows of one network and scenario: one per error setting and policy."""
    ratios: dict[tuple[str, str], list[float]] = {}
    for index in range(count):
        seed = base_seed * SEED_STRIDE + index
        inst = instances.generate(scenario=scenario, network=network, events=SETTING["n"],
                                  interval=SETTING["interval"], devices=SETTING["devices"],
                                  cloud_units=SETTING["cloud_units"], seed=seed)
        opt = _optimum(inst).objective
        for kind, value, label in error_settings():
            rng = np.random.default_rng([seed, len(label), round(value * 1000) + 500])
            for policy, makespan in makespans(with_estimate(inst, kind, value, rng)).items():
                ratios.setdefault((label, policy), []).append(makespan / opt)
    return [{"experiment": "estimation", "network": network, "scenario": scenario,
             "setting": dict(SETTING), "error": label, "policy": policy,
             "ratio_to_opt_median": float(np.median(values)),
             "ratio_to_opt_p95": float(np.percentile(values, 95)), "instances": len(values)}
            for (label, policy), values in ratios.items()]


def run_estimation(networks: list[str], scenarios: list[str], folder: Path, quick: bool,
                   seed: int, plots: bool) -> tuple[list[dict[str, Any]], dict[str, Any],
                                                    list[Path]]:
    """Run every cell, save ``estimation.json`` / ``.csv`` (and a plot); rows, meta, plots."""
    started = time.perf_counter()
    count = QUICK_COUNT if quick else FULL_COUNT
    rows = [row for scenario in scenarios for network in networks
            for row in cell_rows(network, scenario, count, seed)]
    meta = {"experiment": "estimation", "quick": quick, "networks": networks,
            "scenarios": scenarios, "base_seed": seed, "instances_per_cell": count,
            "setting": SETTING, "errors": [label for _, _, label in error_settings()],
            "policies": list(POLICIES),
            "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "wall_time_s": round(time.perf_counter() - started, 3),
            "records_computed": count * len(networks) * len(scenarios), "records_reused": 0}
    output.save(folder, "estimation", rows, meta)
    written = [plot_estimation(rows, folder / "estimation.png")] if plots else []
    return rows, meta, written


def plot_estimation(rows: list[dict[str, Any]], path: Path) -> Path:
    """Median ratio to OPT against the error, one panel per kind, a line per policy."""
    from .plots import _figure

    kinds = ("noise", "bias", "stale")
    figure = _figure(13.0, 4.0)
    axes = figure.subplots(1, 3, sharey=True)
    for axis, kind in zip(axes, kinds, strict=True):
        labels = [label for k, _, label in error_settings() if k == kind]
        for policy in POLICIES:
            values = [np.median([r["ratio_to_opt_median"] for r in rows
                                 if r["error"] == label and r["policy"] == policy])
                      for label in labels]
            axis.plot(range(len(labels)), values, marker="o", label=policy)
        axis.set_xticks(range(len(labels)), [label.split(" ", 1)[1] for label in labels])
        axis.set_title(kind)
        axis.grid(alpha=0.3)
    axes[0].set_ylabel("median makespan / OPT (actual times)")
    axes[-1].legend(fontsize=8)
    figure.savefig(path, dpi=120)
    return path
