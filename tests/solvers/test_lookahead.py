"""The rolling-horizon policy ``lookahead``: W = 0 is DDP, a window over the whole known future
is OPT, the online object matches the batch form, and its inputs are checked."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import ddp
import instances as instances_module
from ddp.errors import InstanceError
from solvers import solve
from solvers.lookahead import (
    OnlineLookahead,
    first_plan,
    repeat_window,
    run_lookahead,
    run_rollout,
)
from tests.helpers import any_instances, instances


@given(any_instances(max_n=8, max_k=4, kind="int"))
def test_window_zero_is_ddp(inst):
    """W = 0: the window is the event alone, so the choices are DDP's (ties included)."""
    for predict in ("known", "repeat"):
        schedule = run_lookahead(inst, window=0, predict=predict)
        np.testing.assert_array_equal(schedule.choices, ddp.run_policy(inst, "ddp").choices)


@given(any_instances(max_n=6, max_k=3, kind="int"))
def test_whole_known_future_is_opt(inst):
    """W >= n - 1 with the known future: the makespan is brute force's optimum."""
    optimum = solve(inst, "brute").objective
    schedule = run_lookahead(inst, window=inst.n, predict="known")
    assert schedule.makespan == pytest.approx(optimum, rel=1e-12, abs=1e-12)


@given(any_instances(max_n=6, max_k=3, kind="dyadic"))
def test_never_worse_than_opt_and_schedule_is_evaluated(inst):
    schedule = run_lookahead(inst, window=2)
    assert schedule.makespan >= solve(inst, "brute").objective - 1e-9
    assert schedule.makespan == ddp.evaluate(inst, schedule.choices).makespan
    assert schedule.policy == "lookahead"


@given(instances(max_n=8, max_k=4, devices=(1, 3), units=(1, 2), kind="int"))
def test_online_with_upcoming_matches_batch(inst):
    """Pushing each event with its next W events as ``upcoming`` gives the batch choices."""
    window = 2
    online = OnlineLookahead(inst.devices, inst.cloud_units, window=window)
    rows = [(inst.arrival[j], inst.front[j], inst.trans[j], inst.cloud[j], int(inst.device[j]),
             int(inst.unit[j])) for j in range(inst.n)]
    for j in range(inst.n):
        online.push(*rows[j], upcoming=rows[j + 1:j + 1 + window])
    batch = run_lookahead(inst, window=window, predict="known")
    np.testing.assert_array_equal(online.schedule().choices, batch.choices)
    assert online.makespan == batch.makespan


@given(instances(max_n=8, max_k=4, kind="int"))
def test_online_repeat_matches_batch(inst):
    online = OnlineLookahead(window=2, predict="repeat")
    for j in range(inst.n):
        online.push(inst.arrival[j], inst.front[j], inst.trans[j], inst.cloud[j])
    np.testing.assert_array_equal(online.schedule().choices,
                                  run_lookahead(inst, window=2, predict="repeat").choices)


def test_repeat_window_uses_the_mean_gap():
    row = np.array([0.0, 1.0])
    arrivals, front, _, _, device, _ = repeat_window(30.0, row, row, row, 1, 0, 3, 0.0, 4)
    np.testing.assert_array_equal(arrivals, [30.0, 40.0, 50.0, 60.0])
    assert front.shape == (4, 2) and list(device) == [1, 1, 1, 1]
    # one arrival seen: no rate known, the window is the event alone
    assert len(repeat_window(30.0, row, row, row, 0, 0, 3, 30.0, 1)[0]) == 1


def test_lookahead_beats_ddp_on_a_queue():
    """Two events at once: DDP runs the first on the device (finish 4 < 6) and the second
    waits for it (8); a window of one sends the first to the cloud and both end by 6."""
    inst = ddp.Instance([0, 0], [[0, 4], [0, 4]], [[5, 0], [5, 0]], [[1, 0], [1, 0]])
    assert ddp.run_policy(inst, "ddp").makespan == 8.0
    schedule = run_lookahead(inst, window=1)
    assert list(schedule.choices) == [0, 1] and schedule.makespan == 6.0
    assert solve(inst, "brute").objective == 6.0


