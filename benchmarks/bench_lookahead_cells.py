"""The future-aware policies on the quick cells of ``ddp experiment gap``: per cell, the median
ratio to OPT of DDP, NS, AC, AF, QA, ``lookahead`` (W = 2 and 3 known, W = 2 repeat) and
``rollout``, how many instances each future-aware policy ends after the best of DDP, NS, AC and
AF, and its cost per decision.

Run: ``python benchmarks/bench_lookahead_cells.py [--scenarios paper,edge-3g,edge-lte,edge-wifi]
[--markdown]``.
One JSON line per cell. OPT is the gap experiment's solver for the cell (ratios over the lower
bound where it is not proven, as ``experiments.gap``). Timings come from one run on one machine.

``--records results/gap/records.jsonl [--policies rollout]``: the cells of a full ``ddp
experiment gap`` run instead, OPT (or the lower bound) taken from its records rather than solved
again, and only the named policies that see the future (the others cost minutes at n = 5000).
``--cells TEXT`` keeps the cells whose key contains ``TEXT`` (e.g. ``streams=per-device`` for
Table 4's shapes), ``--seeds N`` the first ``N`` instances of each recorded cell.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import ddp
import instances
import solvers
from experiments.specs import gap_cells, gap_solver, instance_seeds
from solvers.lookahead import run_lookahead, run_rollout

BASELINES = ("ddp", "ns", "ac", "af")
FUTURE_AWARE = {
    "lookahead-w2": lambda inst: run_lookahead(inst, 2, "known"),
    "lookahead-w3": lambda inst: run_lookahead(inst, 3, "known"),
    "lookahead-w2-repeat": lambda inst: run_lookahead(inst, 2, "repeat"),
    "rollout": run_rollout,
}


def solved_reference(row, seed: int, inst) -> float:
    """OPT where proven, else the lower bound, by the gap experiment's solver for the cell."""
    options = gap_solver(row)
    method = options.pop("method")
    time_limit = options.pop("time_limit")
    result = solvers.solve(inst, method, time_limit, **options)
    return result.objective if str(result.status) == "optimal" else result.lower_bound


def recorded_references(path: str) -> dict[str, dict[int, float]]:
    """Per cell key and seed, OPT where proven, else the lower bound, from a gap run's records."""
    references: dict[str, dict[int, float]] = {}
    with open(path) as lines:
        for line in lines:
            record = json.loads(line)
            opt = record["opt"]
            value = opt["objective"] if opt["status"] == "optimal" else opt["lower_bound"]
            references.setdefault(record["row"], {})[int(record["seed"])] = float(value)
    return references


def cell_figures(row, future_aware=FUTURE_AWARE, references=None) -> dict:
    ratios: dict[str, list[float]] = {}
    worse = dict.fromkeys(future_aware, 0)
    costs: dict[str, list[float]] = {name: [] for name in future_aware}
    seeds = sorted(references) if references is not None else instance_seeds(row, 0)
    for seed in seeds:
        inst = instances.generate(seed=seed, **row.generate_kwargs())
        reference = (references[seed] if references is not None
                     else solved_reference(row, seed, inst))
        makespans = {name: ddp.run_policy(inst, name).makespan for name in BASELINES}
        best = min(makespans.values())
        started = time.perf_counter()
        makespans["qa"] = ddp.run_policy(inst, "qa").makespan
        costs.setdefault("qa", []).append((time.perf_counter() - started) / inst.n * 1e3)
        worse["qa"] = worse.get("qa", 0) + (makespans["qa"] > best * (1 + 1e-9))
        for name, run in future_aware.items():
            started = time.perf_counter()
            makespans[name] = run(inst).makespan
            costs[name].append((time.perf_counter() - started) / inst.n * 1e3)
            worse[name] += makespans[name] > best * (1 + 1e-9)
        for name, makespan in makespans.items():
            ratios.setdefault(name, []).append(makespan / reference)
    return {"cell": row.key, "instances": len(seeds),
            "ratio_median": {k: round(float(np.median(v)), 4) for k, v in ratios.items()},
            "ratio_max": {k: round(float(np.max(v)), 4) for k, v in ratios.items()},
            "worse_than_best_baseline": worse,
            "ms_per_decision_median": {k: round(float(np.median(v)), 3)
                                       for k, v in costs.items()}}


