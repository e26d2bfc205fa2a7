"""Shared test settings: hypothesis profiles and common fixtures."""

import os
import sys

from hypothesis import HealthCheck, settings

# Every test package imports the shared helpers as `from strategies import instances` and
# `import naive`; pytest's default import mode already puts tests/ on sys.path, this keeps them
# importable under --import-mode=importlib too.
TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

# No deadline and a fixed seed: a numba compile inside an example must never be a flake.
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
