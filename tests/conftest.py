"""Shared test settings: hypothesis profiles and common fixtures."""

import os

from hypothesis import HealthCheck, settings

# No deadline and a fixed seed: a numba compile inside an example must never be a flake.
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
