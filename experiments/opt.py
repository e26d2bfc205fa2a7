"""The optimum beside a table's rows: which instances are solved, and what a row reports.

Every row of ``table1`` .. ``table4`` solves a sample of its instances with
``solvers.solve(inst, "auto", time_limit, deterministic=True)``, warm-started from DDP: the first
``sample`` instances of the row's seeded list (seeds ``S * 1000000 + 0 .. sample - 1``; the
instances are independent draws, so the first ones are a random sample, and a quick run's sample
is the start of a full run's where the row's setting is the same). The answer is stored in the
instance's record with the solver settings that produced it, so ``--resume`` solves only what is
missing, and solves again what was solved with other settings.

How a ratio is read: on an instance proven optimal (objective and lower bound within a relative
1e-6) a policy's ratio is ``Z_policy / OPT``, with OPT the best schedule known (the solver's or a
policy's, whichever is shorter); where the solver stopped at its limit the lower bound stands in,
``Z_policy / LB``, which is at least the true ratio: an upper bound. A row's ratios are exact
only when ``opt_proven == opt_instances``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ddp.metrics import ratio_to_opt

# Instances solved per row and seconds per solve, full run and --quick.
SAMPLE = {False: 20, True: 5}
TIME_LIMIT = {False: 10.0, True: 2.0}
RATIO_POLICIES = ("ddp", "ns", "ac", "af", "fb")


@dataclass(frozen=True)
class OptPlan:
    """How many instances of each row are solved, and with what per-solve limit."""

    sample: int
    time_limit: float

    @property
    def solver(self) -> dict[str, Any]:
        """Options of ``solvers.solve`` (with the method), as stored in each record."""
        return {"method": "auto", "time_limit": self.time_limit, "deterministic": True}

    def seeds(self, row_seeds: list[int]) -> list[int]:
        """The seeds of a row whose instances are solved: the first ``sample``."""
        return list(row_seeds[:self.sample])


def opt_plan(quick: bool, sample: int | None = None,
             time_limit: float | None = None) -> OptPlan:
    """The plan of a run: ``sample`` and ``time_limit`` default to 20 and 10 s (quick: 5, 2 s).

    Raises
    ------
    ValueError
        A sample that is not a whole number >= 0, or a time limit that is not a positive,
        finite number of seconds.
    """
    sample = SAMPLE[quick] if sample is None else sample
    time_limit = TIME_LIMIT[quick] if time_limit is None else time_limit
    if isinstance(sample, bool) or not isinstance(sample, int) or sample < 0:
        raise ValueError(f"opt sample {sample!r}: give a whole number of instances >= 0")
    if (isinstance(time_limit, bool) or not isinstance(time_limit, (int, float))
            or not 0 < time_limit < math.inf):
        raise ValueError(f"opt time limit {time_limit!r}: give a positive, finite number of "
                         f"seconds")
    return OptPlan(sample, float(time_limit))


def answered(record: dict[str, Any] | None, solver: dict[str, Any] | None) -> bool:
    """Whether ``record`` holds the solver's answer computed with exactly ``solver``."""
    if record is None or solver is None:
        return False
    opt = record.get("opt")
    return isinstance(opt, dict) and opt.get("solver") == solver


def reference(record: dict[str, Any]) -> tuple[float | None, bool]:
    """The denominator of an instance's ratios and whether it is a proven optimum: the best
    schedule known where proven, else the lower bound (None without a positive one)."""
    opt = record.get("opt") or {}
    objective, lower = opt.get("objective"), opt.get("lower_bound")
    if opt.get("status") == "optimal" and objective is not None:
        # Every policy's makespan is a schedule's too (none can be below a valid bound): the
        # shortest is the optimum within 1e-6, and no ratio falls below 1 by rounding.
        floor = lower if lower is not None else objective
        schedules = [z for z in record["makespans"].values() if z >= floor]
        return float(min([objective, *schedules])), True
    if lower is not None and lower > 0:
        return float(lower), False
    return None, False


def ratios(records: list[dict[str, Any]], policy: str) -> np.ndarray:
    """Per-instance ``Z_policy / OPT`` (over the lower bound where not proven)."""
    values = []
    for record in records:
        ref, _ = reference(record)
        makespan = record["makespans"].get(policy)  # absent from records made without it
        if ref is not None and ref > 0 and makespan is not None:
            values.append(ratio_to_opt(makespan, ref))
    return np.array(values, dtype=float)


def gap_pct(record: dict[str, Any]) -> float | None:
    """The solver's certified gap ``100 (objective - lower_bound) / objective``."""
    opt = record.get("opt") or {}
    objective, lower = opt.get("objective"), opt.get("lower_bound")
    if objective is None or lower is None or objective <= 0:
        return None
    return max(0.0, 100.0 * (objective - lower) / objective)


def opt_fields(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The OPT fields of a row from the records of its solved sample.

    Returns
    -------
    dict
        ``opt_instances`` (sampled instances with a usable answer), ``opt_proven``,
        ``opt_failed`` (sampled instances without one: the solver failed), ``opt_gap_max_pct``,
        ``ddp_opt_ratio_median, ddp_opt_ratio_p95, ddp_opt_ratio_max`` and
        ``{ns,ac,af,fb}_opt_ratio_median``; ratios over the lower bound where not proven (upper
        bounds), None without any answer.
    """
    usable = [r for r in records if reference(r)[0] is not None]
    gaps = [g for g in (gap_pct(r) for r in usable) if g is not None]
    fields: dict[str, Any] = {
        "opt_instances": len(usable),
        "opt_proven": sum(1 for r in usable if reference(r)[1]),
        "opt_failed": len(records) - len(usable),
        "opt_gap_max_pct": max(gaps) if gaps else None,
    }
    for policy in RATIO_POLICIES:
        values = ratios(usable, policy)
        fields[f"{policy}_opt_ratio_median"] = float(np.median(values)) if values.size else None
        if policy == "ddp":
            fields["ddp_opt_ratio_p95"] = (float(np.percentile(values, 95)) if values.size
                                           else None)
            fields["ddp_opt_ratio_max"] = float(values.max()) if values.size else None
    return fields
