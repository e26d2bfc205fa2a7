"""The point filter every method uses: each event's non-dominated (kept) points.

Point ``i`` of an event is dropped when another point is at least as good in front time, front +
transfer time and cloud time: the recurrence is monotone in all three, so a dropped point is
never needed. ``KeptPoints`` holds the kept points of every event, padded to the widest, and
maps choice vectors onto them and back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ddp._jit import njit


@njit
def dominant_points(front, trans, cloud):
    """The points of each event that no other point beats.

    Point ``i`` is dropped when some ``i'`` has ``F <= F``, ``F + T <= F + T`` and ``C <= C``
    (the recurrence is monotone in the front finish, the ready time and the cloud time), with a
    strict gain in one of them or an equal triple at a smaller index. Returns ``(kept_front,
    kept_trans, kept_cloud, point_index, point_count)``: the kept times padded to the widest
    event, the original point of each column and how many columns of each event are real.
    """
    n, width = front.shape
    keep = np.zeros((n, width), dtype=np.bool_)
    point_count = np.zeros(n, dtype=np.int64)
    for j in range(n):
        for i in range(width):
            fi = front[j, i]
            ri = front[j, i] + trans[j, i]
            ci = cloud[j, i]
            dominated = False
            for o in range(width):
                if o == i:
                    continue
                fo = front[j, o]
                ro = front[j, o] + trans[j, o]
                co = cloud[j, o]
                if (fo <= fi and ro <= ri and co <= ci
                        and (fo < fi or ro < ri or co < ci or o < i)):
                    dominated = True
                    break
            if not dominated:
                keep[j, i] = True
                point_count[j] += 1
    widest = max(1, point_count.max()) if n > 0 else 1
    kept_front = np.zeros((n, widest))
    kept_trans = np.zeros((n, widest))
    kept_cloud = np.zeros((n, widest))
    point_index = np.zeros((n, widest), dtype=np.int64)
    for j in range(n):
        col = 0
        for i in range(width):
            if keep[j, i]:
                kept_front[j, col] = front[j, i]
                kept_trans[j, col] = trans[j, i]
                kept_cloud[j, col] = cloud[j, i]
                point_index[j, col] = i
                col += 1
    return kept_front, kept_trans, kept_cloud, point_index, point_count


@njit
def relaxation_dominated(front, to_done, cloud, count):
    """Kept columns the LP relaxation can do without: mask (n, width), True where a column's
    ``(F, T + C, C)`` is at least a convex combination of one or two other columns of its event,
    strictly in one of the three.

    The relaxation's rows take each column's share times its ``F``, ``T + C`` and ``C``, so moving
    a dominated column's share onto the combination keeps every row satisfied: its optimum does
    not change. (The schedule needs such columns; only the relaxation does not.) The combination
    takes the two columns whose front times enclose the column's, weighted to its front time.
    """
    n, width = front.shape
    dominated = np.zeros((n, width), dtype=np.bool_)
    for j in range(n):
        real = count[j]
        for p in range(real):
            for a in range(real):
                if a == p or front[j, a] > front[j, p]:
                    continue
                for b in range(real):
                    if b == p or front[j, b] < front[j, p]:
                        continue
                    span = front[j, b] - front[j, a]
                    weight_a = 1.0 if span <= 0.0 else (front[j, b] - front[j, p]) / span
                    done = weight_a * to_done[j, a] + (1.0 - weight_a) * to_done[j, b]
                    work = weight_a * cloud[j, a] + (1.0 - weight_a) * cloud[j, b]
                    if (done <= to_done[j, p] and work <= cloud[j, p]
                            and (done < to_done[j, p] or work < cloud[j, p]
                                 or (span > 0.0 and front[j, a] < front[j, p] < front[j, b]))):
                        dominated[j, p] = True
                        break
                if dominated[j, p]:
                    break
    return dominated


@dataclass(frozen=True)
class KeptPoints:
    """The kept points of events given by their ``(n, k + 1)`` time tables.

    Attributes
    ----------
    front, trans, cloud : ndarray (n, width)
        Times of the kept points, padded with zeros to the widest event.
    index : ndarray of int (n, width)
        The original point (column of the time tables) of each kept column.
    count : ndarray of int (n,)
        How many columns of each event are real.
    all_front, all_trans, all_cloud : ndarray (n, k + 1)
        The time tables the points were kept from (to map any choice onto a kept point).
    """

    front: np.ndarray
    trans: np.ndarray
    cloud: np.ndarray
    index: np.ndarray
    count: np.ndarray
    all_front: np.ndarray
    all_trans: np.ndarray
    all_cloud: np.ndarray

    @classmethod
    def of(cls, front: np.ndarray, trans: np.ndarray, cloud: np.ndarray) -> KeptPoints:
        """The kept points of the time tables ``front, trans, cloud`` (contiguous float64)."""
        front = np.ascontiguousarray(front, dtype=np.float64)
        trans = np.ascontiguousarray(trans, dtype=np.float64)
        cloud = np.ascontiguousarray(cloud, dtype=np.float64)
        return cls(*dominant_points(front, trans, cloud), front, trans, cloud)

    @property
    def n(self) -> int:
        return int(self.count.shape[0])

    def columns_of(self, choices: np.ndarray) -> np.ndarray:
        """Column of each event's choice among its kept points.

        A dropped point maps to the first kept point at least as good in front time, front +
        transfer time and cloud time (one exists: that is why it was dropped).
        """
        choices = np.asarray(choices, dtype=np.int64)
        real = np.arange(self.index.shape[1])[None, :] < self.count[:, None]
        hits = (self.index == choices[:, None]) & real
        columns = np.argmax(hits, axis=1).astype(np.int64)
        for j in np.flatnonzero(~hits.any(axis=1)):  # dropped points: the first that beats
            width = self.count[j]
            i = choices[j]
            front_time = self.all_front[j, i]
            ready_time = self.all_front[j, i] + self.all_trans[j, i]
            cloud_time = self.all_cloud[j, i]
            kept_front = self.front[j, :width]
            beats = ((kept_front <= front_time)
                     & (kept_front + self.trans[j, :width] <= ready_time)
                     & (self.cloud[j, :width] <= cloud_time))
            columns[j] = int(np.flatnonzero(beats)[0])
        return columns

    def choices_of(self, columns: np.ndarray) -> np.ndarray:
        """The original point of each event's kept column."""
        return self.index[np.arange(self.n), columns]
