"""The answer of every solver: a back-end's ``Outcome``, and the ``Result`` of ``solve``."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Two numbers "agree" (status optimal) within this relative distance.
OPTIMAL_RTOL = 1e-6


class Status(str, enum.Enum):
    """How far a solver got. A ``str`` enum, so ``Status.OPTIMAL == "optimal"``."""

    OPTIMAL = "optimal"  # objective and lower bound agree within OPTIMAL_RTOL
    FEASIBLE = "feasible"  # a schedule, and a lower bound that does not (yet) meet it
    INFEASIBLE = "infeasible"  # the solver proved there is no schedule (never for a valid instance)
    ERROR = "error"  # the solver failed or is missing; ``message`` says why

    def __str__(self) -> str:
        return self.value


def gap_of(objective: float, lower_bound: float) -> float:
    """Relative gap ``(objective - lower_bound) / objective`` (0 when both are 0)."""
    if not np.isfinite(objective) or not np.isfinite(lower_bound):
        return float("inf")
    if objective <= 0:
        return 0.0 if lower_bound >= objective else float("inf")
    return max(0.0, (objective - lower_bound) / objective)


def proven(objective: float, lower_bound: float) -> bool:
    """True when the lower bound meets the objective within ``OPTIMAL_RTOL``."""
    return lower_bound >= objective or gap_of(objective, lower_bound) <= OPTIMAL_RTOL


@dataclass
class Outcome:
    """What a method's run gives back, before ``finish`` re-evaluates it into a ``Result``.

    Attributes
    ----------
    choices : ndarray of int or None
        The best choice vector found (None: none).
    lower_bound : float
        A proven lower bound on the optimum (0 when nothing is known).
    message : str
        What happened, in words.
    stats : dict
        Method-specific numbers.
    failed : bool
        The back-end failed (status ``error``); ``choices`` may still hold a fallback.
    """

    choices: np.ndarray | None
    lower_bound: float
    message: str = ""
    stats: dict[str, Any] = field(default_factory=dict)
    failed: bool = False


@dataclass
class Result:
    """The outcome of ``solvers.solve``.

    Attributes
    ----------
    objective : float
        Makespan of ``choices``, always re-computed with ``ddp.evaluate`` (inf without choices).
    lower_bound : float
        A proven lower bound on the optimum makespan (0 when nothing better is known).
    status : Status
        ``optimal`` only when ``objective`` and ``lower_bound`` agree within a relative 1e-6.
    choices : ndarray of int or None
        The best choice vector found.
    runtime : float
        Wall-clock seconds of the whole call (model building included).
    method : str
        The method that ran (also when ``auto`` chose it).
    message : str
        What happened, in words: the solver's own status, why a bound is what it is, errors.
    stats : dict
        Method-specific numbers (states, nodes, scaling, ...).
    """

    objective: float
    lower_bound: float
    status: Status
    choices: np.ndarray | None
    runtime: float
    method: str
    message: str = ""
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """Relative gap between objective and lower bound."""
        return gap_of(self.objective, self.lower_bound)

    @property
    def is_optimal(self) -> bool:
        return self.status == Status.OPTIMAL

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, with the CLI's names."""
        finite = np.isfinite(self.objective)
        return {"makespan": float(self.objective) if finite else None,
                "lower_bound": float(self.lower_bound),
                "status": str(self.status), "runtime_s": round(float(self.runtime), 6),
                "solver": self.method,
                "gap": float(self.gap) if np.isfinite(self.gap) else None,
                "choices": None if self.choices is None else [int(c) for c in self.choices],
                "message": self.message}

    def __str__(self) -> str:
        lines = [f"method       {self.method}",
                 f"status       {self.status}",
                 f"objective    {self.objective:.6f}",
                 f"lower bound  {self.lower_bound:.6f}",
                 f"gap          {100 * self.gap:.4f}%",
                 f"runtime      {self.runtime:.3f} s"]
        if self.message:
            lines.append(f"message      {self.message}")
        return "\n".join(lines)