COLUMNS = {"ddp": "DDP", "ns": "NS", "ac": "AC", "af": "AF", "qa": "QA",
           "lookahead-w2": "LA W=2", "lookahead-w3": "LA W=3",
           "lookahead-w2-repeat": "LA W=2 repeat", "rollout": "rollout W=2"}


def markdown(cells: list[dict], policies=tuple(COLUMNS)) -> str:
    """The per-cell table, the summary per policy and the medians per scenario (docs tables)."""
    columns = {key: label for key, label in COLUMNS.items() if key in policies}

    def name(cell: str) -> str:
        parts = dict(p.split("=", 1) for p in cell.split("/") if "=" in p)
        network, scenario = cell.split("/")[1:3]
        return f"{network}/{scenario}/{parts['n']}/{parts['interval']}/m={parts['devices']}"

    lines = ["| cell (network/scenario/n/interval/devices) | " + " | ".join(columns.values())
             + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {name(c['cell'])} | " + " | ".join(f"{c['ratio_median'][k]:.4f}"
                                                     for k in columns) + " |" for c in cells]
    instances_in_all = sum(c["instances"] for c in cells)
    lines += ["", f"Summary over the {len(cells)} cells ({instances_in_all} instances):", "",
              f"| policy | cells with median <= 1.02 (of {len(cells)}) | largest cell median | "
              f"instances after the best of DDP, NS, AC, AF (of {instances_in_all}) | "
              "median ms / decision (largest cell median) |", "|---|---|---|---|---|"]
    for key, label in columns.items():
        medians = [c["ratio_median"][key] for c in cells]
        worse = (str(sum(c["worse_than_best_baseline"][key] for c in cells))
                 if key in cells[0]["worse_than_best_baseline"] else "-")
        cost = (f"{max(c['ms_per_decision_median'][key] for c in cells):.3f}"
                if key in cells[0]["ms_per_decision_median"] else "-")
        lines.append(f"| {label} | {sum(m <= 1.02 for m in medians)} | {max(medians):.4f} | "
                     f"{worse} | {cost} |")
    scenarios = sorted({c["cell"].split("/")[2] for c in cells},
                       key=list(instances.SCENARIOS).index)
    lines += ["", "Per scenario (median over its cells of the cell medians; cells within 1.02 "
              "in brackets):", "", "| scenario | " + " | ".join(columns.values()) + " |",
              "|---" * (len(columns) + 1) + "|"]
    for scenario in scenarios:
        mine = [c for c in cells if c["cell"].split("/")[2] == scenario]
        lines.append(f"| {scenario} | " + " | ".join(
            f"{np.median([c['ratio_median'][k] for c in mine]):.3f} "
            f"({sum(c['ratio_median'][k] <= 1.02 for c in mine)})" for k in columns) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default=",".join(instances.SCENARIOS))
    parser.add_argument("--networks", default=",".join(instances.NETWORKS))
    parser.add_argument("--markdown", action="store_true",
                        help="print the tables of docs/lookahead.md after the JSON lines")
    parser.add_argument("--records", metavar="PATH",
                        help="a full gap run's records.jsonl: its cells, its OPT and bounds")
    parser.add_argument("--policies", default=",".join(FUTURE_AWARE),
                        help="the policies that see the future to run (default: all)")
    parser.add_argument("--cells", default="", metavar="TEXT",
                        help="only the cells whose key contains TEXT")
    parser.add_argument("--seeds", type=int, metavar="N",
                        help="with --records: only the first N instances of each cell")
    args = parser.parse_args()
    future_aware = {name: FUTURE_AWARE[name] for name in args.policies.split(",")}
    warm = instances.generate(events=4)
    for run in future_aware.values():
        run(warm)  # compile
    references = recorded_references(args.records) if args.records else None
    cells = []
    rows = gap_cells(args.networks.split(","), args.scenarios.split(","),
                     quick=references is None)
    for row in rows:
        if args.cells not in row.key or (references is not None and row.key not in references):
            continue
        recorded = None
        if references is not None:
            recorded = references[row.key]
            if args.seeds is not None:
                recorded = {seed: recorded[seed] for seed in sorted(recorded)[:args.seeds]}
        cells.append(cell_figures(row, future_aware, recorded))
        print(json.dumps(cells[-1]), flush=True)
    if args.markdown and cells:
        print(markdown(cells, [*BASELINES, "qa", *future_aware]))


if __name__ == "__main__":
    main()
