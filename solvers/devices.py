"""Every device searched whole: a lower bound and schedules fitted to a makespan.

Both come from the fixed point of ``_device_kernels`` (see there): at a makespan ``z``, each
event's ready time plus its cloud time plus a lower bound of the cloud work its unit serves
after it must stay within ``z``, and each device alone must have a choice vector that does so.

* ``device_bound``: the largest ``z`` at which some device has none left, by bisection. The LP
  relaxation (``lp``) splits an event between its device and the unit; this keeps each device's
  choices whole, which is what decides the makespan when many devices with few events each
  share a unit (a device's last events then cost a whole front time or a whole transfer).
* ``fitted_schedule``: each device's choices of least (weighted) cloud work that meet the
  conditions at a ``z`` above the bound; a start for the window search.
* ``refit_devices``: a schedule improved by re-choosing one device's events at a time, exactly,
  every other event fixed (then the state is two numbers: the device's and the unit's free
  time).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import ddp

from . import _device_kernels
from .points import KeptPoints

# Step-function pairs kept per device before neighbours merge (a weaker, still valid bound),
# rounds of the fixed point (it settles in about ten), the bisection's relative precision.
PAIRS = 1024
ROUNDS = 200
PRECISION = 1e-7
# fitted_schedule: (free time, work) pairs kept per event (on i3d over the edge links with 128
# devices, 1024 fit 1.7-2% closer to the bound than 64; more gain nothing there); best_fitted:
# the weights of late work and the margins above the reached makespan tried (where the unit
# makes events wait, a fit to a makespan some percent higher, its late work weighted heavily,
# can come out ahead; which margin wins varies from instance to instance).
FIT_PAIRS = 1024
NO_LIMIT = 2**62  # a work budget that never runs out
REFIT_PAIRS = 256  # refit_devices: (device free, unit free) pairs kept an event
LATE_WEIGHTS = (1.0, 3.0, 10.0)
MARGINS = (0.0, 5e-4, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 8e-2)


@dataclass(frozen=True)
class DeviceBound:
    """The result of ``device_bound``.

    Attributes
    ----------
    value : float
        A lower bound of OPT (at least the ``lower`` given).
    reached : float or None
        The least makespan tested at which every device kept a choice vector (None if none was).
    later : ndarray (units, n + 1) or None
        The fixed point there: ``later[u, i]`` bounds from below the cloud work of unit ``u``'s
        events from ``i`` on, in every schedule of makespan at most ``reached``.
    work : int
        Pair operations done.
    """

    value: float
    reached: float | None
    later: np.ndarray | None
    work: int


class _Devices:
    """An instance's kept points and events grouped by device, as the kernels take them."""

    def __init__(self, inst: ddp.Instance):
        self.inst = inst
        self.kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
        self.events = np.argsort(inst.device, kind="stable").astype(np.int64)
        self.start = np.searchsorted(inst.device[self.events],
                                     np.arange(inst.devices + 1)).astype(np.int64)
        self.unit = np.ascontiguousarray(inst.unit, dtype=np.int64)
        self.arrival = np.ascontiguousarray(inst.arrival, dtype=np.float64)

    def fixed_point(self, z: float, later: np.ndarray, max_work: int) -> tuple[int, int]:
        """``_device_kernels.later_work_fixed_point`` at ``z``, raising ``later`` in place."""
        kept = self.kept
        status, work = _device_kernels.later_work_fixed_point(
            self.arrival, kept.front, kept.trans, kept.cloud, kept.count, self.start,
            self.events, self.unit, self.inst.cloud_units, float(z), later, PAIRS, ROUNDS,
            int(max_work))
        return int(status), int(work)

    def fit(self, z: float, later: np.ndarray, late_weight: float, pairs: int = FIT_PAIRS,
            max_work: int = NO_LIMIT) -> tuple[np.ndarray | None, int]:
        """``fitted_schedule`` on these arrays, on at most about ``max_work`` pair operations:
        ``(choices or None, the work done)``."""
        kept = self.kept
        columns = np.zeros(self.inst.n, dtype=np.int64)
        work = 0
        for d in range(self.inst.devices):
            events = self.events[self.start[d]:self.start[d + 1]]
            if not len(events):
                continue
            found, done = _device_kernels.fitted_choices(
                self.arrival, kept.front, kept.trans, kept.cloud, kept.count, events,
                self.unit, later, float(z), int(pairs), float(late_weight),
                int(max_work) - work, columns)
            work += done
            if not found:
                return None, work
        return kept.index[np.arange(self.inst.n), columns], work


