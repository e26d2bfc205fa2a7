"""Cost per decision of ``lookahead`` (rolling horizon) against its window ``W``, and of
``rollout``.

Run: ``python benchmarks/bench_lookahead.py [--events 100] [--windows 0,1,2,3,4] [--seeds 3]``.
For each scenario and network, instances of ``--events`` events arriving 0-720 ms apart (and all
at once) are scheduled with each window and both predictions; the script prints the median and
largest time per decision (ms, compile excluded) and the mean makespan over DDP's; ``rollout``
(the whole known future) is the line with predict ``-`` and no window. Numbers come
from one run on one machine: compare within a run, not across runs.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import ddp
import instances
from solvers.lookahead import PREDICTIONS, run_lookahead, run_rollout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--windows", default="0,1,2,3,4")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--networks", default=",".join(instances.NETWORKS))
    parser.add_argument("--scenarios", default=",".join(instances.SCENARIOS))
    parser.add_argument("--intervals", default="0-720,0")
    args = parser.parse_args()
    windows = [int(w) for w in args.windows.split(",")]
    warm = instances.generate(events=4)
    for predict in PREDICTIONS:
        run_lookahead(warm, window=2, predict=predict)  # compile
    run_rollout(warm)
    print(f"{'scenario':10} {'network':10} {'interval':8} {'predict':7} {'W':>2} "
          f"{'ms/decision median':>18} {'max':>9} {'makespan/DDP':>12}")
    for scenario in args.scenarios.split(","):
        for network in args.networks.split(","):
            for interval in args.intervals.split(","):
                cases = [instances.generate(scenario=scenario, network=network,
                                            events=args.events, interval=interval, seed=seed)
                         for seed in range(args.seeds)]
                ddp_makespans = [ddp.run_policy(inst, "ddp").makespan for inst in cases]
                runs = [(predict, window) for predict in PREDICTIONS for window in windows]
                for predict, window in [*runs, ("-", None)]:
                    costs, ratios = [], []
                    for inst, reference in zip(cases, ddp_makespans, strict=True):
                        started = time.perf_counter()
                        makespan = (run_rollout(inst) if window is None else
                                    run_lookahead(inst, window, predict)).makespan
                        costs.append((time.perf_counter() - started) / inst.n * 1e3)
                        ratios.append(makespan / reference)
                    label = "" if window is None else window
                    print(f"{scenario:10} {network:10} {interval:8} {predict:7} {label:>2} "
                          f"{np.median(costs):18.3f} {max(costs):9.3f} "
                          f"{np.mean(ratios):12.4f}", flush=True)


if __name__ == "__main__":
    main()
