"""Exact offline optimum (OPT of ``model.md``) with certified lower bounds.

``solve(inst, method="auto", time_limit=60.0, hint=None, **options) -> Result``. Methods:
``dp`` (ours, exact for one device per cloud unit), ``cpsat`` (OR-Tools), ``milp-cbc`` and
``milp-highs`` (PuLP), ``brute`` (enumeration, the test oracle); ``auto`` picks ``dp`` when it is
exact for the instance, else ``milp-highs``.
"""

from .common import SolverUnavailable, UnsupportedInstance
from .result import OPTIMAL_RTOL, Result, Status
from .solve import METHODS, SUPPORT, solve

__all__ = ["METHODS", "OPTIMAL_RTOL", "Result", "SUPPORT", "SolverUnavailable", "Status",
           "UnsupportedInstance", "solve"]
