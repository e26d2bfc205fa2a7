"""Window search (``solvers.lns``) against plain-Python references."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from solvers import _lns_kernels
from solvers.lns import improve_by_windows
from solvers.points import dominant_points
from tests import naive
from tests.helpers import any_instances, any_instances_with_choices


def kept(inst):
    return dominant_points(inst.front, inst.trans, inst.cloud)


def suffix_makespan(inst, columns, columns_of, start, front_free, cloud_free):
    """Plain Python: run events ``start..`` from the given free times, return the makespan."""
    front_free, cloud_free = list(front_free), list(cloud_free)
    for e in range(start, inst.n):
        point = int(columns_of[e, columns[e]])
        d, u = int(inst.device[e]), int(inst.unit[e])
        begin = max(front_free[d], inst.arrival[e])
        front_free[d] = begin + inst.front[e, point]
        ready = front_free[d] + inst.trans[e, point]
        cloud_free[u] = max(ready, cloud_free[u]) + inst.cloud[e, point]
    return max(cloud_free)


@settings(max_examples=60)
@given(inst=any_instances(kind="dyadic", max_n=7, max_k=3), data=st.data())
def test_tail_form_equals_running_the_suffix(inst, data):
    """The max-plus form gives the makespan of the fixed suffix from any free times."""
    kept_front, kept_trans, kept_cloud, columns_of, count = kept(inst)
    columns = np.array([data.draw(st.integers(0, int(count[j]) - 1)) for j in range(inst.n)],
                       dtype=np.int64)
    start = data.draw(st.integers(0, inst.n))
    times = st.integers(0, 80).map(float)
    front_free = np.array([data.draw(times) for _ in range(inst.devices)])
    cloud_free = np.array([data.draw(times) for _ in range(inst.cloud_units)])
    # the forms of several stops come from one backward pass; each must hold on its own
    stops = np.array(sorted({0, start, inst.n, data.draw(st.integers(0, inst.n))}),
                     dtype=np.int64)
    front_coefs, cloud_coefs, consts = _lns_kernels.tail_forms(
        inst.arrival, kept_front, kept_trans, kept_cloud, inst.device, inst.unit, columns,
        stops, inst.devices, inst.cloud_units)
    for index, stop in enumerate(stops):
        form = max(consts[index], np.max(front_free + front_coefs[index]),
                   np.max(cloud_free + cloud_coefs[index]))
        expected = suffix_makespan(inst, columns, columns_of, int(stop), front_free, cloud_free)
        assert form == expected


@settings(max_examples=40)
@given(inst=any_instances(kind="int", max_n=6, max_k=2), data=st.data())
def test_window_search_with_a_wide_beam_is_exact(inst, data):
    """With a beam wider than every state set the window's best equals enumeration."""
    kept_front, kept_trans, kept_cloud, columns_of, count = kept(inst)
    columns = np.zeros(inst.n, dtype=np.int64)
    start = data.draw(st.integers(0, inst.n - 1))
    stop = data.draw(st.integers(start + 1, inst.n))
    out = np.empty_like(columns)
    events = (inst.arrival, kept_front, kept_trans, kept_cloud, inst.device, inst.unit)
    front_free, cloud_free = np.zeros(inst.devices), np.zeros(inst.cloud_units)
    _lns_kernels.run_events(*events, columns, 0, start, front_free, cloud_free)
    front_coefs, cloud_coefs, consts = _lns_kernels.tail_forms(
        *events, columns, np.array([stop]), inst.devices, inst.cloud_units)
    found = _lns_kernels.window_search(inst.arrival, kept_front, kept_trans, kept_cloud, count,
                                      inst.device, inst.unit, columns, start, stop, front_free,
                                      cloud_free, front_coefs[0], cloud_coefs[0], consts[0],
                                      4096, out)
    best = np.inf
    for window in itertools.product(*[range(int(count[e])) for e in range(start, stop)]):
        trial = columns.copy()
        trial[start:stop] = window
        best = min(best, naive.schedule(inst, list(columns_of[np.arange(inst.n), trial])).makespan)
    assert found == best
    assert ddp.evaluate(inst, columns_of[np.arange(inst.n), out]).makespan == found
    assert (out[:start] == columns[:start]).all() and (out[stop:] == columns[stop:]).all()


@settings(max_examples=40)
@given(inst=any_instances(kind="int", max_n=8, max_k=3), data=st.data())
def test_window_search_with_a_narrow_spread_beam_reports_its_schedule(inst, data):
    """A beam of 1-8 states (from 4 on, some taken at even steps over the rest): the value it
    returns is the makespan of its schedule, which keeps every event outside the window."""
    kept_front, kept_trans, kept_cloud, columns_of, count = kept(inst)
    columns = np.array([data.draw(st.integers(0, int(count[j]) - 1)) for j in range(inst.n)],
                       dtype=np.int64)
    start = data.draw(st.integers(0, inst.n - 1))
    stop = data.draw(st.integers(start + 1, inst.n))
    width = data.draw(st.integers(1, 8))
    events = (inst.arrival, kept_front, kept_trans, kept_cloud, inst.device, inst.unit)
    front_free, cloud_free = np.zeros(inst.devices), np.zeros(inst.cloud_units)
    _lns_kernels.run_events(*events, columns, 0, start, front_free, cloud_free)
    front_coefs, cloud_coefs, consts = _lns_kernels.tail_forms(
        *events, columns, np.array([stop]), inst.devices, inst.cloud_units)
    outs = []
    for _ in range(2):
        out = np.empty_like(columns)
        found = _lns_kernels.window_search(inst.arrival, kept_front, kept_trans, kept_cloud,
                                          count, inst.device, inst.unit, columns, start, stop,
                                          front_free, cloud_free, front_coefs[0],
                                          cloud_coefs[0], consts[0], width, out)
        outs.append(out)
        assert ddp.evaluate(inst, columns_of[np.arange(inst.n), out]).makespan == found
        assert (out[:start] == columns[:start]).all() and (out[stop:] == columns[stop:]).all()
    assert (outs[0] == outs[1]).all()


@settings(max_examples=30)
@given(pair=any_instances_with_choices(kind="dyadic", max_n=12, max_k=3))
def test_improve_never_worsens_and_reports_the_true_makespan(pair):
    inst, choices = pair
    improved, value, stats = improve_by_windows(inst, np.asarray(choices), time_limit=5,
                                                window=4, beam_width=8)
    assert value == ddp.evaluate(inst, improved).makespan
    assert value <= ddp.evaluate(inst, choices).makespan
    assert stats["windows"] >= 1


def test_window_budget_is_honoured(make_random):
    inst = make_random(200, 1, interval=(0, 30))
    _, _, stats = improve_by_windows(inst, ddp.run_policy(inst, "ddp").choices, time_limit=60,
                                     max_windows=3)
    assert stats["windows"] == 3


@settings(max_examples=30)
@given(pair=any_instances_with_choices(kind="dyadic", max_n=12, max_k=3))
def test_growing_beams_go_on_where_the_fixed_beams_stop(pair):
    """Beams grow only once every width is quiet, where the fixed beams stop: never worse."""
    inst, choices = pair
    fixed = improve_by_windows(inst, np.asarray(choices), time_limit=60, window=4,
                               beam_width=2, grow_beams=False)
    grown = improve_by_windows(inst, np.asarray(choices), time_limit=60, window=4,
                               beam_width=2)
    assert grown[1] <= fixed[1]
    assert grown[2]["windows"] >= fixed[2]["windows"]
