"""DDP's optimality gap on a few generated instances: DDP/OPT per seed, with OPT proven.

    python examples/ddp_gap.py
"""

import ddp
import instances
import solvers

print("seed  DDP (ms)   OPT (ms)   DDP/OPT  status")
for seed in range(5):
    inst = instances.generate(scenario="paper", network="resnet3d50", events=30,
                              interval="0-720", seed=seed)
    online = ddp.run_policy(inst, "ddp").makespan
    best = solvers.solve(inst, time_limit=10.0)
    # Where OPT is not proven, the lower bound makes the ratio an upper bound.
    ratio = online / (best.objective if best.status == "optimal" else best.lower_bound)
    print(f"{seed:4d}  {online:9.1f}  {best.objective:9.1f}  {ratio:7.4f}  {best.status}")
