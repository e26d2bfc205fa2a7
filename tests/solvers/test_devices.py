"""The device bound, the fitted schedules and the device refits (``solvers.devices``,
``_device_kernels``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from instances import generate
from solvers import _device_kernels, solve
from solvers.devices import _Devices, best_fitted, device_bound, fitted_schedule, refit_devices
from solvers.lp import lp_bound
from tests import naive
from tests.helpers import MULTI, MULTI_DEVICE, instances, instances_with_choices


def _fixed_point(inst: ddp.Instance, z: float) -> tuple[int, np.ndarray]:
    later = np.zeros((inst.cloud_units, inst.n + 1))
    status, _ = _Devices(inst).fixed_point(z, later, 10**12)
    return status, later


def split_instance(devices: int, per_device: int) -> ddp.Instance:
    """Identical events, each either whole on its device (6, then 1 to send the result) or
    sent whole to the shared unit (10 to send, 2 there), ``devices`` arriving every 3."""
    n = devices * per_device
    return ddp.Instance(np.repeat(np.arange(per_device) * 3.0, devices),
                        np.tile([0.0, 6.0], (n, 1)), np.tile([10.0, 1.0], (n, 1)),
                        np.tile([2.0, 0.0], (n, 1)),
                        device=np.tile(np.arange(devices), per_device), devices=devices)


@settings(max_examples=100)
@given(inst=st.one_of(instances(kind="int", max_n=5, max_k=2, devices=(1, 3), units=(1, 2)),
                      instances(kind="int", min_n=4, max_n=6, max_k=2, devices=(1, 2),
                                max_time=16, max_gap=2)),
       share=st.sampled_from([0.5, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.3]))
def test_fixed_point_matches_its_reference(inst, share):
    """Integer times: the kernel's status and ``later`` equal the enumeration's, exactly, at
    makespans below, at and above the optimum (where the fixed point is reached)."""
    opt, _ = naive.brute_force_opt(inst)
    z = float(np.floor(opt * share))
    status, later = _fixed_point(inst, z)
    infeasible, expected = naive.later_work_fixed_point(inst, z)
    assert (status == _device_kernels.INFEASIBLE) == infeasible
    if not infeasible:
        assert later.tolist() == expected


# Two devices, six events: at makespan 27 the least-work choice of event 0 misses its
# condition only once the later work of the others is counted.
LATER_BINDS = ddp.Instance(
    [2.0, 3.0, 3.0, 5.0, 7.0, 7.0],
    [[5.0, 8.0], [7.0, 4.0], [8.0, 8.0], [1.0, 0.0], [1.0, 3.0], [1.0, 0.0]],
    [[2.0, 6.0], [5.0, 2.0], [9.0, 7.0], [6.0, 9.0], [7.0, 1.0], [0.0, 8.0]],
    [[2.0, 0.0], [2.0, 2.0], [2.0, 2.0], [1.0, 2.0], [2.0, 5.0], [4.0, 4.0]],
    device=[0, 0, 1, 0, 1, 1], devices=2)


@pytest.mark.parametrize("inst", [split_instance(2, 3), split_instance(3, 2), LATER_BINDS])
def test_fixed_point_matches_its_reference_where_later_work_binds(inst):
    """Events that need the unit late: ``later`` decides which choices remain."""
    for z in np.arange(10.0, 30.5, 0.5):
        status, later = _fixed_point(inst, z)
        infeasible, expected = naive.later_work_fixed_point(inst, z)
        assert (status == _device_kernels.INFEASIBLE) == infeasible
        if not infeasible:
            assert later.tolist() == expected


@settings(max_examples=60)
@given(inst=instances(kind="dyadic", max_n=6, max_k=3, **MULTI_DEVICE))
def test_optimum_is_reached_on_one_unit(inst):
    """The optimum's choices meet every condition at its makespan: never proven unreachable,
    so the bound never exceeds it."""
    opt = solve(inst, "brute").objective
    assert _fixed_point(inst, opt)[0] == _device_kernels.FEASIBLE
    assert device_bound(inst, 0.0, 2 * opt + 1).value <= opt


@settings(max_examples=40)
@given(inst=instances(kind="float", max_n=6, max_k=3, **MULTI))
def test_bound_below_the_optimum_on_any_shape(inst):
    opt = solve(inst, "brute").objective
    found = device_bound(inst, 0.0, 2 * opt + 1)
    assert found.value <= opt
    assert found.reached is not None and found.reached >= found.value
    # rollout's use: no test at the lower end
    direct = device_bound(inst, 0.0, 2 * opt + 1, test_lower=False)
    assert direct.value <= opt
    assert direct.reached is not None and direct.value <= direct.reached


@pytest.mark.parametrize(("devices", "per_device", "opt"), [(2, 2, 13.0), (3, 3, 16.0),
                                                             (4, 3, 18.0)])
def test_whole_choices_close_what_the_relaxation_splits(devices, per_device, opt):
    """On events that go whole to their device or whole to the unit, the relaxation splits
    the last ones and stays about 20% low; keeping each device's choices whole reaches OPT."""
    inst = split_instance(devices, per_device)
    assert naive.brute_force_opt(inst)[0] == opt
    assert lp_bound(inst, opt).value < 0.9 * opt
    assert device_bound(inst, 0.0, 2 * opt).value == pytest.approx(opt, rel=2e-7)


