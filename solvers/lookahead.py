"""``lookahead``: a rolling-horizon online policy that sees the queue it builds.

At each event the policy chooses the points of that event and of the next ``W`` events exactly,
minimising the latest cloud finish among those ``W + 1`` events from the current free times of
the devices and units (ties to the smallest point of the deciding event), and commits only the
deciding event's point. So ``W = 0`` is DDP (Alg. 1: least cloud finish of the event alone), and
with ``W >= n - 1`` and a known future the first decision is an optimal schedule's and every
later one keeps it optimal, so the makespan is OPT's.

The next ``W`` events are

- ``known``: the instance's own next events (a system that knows its upcoming arrivals, e.g.
  scheduled clips, and their times);
- ``repeat``: a prediction from what has been seen so far: the deciding event's rows, device and
  unit repeated ``W`` times, arriving at the mean arrival rate observed up to now (the mean gap
  between the arrivals seen, counted from the first); before two arrivals are seen no rate is
  known and the window is the event alone (DDP).

The policy lives here, not in ``ddp``, because its window search is an exact solver; ``ddp``'s
kernel and recurrence are used as they are (``ddp.recurrence.step`` in the search, ``ddp.evaluate``
for the schedule).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import ddp
from ddp.errors import InstanceError
from ddp.instance import event_rows
from ddp.recurrence import MODE_GIVEN, schedule_kernel
from ddp.schedule import Schedule, event_times

from . import lns
from ._rollout_kernels import rollout_choices, split_plan
from ._window_kernels import lookahead_plan, window_point
from .components import shares_a_unit
from .devices import best_fitted, device_bound
from .improve import STEPS_PER_SECOND, improve
from .lp import best_rounding, lp_bound
from .points import dominant_points

PREDICTIONS = {
    "known": "the instance's next W events, as they will arrive",
    "repeat": "the current event's rows repeated W times at the mean arrival rate seen so far",
}
DEFAULT_WINDOW = 2
DEFAULT_PREDICT = "known"
# rollout's first plans are polished by re-choosing short windows of consecutive events
# (solvers.lns.polish), DEFAULT_POLISH windows per event: a budget in windows, so that the plan
# does not depend on the machine's speed.
DEFAULT_POLISH = 3
POLISH_STEPS_PER_EVENT = 1000  # recurrence steps of improve's greedy rules and local search
# rollout's LP start: the relaxation runs on an iteration budget (deterministic), the clock
# only guards against a stalled solver. Below LP_START_MIN_EVENTS events its fixed cost (about
# 10 ms) would dominate a decision's, and the other starts already come within 2% of OPT there.
LP_GUARD_SECONDS = 600.0
LP_START_MIN_EVENTS = 200
# The fitted start (``devices.best_fitted``) beside the relaxation's, where every start ends
# more than FIT_GAP above the relaxation (on paper's Table 4 shapes the rounding ends within
# 0.4% of it: the unit decides there and the device bound does not rise; on i3d over the edge
# links with 128 devices 3-18% above): the device bound bisected on BOUND_WORK_PER_EVENT pair
# operations an event, then, where that closed within FIT_CLOSE (the fits need the fixed point
# of a makespan close to the bound; from farther they found nothing on i3d over edge-wifi, whose
# tests cost 7-14 thousand an event), fits of FIT_PAIRS pairs an event at the margins and
# weights below, on FIT_WORK_PER_EVENT (which margin wins varies: 0-0.5% on edge-3g, 1% on
# edge-lte, 2-5% on edge-wifi).
FIT_GAP = 1e-2
FIT_CLOSE = 2e-2
BOUND_WORK_PER_EVENT = 20_000
FIT_WORK_PER_EVENT = 40_000
FIT_MARGINS = (0.0, 5e-3, 1e-2, 2e-2, 5e-2)
FIT_WEIGHTS = (3.0, 10.0)
FIT_PAIRS = 1024
SKIP_POLISH_MIN_EVENTS = 200  # see first_plan


def check_window(window: int) -> int:
    """``window`` as a non-negative int, or ValueError."""
    if isinstance(window, bool) or int(window) != window or window < 0:
        raise ValueError(f"window must be an integer >= 0, got {window!r}")
    return int(window)


def check_predict(predict: str) -> str:
    """``predict`` normalised, or ValueError naming the known predictions."""
    key = str(predict).lower()
    if key not in PREDICTIONS:
        raise ValueError(f"unknown prediction {predict!r} (known: {', '.join(PREDICTIONS)})")
    return key


def repeat_window(arrival: float, front: np.ndarray, trans: np.ndarray, cloud: np.ndarray,
                  device: int, unit: int, window: int, first_arrival: float, seen: int
                  ) -> tuple[np.ndarray, ...]:
    """The ``repeat`` window: the event itself then ``window`` copies of it at the mean gap.

    ``seen`` counts the arrivals observed so far including this one, ``first_arrival`` is the
    first of them. Returns ``(arrival, front, trans, cloud, device, unit)`` arrays of the window.
    """
    size = 1 + window if seen >= 2 else 1
    gap = (arrival - first_arrival) / (seen - 1) if seen >= 2 else 0.0
    arrivals = arrival + gap * np.arange(size, dtype=np.float64)
    return (arrivals, np.repeat(front[None, :], size, axis=0),
            np.repeat(trans[None, :], size, axis=0), np.repeat(cloud[None, :], size, axis=0),
            np.full(size, device, dtype=np.int64), np.full(size, unit, dtype=np.int64))


def decide(front_free: np.ndarray, cloud_free: np.ndarray, arrival: np.ndarray,
           front: np.ndarray, trans: np.ndarray, cloud: np.ndarray, device: np.ndarray,
           unit: np.ndarray) -> int:
    """The point of the window's first event (row 0), the others being the next events."""
    _, _, _, kept_index, kept_count = dominant_points(front, trans, cloud)
    point, _ = window_point(front_free, cloud_free, arrival, front, trans, cloud, device, unit,
                            kept_index, kept_count)
    return int(point)


