"""Exact solvers on the same random instances: time to proven optimum, or final gap.

Instances: ``instances.random.random_instance`` (k = 18), all arrivals at 0
(the hard case) and random gaps uniform in 0-720 ms. Every method runs on every instance of a
row, one after the other, with the same time limit; the table shows per method and row the
median time to a proven optimum (``optimal`` = objective and bound within 1e-6) over the
seeds, how many it proved, and the worst final gap. ``--scan`` then looks for the largest n
each method proves within the limit (sizes doubling-ish, first failure stops that method).

    python benchmarks/bench_solvers.py                         # the random-instance table
    python benchmarks/bench_solvers.py --methods dp --rows 1000r --seeds 3
    python benchmarks/bench_solvers.py --scan --methods dp milp-highs --time-limit 60
    python benchmarks/bench_solvers.py --paper --methods auto dp milp-highs cpsat
    python benchmarks/bench_solvers.py --grid 100 --methods auto --seeds 1 --time-limit 60

``--paper`` runs every method on the committed paper-scale instances instead
(``benchmarks/paper_instances``, see its README) and prints time to proof or certified gap.

milp-cbc: CBC's bound is used only where it is verified (``solvers.milp.trusted_bound``); the
line ``milp-cbc answer equal to the proven optimum`` checks its answers against dp.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ddp
from instances.random import random_instance
from solvers import solve

ROWS = {"30": (30, None), "100": (100, None), "1000r": (1000, (0.0, 720.0))}
SCAN_SIZES = [30, 50, 100, 150, 200, 300, 400, 600, 800, 1000, 1500, 2000, 3000, 5000, 10000]


def warm_up() -> None:
    """Load the numba caches and import every back-end before timing anything."""
    inst = random_instance(6, 0)
    for method in ("dp", "cpsat", "milp-highs", "milp-cbc", "auto"):
        solve(inst, method, time_limit=10)


def run_one(inst, method: str, time_limit: float, **options) -> dict:
    started = time.perf_counter()
    result = solve(inst, method, time_limit=time_limit, **options)
    wall = time.perf_counter() - started
    return {"method": method, "n": inst.n, "name": inst.name, "status": str(result.status),
            "objective": result.objective, "lower_bound": result.lower_bound,
            "gap": result.gap, "seconds": wall, "message": result.message,
            "cbc_claimed_bounds": result.stats.get("cbc_claimed_bounds")}


def table(rows: dict, methods: list[str], seeds: int, time_limit: float, out,
          big_methods=("dp",)) -> list[dict]:
    records = []
    for label, (n, interval) in rows.items():
        for seed in range(seeds):
            inst = random_instance(n, seed, interval=interval)
            ddp_makespan = ddp.run_policy(inst, "ddp").makespan
            for method in methods:
                if n >= 1000 and method not in big_methods:
                    continue
                record = run_one(inst, method, time_limit)
                record.update(row=label, seed=seed, ddp=ddp_makespan)
                records.append(record)
                print(f"  {label:>6} seed {seed} {method:<10} {record['status']:<8} "
                      f"{record['seconds']:8.3f} s  gap {100 * record['gap']:.5f}%  "
                      f"obj {record['objective']:.4f}", file=sys.stderr, flush=True)
    proven = {(r["row"], r["seed"]): r["objective"] for r in records
              if r["status"] == "optimal"}
    print(f"\ntime limit {time_limit:g} s, {seeds} seed(s) per row; cells: median seconds "
          f"to a proven optimum [proved/runs], else worst final gap", file=out)
    header = f"{'row':>7} | " + " | ".join(f"{m:>22}" for m in methods)
    print(header, file=out)
    print("-" * len(header), file=out)
    for label in rows:
        cells = []
        for method in methods:
            mine = [r for r in records if r["row"] == label and r["method"] == method]
            if not mine:
                cells.append("not run")
                continue
            done = [r["seconds"] for r in mine if r["status"] == "optimal"]
            if len(done) == len(mine):
                cells.append(f"{statistics.median(done):9.3f} s [{len(done)}/{len(mine)}]")
            else:
                worst = max(r["gap"] for r in mine)
                cells.append(f"gap {100 * worst:.4f}% [{len(done)}/{len(mine)}]")
        print(f"{label:>7} | " + " | ".join(f"{c:>22}" for c in cells), file=out)
    cbc = [r for r in records if r["method"] == "milp-cbc"]
    if cbc:
        right = sum(1 for r in cbc if (r["row"], r["seed"]) in proven and
                    abs(r["objective"] - proven[(r["row"], r["seed"])])
                    <= 1e-6 * r["objective"])
        known = sum(1 for r in cbc if (r["row"], r["seed"]) in proven)
        print(f"milp-cbc answer equal to the proven optimum: {right}/{known}", file=out)
    by_row = {}
    for r in records:
        by_row.setdefault(r["row"], {})[r["method"]] = r["seconds"]
    if "dp" in methods:
        others = [m for m in methods if m not in ("dp", "milp-cbc", "auto")]
        for label in rows:
            mine = [r for r in records if r["row"] == label]
            if not others or not all(any(r["method"] == m for r in mine) for m in others):
                continue
            dp_t = [r["seconds"] for r in mine if r["method"] == "dp"]
            best_other = min(statistics.median([r["seconds"] for r in mine if r["method"] == m])
                             for m in others)
            dp_median = statistics.median(dp_t)
            print(f"row {label}: best of {'/'.join(others)} median {best_other:.3f} s, dp "
                  f"median {dp_median:.4f} s: {best_other / dp_median:.0f}x", file=out)
    return records


def scan(methods: list[str], time_limit: float, interval, out) -> list[dict]:
    records = []
    print(f"\nlargest n proven within {time_limit:g} s (seed 0, arrivals "
          f"{'at 0' if interval is None else f'gaps {interval}'}):", file=out)
    for method in methods:
        largest = None
        for n in SCAN_SIZES:
            record = run_one(random_instance(n, 0, interval=interval), method, time_limit)
            records.append(record)
            print(f"  scan {method:<10} n={n:<5} {record['status']:<8} "
                  f"{record['seconds']:8.3f} s gap {100 * record['gap']:.5f}%", file=sys.stderr,
                  flush=True)
            if record["status"] != "optimal":
                break
            largest = n
        print(f"  {method:<10} largest n proven: {largest} (sizes tried: "
              f"{', '.join(str(r['n']) for r in records if r['method'] == method)})", file=out)
    return records


PAPER_DIR = Path(__file__).resolve().parent / "paper_instances"


def paper(files: list[Path], methods: list[str], time_limit: float, out) -> list[dict]:
    """Every method on the committed paper-scale instances, one after the other."""
    from solvers import UnsupportedInstance

    records = []
    print(f"\npaper-scale instances (benchmarks/paper_instances), time limit {time_limit:g} s; "
          f"cells: seconds to a proven optimum, else the certified gap at the limit", file=out)
    header = (f"{'instance':<28} | " + " | ".join(f"{m:>20}" for m in methods)
              + f" | {'best bound':>14} | {'best schedule':>14}")
    print(header, file=out)
    print("-" * len(header), file=out)
    for path in files:
        inst = ddp.load_instance(path)
        cells, mine = [], []
        for method in methods:
            try:
                record = run_one(inst, method, time_limit)
            except UnsupportedInstance:
                cells.append("unsupported")
                continue
            record.update(instance=path.name)
            records.append(record)
            mine.append(record)
            print(f"  {path.name} {method:<10} {record['status']:<8} {record['seconds']:8.2f} s "
                  f"gap {100 * record['gap']:.5f}% obj {record['objective']:.3f} "
                  f"lb {record['lower_bound']:.3f}", file=sys.stderr, flush=True)
            if record["status"] == "optimal":
                cells.append(f"{record['seconds']:.2f} s")
            else:
                cells.append(f"gap {100 * record['gap']:.5f}%")
        bound = max(r["lower_bound"] for r in mine)
        best = min(r["objective"] for r in mine)
        print(f"{path.name:<28} | " + " | ".join(f"{c:>20}" for c in cells)
              + f" | {bound:>14.3f} | {best:>14.3f}", file=out, flush=True)
    return records


GRID = {
    "scenario": ["paper", "edge-3g", "edge-lte", "edge-wifi"],
    "network": ["resnet3d50", "i3d"],
    "interval": ["0", "360", "0-720", "poisson:360"],
    "shape": ["1 device", "4 devices, 1 unit, per-device streams"],
}


def grid(events: int, method: str, time_limit: float, seeds: int, out) -> list[dict]:
    """``auto`` (or ``method``) on generated instances of every scenario, network, interval and
    shape: how many are proven, the worst certified gap, the median time to proof."""
    import itertools

    import instances

    records = []
    print(f"\n{method} on generated instances, n = {events}, {seeds} seed(s) per cell, "
          f"limit {time_limit:g} s", file=out)
    header = (f"{'scenario':<10} {'network':<11} {'interval':<12} {'shape':<9} | proven | "
              f"worst gap     | median s | max s")
    print(header, file=out)
    print("-" * len(header), file=out)
    for scenario, network, interval, shape in itertools.product(*GRID.values()):
        several = shape != "1 device"
        mine = []
        for seed in range(seeds):
            inst = instances.generate(scenario=scenario, network=network, events=events,
                                      interval=interval, devices=4 if several else 1,
                                      streams="per-device" if several else "one", seed=seed)
            record = run_one(inst, method, time_limit)
            record.update(scenario=scenario, network=network, interval=interval, shape=shape,
                          seed=seed)
            records.append(record)
            mine.append(record)
        proven = sum(r["status"] == "optimal" for r in mine)
        seconds = [r["seconds"] for r in mine]
        print(f"{scenario:<10} {network:<11} {interval:<12} {'4 dev' if several else '1 dev':<9} "
              f"| {proven:>2}/{len(mine):<3} | {100 * max(r['gap'] for r in mine):.6f}% | "
              f"{statistics.median(seconds):8.2f} | {max(seconds):6.2f}", file=out, flush=True)
    proven = sum(r["status"] == "optimal" for r in records)
    within = sum(r["gap"] <= 1e-5 for r in records)
    print(f"proven {proven} of {len(records)}; certified gap <= 0.001% on {within}", file=out)
    return records


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--methods", nargs="+",
                        default=["dp", "milp-cbc", "milp-highs", "cpsat"])
    parser.add_argument("--rows", nargs="+", default=list(ROWS), choices=list(ROWS))
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--big-methods", nargs="+", default=["dp"],
                        help="methods run on the n = 1000 row (default: dp only)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--scan", action="store_true", help="largest n proven per method")
    parser.add_argument("--scan-intervals", action="store_true",
                        help="scan with random gaps 0-720 ms instead of arrivals at 0")
    parser.add_argument("--no-table", action="store_true")
    parser.add_argument("--grid", type=int, metavar="N",
                        help="the generated-instance grid instead (every scenario, network, "
                             "interval, one and four devices) with N events, method --methods[0]")
    parser.add_argument("--paper", nargs="*", metavar="FILE",
                        help="the paper-scale table instead: every method on the instance files "
                             "given (default: all of benchmarks/paper_instances)")
    parser.add_argument("--json", metavar="FILE", help="write every run as JSON lines")
    args = parser.parse_args(argv)
    warm_up()
    records = []
    rows = {label: ROWS[label] for label in args.rows}
    if args.grid:
        records += grid(args.grid, args.methods[0], args.time_limit, args.seeds, sys.stdout)
    elif args.paper is not None:
        files = ([Path(f) for f in args.paper] if args.paper
                 else sorted(PAPER_DIR.glob("*.json")))
        records += paper(files, args.methods, args.time_limit, sys.stdout)
    elif not args.no_table:
        records += table(rows, args.methods, args.seeds, args.time_limit, sys.stdout,
                         args.big_methods)
    if args.scan:
        records += scan(args.methods, args.time_limit,
                        (0.0, 720.0) if args.scan_intervals else None, sys.stdout)
    if args.json:
        Path(args.json).write_text("".join(json.dumps(r) + "\n" for r in records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
