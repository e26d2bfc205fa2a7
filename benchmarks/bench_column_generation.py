"""Column generation over per-device choice vectors, against the relaxation and the device bound.

Where many devices share one unit the makespan is ``max_j (R_j + S_j)``: ``R_j`` the time event
``j`` reaches the unit, which depends on its device's choices only, and ``S_j`` the cloud work of
``j`` and of every later event on the unit (served in order). For weights ``pi >= 0`` summing to
1, ``sum_j pi_j (R_j + S_j)`` is below the makespan and splits by device, so its least value,
each device's choice vector searched exactly, is a lower bound of OPT (a Lagrangian bound). The
best weights are the duals of the master LP over convex combinations of each device's vectors
(Dantzig-Wolfe); the search for each device's best vector prices the columns. This script runs
that to convergence on instances of a gap cell and prints the bound beside the LP relaxation
(``solvers.lp``) and the device bound (``solvers.devices``, no work budget).

It is not in the package because it gains nothing there: the bound it converges to is the
device bound's or a little below (see docs/solvers.md). What both miss is which devices use the
unit when, together; only branching sees it.

    python benchmarks/bench_column_generation.py [--cell TEXT] [--seeds 0,1] [--iterations N]
"""

from __future__ import annotations

import argparse
import time

import highspy
import numpy as np

import ddp
import instances
from ddp._jit import njit
from experiments.specs import gap_cells
from solvers import devices, lp
from solvers.points import KeptPoints

DEFAULT_CELL = ("gap/i3d/edge-wifi/n=normal:1-5000/interval=0-720/devices=128/units=1/"
                "streams=per-device")


@njit(cache=False)  # a script, loaded by path in the tests: numba's cache would key it oddly
def best_vector(arrival, front, trans, cloud, count, ready_weight, cloud_weight):
    """The least ``sum ready_weight_q R_q + cloud_weight_q C_q`` over one device's choice
    vectors (its events in order, each waiting for the device): exact, by Pareto states (free
    time, value) -- the rest costs no less from a later free time. Returns (value, choices)."""
    events = arrival.shape[0]
    free = np.zeros(1)
    value = np.zeros(1)
    parents = []
    points = []
    for q in range(events):
        size = free.shape[0] * count[q]
        new_free = np.empty(size)
        new_value = np.empty(size)
        parent = np.empty(size, dtype=np.int64)
        point_of = np.empty(size, dtype=np.int64)
        made = 0
        for s in range(free.shape[0]):
            start = max(free[s], arrival[q])
            for point in range(count[q]):
                finish = start + front[q, point]
                new_free[made] = finish
                new_value[made] = (value[s] + ready_weight[q] * (finish + trans[q, point])
                                   + cloud_weight[q] * cloud[q, point])
                parent[made] = s
                point_of[made] = point
                made += 1
        order = np.argsort(new_free, kind="mergesort")
        kept = np.empty(size, dtype=np.int64)
        count_kept = 0
        lowest = np.inf
        for i in range(size):
            candidate = order[i]
            # equal free times: the least value among them comes first
            if count_kept > 0 and new_free[kept[count_kept - 1]] == new_free[candidate]:
                if new_value[candidate] < new_value[kept[count_kept - 1]]:
                    kept[count_kept - 1] = candidate
                    lowest = new_value[candidate]
                continue
            if new_value[candidate] < lowest:
                lowest = new_value[candidate]
                kept[count_kept] = candidate
                count_kept += 1
        chosen = kept[:count_kept]
        free = new_free[chosen]
        value = new_value[chosen]
        parents.append(parent[chosen])
        points.append(point_of[chosen])
    state = np.argmin(value)
    best = value[state]
    choices = np.empty(events, dtype=np.int64)
    for q in range(events - 1, -1, -1):
        choices[q] = points[q][state]
        state = parents[q][state]
    return best, choices


