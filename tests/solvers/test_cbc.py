"""``milp-cbc``: the regression set that CBC's own bound is trusted on, and the defect's
reproducer of docs/solvers.md ("Known solver defects").

CBC 2.10.3 ends "Optimal" above the optimum when the model minimises a makespan variable, and
on groups with several cloud units when warm started (``benchmarks/bench_cbc.py`` measures
every variant). ``milp.trusted_bound`` uses CBC's bound only in the verified form
(``CBC_TRUSTED_FORM``: the last cloud finish itself), per independent group of events, cold on
groups with several units. This set is what verifies it: 220 seeded instances, one and several
devices and units, each solved as ``milp-cbc`` solves it (from DDP's choices; ``solve`` adds a
local search first, which only makes the start better), against dp or enumeration.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ddp
from instances.random import random_instance
from solvers import Status, solve
from solvers.components import components
from solvers.improve import warm_start
from solvers.milp import CBC_TRUSTED_FORM, convert_cbc, run_cbc_groups, trusted_bound
from solvers.result import OPTIMAL_RTOL, proven

INTERVALS = (None, (0.0, 10.0), (0.0, 60.0))


def single(seed: int) -> ddp.Instance:
    """One device and one unit, k = 18, n = 6-10."""
    return random_instance(6 + seed % 5, seed, interval=INTERVALS[seed % 3])


def own_units(seed: int) -> ddp.Instance:
    """Two or three devices, each on its own unit, k = 18, n = 8-10."""
    m = 2 + seed % 2
    return random_instance(8 + seed % 3, seed, interval=INTERVALS[seed % 3], devices=m,
                           cloud_units=m)


def shared_units(seed: int) -> ddp.Instance:
    """Two to four devices on one or two units (each group one unit), k = 4, n = 6-8: small
    enough to enumerate."""
    devices, units = ((2, 1), (3, 1), (4, 1), (3, 2), (4, 2))[seed % 5]
    return random_instance(6 + seed % 3, seed, k=4, interval=INTERVALS[seed % 3],
                           devices=devices, cloud_units=units)


def mixed_units(seed: int) -> ddp.Instance:
    """Events of one or two devices on a random one of two units: a group with two units
    (CBC runs cold). k = 4, n = 6-8."""
    inst = random_instance(6 + seed % 3, seed, k=4, interval=INTERVALS[seed % 3],
                           devices=1 + seed % 2, cloud_units=2)
    return inst.replace(unit=np.random.default_rng(seed).integers(0, 2, size=inst.n))


SETS = {"single": (single, 90, "dp"), "own": (own_units, 45, "dp"),
        "shared": (shared_units, 45, "brute"), "mixed": (mixed_units, 40, "brute")}
CASES = [(name, seed) for name, (_, count, _) in SETS.items() for seed in range(count)]


@pytest.mark.parametrize(("kind", "seed"), CASES, ids=[f"{k}-{s}" for k, s in CASES])
def test_cbc_claims_hold_on_the_regression_set(kind, seed):
    """CBC proves every group's optimum with a trusted bound, and milp-cbc's answer is OPT."""
    make, _, reference = SETS[kind]
    inst = make(seed)
    opt_result = solve(inst, reference, time_limit=20)
    assert opt_result.status == Status.OPTIMAL
    opt = opt_result.objective
    start = warm_start(inst)
    groups = run_cbc_groups(inst, start, time_limit=20)
    assert len(groups) == len(components(inst))
    for group in groups:
        assert group.warm == (group.units == 1)
        bound, why = trusted_bound(group, CBC_TRUSTED_FORM)
        assert group.result.startswith("Optimal solution found"), group.result
        assert bound is not None, why
        group_opt = solve(group.inst, reference, time_limit=20).objective
        assert bound <= group_opt * (1 + 1e-9)
        assert ddp.evaluate(group.inst, group.choices()).makespan == pytest.approx(
            group_opt, rel=OPTIMAL_RTOL)
    outcome = convert_cbc(inst, start, groups, time_limit=20)
    objective = ddp.evaluate(inst, outcome.choices).makespan
    assert outcome.lower_bound <= opt * (1 + 1e-9)
    assert proven(objective, outcome.lower_bound)
    assert objective == pytest.approx(opt, rel=OPTIMAL_RTOL)


REPRODUCER = Path(__file__).resolve().parents[2] / "docs" / "cbc-defect.json"


def test_reproducer_is_solved_right():
    """The instance of docs/solvers.md: milp-cbc proves the optimum 170.5 with CBC's bound."""
    inst = ddp.load_instance(REPRODUCER)
    opt = solve(inst, "brute").objective
    assert opt == pytest.approx(170.5)
    result = solve(inst, "milp-cbc", time_limit=20)
    assert result.status == Status.OPTIMAL
    assert result.objective == pytest.approx(opt, rel=OPTIMAL_RTOL)
    assert "not used" not in result.message
