"""How two makespans compare: the paper's reduction and the distance to the optimum.

Each formula is written once here; the CLI and the experiments import it. (The solvers' own
gap, ``(objective - lower bound) / objective``, is ``solvers.gap_of``.)
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

Number = TypeVar("Number", float, np.ndarray)


def reduction_pct(ddp_makespan: Number, other_makespan: Number) -> Number:
    """DDP's latency reduction against policy X, ``100 (Z_DDP - Z_X) / Z_X`` (``docs/model.md``).

    Negative when DDP is faster. Scalars or arrays (element by element); ``Z_X`` must be
    positive (see ``reduction_pct_or_none`` for a single value that may be 0).
    """
    return 100.0 * (ddp_makespan - other_makespan) / other_makespan


def reduction_pct_or_none(ddp_makespan: float, other_makespan: float) -> float | None:
    """``reduction_pct`` of two numbers; 0 when both are 0, None when only ``Z_X`` is."""
    if other_makespan == 0:
        return None if ddp_makespan != 0 else 0.0
    return float(reduction_pct(ddp_makespan, other_makespan))


def ratio_to_opt(makespan: Number, opt: Number) -> Number:
    """``Z / OPT``: 1 at the optimum; over a lower bound of OPT it is an upper bound."""
    return makespan / opt


def excess_over_opt_pct(makespan: float, opt: float) -> float | None:
    """``100 (Z - OPT) / OPT``: how far above the optimum a makespan is (None when OPT is 0
    and Z is not); the reduction against OPT, so ``100 (ratio_to_opt - 1)``."""
    return reduction_pct_or_none(makespan, opt)