def column_generation(inst: ddp.Instance, starts: list[np.ndarray], iterations: int,
                      tolerance: float = 1e-7) -> tuple[float, float, int]:
    """The Lagrangian bound (best over the master's duals) and the master's value at the end,
    and the iterations run. ``starts``: choice vectors (kept-point columns) to begin with."""
    if inst.cloud_units != 1:
        raise SystemExit("this script handles one unit")
    n = inst.n
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    owned = [np.flatnonzero(inst.device == d) for d in range(inst.devices)]
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    infinite = highspy.kHighsInf
    # columns: the makespan z, then S_j; rows: R_j + S_j <= z, S_j >= S_{j+1} + C_j, one vector
    # per device (convexity)
    highs.addVar(-infinite, infinite)
    highs.changeColCost(0, 1.0)
    for _ in range(n):
        highs.addVar(0.0, infinite)
    for j in range(n):
        highs.addRow(-infinite, 0.0, 2, np.array([1 + j, 0], dtype=np.int32),
                     np.array([1.0, -1.0]))
    for j in range(n):
        columns = [1 + j] + ([2 + j] if j + 1 < n else [])
        highs.addRow(0.0, infinite, len(columns), np.array(columns, dtype=np.int32),
                     np.array([1.0, -1.0][:len(columns)]))
    for _ in range(inst.devices):
        highs.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
    seen = set()

    def add(device: int, vector: np.ndarray) -> bool:
        key = (device, vector.tobytes())
        if key in seen:
            return False
        seen.add(key)
        events = owned[device]
        ready = np.empty(len(events))
        free = 0.0
        for q, (event, point) in enumerate(zip(events, vector, strict=True)):
            free = max(free, inst.arrival[event]) + kept.front[event, point]
            ready[q] = free + kept.trans[event, point]
        work = kept.cloud[events, vector]
        rows = np.concatenate([events, n + events, [2 * n + device]]).astype(np.int32)
        highs.addCol(0.0, 0.0, infinite, len(rows), rows, np.concatenate([ready, -work, [1.0]]))
        return True

    for start in starts:
        for device in range(inst.devices):
            add(device, start[owned[device]])
    best = -np.inf
    master = np.inf
    done = 0
    while done < iterations:
        done += 1
        highs.run()
        master = highs.getInfo().objective_function_value
        weights = np.maximum(-np.asarray(highs.getSolution().row_dual[:n]), 0.0)
        weights /= weights.sum()
        later_weight = np.cumsum(weights)  # C_k counts in S_j for every j <= k
        bound = 0.0
        added = 0
        for device in range(inst.devices):
            events = owned[device]
            value, vector = best_vector(inst.arrival[events], kept.front[events],
                                        kept.trans[events], kept.cloud[events],
                                        kept.count[events], weights[events],
                                        later_weight[events])
            bound += value
            added += add(device, vector)
        best = max(best, bound)
        if added == 0 or master - best <= tolerance * master:
            break
    return best, master, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell", default=DEFAULT_CELL, metavar="TEXT",
                        help="the first gap cell whose key contains TEXT (default: i3d, "
                             "edge-wifi, 128 devices)")
    parser.add_argument("--seeds", default="1", help="instance seeds, comma-separated")
    parser.add_argument("--iterations", type=int, default=400)
    args = parser.parse_args()
    row = next(row for row in gap_cells(list(instances.NETWORKS), list(instances.SCENARIOS),
                                        quick=False) if args.cell in row.key)
    print(row.key)
    for seed in (int(text) for text in args.seeds.split(",")):
        inst = instances.generate(seed=seed, **row.generate_kwargs())
        kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
        upper = ddp.run_policy(inst, "ddp").makespan
        started = time.perf_counter()
        relaxed = lp.lp_bound(inst, upper, deterministic=True)
        lp_seconds = time.perf_counter() - started
        started = time.perf_counter()
        device = devices.device_bound(inst, relaxed.value, upper, max_work=devices.NO_LIMIT)
        device_seconds = time.perf_counter() - started
        starts = [kept.columns_of(ddp.run_policy(inst, name).choices)
                  for name in ("ddp", "ns", "af", "ac")]
        started = time.perf_counter()
        bound, master, iterations = column_generation(inst, starts, args.iterations)
        seconds = time.perf_counter() - started
        print(f"seed {seed}, n {inst.n}: LP {relaxed.value:.2f} ({lp_seconds:.1f} s), device "
              f"bound {device.value:.2f} ({device_seconds:.1f} s), column generation "
              f"{bound:.2f} (master {master:.2f}, {iterations} iterations, {seconds:.0f} s)",
              flush=True)


if __name__ == "__main__":
    main()
