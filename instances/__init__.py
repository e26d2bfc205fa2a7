"""instances: analytic 3D-CNN partition profiles, device, network and cloud-load models, arrival
processes and the paper's scenarios, producing ``ddp.Instance`` objects.

Public API::

    instances.generate(scenario="paper", network="resnet3d50", events=8, interval="0",
                       devices=1, cloud_units=1, seed=0, link=None, profile=None,
                       precision="fp32", streams="one") -> ddp.Instance
    instances.profile(network) -> Profile
    instances.SCENARIOS, instances.NETWORKS
"""

from .costs import profile
from .generate import generate
from .nets import NETWORKS
from .partition import Point, Profile
from .scenarios import SCENARIOS, Scenario
from .user_profile import ProfileError, load_user_profile

__all__ = ["NETWORKS", "SCENARIOS", "Point", "Profile", "ProfileError", "Scenario", "generate",
           "load_user_profile", "profile"]
