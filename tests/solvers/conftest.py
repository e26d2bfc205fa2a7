"""Fixtures of the solver tests: the benchmark's random instances (issue 5's generator)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

# The generator lives in benchmarks/ (a folder of scripts, not a package): load it by path so
# the tests and the benchmark share one generator instead of two copies drifting apart.
BENCH_INSTANCES = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_instances.py"


def _load_bench_instances():
    spec = importlib.util.spec_from_file_location("bench_instances", BENCH_INSTANCES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


random_instance = _load_bench_instances().random_instance


@pytest.fixture(scope="session")
def make_random():
    return random_instance