def lookahead_choices(inst: ddp.Instance, window: int = DEFAULT_WINDOW,
                      predict: str = DEFAULT_PREDICT) -> np.ndarray:
    """The points ``lookahead`` commits to, event by event, on ``inst``."""
    window = check_window(window)
    predict = check_predict(predict)
    choices = np.zeros(inst.n, dtype=np.int64)
    if predict == "known":
        # the dominance filter of every event once, not once per window it appears in
        _, _, _, kept_index, kept_count = dominant_points(inst.front, inst.trans, inst.cloud)
        lookahead_plan(inst.arrival, inst.front, inst.trans, inst.cloud, inst.device, inst.unit,
                       kept_index, kept_count, window, 0, np.zeros(inst.devices),
                       np.zeros(inst.cloud_units), 0.0, choices)
        return choices
    online = OnlineLookahead(inst.devices, inst.cloud_units, window=window, predict=predict)
    for j in range(inst.n):
        choices[j] = online.push(inst.arrival[j], inst.front[j], inst.trans[j], inst.cloud[j],
                                 int(inst.device[j]), int(inst.unit[j]))
    return choices


def run_lookahead(inst: ddp.Instance, window: int = DEFAULT_WINDOW,
                  predict: str = DEFAULT_PREDICT) -> Schedule:
    """Run ``lookahead`` on an instance: its choices and their schedule (``ddp.evaluate``).

    With estimated times (``inst.estimate``) it chooses on the estimates and is scored on the
    actual times, as every policy.

    Parameters
    ----------
    inst : ddp.Instance
    window : int
        ``W``, how many events after the deciding one are chosen with it (0: DDP).
    predict : {"known", "repeat"}
        Where the next events come from (see the module docstring).
    """
    schedule = ddp.evaluate(inst, lookahead_choices(inst.as_estimated(), window, predict))
    return Schedule(schedule.choices, schedule.start_front, schedule.finish_front,
                    schedule.ready, schedule.start_cloud, schedule.finish_cloud,
                    schedule.makespan, policy="lookahead")


def check_polish(polish: int) -> int:
    """``polish`` as an int, or a clear error."""
    if isinstance(polish, bool) or not isinstance(polish, (int, np.integer)) or polish < 0:
        raise ValueError(f"polish must be an integer >= 0 (windows per event), got {polish!r}")
    return int(polish)