def test_bad_arguments():
    inst = ddp.Instance([0], [[0, 1]], [[1, 0]], [[1, 0]])
    with pytest.raises(ValueError, match="window"):
        run_lookahead(inst, window=-1)
    with pytest.raises(ValueError, match="prediction"):
        run_lookahead(inst, predict="oracle")
    online = OnlineLookahead(window=1)
    with pytest.raises(InstanceError, match="upcoming"):
        online.push(5.0, [0, 1], [1, 0], [1, 0], upcoming=[(4.0, [0, 1], [1, 0], [1, 0])])
    online.push(5.0, [0, 1], [1, 0], [1, 0])
    with pytest.raises(InstanceError, match="arrival"):
        online.push(4.0, [0, 1], [1, 0], [1, 0])


@given(any_instances(max_n=7, max_k=3, kind="int"))
def test_rollout_is_never_worse_than_the_best_baseline(inst):
    """The fortified rollout follows its best plan, which starts as the best of lookahead, DDP,
    NS, AC and AF run from the start: it ends no later than any of them, and not below OPT."""
    schedule = run_rollout(inst)
    best = min(ddp.run_policy(inst, name).makespan for name in ("ddp", "ns", "ac", "af"))
    assert schedule.makespan <= min(best, run_lookahead(inst).makespan)
    assert schedule.makespan >= solve(inst, "brute").objective - 1e-9
    assert schedule.makespan == ddp.evaluate(inst, schedule.choices).makespan


@given(instances(max_n=6, max_k=3, devices=(1, 2), units=(1, 2), kind="int"))
def test_rollout_matches_its_plain_python_reference(inst):
    """The rollout kernel against ``tests.naive.rollout`` guided by the same window points."""
    from solvers._window_kernels import window_point
    from solvers.points import dominant_points
    from tests import naive

    window = 2
    _, _, _, kept_index, kept_count = dominant_points(inst.front, inst.trans, inst.cloud)

    def guide(j, front_free, cloud_free):
        stop = min(inst.n, j + 1 + window)
        front = np.array([front_free.get(d, 0.0) for d in range(inst.devices)])
        cloud = np.array([cloud_free.get(u, 0.0) for u in range(inst.cloud_units)])
        return int(window_point(front, cloud, inst.arrival[j:stop], inst.front[j:stop],
                                inst.trans[j:stop], inst.cloud[j:stop], inst.device[j:stop],
                                inst.unit[j:stop], kept_index[j:stop], kept_count[j:stop])[0])

    assert list(run_rollout(inst, window=window, polish=0).choices) == naive.rollout(inst, guide)
    first = first_plan(inst, window)
    assert list(run_rollout(inst, window=window).choices) == naive.rollout(inst, guide, first)


@given(instances(max_n=7, max_k=3, devices=(1, 2), units=(1, 2), kind="int"))
def test_split_plan_matches_its_plain_python_reference(inst):
    """The best "All at Cloud, then All at Front" split against every split evaluated."""
    from solvers._rollout_kernels import split_plan
    from tests import naive

    plan = np.zeros(inst.n, dtype=np.int64)
    value = split_plan(inst.arrival, inst.front, inst.trans, inst.cloud, inst.device, inst.unit,
                       inst.devices, inst.cloud_units, plan)
    assert (value, list(plan)) == naive.split_plan(inst)
    assert value == ddp.evaluate(inst, plan).makespan


@given(any_instances(max_n=7, max_k=3, kind="int"))
def test_the_polished_first_plan_is_never_later_than_lookahead(inst):
    plan = first_plan(inst)
    assert ddp.evaluate(inst, plan).makespan <= run_lookahead(inst).makespan
    assert list(first_plan(inst, polish=0)) == list(run_lookahead(inst).choices)