def test_bound_keeps_lower_when_it_proves_nothing():
    inst = split_instance(2, 2)
    assert device_bound(inst, 5.0, 5.0).value == 5.0  # empty interval
    found = device_bound(inst, 13.0, 20.0)  # 13 is reached: nothing above it is proven
    assert found.value == 13.0 and found.reached == 13.0


def test_bisection_without_the_lower_test_closes_on_the_bound():
    """Without the test at ``lower`` the bisection still closes on the bound from both sides
    (16 on this instance, where the device bound reaches OPT), and from a reachable ``lower``
    (13 on the 2x2 instance) it keeps that valid bound; on a budget it stops soundly."""
    inst = split_instance(3, 3)
    found = device_bound(inst, 1.0, 40.0, test_lower=False)
    assert found.value == pytest.approx(16.0, rel=2e-7) and found.value <= 16.0
    assert found.reached == pytest.approx(16.0, rel=2e-7)
    found = device_bound(split_instance(2, 2), 13.0, 20.0, test_lower=False)
    assert found.value == 13.0 and found.reached == pytest.approx(13.0, rel=2e-7)
    assert device_bound(inst, 1.0, 40.0, max_work=1, test_lower=False).value == 1.0


def test_work_budget_stops_the_bisection_soundly():
    """Too little work for a single test: the given lower bound comes back unchanged."""
    inst = split_instance(3, 3)
    assert device_bound(inst, 1.0, 40.0, max_work=1).value == 1.0
    # the first test alone on a small budget: nothing more is tried when it runs out (at 15
    # each device alone keeps a choice vector, so the test needs a whole pass to conclude)
    assert device_bound(inst, 15.0, 40.0, probe_work=1).value == 15.0
    assert device_bound(inst, 15.0, 40.0, probe_work=10**6).value == pytest.approx(16.0, rel=2e-7)


@settings(max_examples=40)
@given(inst=instances(kind="dyadic", max_n=6, max_k=3, **MULTI_DEVICE))
def test_fitted_schedule_meets_the_conditions(inst):
    """Each event of a fitted schedule, its device's queue alone, ends within the makespan
    it was fitted to, with the fixed point's later work after it."""
    opt = solve(inst, "brute").objective
    z = 1.05 * opt
    status, later = _fixed_point(inst, z)
    assert status == _device_kernels.FEASIBLE
    choices = fitted_schedule(inst, z, later)
    assert choices is not None and choices.shape == (inst.n,)
    free = np.zeros(inst.devices)
    for j, x in enumerate(choices):
        finish_front = max(free[inst.device[j]], inst.arrival[j]) + inst.front[j, x]
        free[inst.device[j]] = finish_front
        ready = finish_front + inst.trans[j, x]
        assert ready + inst.cloud[j, x] + later[inst.unit[j], j + 1] <= z


@settings(max_examples=60)
@given(inst=instances(kind="int", max_n=6, max_k=2, devices=(1, 3), units=(1, 2)),
       share=st.sampled_from([1.0, 1.05, 1.2]), late_weight=st.sampled_from([0.0, 1.0, 10.0]))
def test_fit_matches_its_reference(inst, share, late_weight):
    """With room for every Pareto pair, each device's fit has the least weighted work of the
    enumeration, and none is found exactly where the enumeration finds none."""
    opt, _ = naive.brute_force_opt(inst)
    z = float(opt * share)
    later = np.zeros((inst.cloud_units, inst.n + 1))
    _Devices(inst).fixed_point(z, later, 10**12)
    arrays = _Devices(inst)
    kept = arrays.kept
    per_ready = late_weight / z if z > 0 else 0.0
    for d in range(inst.devices):
        events = arrays.events[arrays.start[d]:arrays.start[d + 1]]
        columns = np.zeros(inst.n, dtype=np.int64)
        found, work = _device_kernels.fitted_choices(
            arrays.arrival, kept.front, kept.trans, kept.cloud, kept.count, events, arrays.unit,
            later, z, 4096, late_weight, 10**12, columns)
        expected = naive.device_least_weighted_work(inst, events.tolist(), later.tolist(), z,
                                                    late_weight)
        assert found == (expected is not None)
        if not found:
            continue
        weighted, free = 0.0, 0.0
        for j in events:
            x = kept.index[j, columns[j]]
            finish_front = max(free, inst.arrival[j]) + inst.front[j, x]
            free = finish_front
            ready = finish_front + inst.trans[j, x]
            assert ready + inst.cloud[j, x] + later[inst.unit[j], j + 1] <= z
            weighted += inst.cloud[j, x] * (1.0 + per_ready * ready)
        assert weighted == pytest.approx(expected, rel=1e-12, abs=1e-12)
        assert work >= len(events)