def first_plan(inst: ddp.Instance, window: int = DEFAULT_WINDOW,
               polish: int = DEFAULT_POLISH) -> np.ndarray:
    """``rollout``'s first plan on ``inst`` (the times it decides on). With ``polish = 0``,
    ``lookahead``'s own schedule (known future, ``window``). Otherwise its starts: that schedule
    improved by ``solvers.improve`` (biased greedy rules and local search,
    ``POLISH_STEPS_PER_EVENT`` recurrence steps an event), the best split "All at Cloud, then
    All at Front", and, where devices share a unit (from ``LP_START_MIN_EVENTS`` events), the LP
    relaxation's solution rounded (``lp.best_rounding``: how much front work each device
    takes on is what the other starts get wrong there) and, where every start so far ends more
    than ``FIT_GAP`` above the relaxation, each device's choices fitted to a makespan above the
    device bound (``devices.best_fitted``; the bound and the fits on work budgets, the fits
    only where the bisection closed within ``FIT_CLOSE``). They are
    polished by re-choosing short windows of consecutive events (``solvers.lns.polish``,
    ``polish`` windows per event); from ``SKIP_POLISH_MIN_EVENTS`` events the best start first,
    a later one only while it is better before its polish than the best polished so far. The
    best plan is kept (the first on a tie). Never later than ``lookahead``'s schedule;
    independent of the machine's speed."""
    polish = check_polish(polish)
    plan = np.asarray(lookahead_choices(inst, window, "known"), dtype=np.int64)
    if polish == 0 or inst.n == 0:
        return plan
    starts: list[np.ndarray] = []
    values: list[float] = []  # each start's makespan, before its polish

    def add_start(start: np.ndarray) -> None:
        starts.append(start)
        values.append(float(ddp.evaluate(inst, start).makespan))

    add_start(improve(inst, plan, seconds=POLISH_STEPS_PER_EVENT * inst.n / STEPS_PER_SECOND))
    split = np.zeros(inst.n, dtype=np.int64)
    split_plan(inst.arrival, inst.front, inst.trans, inst.cloud, inst.device, inst.unit,
               inst.devices, inst.cloud_units, split)
    add_start(split)
    if shares_a_unit(inst) and inst.n >= LP_START_MIN_EVENTS:
        plan_value = float(ddp.evaluate(inst, plan).makespan)
        relaxed = lp_bound(inst, plan_value, time_limit=LP_GUARD_SECONDS, deterministic=True)
        rounded = best_rounding(relaxed, inst)
        if rounded is not None:
            add_start(rounded)
        upper = min(plan_value, *values)
        if upper > relaxed.value * (1 + FIT_GAP):
            # each device's choices whole, fitted to a makespan above the device bound: where a
            # device's last events decide, the rounding's balance of front work misses them
            found = device_bound(inst, relaxed.value, upper,
                                 max_work=BOUND_WORK_PER_EVENT * inst.n, test_lower=False)
            if (found.reached is not None
                    and found.reached - found.value <= FIT_CLOSE * found.reached):
                fitted = best_fitted(inst, found, FIT_MARGINS, FIT_WEIGHTS, FIT_PAIRS,
                                     max_work=FIT_WORK_PER_EVENT * inst.n)
                if fitted is not None:
                    add_start(fitted)
    # From SKIP_POLISH_MIN_EVENTS events: best start first, and a start whose makespan before
    # its polish is not below the best polished plan's is left unpolished (at Table 4's sizes
    # the relaxation's start is far ahead, and each polish costs as much as the first). On
    # fewer events every start is polished: there the windows reach across a large share of the
    # instance, and a start 30% behind can come out ahead (the split, on short bursts).
    skipping = inst.n >= SKIP_POLISH_MIN_EVENTS
    if skipping:
        order = np.argsort(values, kind="stable")
        starts = [starts[index] for index in order]
        values = [values[index] for index in order]
    best, best_value = plan, np.inf
    for index, start in enumerate(starts):
        if skipping and values[index] >= best_value:
            continue
        polished, value, _ = lns.polish(inst, start, max_windows=polish * inst.n)
        if value < best_value:
            best, best_value = polished, value
    return best