def test_the_first_plan_takes_the_lp_start_where_devices_share_a_unit(monkeypatch):
    """From LP_START_MIN_EVENTS events, with devices sharing a unit, the relaxation's rounded
    solution is one of the starts: the first plan is no later than it polished, and it is not
    computed at all below the threshold or where every device has its own unit."""
    from solvers import lookahead
    from solvers.lns import polish
    from solvers.lp import best_rounding, lp_bound

    inst = instances_module.generate(scenario="paper", events=lookahead.LP_START_MIN_EVENTS,
                                     interval="0-720", devices=8, cloud_units=1,
                                     streams="per-device", seed=1)
    relaxed = lp_bound(inst, run_lookahead(inst).makespan, deterministic=True)
    _, polished, _ = polish(inst, best_rounding(relaxed, inst),
                            max_windows=lookahead.DEFAULT_POLISH * inst.n)
    assert ddp.evaluate(inst, first_plan(inst)).makespan <= polished

    calls = []
    monkeypatch.setattr(lookahead, "lp_bound", lambda *args, **kwargs: calls.append(1))
    first_plan(inst.subset(np.arange(lookahead.LP_START_MIN_EVENTS - 1)))
    first_plan(inst.replace(device=np.zeros(inst.n, dtype=np.int64), devices=1))
    assert calls == []


def test_the_first_plan_takes_the_fitted_start_where_the_rounding_leaves_a_gap(monkeypatch):
    """Where the rounded relaxation ends more than FIT_GAP above the relaxation (i3d over
    ``edge-3g``, 32 devices on one unit), the device bound is bisected and, where that closed
    within FIT_CLOSE, each device's choices are fitted to it: the first plan is no later than
    that fit. With a gap no start leaves, the device bound is not computed; with a bisection
    that must close completely, no fit is made."""
    from solvers import lookahead
    from solvers.devices import best_fitted

    inst = instances_module.generate(scenario="edge-3g", network="i3d", events=200,
                                     interval="0-720", devices=32, cloud_units=1,
                                     streams="per-device", seed=1)
    found, fits = [], []
    device_bound = lookahead.device_bound
    monkeypatch.setattr(lookahead, "device_bound",
                        lambda *args, **kwargs: found.append(device_bound(*args, **kwargs))
                        or found[-1])
    monkeypatch.setattr(lookahead, "best_fitted",
                        lambda *args, **kwargs: fits.append(best_fitted(*args, **kwargs))
                        or fits[-1])
    plan = first_plan(inst)
    assert len(found) == 1 and found[0].reached is not None
    assert 0 < found[0].reached - found[0].value <= lookahead.FIT_CLOSE * found[0].reached
    fitted = best_fitted(inst, found[0], lookahead.FIT_MARGINS, lookahead.FIT_WEIGHTS,
                         lookahead.FIT_PAIRS, max_work=lookahead.FIT_WORK_PER_EVENT * inst.n)
    assert len(fits) == 1 and list(fits[0]) == list(fitted)
    assert ddp.evaluate(inst, plan).makespan <= ddp.evaluate(inst, fitted).makespan

    monkeypatch.setattr(lookahead, "FIT_CLOSE", 0.0)
    first_plan(inst)
    assert len(found) == 2 and len(fits) == 1
    monkeypatch.setattr(lookahead, "FIT_GAP", np.inf)
    first_plan(inst)
    assert len(found) == 2


def test_on_short_bursts_every_start_is_polished():
    """Below SKIP_POLISH_MIN_EVENTS every start is polished: on a burst of 20 events over 4
    devices sharing a unit the split start is far behind before its polish and ahead after it
    (skipping it put the first plan 2.4% later here)."""
    from solvers import lookahead
    from solvers._rollout_kernels import split_plan
    from solvers.lns import polish

    inst = instances_module.generate(scenario="paper", network="i3d", events=20, interval="0",
                                     devices=4, cloud_units=1, seed=0)
    assert inst.n < lookahead.SKIP_POLISH_MIN_EVENTS
    split = np.zeros(inst.n, dtype=np.int64)
    split_plan(inst.arrival, inst.front, inst.trans, inst.cloud, inst.device, inst.unit,
               inst.devices, inst.cloud_units, split)
    _, polished, _ = polish(inst, split, max_windows=lookahead.DEFAULT_POLISH * inst.n)
    assert ddp.evaluate(inst, first_plan(inst)).makespan <= polished
    assert polished < run_lookahead(inst).makespan  # the split's polish is what wins here
