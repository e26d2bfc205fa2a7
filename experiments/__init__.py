"""experiments: the paper's Tables 1-4 re-computed, and DDP's optimality gap.

``run_experiment("table1", Options(quick=True))`` runs a table's rows (seeded instances from
``instances``, every policy from ``ddp``, the optimum from ``solvers`` on a sample of each row
and on every ``gap`` instance), writes one record per instance as it finishes and saves the
aggregated rows beside the paper's figures (``docs/experiments.md`` lists every field).
The command line is ``ddp experiment NAME``.
"""

from .run import ExperimentResult, Options, run_experiment
from .specs import BASELINES, EXPERIMENTS, Row, experiment_rows

__all__ = ["BASELINES", "EXPERIMENTS", "ExperimentResult", "Options", "Row",
           "experiment_rows", "run_experiment"]