def run_rollout(inst: ddp.Instance, window: int = DEFAULT_WINDOW,
                polish: int = DEFAULT_POLISH) -> Schedule:
    """``rollout``: the best complete plan of the known future, re-checked at every event.

    The first plan is ``first_plan`` (the best of its starts, polished). At each
    event the window's point is completed by each of DDP, NS, AC and AF over the rest of the
    instance, and that completion becomes the plan when it is strictly better, or no worse and
    the plan gives the event another point; the event takes the plan's point. So the makespan is
    never above ``lookahead``'s or the best of DDP, NS, AC and AF (see
    ``solvers/_rollout_kernels.py``). It needs the whole future (the instance); a decision costs
    a window search and ``4 (n - j)`` recurrence steps, plus its share of the first plan.
    Chooses on estimates and is scored on actual times, as every policy.

    Parameters
    ----------
    inst : ddp.Instance
    window : int
        ``W`` of the guiding ``lookahead``.
    polish : int
        Windows re-chosen per event when polishing the first plans (0: ``lookahead``'s schedule
        as it is).
    """
    window = check_window(window)
    decided = inst.as_estimated()
    _, _, _, kept_index, kept_count = dominant_points(decided.front, decided.trans,
                                                      decided.cloud)
    plan = first_plan(decided, window, polish)
    plan_value = ddp.evaluate(decided, plan).makespan if decided.n else np.inf
    choices = rollout_choices(decided.arrival, decided.front, decided.trans, decided.cloud,
                              decided.device, decided.unit, decided.devices,
                              decided.cloud_units, kept_index, kept_count, window, plan,
                              plan_value)
    schedule = ddp.evaluate(inst, choices)
    return Schedule(schedule.choices, schedule.start_front, schedule.finish_front,
                    schedule.ready, schedule.start_cloud, schedule.finish_cloud,
                    schedule.makespan, policy="rollout")


