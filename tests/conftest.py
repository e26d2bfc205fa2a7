"""Shared test settings: hypothesis profiles and common fixtures (helpers: ``tests/helpers.py``)."""

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers import random_instance

# No deadline and a fixed seed: a numba compile inside an example must never be a flake.
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def make_random():
    """``instances.random.random_instance``: seeded random instances, k = 18 by default."""
    return random_instance
