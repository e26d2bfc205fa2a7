"""The model description: its objective forms have the same optimum, the default form feeds
the rows in the order the builders always had, and folding the events that keep one point
keeps every other time."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ddp
from solvers import solve
from solvers.improve import warm_start
from solvers.milp import build, convert_highs, run_highs
from solvers.model import (
    CLOUD_FINISH,
    FRONT_FINISH,
    LAST_FINISH_FORM,
    MAKESPAN,
    MAKESPAN_FORM,
    OBJECTIVE_FORMS,
    Model,
)
from solvers.result import proven
from solvers.vertex import fixed_except
from tests.helpers import any_instances, any_instances_with_choices


@pytest.mark.parametrize("form", OBJECTIVE_FORMS)
@settings(max_examples=10)
@given(inst=any_instances(kind="int", max_n=6, max_k=3))
def test_every_objective_form_has_the_optimum(form, inst):
    """HiGHS on each form proves the enumerated optimum."""
    opt = solve(inst, "brute").objective
    start = warm_start(inst)
    problem = build(inst, start, form)
    outcome = convert_highs(problem, start, run_highs(problem, 20, None, False, True), [], 20)
    objective = ddp.evaluate(inst, outcome.choices).makespan
    assert objective == pytest.approx(opt, rel=1e-6, abs=1e-9)
    assert outcome.lower_bound <= opt * (1 + 1e-9) + 1e-12
    assert proven(objective, outcome.lower_bound)


def test_objective_forms(make_random):
    """"makespan": a variable above each unit's last finish, its rows after every event's;
    "last-finish": the last event's cloud finish, above the other units' last finishes."""
    inst = make_random(5, 0, devices=2, cloud_units=2)  # unit = device, both used
    model = Model.of(inst)
    rows = []
    target = model.feed(lambda j: rows.append(("one_point", j)), rows.append)
    assert target == (MAKESPAN, 0)
    assert [row.name for row in rows[-2:]] == [f"makespan_{u}" for u in dict.fromkeys(
        int(u) for u in inst.unit)]
    last = inst.n - 1
    target, extra = model.objective(LAST_FINISH_FORM)
    assert target == (CLOUD_FINISH, last)
    other = int(inst.unit[last]) ^ 1
    last_of_other = max(j for j in range(inst.n) if inst.unit[j] == other)
    assert [(row.left, row.right) for row in extra] == [(target, (CLOUD_FINISH, last_of_other))]
    assert model.objective(MAKESPAN_FORM)[1] == model.makespan_rows()
    with pytest.raises(ValueError, match="objective form"):
        model.objective("sum")


def _times_of_rows(model: Model, fold: bool, columns: np.ndarray) -> dict:
    """Every time the rows name, each the largest of its rows' right-hand sides under the
    kept columns ``columns`` (the rows come in the order of the recurrence)."""
    times: dict = {}

    def add(row) -> None:
        value = (times[row.right] if row.right is not None else 0.0) + row.constant
        if row.event is not None:
            value += row.coefficients[columns[row.event]]
        times[row.left] = max(times.get(row.left, -np.inf), value)

    model.feed(lambda j: None, add, fold=fold)
    return times


@settings(max_examples=60)
@given(pair=any_instances_with_choices(max_n=9, max_k=4), data=st.data())
def test_folding_keeps_every_other_time_and_the_makespan(pair, data):
    """With some events fixed to their choices, the folded rows give the kept events' times
    and the makespan of the recurrence, and name no time of a fixed event."""
    inst, choices = pair
    free = np.array(data.draw(st.lists(st.booleans(), min_size=inst.n, max_size=inst.n)),
                    dtype=bool)
    model = Model.of(fixed_except(inst, choices, free))
    columns = model.kept.columns_of(choices)
    schedule = ddp.evaluate(inst, np.where(free, model.kept.choices_of(columns), choices))
    folded = _times_of_rows(model, True, columns)
    assert folded[MAKESPAN, 0] == pytest.approx(schedule.makespan, rel=1e-12, abs=1e-9)
    several = model.kept.count > 1
    for (kind, j), value in folded.items():
        if kind == MAKESPAN:
            continue
        assert several[j]
        finish = schedule.finish_front if kind == FRONT_FINISH else schedule.finish_cloud
        assert value == pytest.approx(finish[j], rel=1e-12, abs=1e-9)
    assert _times_of_rows(model, False, columns)[MAKESPAN, 0] == pytest.approx(
        schedule.makespan, rel=1e-12, abs=1e-9)


def test_folding_needs_the_makespan_form(make_random):
    with pytest.raises(ValueError, match="folding needs"):
        Model.of(make_random(4, 0)).feed(lambda j: None, lambda row: None, LAST_FINISH_FORM,
                                         fold=True)
