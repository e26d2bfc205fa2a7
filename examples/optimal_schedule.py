"""The offline optimum of an instance file, beside DDP: choices, makespans and the proof.

    python examples/optimal_schedule.py [FILE]      # default: examples/instance.json
"""

import sys
from pathlib import Path

import ddp
import solvers

path = sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("instance.json")
inst = ddp.load_instance(path)

online = ddp.run_policy(inst, "ddp")
best = solvers.solve(inst, method="auto", time_limit=10.0)
# The solver's makespan is re-computed with the one recurrence; check it here too.
assert ddp.evaluate(inst, best.choices).makespan == best.objective

print(f"{inst.n} events, points 0..{inst.k} (events numbered from 0)")
print(f"DDP: makespan {online.makespan:.1f} {inst.time_unit}, choices {online.choices.tolist()}")
print(f"OPT: makespan {best.objective:.1f} {inst.time_unit}, choices {best.choices.tolist()}, "
      f"{best.status} (lower bound {best.lower_bound:.1f}, {best.method})")
print(f"DDP/OPT = {online.makespan / best.objective:.4f}")