def device_bound(inst: ddp.Instance, lower: float, upper: float,
                 max_work: int = 200_000_000, probe_work: int | None = None,
                 test_lower: bool = True) -> DeviceBound:
    """The largest makespan in ``[lower, upper]`` that no schedule reaches, by the fixed point
    (``lower`` when none is proven), bisected to ``PRECISION``.

    The fixed point of a reached makespan starts every test below it (its ``later`` holds there
    too). ``max_work`` caps the pair operations of all tests together: a test it stops proves
    nothing, so the bound stays valid, only lower. ``probe_work`` caps the first test (at
    ``lower``) alone: where it runs out, nothing more is tried (the fixed point is slow where
    devices have many kept points and long queues, which is also where the unit, not a device,
    decides and the bound does not rise).
    """
    lower, upper = float(lower), float(upper)
    if inst.n == 0 or not upper > lower:
        return DeviceBound(lower, None, None, 0)
    devices = _Devices(inst)
    reached, reached_later = None, np.zeros((inst.cloud_units, inst.n + 1))
    budget = int(max_work)

    def unreachable(z: float) -> bool | None:
        """True: no schedule reaches ``z``; False: the fixed point was reached (kept as the
        start of the tests below ``z``); None: out of work."""
        nonlocal reached, reached_later, budget
        later = reached_later.copy()
        status, work = devices.fixed_point(z, later, budget)
        budget -= work
        if status == _device_kernels.OUT_OF_WORK:
            return None
        if status == _device_kernels.FEASIBLE:
            reached, reached_later = z, later
            return False
        return True

    low, high = lower, upper
    first = True  # without the test: bisect at once (low = lower stays a valid bound)
    if test_lower:
        held_back = 0 if probe_work is None else max(0, budget - int(probe_work))
        budget -= held_back
        first = unreachable(lower)
        budget += held_back
    if first:
        while high - low > PRECISION * high and budget > 0:
            middle = 0.5 * (low + high)
            found = unreachable(middle)
            if found is None:
                break
            if found:
                low = middle
            else:
                high = middle
    # the kernel sums in another order than the recurrence: a float's margin
    value = max(lower, low * (1 - 1e-11))
    return DeviceBound(value, reached, reached_later if reached is not None else None,
                       int(max_work) - budget)


def fitted_schedule(inst: ddp.Instance, z: float, later: np.ndarray,
                    late_weight: float = LATE_WEIGHTS[0],
                    pairs: int = FIT_PAIRS) -> np.ndarray | None:
    """Choices (point indices) fitted to makespan ``z`` with the fixed point ``later`` (see
    ``DeviceBound``), device by device (``_device_kernels.fitted_choices``, ``pairs`` kept an
    event); None when some device has no choice vector that meets the conditions. Its makespan
    is the recurrence's, above ``z`` where the units make events wait."""
    return _Devices(inst).fit(z, later, late_weight, pairs)[0]


def best_fitted(inst: ddp.Instance, found: DeviceBound, margins: tuple[float, ...] = MARGINS,
                weights: tuple[float, ...] = LATE_WEIGHTS, pairs: int = FIT_PAIRS,
                max_work: int = NO_LIMIT) -> np.ndarray | None:
    """The best of ``fitted_schedule`` at ``found.reached`` raised by each margin (in the order
    given), with each weight, while the pair operations of all fits stay within ``max_work``
    (None without a reached makespan or a fitted schedule)."""
    if found.reached is None:
        return None
    devices = _Devices(inst)
    best, best_value = None, np.inf
    budget = int(max_work)
    for margin in margins:
        for weight in weights:
            if budget <= 0:
                return best
            choices, work = devices.fit(found.reached * (1 + margin), found.later, weight,
                                        pairs, budget)
            budget -= work
            if choices is None:
                continue
            value = float(ddp.evaluate(inst, choices).makespan)
            if value < best_value:
                best, best_value = choices, value
    return best


def refit_devices(inst: ddp.Instance, choices: np.ndarray, max_work: int = NO_LIMIT,
                  pairs: int = REFIT_PAIRS) -> tuple[np.ndarray, float]:
    """``choices`` improved one device at a time: each device's events re-chosen to leave its
    unit free soonest, every other event fixed (``_device_kernels.refitted_choices``; exact
    while ``pairs`` suffice), kept when that unit's last finish falls and the makespan does not
    rise; sweeps over the devices until one changes nothing or the pair operations reach
    ``max_work``. Devices whose events use several units are left as they are. Returns
    ``(choices, makespan)`` (the recurrence's)."""
    devices = _Devices(inst)
    kept = devices.kept
    # each device whose events share one unit: its events, that unit's events, and the others
    # of that unit (the ones that pass by while the device is re-chosen)
    refittable = []
    for d in range(inst.devices):
        events = devices.events[devices.start[d]:devices.start[d + 1]]
        units = np.unique(inst.unit[events])
        if len(units) == 1:
            on_unit = inst.unit == units[0]
            passing = on_unit.copy()
            passing[events] = False
            refittable.append((events, on_unit, passing))
    choices = np.array(choices, dtype=np.int64)
    schedule = ddp.evaluate(inst, choices)
    makespan = float(schedule.makespan)
    cloud_times = inst.cloud[np.arange(inst.n), choices]
    budget = int(max_work)
    improved = True
    while improved and budget > 0:
        improved = False
        for events, on_unit, passing in refittable:
            columns = np.zeros(inst.n, dtype=np.int64)
            last, work = _device_kernels.refitted_choices(
                devices.arrival, kept.front, kept.trans, kept.cloud, kept.count, events,
                np.where(passing, schedule.ready, -1.0), cloud_times, int(pairs), budget,
                columns)
            budget -= work
            if budget <= 0:
                break
            if not last < schedule.finish_cloud[on_unit].max():
                continue
            trial = choices.copy()
            trial[events] = kept.index[events, columns[events]]
            trial_schedule = ddp.evaluate(inst, trial)
            if float(trial_schedule.makespan) <= makespan:
                choices, schedule = trial, trial_schedule
                makespan = float(schedule.makespan)
                cloud_times[events] = inst.cloud[events, choices[events]]
                improved = True
    return choices, makespan
