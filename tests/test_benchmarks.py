"""The computations of benchmark scripts whose figures the docs quote (beyond timing)."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from solvers import solve
from solvers.points import KeptPoints
from tests.helpers import MULTI_DEVICE, instances, instances_with_choices

ROOT = Path(__file__).resolve().parents[1]


def benchmark(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # numba finds a compiled function's globals through its module
    spec.loader.exec_module(module)
    return module


column_generation = benchmark("bench_column_generation")


def _approx(value: float):
    return pytest.approx(value, rel=1e-9, abs=1e-9)


def best_vector_by_enumeration(arrival, front, trans, cloud, count, ready_weight,
                               cloud_weight) -> float:
    best = np.inf
    for vector in itertools.product(*(range(c) for c in count)):
        free = value = 0.0
        for q, point in enumerate(vector):
            free = max(free, arrival[q]) + front[q, point]
            value += ready_weight[q] * (free + trans[q, point]) + cloud_weight[q] * cloud[q, point]
        best = min(best, value)
    return best


@settings(max_examples=60)
@given(inst=instances(kind="float", max_n=6, max_k=3),
       weights=st.lists(st.floats(0, 4), min_size=12, max_size=12))
def test_a_devices_best_vector_is_the_least_over_all_vectors(inst, weights):
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    ready_weight = np.array(weights[:inst.n])
    cloud_weight = np.array(weights[6:6 + inst.n])
    args = (inst.arrival, kept.front, kept.trans, kept.cloud, kept.count, ready_weight,
            cloud_weight)
    value, vector = column_generation.best_vector(*args)
    assert value == _approx(best_vector_by_enumeration(*args))
    # the vector returned has that value
    assert best_vector_by_enumeration(inst.arrival, kept.front[np.arange(inst.n), vector][:, None],
                                      kept.trans[np.arange(inst.n), vector][:, None],
                                      kept.cloud[np.arange(inst.n), vector][:, None],
                                      np.ones(inst.n, dtype=np.int64), ready_weight,
                                      cloud_weight) == _approx(value)


@settings(max_examples=30)
@given(inst=instances(kind="dyadic", max_n=6, max_k=3, **MULTI_DEVICE))
def test_the_column_generation_bound_is_below_the_optimum(inst):
    opt = solve(inst, "brute").objective
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    starts = [kept.columns_of(ddp.run_policy(inst, name).choices) for name in ("ddp", "af")]
    bound, master, iterations = column_generation.column_generation(inst, starts,
                                                                    iterations=200)
    assert bound <= opt * (1 + 1e-9) + 1e-9
    assert iterations < 200  # converged: the Lagrangian bound meets the master's value
    assert bound == pytest.approx(master, rel=1e-6, abs=1e-6)


device_sets = benchmark("bench_device_sets")


@settings(max_examples=40)
@given(pair=instances_with_choices(kind="float", max_n=8, max_k=3, **MULTI_DEVICE))
def test_the_deciding_device_waited_behind_the_others_unit_work(pair):
    """The device of the last event decides; the work it waited behind is other devices'
    unit work, at most what those devices send to the unit."""
    inst, choices = pair
    deciding, behind = device_sets.waited_behind(inst, choices)
    schedule = ddp.evaluate(inst, choices)
    assert deciding == inst.device[int(np.argmax(schedule.finish_cloud))]
    assert behind[deciding] == 0.0
    sent = np.bincount(inst.device, inst.cloud[np.arange(inst.n), choices],
                       minlength=inst.devices)
    assert np.all(behind >= 0.0)
    assert np.all(behind <= sent * np.count_nonzero(inst.device == deciding) + 1e-9)


table4 = benchmark("bench_table4")


def test_table4_cells_are_the_paper_shapes_of_the_gap_experiment():
    cells = table4.table4_cells([32, 128])
    assert sorted(table4.label(row.key) for row in cells) == sorted(
        f"{network} {count}" for network in ("i3d", "i3d_r50", "resnet3d50")
        for count in (32, 128))
    assert all("/paper/" in row.key and "streams=per-device" in row.key for row in cells)
    assert table4.summary([{"gap": 5e-5}, {"gap": 3e-4}, {"gap": 1e-4}]) == (
        "0.0100% (0.0300), 2 of 3 within 0.01%")


restricted = benchmark("bench_restricted")


def test_restricted_solves_print_their_seconds_and_gaps():
    record = {"rechoose_seconds": 4.04, "rechoose_gap": 2.83e-4,
              "complete_seconds": 103.26, "complete_gap": 0.011907}
    assert restricted.cells(record).split() == ["4.0", "s", "0.0283%", "103.3", "s", "1.1907%"]


one_second = benchmark("bench_one_second")


def test_one_second_cells_count_the_instances_within_the_target():
    records = [{"gap": 1e-5, "seconds": 0.5}, {"gap": 2.5e-5, "seconds": 0.93},
               {"gap": 0.0, "seconds": 0.1}]
    assert one_second.cell_summary(records).split() == ["2/3", "0.00250%", "0.93", "s"]
