"""Speed of DDP: the numba kernel against a plain-C loop and a plain-Python loop, side by side.

Run: ``python benchmarks/bench_policies.py [--events 1000000] [--k 18]``. The C loop is compiled at
run time and needs ``gcc`` or ``cc`` on the PATH (``apt-get install gcc``); without one the C rows
are skipped. Prints, each the median of ``--repeats`` runs taken in turn:

- the core: ``schedule_kernel`` choosing DDP points and the C loop, both writing the same six
  arrays (the choice and the five per-event times) into arrays allocated beforehand, and their
  time ratio; for reference, the C loop writing the choices only, and ``ddp.run_policy`` with the
  allocation of its output arrays (CPU time of the thread: these run on one core);
- the batch form ``ddp.run_policy_batch`` on three shapes of a million events, with 1 thread and
  with all threads, and its cost per instance (instances of one event each, 1 thread), in wall
  time.

``--baseline DIR`` times the ``ddp`` package of another checkout too (an earlier commit, say
``git archive <commit> ddp | tar -x -C DIR``), in turn with this one: before and after in one run.
That copy is compiled afresh on every run (no on-disk cache).

Numbers come from one run on one machine: compare within a run, not across runs.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numba
import numpy as np

import ddp
from ddp.recurrence import MODE_DDP
from ddp.schedule import EVENT_TIMES

C_SOURCE = r"""
/* DDP per docs/model.md on one device and one unit: the loop of ddp.recurrence.schedule_kernel in
   MODE_DDP, writing the same arrays (the choices and the five per-event times) when `times` is
   set, the choices only otherwise; returns the makespan. */
#include <math.h>
#define MAX(a, b) ((b) > (a) ? (b) : (a))  /* numba's max(a, b) */
double ddp_loop(long n, long width, const double *arrival, const double *front,
                const double *trans, const double *cloud, long *choices, int times,
                double *start_front, double *finish_front, double *ready,
                double *start_cloud, double *finish_cloud) {
    double front_free = 0.0, cloud_free = 0.0, makespan = 0.0;
    for (long j = 0; j < n; j++) {
        const double *f = front + j * width, *t = trans + j * width, *c = cloud + j * width;
        double start = MAX(front_free, arrival[j]);
        long best = 0; double best_finish = INFINITY;
        for (long i = 0; i < width; i++) {
            double finish = MAX(start + f[i] + t[i], cloud_free) + c[i];
            if (finish < best_finish) { best_finish = finish; best = i; }
        }
        choices[j] = best;
        front_free = start + f[best];
        if (times) {
            start_front[j] = start;
            finish_front[j] = front_free;
            double ready_j = front_free + t[best];
            ready[j] = ready_j;
            start_cloud[j] = MAX(ready_j, cloud_free);
            finish_cloud[j] = best_finish;
        }
        cloud_free = best_finish;
        if (best_finish > makespan) makespan = best_finish;
    }
    return makespan;
}
"""


def random_instance(n: int, k: int, seed: int = 0) -> ddp.Instance:
    """A random instance with the shape of a real profile: front time grows, cloud time falls."""
    rng = np.random.default_rng(seed)
    part_front = rng.uniform(5, 60, size=(n, k))
    front = np.concatenate([np.zeros((n, 1)), np.cumsum(part_front, axis=1)], axis=1)
    cloud = (front[:, -1:] - front) / rng.uniform(3, 12, size=(n, 1)) * rng.uniform(1, 2, (n, 1))
    trans = rng.uniform(0.2, 10, size=(n, k + 1)) * 10 / rng.uniform(0.5, 2, size=(n, 1))
    arrival = np.cumsum(rng.uniform(0, 200, size=n))
    arrival -= arrival[0]
    return ddp.Instance(arrival, front, trans, cloud)


def python_ddp(inst: ddp.Instance, events: int) -> float:
    """The same formula as a plain-Python loop over lists (the speed a naive port would get)."""
    arrival = inst.arrival[:events].tolist()
    front, trans, cloud = (inst.front[:events].tolist(), inst.trans[:events].tolist(),
                           inst.cloud[:events].tolist())
    front_free = cloud_free = makespan = 0.0
    for j in range(events):
        start = max(front_free, arrival[j])
        f, t, c = front[j], trans[j], cloud[j]
        best, best_finish = 0, float("inf")
        for i in range(len(f)):
            finish = max(start + f[i] + t[i], cloud_free) + c[i]
            if finish < best_finish:
                best, best_finish = i, finish
        front_free = start + f[best]
        cloud_free = best_finish
        makespan = max(makespan, best_finish)
    return makespan


def compile_c() -> ctypes.CDLL | None:
    """The C loop as a shared library, or None when no C compiler is on the PATH."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        return None
    folder = tempfile.mkdtemp(prefix="ddp-bench-")
    source, library = os.path.join(folder, "loop.c"), os.path.join(folder, "loop.so")
    with open(source, "w") as stream:
        stream.write(C_SOURCE)
    subprocess.run([compiler, "-O3", "-march=native", "-shared", "-fPIC", source, "-o", library],
                   check=True)
    lib = ctypes.CDLL(library)
    lib.ddp_loop.restype = ctypes.c_double
    return lib


