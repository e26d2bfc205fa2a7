"""DDP for a live system (paper Alg. 2 and 3): one event at a time.

The object keeps ``F(d)`` for each front-end device and ``C(u)`` for each cloud unit. Each call to
:meth:`OnlineDDP.push` gives the event's arrival, device and the three time rows as estimated at
that moment (network status and cloud load included) and returns the chosen point at once. The
choice and the state update go through the same kernel as the batch policy, so feeding the events
of an instance gives exactly ``run_policy(inst, "ddp")``.
"""

from __future__ import annotations

import numpy as np

from .errors import InstanceError
from .instance import event_rows
from .recurrence import MODE_DDP, schedule_kernel
from .schedule import Schedule, event_times


class OnlineDDP:
    """Online DDP over ``devices`` front-end devices and ``cloud_units`` cloud units.

    Devices are numbered from 0; a device number not seen before joins with an idle queue (the
    paper lets the number of front-end devices change). Units are fixed, and an event's unit is
    ``device mod cloud_units`` unless given.

    Examples
    --------
    >>> online = OnlineDDP()
    >>> online.push(0.0, [0, 40, 90], [300, 80, 1], [60, 30, 0])
    2
    >>> online.makespan
    91.0
    """

    def __init__(self, devices: int = 1, cloud_units: int = 1):
        if devices < 1 or cloud_units < 1:
            raise ValueError("devices and cloud_units must be >= 1")
        self.front_free = np.zeros(int(devices))
        self.cloud_free = np.zeros(int(cloud_units))
        self._width: int | None = None
        self._last_arrival = -np.inf
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
            Its front-end device (a new number joins with an idle queue).
        unit : int, optional
            Its cloud unit (default ``device mod cloud_units``).
        """
        event = self.events
        arrival = float(arrival)
        if not np.isfinite(arrival) or arrival < self._last_arrival:
            raise InstanceError(f"arrival {arrival!r} is before the previous one "
                                f"{self._last_arrival!r} or not finite", key="arrival",
                                event=event)
        rows = event_rows(front, trans, cloud, event, self._width)
        device = int(device)
        if device < 0:
            raise InstanceError(f"{device} is negative", key="device", event=event)
        if device >= len(self.front_free):
            self.front_free = np.concatenate(
                [self.front_free, np.zeros(device + 1 - len(self.front_free))])
        unit = device % self.cloud_units if unit is None else int(unit)
        if not 0 <= unit < self.cloud_units:
            raise InstanceError(f"{unit} is out of range 0..{self.cloud_units - 1}", key="unit",
                                event=event)
        choice = np.zeros(1, dtype=np.int64)
        times = event_times(1)
        finish = schedule_kernel(MODE_DDP, np.array([arrival]), *rows, np.array([device]),
                                 np.array([unit]), self.front_free, self.cloud_free, choice,
                                 *times)
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
                                         self.makespan, policy="ddp")
