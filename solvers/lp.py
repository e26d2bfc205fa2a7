"""The LP relaxation of the model, solved with HiGHS directly, as a certified lower bound.

The relaxation is the MILP of ``milp`` (any devices and units) with ``x[j, p]`` in ``[0, 1]``,
built as sparse arrays and passed to ``highspy`` without a modelling layer. Two things make its
answer safe to use as a proof:

* The bound is not HiGHS's objective but the Lagrangian value of HiGHS's row duals, computed
  here: every row but the events' choice rows is priced by its dual (of the right sign), each
  event's shares range over their simplex and every time variable over its box, so
  ``sum_rows y_r b_r + sum_j min_p d[j, p] + sum_cols min(0, d_c) u_c`` (``d`` the reduced
  costs ``c - A^T y`` without the choice rows, ``u`` a time column's upper bound) is a lower
  bound of the relaxation whatever the solver's tolerances were. Every time variable gets the
  upper bound ``upper`` (the incumbent's makespan): a schedule that beats the incumbent has
  every time below it, so the bound still holds for every such schedule, and OPT is at least
  ``min(upper, bound)``.
* The reduced costs give the classical fixing test: a schedule that uses point ``p`` for event
  ``j`` has makespan at least ``bound + d[j, p] - min_q d[j, q]``; where that reaches ``upper``,
  the point cannot be part of a better schedule (``allowed``), and an exact search may drop it.
* HiGHS solves it without the columns a mix of two others of the same event matches in every
  row (``points.relaxation_dominated``; often all but two an event, several times faster): the
  bound prices every column, and a left-out column never costs less than its mix.
Times are scaled by a power of two (exact) so that the solver's tolerances are small against
every time, as in ``milp``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

import ddp

from .errors import SolverUnavailable, native_call
from .milp import quiet_stdout
from .points import KeptPoints, relaxation_dominated
from .stoppable import STOP_GRACE_SECONDS, run_highs_stoppable

# Relative margin taken off the recomputed dual bound for the rounding of its float sums.
DUAL_SAFETY = 1e-10
# Dual simplex first (fast on one device per unit), for at most this share of the time; then
# interior point without crossover (robust where simplex stalls, e.g. many devices sharing a
# unit): its duals need not be exact, the bound is recomputed from them either way.
SIMPLEX_SHARE = 0.3
METHODS = ({"solver": "simplex"}, {"solver": "ipm", "run_crossover": "off"})
# Deterministic runs: interior point alone, stopped by its iteration count, not by the clock.
DETERMINISTIC_METHODS = ({"solver": "ipm", "run_crossover": "off", "ipm_iteration_limit": 400},)
# A vertex (vertex.complete_vertex): interior point, then crossover to a basic solution (where
# devices share a unit, faster than dual simplex, which a share of the limit often stops
# before its end at Table 4's sizes, leaving the interior point's spread solution)
VERTEX_METHODS = ({"solver": "ipm", "run_crossover": "on"},)


@dataclass
class LpBound:
    """The relaxation's certified bound and what it tells about each point.

    Attributes
    ----------
    value : float
        A lower bound on the makespan of every schedule whose makespan is below ``upper``
        (so ``min(upper, value)`` bounds OPT).
    upper : float
        The makespan the relaxation was bounded by (every time variable is at most it).
    reduced_cost : ndarray (n, P)
        Per kept point (``columns``), the least increase of the bound when the event takes that
        point (0 for the event's cheapest at the duals, as the points the relaxation uses).
    columns : ndarray (n, P) of int
        The point index of each column (as ``KeptPoints.index``); ``count[j]`` columns are real.
    count : ndarray (n,) of int
    status : str
        HiGHS's model status.
    seconds : float
    slopes : (float, float) or None
        The duals of the rows of the initial device and unit free times (see ``state_cut``).
    point_share : ndarray (n, P) or None
        The relaxation's value of each column's choice variable (a fraction of the event).
    """

    value: float
    upper: float
    reduced_cost: np.ndarray
    columns: np.ndarray
    count: np.ndarray
    status: str
    seconds: float
    slopes: tuple[float, float] | None = None
    point_share: np.ndarray | None = None

    def rounded(self) -> np.ndarray | None:
        """Each event's point of largest share in the relaxation's solution (None without a
        solution). Sound from a vertex (simplex); from an interior point, whose shares spread
        over many points, see ``balanced_rounding``."""
        if self.point_share is None:
            return None
        columns = np.argmax(self.point_share, axis=1)
        return self.columns[np.arange(self.columns.shape[0]), columns]

    def allowed(self, margin: float = 0.0) -> np.ndarray:
        """Mask (n, P) of the columns that may still be part of a schedule below ``upper``.

        A column stays when ``value + reduced_cost < upper - margin``; a padded column never.
        """
        real = np.arange(self.columns.shape[1])[None, :] < self.count[:, None]
        return real & (self.value + self.reduced_cost < self.upper - margin)


def _highspy():
    try:
        import highspy
    except ImportError as exc:  # pragma: no cover - highspy is a dependency
        raise SolverUnavailable("the LP bound needs highspy: pip install highspy") from exc
    return highspy


def _scale(upper: float) -> float:
    """A power of two bringing ``upper`` near 1000 (the MILP's choice, for the same reason)."""
    if not upper > 0 or not math.isfinite(upper):
        return 1.0
    return 2.0 ** int(np.clip(round(math.log2(1000.0 / upper)), -40, 40))


def lp_bound(inst: ddp.Instance, upper: float, time_limit: float = 30.0,
             deterministic: bool = False, every_column: bool = False,
             vertex: bool = False) -> LpBound:
    """Solve the LP relaxation of ``inst`` with every time at most ``upper``.

    Raises ``SolverUnavailable`` without highspy; a relaxation HiGHS does not solve in
    ``time_limit`` gives the bound of the duals it has (possibly 0). ``every_column``: HiGHS
    gets the columns ``points.relaxation_dominated`` marks too (the same bound, slower).
    ``vertex``: a basic solution (interior point and crossover), whatever ``deterministic``.
    """
    kept = KeptPoints.of(inst.front, inst.trans, inst.cloud)
    return relaxation(inst.arrival, kept, inst.device, inst.unit, upper, time_limit,
                      deterministic=deterministic, every_column=every_column, vertex=vertex)


def balanced_rounding(relaxed: LpBound, inst: ddp.Instance, min_share: float = 1e-3,
                      between: bool = False) -> np.ndarray | None:
    """A schedule that keeps each device's front work where the relaxation puts it.

    Events are taken in order; each takes, among the points the relaxation uses (share above
    ``min_share``), the one whose front time is nearest to the relaxation's front work
    for it plus what its device's earlier events fell short of (or went over). So every
    device's cumulative front work stays within about one event's of the relaxation's, which
    is what balances the devices against a shared unit; rounding event by event does not,
    and from an interior-point solution (shares spread over the relaxation's many optima) the
    largest share says little. With ``between``, also the event's other kept points whose front
    time lies between the used ones' and whose ``T + C`` is at most theirs: the relaxation is
    solved without the points a mix of two others matches (``points.relaxation_dominated``),
    so it often mixes the two extremes where one point between them would do. None without a
    solution.
    """
    if relaxed.point_share is None:
        return None
    columns, count, share = relaxed.columns, relaxed.count, relaxed.point_share
    front = np.take_along_axis(np.asarray(inst.front, dtype=np.float64), columns, axis=1)
    to_done = np.take_along_axis(np.asarray(inst.trans + inst.cloud, dtype=np.float64),
                                 columns, axis=1)
    wanted = (share * front).sum(axis=1)
    owed = np.zeros(inst.devices)
    choices = np.empty(inst.n, dtype=np.int64)
    for event in range(inst.n):
        real = slice(0, int(count[event]))
        used = np.flatnonzero(share[event, real] > min_share)
        if len(used) == 0:
            used = np.arange(int(count[event]))
        if between:
            used_front = front[event, used]
            used = np.flatnonzero((front[event, real] >= used_front.min())
                                  & (front[event, real] <= used_front.max())
                                  & (to_done[event, real] <= to_done[event, used].max()))
        target = owed[inst.device[event]] + wanted[event]
        column = used[np.argmin(np.abs(target - front[event, used]))]
        choices[event] = columns[event, column]
        owed[inst.device[event]] = target - front[event, column]
    return choices


def best_rounding(relaxed: LpBound, inst: ddp.Instance) -> np.ndarray | None:
    """The best schedule of the roundings: by largest share, ``balanced_rounding`` and
    ``balanced_rounding`` with the points between (None without a solution). None is always
    best: where a point with a long transfer takes a small share (a slow link), keeping the
    device's front work in balance sends a few events over it whole, which the largest share
    never does; where the relaxation mixes two extremes, the points between follow its front
    work with less carry."""
    found = [choices for choices in (relaxed.rounded(), balanced_rounding(relaxed, inst),
                                     balanced_rounding(relaxed, inst, between=True))
             if choices is not None]
    if not found:
        return None
    return min(found, key=lambda choices: float(ddp.evaluate(inst, choices).makespan))


@dataclass
class StateCut:
    """``front_coef * F + cloud_coef * C + const``: a lower bound, for every state ``(F, C)``,
    on the makespan of any completion that beats ``upper`` (one device and one unit)."""

    front_coef: float
    cloud_coef: float
    const: float

    def at(self, front_free: np.ndarray, cloud_free: np.ndarray) -> np.ndarray:
        return self.front_coef * front_free + self.cloud_coef * cloud_free + self.const


def state_cut(arrival: np.ndarray, kept: KeptPoints, start: int, front_free: float,
              cloud_free: float, upper: float, time_limit: float = 10.0,
              deterministic: bool = False) -> StateCut | None:
    """A cut from the relaxation of events ``start..`` after the state ``(F, C)``.

    The state enters the relaxation only through the right-hand sides of two rows (the first
    event's device and unit predecessors), so the weak-duality bound of its duals is affine in
    ``(F, C)`` with those rows' duals as slopes, and it holds for every state, not only the one
    solved (one device and one unit; events ``start..`` of ``kept``). None when HiGHS gives no
    duals.
    """
    count = kept.count.shape[0] - start
    if count <= 0:
        return StateCut(0.0, 1.0, 0.0)
    part = KeptPoints(kept.front[start:], kept.trans[start:], kept.cloud[start:],
                      kept.index[start:], kept.count[start:], kept.all_front[start:],
                      kept.all_trans[start:], kept.all_cloud[start:])
    zeros = np.zeros(count, dtype=np.int64)
    result = relaxation(arrival[start:], part, zeros, zeros, upper, time_limit,
                        initial_front=np.array([front_free]),
                        initial_cloud=np.array([cloud_free]), deterministic=deterministic)
    if result.slopes is None:
        return None
    front_coef, cloud_coef = result.slopes
    const = result.value - front_coef * front_free - cloud_coef * cloud_free
    return StateCut(float(front_coef), float(cloud_coef), float(const))


def relaxation(arrival: np.ndarray, kept: KeptPoints, device: np.ndarray, unit: np.ndarray,
               upper: float, time_limit: float, initial_front: np.ndarray | None = None,
               initial_cloud: np.ndarray | None = None, deterministic: bool = False,
               every_column: bool = False, vertex: bool = False) -> LpBound:
    """The relaxation of events with the given kept points (see the module docstring).

    ``initial_front[d]`` / ``initial_cloud[u]``: free times of devices and units before the
    first event (0 when not given). With exactly one device and one unit given, ``slopes``
    of the result holds the duals of their two rows (the bound's slopes in F and C).
    ``vertex``: solved for a basic solution (``VERTEX_METHODS``).
    """
    started = time.perf_counter()
    highspy = _highspy()
    n = arrival.shape[0]
    kept_front, kept_trans, kept_cloud = kept.front, kept.trans, kept.cloud
    columns, count = kept.index, kept.count
    width = columns.shape[1]
    scale = _scale(upper)
    top = float(upper) * scale

    # Columns: x (j, p) for p < count[j], then front finish, cloud finish per event, makespan.
    real = np.arange(width)[None, :] < count[:, None]
    num_x = int(real.sum())
    x_event, x_column = np.nonzero(real)  # x variables in event order
    front_col = num_x + np.arange(n)
    cloud_col = num_x + n + np.arange(n)
    makespan_col = num_x + 2 * n
    num_cols = makespan_col + 1
    x_front = kept_front[x_event, x_column] * scale
    x_to_done = (kept_trans[x_event, x_column] + kept_cloud[x_event, x_column]) * scale
    x_cloud = kept_cloud[x_event, x_column] * scale
    previous_on_device = _previous_of(np.asarray(device))
    previous_on_unit = _previous_of(np.asarray(unit))
    builder = _Rows(x_event, n)
    events = np.arange(n)
    # one point per event (equality rows)
    builder.add(events, None, None, 1.0, 1.0, np.ones(num_x))
    # ff_j >= a_j + sum F x
    builder.add(events, front_col, None, np.asarray(arrival, dtype=np.float64) * scale, np.inf,
                -x_front)
    # ff_j >= ff_prev + sum F x, or >= the device's initial free time for its first event
    chained = previous_on_device >= 0
    builder.add(events[chained], front_col[chained], front_col[previous_on_device[chained]],
                0.0, np.inf, -x_front)
    state_rows = [-1, -1]
    if initial_front is not None:
        first = ~chained
        state_rows[0] = builder.count if first.sum() == 1 else -1
        builder.add(events[first], front_col[first], None,
                    np.asarray(initial_front, dtype=np.float64)[np.asarray(device)[first]]
                    * scale, np.inf, -x_front)
    # fc_j >= ff_j + sum (T + C) x
    builder.add(events, cloud_col, front_col, 0.0, np.inf, -x_to_done)
    # fc_j >= fc_prev + sum C x, or >= the unit's initial free time for its first event
    chained = previous_on_unit >= 0
    builder.add(events[chained], cloud_col[chained], cloud_col[previous_on_unit[chained]],
                0.0, np.inf, -x_cloud)
    if initial_cloud is not None:
        first = ~chained
        state_rows[1] = builder.count if first.sum() == 1 else -1
        builder.add(events[first], cloud_col[first], None,
                    np.asarray(initial_cloud, dtype=np.float64)[np.asarray(unit)[first]]
                    * scale, np.inf, -x_cloud)
    # M >= fc of each unit's last event
    last = np.flatnonzero(~np.isin(events, previous_on_unit))
    builder.add_plain(np.full(len(last), makespan_col), cloud_col[last])
    row = builder.count
    row_index, col_index, values, row_lower, row_upper = builder.arrays()
    col_cost = np.zeros(num_cols)
    col_cost[makespan_col] = 1.0
    col_lower = np.zeros(num_cols)
    col_upper = np.full(num_cols, top)
    col_upper[:num_x] = 1.0

    # Column-wise sparse matrix (CSC), as HiGHS takes it.
    order = np.lexsort((row_index, col_index))
    starts = np.searchsorted(col_index[order], np.arange(num_cols + 1))

    # HiGHS solves the relaxation without the columns it can do without (often all but two a
    # event: several times faster); the bound and reduced costs below are computed from its row
    # duals over every column, so they hold for the whole relaxation whatever was left out.
    solved = np.ones(num_cols, dtype=bool)
    if not every_column:
        solved[:num_x] = ~relaxation_dominated(kept_front, kept_trans + kept_cloud, kept_cloud,
                                               count)[real]
    lp = highspy.HighsLp()
    lp.num_col_ = int(solved.sum())
    lp.num_row_ = row
    lp.col_cost_ = col_cost[solved]
    lp.col_lower_ = col_lower[solved]
    lp.col_upper_ = col_upper[solved]
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    entries = solved[col_index[order]]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate(
        [[0], np.cumsum(np.diff(starts)[solved])]).astype(np.int32)
    lp.a_matrix_.index_ = row_index[order][entries].astype(np.int32)
    lp.a_matrix_.value_ = values[order][entries]
    value, reduced, status, slopes = -np.inf, np.zeros(num_cols), "not solved", None
    point_share = None
    methods = VERTEX_METHODS if vertex else DETERMINISTIC_METHODS if deterministic else METHODS
    for method, share in zip(methods, (SIMPLEX_SHARE, 1.0)[-len(methods):], strict=True):
        remaining = float(time_limit) - (time.perf_counter() - started)
        if remaining <= 0:
            break
        duals, status, solved_primal = _run(highspy, lp, method, max(0.05, share * remaining))
        if solved_primal is not None:
            primal = np.zeros(num_cols)
            primal[solved] = solved_primal
            point_share = np.zeros((n, width))
            point_share[real] = primal[:num_x]
        if duals is None:
            continue
        found, found_reduced, clipped = _dual_bound(duals, row_lower, row_upper, col_cost,
                                                    col_lower, col_upper, starts,
                                                    row_index[order], values[order], x_event)
        if found > value:
            value, reduced = found, found_reduced
            if min(state_rows) >= 0:
                slopes = (float(clipped[state_rows[0]]), float(clipped[state_rows[1]]))
        if status == "Optimal":
            break
    reduced_x = np.zeros((n, width))
    reduced_x[real] = reduced[:num_x] / scale
    return LpBound(value=max(0.0, value / scale) if np.isfinite(value) else 0.0,
                   upper=float(upper), reduced_cost=reduced_x, columns=columns, count=count,
                   status=status, seconds=time.perf_counter() - started, slopes=slopes,
                   point_share=point_share)


def _previous_of(owner: np.ndarray) -> np.ndarray:
    """Per event, the previous event with the same owner (device or unit), -1 for the first."""
    order = np.argsort(owner, kind="stable")
    previous = np.full(len(owner), -1, dtype=np.int64)
    same = owner[order][1:] == owner[order][:-1]
    previous[order[1:][same]] = order[:-1][same]
    return previous


class _Rows:
    """Rows of the relaxation built a block at a time (one row per event of the block).

    A block's row for event ``j`` reads ``col_a[j] - col_b[j] + sum_p coef[x] x[j, p]`` in
    ``[lower, upper]``; ``col_a`` or ``col_b`` may be absent (None).
    """

    def __init__(self, x_event: np.ndarray, events: int):
        self.x_event = x_event
        self.events = events
        self.count = 0
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []

    def add(self, events, col_a, col_b, lower, upper, x_coef) -> None:
        events = np.asarray(events, dtype=np.int64)
        rows = self.count + np.arange(len(events))
        if len(events) == 0:
            return
        row_of_event = np.full(self.events, -1, dtype=np.int64)
        row_of_event[events] = rows
        # x entries of the block's events
        x_rows = row_of_event[self.x_event]
        mask = x_rows >= 0
        self.parts.append((x_rows[mask], np.flatnonzero(mask), x_coef[mask]))
        if col_a is not None:
            self.parts.append((rows, np.asarray(col_a, dtype=np.int64), np.ones(len(rows))))
        if col_b is not None:
            self.parts.append((rows, np.asarray(col_b, dtype=np.int64), -np.ones(len(rows))))
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=np.float64), rows.shape))
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), rows.shape))
        self.count += len(events)

    def add_plain(self, col_a, col_b) -> None:
        """Rows ``col_a - col_b >= 0``."""
        rows = self.count + np.arange(len(col_a))
        self.parts.append((rows, np.asarray(col_a, dtype=np.int64), np.ones(len(rows))))
        self.parts.append((rows, np.asarray(col_b, dtype=np.int64), -np.ones(len(rows))))
        self.lower.append(np.zeros(len(rows)))
        self.upper.append(np.full(len(rows), np.inf))
        self.count += len(rows)

    def arrays(self):
        rows = np.concatenate([part[0] for part in self.parts])
        cols = np.concatenate([part[1] for part in self.parts])
        vals = np.concatenate([part[2] for part in self.parts])
        return (rows, cols, vals, np.concatenate(self.lower), np.concatenate(self.upper))


