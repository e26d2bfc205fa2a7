"""The one description of the MILP / CP-SAT model, read by both builders.

Binaries ``x[j, p]``, exactly one per event over its kept points (``points.KeptPoints``; a
dropped point is never needed); times ``front_finish[j]``, ``cloud_finish[j]`` and the
``makespan``; and the rows, every one of the form ``left >= right + constant + sum_p
coefficients[p] x[event, p]`` (``Model.feed`` gives them to a builder)::

    front_finish[j] >= a_j + sum_p F[j,p] x[j,p]                                    (arrival)
    front_finish[j] >= front_finish[previous event of the device] + sum_p F[j,p] x[j,p] (device)
    cloud_finish[j] >= front_finish[j] + sum_p (T[j,p] + C[j,p]) x[j,p]               (ready)
    cloud_finish[j] >= cloud_finish[previous event of the unit] + sum_p C[j,p] x[j,p]   (unit)
    makespan >= cloud_finish[last event of each unit]          minimise makespan   (makespan)

The objective has other forms, equal in value (``Model.objective``), because a solver may treat
them differently: ``"makespan"`` above (HiGHS, CP-SAT); ``"last-finish"``, no makespan variable:
minimise ``cloud_finish[L]`` of the last event ``L`` with ``cloud_finish[L] >= cloud_finish[last
event of u]`` for every other unit ``u`` (nothing reads ``cloud_finish[L]``, so raising it to the
makespan changes no other time; with one unit it is the plain last cloud finish);
``"every-finish"``: ``makespan >= cloud_finish[j]`` for every event ``j``. CBC 2.10.3 needs
``"last-finish"`` (docs/solvers.md, "Known solver defects").

Why ``>=`` is exact: for fixed ``x`` every finish time of the recurrence is the max of exactly
these right-hand sides, and each right-hand side is non-decreasing in the earlier finish times.
So by induction over the events any feasible finish times are at least the recurrence's, and
the recurrence's are feasible; ``min makespan`` is the makespan of ``x``, and the model's
optimum is OPT. No big-M is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

import ddp

from .points import KeptPoints

# The time variables a row names: ("front_finish", j), ("cloud_finish", j), ("makespan", 0).
FRONT_FINISH = "front_finish"
CLOUD_FINISH = "cloud_finish"
MAKESPAN = "makespan"
Variable = tuple[str, int]

# The forms of the objective (see the module docstring).
MAKESPAN_FORM = "makespan"
LAST_FINISH_FORM = "last-finish"
EVERY_FINISH_FORM = "every-finish"
OBJECTIVE_FORMS = (MAKESPAN_FORM, LAST_FINISH_FORM, EVERY_FINISH_FORM)


@dataclass(frozen=True)
class Row:
    """``left >= right + constant + sum_p coefficients[p] * x[event, p]``."""

    name: str
    left: Variable
    right: Variable | None
    constant: float
    event: int | None = None
    coefficients: np.ndarray | None = None


NEGATIVE_INFINITY = float("-inf")


@dataclass(frozen=True)
class Path:
    """The longest path to a time in max-plus: ``max(constant, max_k time_k + lengths[k])``."""

    constant: float
    lengths: dict[Variable, float]

    @staticmethod
    def at(variable: Variable) -> Path:
        return Path(NEGATIVE_INFINITY, {variable: 0.0})

    def plus(self, length: float) -> Path:
        return Path(self.constant + length, {k: v + length for k, v in self.lengths.items()})

    def at_least(self, constant: float) -> Path:
        return Path(max(self.constant, constant), self.lengths)

    def joined(self, other: Path) -> Path:
        lengths = dict(self.lengths)
        for k, v in other.lengths.items():
            lengths[k] = max(lengths.get(k, NEGATIVE_INFINITY), v)
        return Path(max(self.constant, other.constant), lengths)

    def rows(self, name: str, left: Variable, event: int | None,
             coefficients: np.ndarray | None) -> list[Row]:
        """``left >=`` each term plus the work of ``event``: one row a term."""
        rows = [Row(f"{name}_{i}", left, k, v, event, coefficients)
                for i, (k, v) in enumerate(self.lengths.items())]
        if self.constant > NEGATIVE_INFINITY:
            rows.append(Row(name, left, None, self.constant, event, coefficients))
        return rows


NO_PATH = Path(NEGATIVE_INFINITY, {})


@dataclass(frozen=True)
class Model:
    """An instance as the model sees it: arrivals, kept points, devices and units.

    ``arrival`` and the times of ``kept`` are what the builders use as numbers: scaled for the
    MILP, floored to integers for CP-SAT (``with_times``).
    """

    arrival: np.ndarray
    front: np.ndarray
    trans: np.ndarray
    cloud: np.ndarray
    kept: KeptPoints
    device: np.ndarray
    unit: np.ndarray

    @classmethod
    def of(cls, inst: ddp.Instance) -> Model:
        kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
        return cls(inst.arrival, kept.front, kept.trans, kept.cloud, kept, inst.device,
                   inst.unit)

    @property
    def n(self) -> int:
        return int(self.arrival.shape[0])

    def with_times(self, convert: Callable[[np.ndarray], np.ndarray]) -> Model:
        """The same model with ``convert`` applied to every time (arrivals and points)."""
        return Model(convert(self.arrival), convert(self.front), convert(self.trans),
                     convert(self.cloud), self.kept, self.device, self.unit)

    def columns(self, j: int) -> range:
        """The kept columns of event ``j`` (one binary each)."""
        return range(int(self.kept.count[j]))

    def event_rows(self, j: int, previous_on_device: int | None,
                   previous_on_unit: int | None) -> Iterator[Row]:
        """The rows of event ``j`` given the previous events of its device and unit."""
        width = int(self.kept.count[j])
        front = self.front[j, :width]
        cloud = self.cloud[j, :width]
        yield Row(f"arrival_{j}", (FRONT_FINISH, j), None, self.arrival[j], j, front)
        if previous_on_device is not None:
            yield Row(f"device_{j}", (FRONT_FINISH, j), (FRONT_FINISH, previous_on_device), 0,
                      j, front)
        yield Row(f"ready_{j}", (CLOUD_FINISH, j), (FRONT_FINISH, j), 0, j,
                  self.trans[j, :width] + cloud)
        if previous_on_unit is not None:
            yield Row(f"unit_{j}", (CLOUD_FINISH, j), (CLOUD_FINISH, previous_on_unit), 0, j,
                      cloud)

    def rows_by_event(self) -> Iterator[tuple[int, list[Row]]]:
        """Each event with its rows, in event order."""
        last_of_device: dict[int, int] = {}
        last_of_unit: dict[int, int] = {}
        for j in range(self.n):
            d, u = int(self.device[j]), int(self.unit[j])
            yield j, list(self.event_rows(j, last_of_device.get(d), last_of_unit.get(u)))
            last_of_device[d] = j
            last_of_unit[u] = j

    def units_by_first_use(self) -> list[int]:
        """The units the events use, in the order of their first event."""
        return list(dict.fromkeys(int(u) for u in self.unit))

    def makespan_rows(self) -> list[Row]:
        """``makespan >= cloud_finish[last event of u]`` for each unit ``u`` (first used first)."""
        last_of_unit = {int(u): j for j, u in enumerate(self.unit)}
        return [Row(f"makespan_{u}", (MAKESPAN, 0), (CLOUD_FINISH, last_of_unit[u]), 0)
                for u in self.units_by_first_use()]

    def objective(self, form: str = MAKESPAN_FORM) -> tuple[Variable, list[Row]]:
        """The variable to minimise in objective form ``form`` and the rows that define it."""
        if form == MAKESPAN_FORM or self.n == 0:
            return (MAKESPAN, 0), self.makespan_rows()
        if form == EVERY_FINISH_FORM:
            return (MAKESPAN, 0), [Row(f"makespan_{j}", (MAKESPAN, 0), (CLOUD_FINISH, j), 0)
                                   for j in range(self.n)]
        if form == LAST_FINISH_FORM:
            last = self.n - 1
            target = (CLOUD_FINISH, last)
            return target, [Row(f"last_finish_{row.right[1]}", target, row.right, 0)
                            for row in self.makespan_rows() if row.right != target]
        raise ValueError(f"objective form must be one of {', '.join(OBJECTIVE_FORMS)}, got "
                         f"{form!r}")

    def folded(self) -> tuple[list[tuple[int, list[Row]]], list[Row]]:
        """``rows_by_event`` and ``makespan_rows`` with the times of every event that keeps one
        point folded away.

        Such an event's rows are constants, so each of its times is the longest path to it,
        ``max(constant, max_k time_k + length_k)`` over the times ``k`` of events that keep
        several points (``Path``), and a row that reads it becomes one row per term. For any
        choices the times left are those of the whole model, and the makespan too. What goes
        is the chains of constant rows, over which HiGHS's presolve can take longer than the
        whole solve (docs/solvers.md, "Known solver defects").
        """
        at_device: dict[int, Path] = {}
        at_unit: dict[int, Path] = {}
        events = []
        for j in range(self.n):
            d, u = int(self.device[j]), int(self.unit[j])
            # the front starts after the arrival and the device's previous event
            before_front = at_device.get(d, NO_PATH).at_least(float(self.arrival[j]))
            before_cloud = at_unit.get(u, NO_PATH)
            if self.kept.count[j] == 1:
                front, ready, cloud = (float(self.front[j, 0]),
                                       float(self.trans[j, 0] + self.cloud[j, 0]),
                                       float(self.cloud[j, 0]))
                at_device[d] = front_path = before_front.plus(front)
                at_unit[u] = front_path.plus(ready).joined(before_cloud.plus(cloud))
                events.append((j, []))
                continue
            width = int(self.kept.count[j])
            front = self.front[j, :width]
            cloud = self.cloud[j, :width]
            front_finish, cloud_finish = (FRONT_FINISH, j), (CLOUD_FINISH, j)
            rows = before_front.rows(f"front_{j}", front_finish, j, front)
            rows.append(Row(f"ready_{j}", cloud_finish, front_finish, 0, j,
                            self.trans[j, :width] + cloud))
            rows += before_cloud.rows(f"unit_{j}", cloud_finish, j, cloud)
            at_device[d] = Path.at(front_finish)
            at_unit[u] = Path.at(cloud_finish)
            events.append((j, rows))
        makespan = [row for u in self.units_by_first_use()
                    for row in at_unit[u].rows(f"makespan_{u}", (MAKESPAN, 0), None, None)]
        return events, makespan

    def feed(self, one_point: Callable[[int], None], row: Callable[[Row], None],
             form: str = MAKESPAN_FORM, fold: bool = False) -> Variable:
        """Give a builder the whole model: per event its "exactly one point" constraint, then
        its rows; then the rows of the objective in form ``form``. Both builders add
        constraints in this order. Returns the variable to minimise. With ``fold`` the events
        that keep one point are folded away (``folded``; the form must be ``"makespan"``)."""
        if fold and self.n:
            if form != MAKESPAN_FORM:
                raise ValueError(f"folding needs the objective form {MAKESPAN_FORM!r}, got "
                                 f"{form!r}")
            by_event, objective_rows = self.folded()
            target = (MAKESPAN, 0)
        else:
            target, objective_rows = self.objective(form)
            by_event = self.rows_by_event()
        for j, rows in by_event:
            one_point(j)
            for each in rows:
                row(each)
        for each in objective_rows:
            row(each)
        return target
