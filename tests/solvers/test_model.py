"""The model description: its objective forms have the same optimum, and the default form
feeds the rows in the order the builders always had."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import ddp
from solvers import solve
from solvers.improve import warm_start
from solvers.milp import build, convert_highs, run_highs
from solvers.model import (
    CLOUD_FINISH,
    LAST_FINISH_FORM,
    MAKESPAN,
    MAKESPAN_FORM,
    OBJECTIVE_FORMS,
    Model,
)
from solvers.result import proven
from tests.helpers import any_instances


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
