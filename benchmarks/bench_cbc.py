"""CBC's "Optimal" claims per variant of the model and the run, against proven optima.

A variant is an objective form of ``solvers/model.py`` (``Model.objective``), one model of the
whole instance or one per independent group of events, and a warm start from DDP's choices or
none (``milp.run_cbc_groups``); "milp-cbc now" is what ``milp-cbc`` runs (last-finish per group,
warm on groups with one cloud unit, cold on the others; ``solve`` also improves the start by
local search first). A group's claim is wrong when CBC ends "Optimal solution found" but its
bound or its choices' re-evaluated makespan is above the group's optimum (relative 1e-6). The
optimum comes from ``dp`` where it is exact, else from HiGHS and CP-SAT when both prove the
same value.

Sets (``instances.random.random_instance``, k = 18, arrivals at 0 or gaps uniform in 0-10 and
0-60 ms, by seed):

    single   one device, one unit, n = 12
    own      2-3 devices, each on its own unit, n = 12
    shared   2-4 devices on 1-2 units (each group one unit), n = 10
    mixed    1-2 devices, each event on a random one of two units, n = 10

    python benchmarks/bench_cbc.py                       # 30 instances per set
    python benchmarks/bench_cbc.py --seeds 10 --sets single mixed
    python benchmarks/bench_cbc.py --highs       # HiGHS per form: nodes, seconds, proven
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

import ddp
from instances.random import random_instance
from solvers import solve
from solvers.components import components
from solvers.dp import check_supported
from solvers.errors import UnsupportedInstance
from solvers.improve import better_start, warm_start
from solvers.milp import build, convert_highs, run_cbc_groups, run_highs
from solvers.result import gap_of, proven

INTERVALS = (None, (0.0, 10.0), (0.0, 60.0))
RTOL = 1e-6


def instance(kind: str, seed: int) -> ddp.Instance:
    interval = INTERVALS[seed % 3]
    if kind == "single":
        return random_instance(12, seed, interval=interval)
    if kind == "own":
        m = 2 + seed % 2
        return random_instance(12, seed, interval=interval, devices=m, cloud_units=m)
    if kind == "shared":
        devices, units = ((2, 1), (3, 1), (4, 1), (3, 2), (4, 2))[seed % 5]
        return random_instance(10, seed, interval=interval, devices=devices,
                               cloud_units=units)
    # "mixed": each event on a random one of two units, so groups have two units
    inst = random_instance(10, seed, interval=interval, devices=1 + seed % 2, cloud_units=2)
    unit = np.random.default_rng(seed).integers(0, 2, size=inst.n)
    return inst.replace(unit=unit, name=inst.name + "-mixed")


_OPTIMA: dict[str, float | None] = {}


def optimum(inst: ddp.Instance, time_limit: float) -> float | None:
    """The proven optimum: dp's where it is exact, else HiGHS's and CP-SAT's when both prove
    the same value; None when it is not known (remembered per instance)."""
    key = ddp.dumps_instance(inst)
    if key not in _OPTIMA:
        _OPTIMA[key] = _optimum(inst, time_limit)
    return _OPTIMA[key]


def _optimum(inst: ddp.Instance, time_limit: float) -> float | None:
    try:
        check_supported(inst)
    except UnsupportedInstance:
        values = [solve(inst, method, time_limit=time_limit)
                  for method in ("milp-highs", "cpsat")]
        if not all(r.is_optimal for r in values):
            return None
        if abs(values[0].objective - values[1].objective) > RTOL * values[0].objective:
            print(f"  HiGHS and CP-SAT disagree on {inst.name}: {values[0].objective} "
                  f"{values[1].objective}", file=sys.stderr)
            return None
        return values[0].objective
    result = solve(inst, "dp", time_limit=time_limit)
    return result.objective if result.is_optimal else None


def claim(inst: ddp.Instance, form: str, split: bool, warm: bool | None,
          time_limit: float) -> dict | None:
    """CBC in objective form ``form``, on the whole instance or group by group (``split``),
    warm started from DDP's choices or cold (``warm``; None: as ``milp-cbc`` does, which also
    improves the start by local search first).

    A group's claim is wrong when CBC ends "Optimal solution found" and its bound or its
    choices' re-evaluated makespan is above the group's optimum. None when an optimum is
    not known.
    """
    started = time.perf_counter()
    groups = run_cbc_groups(inst, warm_start(inst, None), time_limit, form=form, split=split,
                            warm=warm)
    seconds = time.perf_counter() - started
    optimal = wrong = 0
    excess = 0.0
    for group in groups:
        if not group.result.startswith("Optimal solution found"):
            continue
        opt = optimum(group.inst, time_limit)
        if opt is None:
            return None
        optimal += 1
        value = max(float(ddp.evaluate(group.inst, group.choices()).makespan),
                    group.claimed if group.claimed is not None else 0.0)
        if value > opt * (1 + RTOL):
            wrong += 1
            excess = max(excess, (value - opt) / opt)
    return {"optimal": optimal == len(groups), "wrong": wrong > 0, "excess": excess,
            "seconds": seconds, "groups": len(groups)}


SETS = ("single", "own", "shared", "mixed")
# name -> (objective form, one model per group, warm start: True, False or None = milp-cbc's)
VARIANTS = {
    "makespan, whole, warm (before)": ("makespan", False, True),
    "last-finish, whole, warm": ("last-finish", False, True),
    "every-finish, whole, warm": ("every-finish", False, True),
    "makespan, groups, warm": ("makespan", True, True),
    "last-finish, groups, warm": ("last-finish", True, True),
    "every-finish, groups, warm": ("every-finish", True, True),
    "makespan, groups, cold": ("makespan", True, False),
    "last-finish, groups, cold": ("last-finish", True, False),
    "milp-cbc now": ("last-finish", True, None),
}


def highs_forms(time_limit: float) -> None:
    """HiGHS (one thread) on the "makespan" and "last-finish" forms: nodes, seconds, proof.
    8 one-unit instances with n = 30, 6 with three devices on one unit and n = 16."""
    cases = [random_instance(30, seed, interval=(None, (0.0, 60.0))[seed % 2])
             for seed in range(8)]
    cases += [random_instance(16, seed, interval=(None, (0.0, 60.0))[seed % 2], devices=3)
              for seed in range(6)]
    forms = ("makespan", "last-finish")
    print(f"HiGHS, one thread, {time_limit:g} s; cells: nodes, seconds, proven or gap")
    print(f"{'instance':<22} | " + " | ".join(f"{form:>26}" for form in forms))
    for inst in cases:
        start = better_start(inst, warm_start(inst, None), time_limit)
        cells = []
        for form in forms:
            started = time.perf_counter()
            problem = build(inst, start, form)
            run = run_highs(problem, time_limit, 1, False, True)
            outcome = convert_highs(problem, start, run, [], time_limit)
            objective = ddp.evaluate(inst, outcome.choices).makespan
            done = "proven" if proven(objective, outcome.lower_bound) else \
                f"gap {gap_of(objective, outcome.lower_bound):.1e}"
            seconds = time.perf_counter() - started
            cells.append(f"{int(run.info.mip_node_count):>6} {seconds:7.2f} s {done}")
        print(f"{inst.name + (' d3' if inst.devices > 1 else ''):<22} | "
              + " | ".join(f"{c:>26}" for c in cells), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30, help="instances per set")
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--highs", action="store_true",
                        help="instead: HiGHS on the makespan and last-finish forms")
    args = parser.parse_args(argv)
    if args.highs:
        highs_forms(min(args.time_limit, 30.0))
        return 0

    solve(random_instance(4, 0), "dp", time_limit=5)  # numba caches
    rows = []
    for kind in args.sets:
        for seed in range(args.seeds):
            inst = instance(kind, seed)
            groups = components(inst)
            one_group = len(groups) == 1
            one_unit = all(len(units) == 1 for _, _, units in groups)
            done = {}
            for name, (form, split, warm) in VARIANTS.items():
                # the same run twice is run once: one group is the whole instance, and
                # milp-cbc's start (None) is the warm one when every group has one unit
                same = (form, split and not one_group,
                        True if warm is None and one_unit else warm)
                if same in done:
                    record = dict(done[same])
                else:
                    record = claim(inst, form, split, warm, args.time_limit)
                if record is None:
                    print(f"  {kind} seed {seed}: an optimum is not proven, skipped",
                          file=sys.stderr)
                    break
                done[same] = record
                record.update(set=kind, variant=name, seed=seed)
                rows.append(record)
                print(f"  {kind:<6} seed {seed:>2} {name:<32} "
                      f"{'WRONG' if record['wrong'] else 'ok':<5} {record['seconds']:.2f} s",
                      file=sys.stderr, flush=True)

    print(f"\nCBC (PuLP's bundled binary), time limit {args.time_limit:g} s. Cells: instances "
          f"with a wrong 'Optimal' claim / instances [largest excess over the optimum]. "
          f"'whole': one model of the whole instance; 'groups': one per independent group of "
          f"events; 'warm': started from DDP's choices; 'milp-cbc now': last-finish per group, "
          f"warm on groups with one unit, cold on the others")
    header = f"{'variant':<32} | " + " | ".join(f"{kind:>15}" for kind in args.sets)
    print(header)
    print("-" * len(header))
    for name in VARIANTS:
        cells = []
        for kind in args.sets:
            mine = [r for r in rows if (r["set"], r["variant"]) == (kind, name)]
            if not mine:
                cells.append("no instance")
                continue
            wrong = sum(r["wrong"] for r in mine)
            worst = max(r["excess"] for r in mine)
            cells.append(f"{wrong:>2}/{len(mine)} [{100 * worst:.3f}%]")
        print(f"{name:<32} | " + " | ".join(f"{c:>15}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
