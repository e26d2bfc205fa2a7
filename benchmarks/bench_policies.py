"""Speed of DDP: the numba kernel against a plain-C loop and a plain-Python loop, side by side.

Run: ``python benchmarks/bench_policies.py [--events 1000000] [--k 18]``. Prints events per second
for each, compile time apart (the first call), and the batch form with 1 and all threads. Numbers
come from one run on one machine: compare within a run, not across runs.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import subprocess
import tempfile
import time

import numba
import numpy as np

import ddp

C_SOURCE = r"""
/* DDP per model.md, the same loop as ddp.recurrence.schedule_kernel in MODE_DDP (one device,
   one unit), writing the choices and returning the makespan. */
#include <math.h>
double ddp_loop(long n, long width, const double *arrival, const double *front,
                const double *trans, const double *cloud, long *choices) {
    double front_free = 0.0, cloud_free = 0.0, makespan = 0.0;
    for (long j = 0; j < n; j++) {
        const double *f = front + j * width, *t = trans + j * width, *c = cloud + j * width;
        double start = front_free > arrival[j] ? front_free : arrival[j];
        long best = 0; double best_finish = INFINITY;
        for (long i = 0; i < width; i++) {
            double ready = start + f[i] + t[i];
            double finish = (ready > cloud_free ? ready : cloud_free) + c[i];
            if (finish < best_finish) { best_finish = finish; best = i; }
        }
        choices[j] = best;
        front_free = start + f[best];
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


def best_of(repeats: int, function) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--k", type=int, default=18)
    parser.add_argument("--python-events", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    inst = random_instance(args.events, args.k)
    print(f"DDP on n = {args.events:,} events, k = {args.k}, numba {numba.__version__}, "
          f"{numba.get_num_threads()} threads")
    small = inst.subset(slice(0, 10))
    start = time.perf_counter()
    ddp.run_policy(small, "ddp")
    print(f"  first call (compile or load from cache): {time.perf_counter() - start:.3f} s")

    numba_time, schedule = best_of(args.repeats, lambda: ddp.run_policy(inst, "ddp"))
    rows = [("numba ddp.run_policy (with per-event times)", numba_time, args.events)]

    lib = compile_c()
    if lib is not None:
        choices = np.empty(args.events, dtype=np.int64)
        double_p = ctypes.POINTER(ctypes.c_double)

        def pointer(array: np.ndarray):
            return array.ctypes.data_as(double_p if array.dtype == np.float64
                                        else ctypes.POINTER(ctypes.c_long))

        def c_call():
            return lib.ddp_loop(ctypes.c_long(args.events), ctypes.c_long(args.k + 1),
                                pointer(inst.arrival), pointer(inst.front),
                                pointer(inst.trans), pointer(inst.cloud), pointer(choices))

        c_time, c_makespan = best_of(args.repeats, c_call)
        assert c_makespan == schedule.makespan and np.array_equal(choices, schedule.choices)
        rows.append(("plain C loop, gcc -O3 -march=native", c_time, args.events))

    py_events = min(args.python_events, args.events)
    py_time, py_makespan = best_of(1, lambda: python_ddp(inst, py_events))
    assert py_makespan == ddp.run_policy(inst.subset(slice(0, py_events)), "ddp").makespan
    rows.append((f"plain-Python loop (first {py_events:,} events)", py_time, py_events))

    print(f"  {'implementation':48s} {'time (s)':>10s} {'events/s':>14s}")
    for label, seconds, events in rows:
        print(f"  {label:48s} {seconds:10.4f} {events / seconds:14,.0f}")
    numba_rate = args.events / numba_time
    if lib is not None:
        print(f"  numba / C time ratio: {numba_time / c_time:.2f}x")
    print(f"  numba / plain-Python speed-up: {numba_rate / (py_events / py_time):,.0f}x")

    # The batch form: many instances, one thread against all threads.
    count, per = 2000, 500
    batch = [random_instance(per, args.k, seed) for seed in range(count)]
    ddp.run_policy_batch(batch[:2], "ddp")
    print(f"\nBatch: {count} instances of n = {per}, k = {args.k}")
    for threads in sorted({1, numba.get_num_threads()}):
        seconds, _ = best_of(args.repeats,
                             lambda: ddp.run_policy_batch(batch, "ddp", threads=threads))
        print(f"  {threads} thread(s): {seconds:.4f} s, {count * per / seconds:,.0f} events/s")


if __name__ == "__main__":
    main()