def timings(repeats: int, functions: dict[Any, Callable[[], object]],
            clock: Callable[[], float] = time.perf_counter) -> dict[Any, list[float]]:
    """Seconds of each run of each function, run in turn ``repeats`` times, each round starting
    one further along (so that load shared with other processes, and whatever a run leaves
    behind for the next, fall on all of them alike)."""
    labels = list(functions)
    seconds: dict[Any, list[float]] = {label: [] for label in labels}
    for round_ in range(repeats):
        shift = round_ % len(labels)
        for label in labels[shift:] + labels[:shift]:
            start = clock()
            functions[label]()
            seconds[label].append(clock() - start)
    return seconds


def load_baseline(root: str) -> ModuleType:
    """The ``ddp`` package of another checkout (say an earlier commit), imported as
    ``ddp_baseline`` next to this one, to time both in one run."""
    folder = os.path.join(root, "ddp")
    spec = importlib.util.spec_from_file_location(
        "ddp_baseline", os.path.join(folder, "__init__.py"), submodule_search_locations=[folder])
    if spec is None or spec.loader is None:
        raise SystemExit(f"--baseline {root}: no ddp package there")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    # no on-disk cache for the copy: its cache files would name the module ``ddp_baseline`` and
    # break a later plain ``import ddp`` of that checkout
    jit = importlib.import_module("ddp_baseline._jit")
    if hasattr(jit, "JIT_OPTIONS"):
        jit.JIT_OPTIONS["cache"] = False
    spec.loader.exec_module(module)
    return module


def versions(baseline: ModuleType | None) -> dict[str, ModuleType]:
    """The packages to time, by the label their rows get."""
    return {"": ddp} if baseline is None else {"": ddp, "baseline ": baseline}


def core(inst: ddp.Instance, repeats: int, baseline: ModuleType | None) -> float:
    """DDP on one instance: the numba kernel, the C loop and ``run_policy``."""
    n = inst.n
    functions: dict[str, Callable[[], object]] = {}
    for prefix, package in versions(baseline).items():
        outputs = [np.empty(n, dtype=np.int64)] + [np.empty(n) for _ in EVENT_TIMES]
        state = (np.zeros(inst.devices), np.zeros(inst.cloud_units))

        def numba_core(kernel=package.recurrence.schedule_kernel, state=state,
                       outputs=outputs) -> float:
            state[0][:] = 0.0
            state[1][:] = 0.0
            return kernel(MODE_DDP, inst.arrival, inst.front, inst.trans, inst.cloud,
                          inst.device, inst.unit, *state, *outputs)

        functions[f"{prefix}numba schedule_kernel: choices + 5 times"] = numba_core
        functions[f"{prefix}ddp.run_policy (allocates its outputs)"] = (
            lambda package=package: package.run_policy(inst, "ddp"))
    numba_label = "numba schedule_kernel: choices + 5 times"
    makespan = functions[numba_label]()
    assert all(function() == makespan for function in functions.values()
               if function.__name__ == "numba_core")
    assert ddp.run_policy(inst, "ddp").makespan == makespan

    lib = compile_c()
    if lib is None:
        print("  (no C rows: the C loop needs gcc or cc on the PATH, e.g. apt-get install gcc)")
    else:
        c_out = [np.empty(n, dtype=np.int64)] + [np.empty(n) for _ in EVENT_TIMES]

        def c_loop(times: bool) -> float:
            pointers = [array.ctypes.data_as(ctypes.c_void_p)
                        for array in (inst.arrival, inst.front, inst.trans, inst.cloud, *c_out)]
            return lib.ddp_loop(ctypes.c_long(n), ctypes.c_long(inst.k + 1), *pointers[:5],
                                ctypes.c_int(times), *pointers[5:])

        functions["C loop: choices + 5 times"] = lambda: c_loop(True)
        functions["C loop: choices only"] = lambda: c_loop(False)
        # C and numba agree on every number before anything is timed
        reference = ddp.run_policy(inst, "ddp")
        assert c_loop(True) == makespan
        assert np.array_equal(c_out[0], reference.choices)
        assert all(np.array_equal(c_out[1 + i], getattr(reference, name))
                   for i, name in enumerate(EVENT_TIMES))

    # single-threaded: the thread's CPU time, so that waiting for a core shared with other jobs
    # does not count
    runs = timings(repeats, functions, clock=time.thread_time)
    median = {label: statistics.median(values) for label, values in runs.items()}
    print("  CPU seconds of the calling thread:")
    print(f"  {'implementation':56s} {'median (s)':>10s} {'min (s)':>8s} {'events/s':>12s}")
    for label, values in runs.items():
        print(f"  {label:56s} {median[label]:10.4f} {min(values):8.4f} "
              f"{n / median[label]:12,.0f}")
    if lib is not None:
        c_label = "C loop: choices + 5 times"
        for prefix in versions(baseline):
            label = prefix + numba_label
            print(f"  {prefix}numba / C time ratio, same outputs: "
                  f"{median[label] / median[c_label]:.2f}x (medians), "
                  f"{min(runs[label]) / min(runs[c_label]):.2f}x (minimums)")
    return median[numba_label]


