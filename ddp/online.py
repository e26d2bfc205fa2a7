"""DDP for a live system (paper Alg. 2 and 3): one event at a time.

The object keeps ``F(d)`` for each front-end device and ``C(u)`` for each cloud unit. Each call to
:meth:`OnlineDDP.push` gives the event's arrival, device and the three time rows as estimated at
that moment (network status and cloud load included) and returns the chosen point at once. The
choice and the state update go through the same kernel as the batch policy, so feeding the events
of an instance gives exactly ``run_policy(inst, "ddp")``.
"""

from __future__ import annotations

import numbers

import numpy as np

from .errors import InstanceError
from .instance import event_rows
from .limits import MAX_CLOUD_UNITS, MAX_DEVICES, MAX_TOTAL_TIME
from .recurrence import MODE_DDP, MODE_QA, schedule_kernel
from .schedule import Schedule, event_times

# The state-aware policies the online form runs (``policy=``): DDP and the queue-aware QA.
ONLINE_MODES = {"ddp": MODE_DDP, "qa": MODE_QA}


def _index(value, key: str, count: int, event: int | None, what: str) -> int:
    """An integer ``0 <= value < count`` (not a bool, not a float)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise InstanceError(f"{value!r} is not an integer", key=key, event=event)
    value = int(value)
    if not 0 <= value < count:
        raise InstanceError(f"{value} is out of range 0..{count - 1} ({what})", key=key,
                            event=event)
    return value


def _count(value, key: str, maximum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) \
            or not 1 <= value <= maximum:
        raise InstanceError(f"{value!r} must be an integer in 1..{maximum}", key=key)
    return int(value)


class OnlineDDP:
    """Online DDP over ``devices`` front-end devices and ``cloud_units`` cloud units
    (``policy="qa"``: the queue-aware rule instead, ``ddp.policies.POLICIES``).

    Devices are numbered from 0; a device number not seen before joins with an idle queue (the
    paper lets the number of front-end devices change), up to ``ddp.limits.MAX_DEVICES``. Units
    are fixed, and an event's unit is ``device mod cloud_units`` unless given. A push that
    raises (an ``InstanceError`` naming the key and the event) leaves the state unchanged.

    Examples
    --------
    >>> online = OnlineDDP()
    >>> online.push(0.0, [0, 40, 90], [300, 80, 1], [60, 30, 0])
    2
    >>> online.makespan
    91.0
    """

    def __init__(self, devices: int = 1, cloud_units: int = 1, policy: str = "ddp"):
        if policy not in ONLINE_MODES:
            raise ValueError(f"policy must be one of {', '.join(ONLINE_MODES)}, got {policy!r}")
        self.policy = policy
        self.front_free = np.zeros(_count(devices, "devices", MAX_DEVICES))
        self.cloud_free = np.zeros(_count(cloud_units, "cloud_units", MAX_CLOUD_UNITS))
        self._width: int | None = None
        self._last_arrival = 0.0
        self._largest_sum = 0.0  # sum of each event's largest F + T + C: the overflow rule
        self._choices: list[int] = []
        self._times: list[np.ndarray] = []
        self.makespan = 0.0

    @property
    def cloud_units(self) -> int:
        return len(self.cloud_free)

    @property
    def events(self) -> int:
        """How many events have been pushed."""
        return len(self._choices)

    def push(self, arrival: float, front, trans, cloud, device: int = 0,
             unit: int | None = None) -> int:
        """Take one event, return its partition point, and update the state.

        Parameters
        ----------
        arrival : float
            When the event arrives, not before the previous one; milliseconds by convention
            (any unit works if every time uses it, ``docs/model.md``).
        front, trans, cloud : array-like, shape (k+1,)
            ``F``, ``T`` and ``C`` of this event for the points ``0..k``, in the same unit, as
            estimated when it arrives (network status and cloud load included).
        device : int
            Its front-end device (a new number joins with an idle queue), below
            ``ddp.limits.MAX_DEVICES``.
        unit : int, optional
            Its cloud unit (default ``device mod cloud_units``).

        Raises
        ------
        InstanceError
            An arrival that is not a finite number >= 0 or comes before the previous one, rows
            that are not numbers (or not ``k+1`` of them), a device or unit that is not an
            integer in range, or times breaking the overflow rule (``docs/limits.md``); the
            state is then unchanged.
        """
        event = self.events
        if isinstance(arrival, (bool, np.bool_)) or not isinstance(arrival, numbers.Real):
            raise InstanceError(f"{arrival!r} is not a number", key="arrival", event=event)
        arrival = float(arrival)
        if not np.isfinite(arrival) or arrival < 0:
            raise InstanceError(f"{arrival!r} must be a finite number >= 0", key="arrival",
                                event=event)
        if arrival < self._last_arrival:
            raise InstanceError(f"arrival {arrival!r} is before the previous one "
                                f"{self._last_arrival!r} (arrivals must be non-decreasing)",
                                key="arrival", event=event)
        rows = event_rows(front, trans, cloud, event, self._width)
        device = _index(device, "device", MAX_DEVICES, event, "the maximum number of devices "
                        f"is {MAX_DEVICES}")
        unit = device % self.cloud_units if unit is None else \
            _index(unit, "unit", self.cloud_units, event, f"cloud_units = {self.cloud_units}")
        with np.errstate(over="ignore", invalid="ignore"):
            largest_sum = self._largest_sum + float((rows[0] + rows[1] + rows[2]).max())
        if not arrival + largest_sum <= MAX_TOTAL_TIME:
            raise InstanceError(f"times too large: the arrival plus the sum of each event's "
                                f"largest front + trans + cloud time exceeds "
                                f"{MAX_TOTAL_TIME:g} (schedules would overflow)", key="front",
                                event=event)
        # Nothing below can fail: the state changes only now.
        front_free = self.front_free
        if device >= len(front_free):
            front_free = np.concatenate([front_free, np.zeros(device + 1 - len(front_free))])
        choice = np.zeros(1, dtype=np.int64)
        times = event_times(1)
        finish = schedule_kernel(ONLINE_MODES[self.policy], np.array([arrival]), *rows,
                                 np.array([device]), np.array([unit]), front_free,
                                 self.cloud_free, choice, *times)
        self.front_free = front_free
        self._largest_sum = largest_sum
        self._width = rows[0].shape[1]
        self._last_arrival = arrival
        self._choices.append(int(choice[0]))
        self._times.append(times[:, 0])
        self.makespan = max(self.makespan, float(finish))
        return int(choice[0])

    def schedule(self) -> Schedule:
        """The schedule of every event pushed so far."""
        times = np.ascontiguousarray(np.array(self._times).reshape(-1, 5).T)
        return Schedule.from_event_times(np.array(self._choices, dtype=np.int64), times,
                                         self.makespan, policy=self.policy)
