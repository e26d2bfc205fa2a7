"""Exact offline optimum (OPT of ``docs/model.md``) with certified lower bounds.

``solve(inst, method="auto", time_limit=60.0, hint=None, **options) -> Result``. Methods
(``methods.REGISTRY``): ``dp`` (ours, exact for one device per cloud unit), ``cpsat``
(OR-Tools), ``milp-cbc`` and ``milp-highs`` (PuLP), ``brute`` (enumeration, the test oracle);
``auto`` picks ``dp`` when it is exact for the instance, else ``milp-highs``.
"""

from .errors import SolverError, SolverUnavailable, UnsupportedInstance
from .methods import METHODS, SUPPORT
from .result import OPTIMAL_RTOL, Result, Status, gap_of
from .solve import check_time_limit, solve

__all__ = ["METHODS", "OPTIMAL_RTOL", "SUPPORT", "Result", "SolverError", "SolverUnavailable",
           "Status", "UnsupportedInstance", "check_time_limit", "gap_of", "solve"]