class OnlineLookahead:
    """``lookahead`` one event at a time, over ``devices`` devices and ``cloud_units`` units.

    :meth:`push` takes the event's arrival, rows, device and unit, and optionally the next
    events as the caller knows or predicts them (``upcoming``: a list of ``(arrival, front,
    trans, cloud, device, unit)``, at most ``window`` of them used); without ``upcoming`` the
    ``predict`` rule of the object makes them (``known`` then means none are known: DDP).
    It returns the point and commits it through ``ddp``'s kernel, like ``ddp.OnlineDDP``.

    Examples
    --------
    >>> online = OnlineLookahead(window=1)
    >>> online.push(0.0, [0, 40, 90], [300, 80, 1], [60, 30, 0],
    ...             upcoming=[(10.0, [0, 40, 90], [300, 80, 1], [60, 30, 0], 0, 0)])
    1
    """

    def __init__(self, devices: int = 1, cloud_units: int = 1, window: int = DEFAULT_WINDOW,
                 predict: str = "repeat"):
        if devices < 1 or cloud_units < 1:
            raise ValueError("devices and cloud_units must be >= 1")
        self.window = check_window(window)
        self.predict = check_predict(predict)
        self.front_free = np.zeros(int(devices))
        self.cloud_free = np.zeros(int(cloud_units))
        self.makespan = 0.0
        self._width: int | None = None
        self._first_arrival: float | None = None
        self._last_arrival = -np.inf
        self._choices: list[int] = []
        self._times: list[np.ndarray] = []

    @property
    def events(self) -> int:
        """How many events have been pushed."""
        return len(self._choices)

    def _check(self, arrival: float, front, trans, cloud, device: int, unit: int | None,
               event: int, width: int | None) -> tuple:
        arrival = float(arrival)
        if not np.isfinite(arrival):
            raise InstanceError(f"arrival {arrival!r} is not finite", key="arrival", event=event)
        rows = event_rows(front, trans, cloud, event, width)
        device = int(device)
        if device < 0:
            raise InstanceError(f"{device} is negative", key="device", event=event)
        unit = device % len(self.cloud_free) if unit is None else int(unit)
        if not 0 <= unit < len(self.cloud_free):
            raise InstanceError(f"{unit} is out of range 0..{len(self.cloud_free) - 1}",
                                key="unit", event=event)
        return arrival, rows, device, unit

    def _grow(self, device: int) -> None:
        if device >= len(self.front_free):
            self.front_free = np.concatenate(
                [self.front_free, np.zeros(device + 1 - len(self.front_free))])

    def push(self, arrival: float, front, trans, cloud, device: int = 0, unit: int | None = None,
             upcoming: Sequence[tuple] | None = None) -> int:
        """Take one event (and its known or predicted successors), return its point."""
        event = self.events
        arrival, rows, device, unit = self._check(arrival, front, trans, cloud, device, unit,
                                                  event, self._width)
        if arrival < self._last_arrival:
            raise InstanceError(f"arrival {arrival!r} is before the previous one "
                                f"{self._last_arrival!r}", key="arrival", event=event)
        self._grow(device)
        first_arrival = arrival if self._first_arrival is None else self._first_arrival
        if upcoming is not None:
            window = self._given_window(arrival, rows, device, unit, upcoming, event)
        elif self.predict == "repeat":
            window = repeat_window(arrival, rows[0][0], rows[1][0], rows[2][0], device, unit,
                                   self.window, first_arrival, event + 1)
        else:
            window = (np.array([arrival]), *rows, np.array([device]), np.array([unit]))
        point = decide(self.front_free, self.cloud_free, *window)
        return self.commit(arrival, rows[0][0], rows[1][0], rows[2][0], device, unit, point)

    def _given_window(self, arrival: float, rows: tuple, device: int, unit: int,
                      upcoming: Sequence[tuple], event: int) -> tuple:
        arrivals, fronts, transs, clouds = [arrival], [rows[0]], [rows[1]], [rows[2]]
        devices, units = [device], [unit]
        previous = arrival
        for offset, item in enumerate(list(upcoming)[:self.window], start=1):
            if len(item) not in (4, 5, 6):
                raise InstanceError("each upcoming event is (arrival, front, trans, cloud"
                                    "[, device[, unit]])", key="upcoming", event=event)
            a, f, t, c = item[:4]
            d = int(item[4]) if len(item) > 4 else device
            u = item[5] if len(item) > 5 else None
            a, r, d, u = self._check(a, f, t, c, d, u, event + offset, rows[0].shape[1])
            if a < previous:
                raise InstanceError(f"upcoming arrival {a!r} is before {previous!r}",
                                    key="upcoming", event=event + offset)
            previous = a
            self._grow(d)
            arrivals.append(a)
            fronts.append(r[0])
            transs.append(r[1])
            clouds.append(r[2])
            devices.append(d)
            units.append(u)
        return (np.array(arrivals), np.concatenate(fronts), np.concatenate(transs),
                np.concatenate(clouds), np.array(devices, dtype=np.int64),
                np.array(units, dtype=np.int64))

    def commit(self, arrival: float, front: np.ndarray, trans: np.ndarray, cloud: np.ndarray,
               device: int, unit: int, point: int) -> int:
        """Apply ``point`` to the event through ``ddp``'s kernel and record it."""
        self._grow(device)
        choice = np.array([point], dtype=np.int64)
        times = event_times(1)
        finish = schedule_kernel(MODE_GIVEN, np.array([float(arrival)]),
                                 np.ascontiguousarray(front, dtype=np.float64)[None, :],
                                 np.ascontiguousarray(trans, dtype=np.float64)[None, :],
                                 np.ascontiguousarray(cloud, dtype=np.float64)[None, :],
                                 np.array([device]), np.array([unit]), self.front_free,
                                 self.cloud_free, choice, *times)
        if self._first_arrival is None:
            self._first_arrival = float(arrival)
        self._width = len(front)
        self._last_arrival = float(arrival)
        self._choices.append(int(point))
        self._times.append(times[:, 0])
        self.makespan = max(self.makespan, float(finish))
        return int(point)

    def schedule(self) -> Schedule:
        """The schedule of every event pushed so far."""
        times = np.ascontiguousarray(np.array(self._times).reshape(-1, 5).T)
        return Schedule.from_event_times(np.array(self._choices, dtype=np.int64), times,
                                         self.makespan, policy="lookahead")
