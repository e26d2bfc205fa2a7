"""ddp: dynamic DNN partitioning between front-end devices and a cloud server.

The model, the schedule recurrence, online DDP and the baselines of the paper; see
``docs/model.md`` for the semantics every number follows.
"""

from .batch import BatchResult, run_policy_batch
from .errors import InstanceError
from .instance import Instance
from .io import dumps_instance, load_instance, parse_instance, save_instance
from .online import OnlineDDP
from .policies import POLICIES, run_policy
from .recurrence import evaluate
from .schedule import Schedule

__version__ = "0.1.0"

__all__ = [
    "POLICIES",
    "BatchResult",
    "Instance",
    "InstanceError",
    "OnlineDDP",
    "Schedule",
    "dumps_instance",
    "evaluate",
    "load_instance",
    "parse_instance",
    "run_policy",
    "run_policy_batch",
    "save_instance",
]