def test_fit_budget_stops_the_search():
    """A fit out of work returns none (and says how much it did); best_fitted keeps the best
    of the fits it finished."""
    inst = split_instance(4, 3)
    found = device_bound(inst, 0.0, 40.0)
    arrays = _Devices(inst)
    whole, work = arrays.fit(found.reached, found.later, 1.0)
    assert whole is not None and work > 0
    assert arrays.fit(found.reached, found.later, 1.0, max_work=work - 1)[0] is None
    assert best_fitted(inst, found, max_work=0) is None
    assert best_fitted(inst, found, margins=(0.0,), weights=(1.0,), max_work=work) is not None


def test_fitted_schedule_reaches_the_bound_where_devices_decide():
    inst = split_instance(4, 3)
    found = device_bound(inst, 0.0, 40.0)
    choices = fitted_schedule(inst, found.reached, found.later)
    assert ddp.evaluate(inst, choices).makespan == 18.0


def test_table4_edge_instance_is_proven_by_the_device_bound():
    """i3d over 3G, 128 devices on one unit (Table 4's shape, n = 1967): the relaxation stays 6%
    below, while the device bound and the fit that keeps every Pareto pair meet (OPT)."""
    inst = generate(scenario="edge-3g", network="i3d", events=1967, interval="0-720",
                    devices=128, streams="per-device", seed=1)
    found = device_bound(inst, 0.0, 12100.0)
    choices = fitted_schedule(inst, found.reached, found.later, pairs=4096)
    makespan = ddp.evaluate(inst, choices).makespan
    assert found.value <= makespan <= found.value * (1 + 1e-6)
    assert lp_bound(inst, makespan, deterministic=True).value < 0.95 * makespan


@settings(max_examples=80)
@given(case=instances_with_choices(kind="int", max_n=6, max_k=2, devices=(1, 3), units=(1, 2)),
       device=st.integers(0, 2))
def test_refit_matches_its_reference(case, device):
    """One device's events re-chosen, the others fixed: the least last finish of its unit
    equals the enumeration's, and the choices written reach it in the recurrence."""
    inst, choices = case
    device = device % inst.devices
    arrays = _Devices(inst)
    events = arrays.events[arrays.start[device]:arrays.start[device + 1]]
    if len(events) == 0 or len(np.unique(inst.unit[events])) != 1:
        return
    on_unit = inst.unit == inst.unit[events[0]]
    passing = on_unit.copy()
    passing[events] = False
    schedule = ddp.evaluate(inst, choices)
    columns = np.zeros(inst.n, dtype=np.int64)
    last, work = _device_kernels.refitted_choices(
        arrays.arrival, arrays.kept.front, arrays.kept.trans, arrays.kept.cloud,
        arrays.kept.count, events, np.where(passing, schedule.ready, -1.0),
        inst.cloud[np.arange(inst.n), choices], 4096, 10**12, columns)
    assert last == naive.device_refit(inst, choices, device)
    trial = choices.copy()
    trial[events] = arrays.kept.index[events, columns[events]]
    assert ddp.evaluate(inst, trial).finish_cloud[on_unit].max() == last
    assert work >= len(events)


@settings(max_examples=60)
@given(case=instances_with_choices(kind="int", max_n=6, max_k=2, **MULTI))
def test_refit_devices_never_loses(case):
    inst, choices = case
    refitted, makespan = refit_devices(inst, choices)
    assert makespan == ddp.evaluate(inst, refitted).makespan <= ddp.evaluate(inst, choices).makespan


@settings(max_examples=60)
@given(case=instances_with_choices(kind="int", max_n=6, max_k=2))
def test_refit_of_the_only_device_is_opt(case):
    """One device and one unit: re-choosing that device is the whole search."""
    inst, choices = case
    assert refit_devices(inst, choices)[1] == naive.brute_force_opt(inst)[0]


def test_refit_budget_stops_it():
    inst = split_instance(4, 3)
    start = np.zeros(inst.n, dtype=np.int64)
    assert refit_devices(inst, start, max_work=1)[0].tolist() == start.tolist()
    assert refit_devices(inst, start)[1] < ddp.evaluate(inst, start).makespan