def batch_form(k: int, repeats: int, baseline: ModuleType | None) -> None:
    """``run_policy_batch`` on a million events cut three ways, and its cost per instance."""
    thread_counts = sorted({1, numba.get_num_threads()})
    columns = [(prefix, package, threads) for threads in thread_counts
               for prefix, package in versions(baseline).items()]
    print(f"\nBatch form, k = {k}, events/s (median of {repeats}):")
    print(f"  {'instances':>10s} {'n':>6s}" + "".join(
        f" {f'{prefix}{threads} thread(s)':>22s}" for prefix, _, threads in columns))
    for count, per in ((20_000, 50), (2_000, 500), (200, 5_000)):
        batch = [random_instance(per, k, seed) for seed in range(count)]
        functions = {(prefix, threads): (lambda batch=batch, package=package, threads=threads:
                                         package.run_policy_batch(batch, "ddp", threads=threads))
                     for prefix, package, threads in columns}
        for function in functions.values():
            function()
        runs = timings(repeats, functions)
        print(f"  {count:10,d} {per:6,d}" + "".join(
            f" {count * per / statistics.median(runs[prefix, threads]):22,.0f}"
            for prefix, _, threads in columns))
    count = 20_000
    batch = [random_instance(1, k, seed) for seed in range(count)]
    runs = timings(repeats, {prefix: (lambda package=package:
                                      package.run_policy_batch(batch, "ddp", threads=1))
                             for prefix, package in versions(baseline).items()})
    for prefix, values in runs.items():
        print(f"  {prefix}cost per instance ({count:,} instances of n = 1, 1 thread): "
              f"{statistics.median(values) / count * 1e6:.2f} us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--k", type=int, default=18)
    parser.add_argument("--python-events", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--baseline", metavar="DIR",
                        help="a checkout (say of an earlier commit) whose ddp package is timed "
                             "next to this one, in the same run")
    args = parser.parse_args()
    baseline = None if args.baseline is None else load_baseline(args.baseline)

    inst = random_instance(args.events, args.k)
    print(f"DDP on n = {args.events:,} events, k = {args.k}, numba {numba.__version__}, "
          f"{numba.get_num_threads()} threads, median of {args.repeats} runs")
    small = inst.subset(slice(0, 10))
    start = time.perf_counter()
    for package in versions(baseline).values():
        package.run_policy(small, "ddp")
        package.run_policy_batch([small], "ddp")
    print(f"  first calls (compile or load from cache): {time.perf_counter() - start:.3f} s")
    numba_time = core(inst, args.repeats, baseline)

    py_events = min(args.python_events, args.events)
    start = time.thread_time()  # the same clock as the core's
    py_makespan = python_ddp(inst, py_events)
    py_time = time.thread_time() - start
    assert py_makespan == ddp.run_policy(inst.subset(slice(0, py_events)), "ddp").makespan
    print(f"  plain-Python loop (first {py_events:,} events): {py_events / py_time:,.0f} events/s;"
          f" numba {args.events / numba_time / (py_events / py_time):,.0f}x faster")

    batch_form(args.k, max(3, args.repeats // 2), baseline)


if __name__ == "__main__":
    main()