def _run(highspy, lp, options: dict, seconds: float):
    """One HiGHS run; returns ``(row duals or None, model status text, column values or None)``."""
    with quiet_stdout():  # the banner is printed by the constructor (would break --json lines)
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", seconds)
        for key, value in options.items():
            highs.setOptionValue(key, value)
        highs.passModel(lp)
        with native_call("HiGHS (LP relaxation)"):
            run_highs_stoppable(highs, time.perf_counter() + seconds + STOP_GRACE_SECONDS)
    status = highs.modelStatusToString(highs.getModelStatus())
    solution = highs.getSolution()
    duals = np.asarray(solution.row_dual, dtype=np.float64)
    primal = np.asarray(solution.col_value, dtype=np.float64)
    if primal.shape[0] != lp.num_col_ or not solution.value_valid:
        primal = None
    if duals.shape[0] != lp.num_row_ or not solution.dual_valid:
        return None, status, primal
    return duals, status, primal


def _dual_bound(duals, row_lower, row_upper, cost, col_lower, col_upper, starts, index,
                values, x_event) -> tuple[float, np.ndarray, np.ndarray]:
    """Lagrangian bound of the relaxation at the row duals ``duals``.

    Every row but the events' choice rows (the first ``n``: each event's shares sum to 1) is
    priced by its dual; each event's shares then range over their simplex, and the other columns
    over their box. Valid for any duals (duals of rows with only a lower bound are clipped at 0,
    their sign in a minimisation), and never below the bound that prices the choice rows too.
    Keeping the simplex also means a column left out of the solved model (see
    ``points.relaxation_dominated``) can never lower the bound: its price is at least that of
    the combination that dominates it. Returns the bound, lowered by a relative
    ``DUAL_SAFETY`` for the rounding of its sums; the reduced costs, those of the shares
    relative to their event's cheapest (what choosing that column costs over the bound); and
    the clipped duals.
    """
    y = duals.copy()
    only_lower = ~np.isfinite(row_upper)
    y[only_lower] = np.maximum(y[only_lower], 0.0)
    column_of = np.repeat(np.arange(len(cost)), np.diff(starts))
    reduced = cost - np.bincount(column_of, weights=values * y[index], minlength=len(cost))
    events = int(x_event[-1]) + 1 if len(x_event) else 0
    num_x = len(x_event)
    share_price = reduced[:num_x] + y[x_event]  # without the choice row's dual (coefficient 1)
    cheapest = np.full(events, np.inf)
    np.minimum.at(cheapest, x_event, share_price)
    reduced[:num_x] = share_price - cheapest[x_event]
    rhs = np.where(y >= 0, row_lower, row_upper)
    row_terms = (y * rhs)[events:]
    other = reduced[num_x:]
    col_terms = np.where(other >= 0, other * col_lower[num_x:], other * col_upper[num_x:])
    value = float(row_terms.sum() + col_terms.sum() + cheapest.sum())
    magnitude = float(np.abs(row_terms).sum() + np.abs(col_terms).sum()
                      + np.abs(cheapest).sum())
    return value - DUAL_SAFETY * max(magnitude, abs(value)), reduced, y
