"""The problem data: events, their partition-point times, devices and cloud units.

An :class:`Instance` holds plain contiguous numpy arrays, validated once on construction with the
rules of ``ddp-instance/1`` (``docs/formats.md``); everything downstream (the
recurrence, the policies, the solvers) trusts them.
"""

from __future__ import annotations

import json
import math
import numbers
from typing import Any

import numpy as np

from .errors import InstanceError
from .limits import MAX_CLOUD_UNITS, MAX_DEVICES, MAX_EVENTS, MAX_JSON_DEPTH, MAX_TOTAL_TIME

TIME_KEYS = ("front", "trans", "cloud")


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def _scan_numbers(value: Any, key: str, *, integer: bool) -> None:
    """Reject booleans, strings and (for integer keys) floats in a nested Python list.

    numpy would silently turn ``True`` into ``1`` and ``2.0`` into an integer; the format says both
    are errors. Only Python lists are scanned: numpy arrays are checked by dtype.
    """
    if not isinstance(value, (list, tuple)):
        return
    for event, item in enumerate(value):
        items = item if isinstance(item, (list, tuple)) else (item,)
        for element in items:
            if isinstance(element, (list, tuple)):
                raise InstanceError("rows must be flat lists of numbers", key=key, event=event)
            if _is_bool(element):
                raise InstanceError(f"{element!r} where a number is expected", key=key,
                                    event=event)
            if not isinstance(element, numbers.Real):
                raise InstanceError(f"{element!r} is not a number", key=key, event=event)
            if integer and not isinstance(element, numbers.Integral):
                raise InstanceError(f"{element!r} is not an integer", key=key, event=event)


def _check_array_type(value: Any, key: str, kinds: str, expected: str) -> None:
    """Refuse numpy arrays whose values numpy would convert silently or lossily: masked arrays
    (the mask would be dropped), booleans, strings, objects, complex (the imaginary part would be
    dropped), datetimes."""
    if isinstance(value, np.ma.MaskedArray):
        raise InstanceError("a masked array: fill or compress it first (the mask would be "
                            "ignored)", key=key)
    if isinstance(value, np.ndarray) and value.dtype.kind not in kinds:
        what = "booleans" if value.dtype.kind == "b" else f"dtype {value.dtype}"
        raise InstanceError(f"{expected} expected, got {what}", key=key)


def _check_length(value: Any, key: str) -> None:
    if hasattr(value, "__len__") and len(value) > MAX_EVENTS:
        raise InstanceError(f"has {len(value)} events, more than the maximum of {MAX_EVENTS}",
                            key=key)


def _float_array(value: Any, key: str, ndim: int) -> np.ndarray:
    _check_array_type(value, key, "iuf", "real numbers")
    _check_length(value, key)
    _scan_numbers(value, key, integer=False)
    if ndim == 2 and isinstance(value, (list, tuple)):
        lengths = {len(row) if isinstance(row, (list, tuple)) else -1 for row in value}
        if len(lengths) > 1 or -1 in lengths:
            width = len(value[0]) if isinstance(value[0], (list, tuple)) else -1
            for event, row in enumerate(value):
                if not isinstance(row, (list, tuple)):
                    raise InstanceError("each event needs a row of k+1 numbers", key=key,
                                        event=event)
                if len(row) != width:
                    raise InstanceError(
                        f"row has {len(row)} numbers, event 0 has {width}: every row needs "
                        f"the same k+1", key=key, event=event)
    try:
        array = np.array(value, dtype=np.float64, order="C")
    except (TypeError, ValueError, OverflowError) as exc:  # OverflowError: a 400-digit integer
        raise InstanceError(f"cannot read as numbers ({exc})", key=key) from None
    if array.ndim != ndim:
        shape = "a list of numbers" if ndim == 1 else "a list of rows of numbers"
        raise InstanceError(f"expected {shape}, got an array of shape {array.shape}", key=key)
    for problem, mask in (("is not finite", ~np.isfinite(array)),
                          ("is negative (times must be >= 0)", array < 0)):
        if mask.any():
            event = int(np.argwhere(mask)[0][0])
            row = np.atleast_1d(array[event])
            value = row[np.atleast_1d(mask[event])][0]
            raise InstanceError(f"value {float(value)!r} {problem}", key=key, event=event)
    return array


def _check_widths(times: dict[str, np.ndarray], event: int) -> None:
    """Rows of ``k+1 >= 2`` numbers, the same ``k+1`` for front, trans and cloud."""
    for key, array in times.items():
        if array.shape[1] < 2:
            raise InstanceError(f"rows have {array.shape[1]} numbers; k+1 >= 2 needed",
                                key=key, event=event)
    widths = {key: array.shape[1] for key, array in times.items()}
    if len(set(widths.values())) > 1:
        raise InstanceError(f"rows have {widths['trans']} and {widths['cloud']} numbers but "
                            f"front rows have {widths['front']}: all need the same k+1",
                            key="trans" if widths["trans"] != widths["front"] else "cloud",
                            event=event)


def event_rows(front: Any, trans: Any, cloud: Any, event: int,
               width: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One event's ``front, trans, cloud`` rows as ``(1, k+1)`` arrays, checked as an
    ``Instance`` checks its rows (errors name ``event``); ``width``: the ``k+1`` of earlier
    events, when there are any."""
    times = {}
    for key, value in zip(TIME_KEYS, (front, trans, cloud), strict=True):
        row = value if isinstance(value, (list, tuple)) else np.asarray(value)
        if isinstance(row, np.ndarray) and row.dtype != np.bool_ and row.ndim != 1:
            raise InstanceError(f"expected a list of numbers, got an array of shape "
                                f"{row.shape}", key=key, event=event)
        try:
            times[key] = _float_array([row] if isinstance(row, (list, tuple)) else row[None, :],
                                      key, 2)
        except InstanceError as exc:
            raise InstanceError(exc.reason, key=key, event=event) from None
    _check_widths(times, event)
    if width is not None and times["front"].shape[1] != width:
        raise InstanceError(f"row has {times['front'].shape[1]} numbers, event 0 has {width}: "
                            f"every row needs the same k+1", key="front", event=event)
    return times["front"], times["trans"], times["cloud"]


def _int_array(value: Any, key: str, n: int) -> np.ndarray:
    _check_array_type(value, key, "iu", "integers (use .astype(int))")
    _check_length(value, key)
    _scan_numbers(value, key, integer=True)
    try:
        array = np.array(value, dtype=np.int64, order="C")
    except (TypeError, ValueError, OverflowError) as exc:
        raise InstanceError(f"cannot read as integers ({exc})", key=key) from None
    if array.ndim != 1:
        raise InstanceError(f"expected a list of integers, got shape {array.shape}", key=key)
    if len(array) != n:
        raise InstanceError(f"has {len(array)} entries, arrival has {n} events", key=key)
    return array


def _int_scalar(value: Any, key: str, low: int, high: int | None = None) -> int:
    if _is_bool(value) or not isinstance(value, numbers.Integral):
        raise InstanceError(f"{value!r} is not an integer", key=key)
    value = int(value)
    if value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"in {low}..{high}"
        raise InstanceError(f"{value} is out of range (must be {bound})", key=key)
    return value


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


class Instance:
    """Events to schedule: arrivals, per-point times, devices and cloud units.

    Parameters
    ----------
    arrival : array-like, shape (n,)
        Arrival times ``a_j``, non-decreasing.
    front, trans, cloud : array-like, shape (n, k+1)
        ``F[j,i]``, ``T[j,i]``, ``C[j,i]``: front compute, transmission and cloud compute time of
        event ``j`` cut at point ``i``.
    device : array-like of int, shape (n,), optional
        Front-end device of each event (default all 0).
    devices : int, optional
        Number of front-end devices ``m`` (default ``max(device) + 1``).
    unit : array-like of int, shape (n,), optional
        Cloud unit of each event (default ``device mod cloud_units``).
    cloud_units : int
        Number of cloud processing units ``u`` (default 1).
    feature_point : int, optional
        The FB policy's point (default ``k - 1``).
    name, meta, time_unit
        Free description; ``meta`` holds the generator's settings and seed.
    estimate : dict, optional
        ``{"front": ..., "trans": ..., "cloud": ...}`` of the same shapes: the times a policy
        sees when it decides (``ddp-instance/1.1``); the schedule is scored on the actual times
        above. None: the estimates are the actual times.

    Raises
    ------
    InstanceError
        When a rule of ``ddp-instance/1`` is broken; the message names the key and the event.
    """

    __slots__ = (
        "arrival",
        "cloud",
        "cloud_units",
        "device",
        "devices",
        "estimate",
        "feature_point",
        "front",
        "meta",
        "name",
        "time_unit",
        "trans",
        "unit",
    )

    def __init__(self, arrival, front, trans, cloud, device=None, devices=None, unit=None,
                 cloud_units=1, feature_point=None, name=None, meta=None, time_unit="ms",
                 estimate=None):
        arrival = _float_array(arrival, "arrival", 1)
        n = len(arrival)
        if n < 1:
            raise InstanceError("an instance needs at least one event (n >= 1)", key="arrival")
        late = np.flatnonzero(np.diff(arrival) < 0)
        if len(late):
            event = int(late[0]) + 1
            raise InstanceError(
                f"arrival {float(arrival[event])!r} is before the previous one "
                f"{float(arrival[event - 1])!r} (arrivals must be non-decreasing)",
                key="arrival", event=event)
        times = {}
        for key, value in zip(TIME_KEYS, (front, trans, cloud), strict=False):
            array = _float_array(value, key, 2)
            if array.shape[0] != n:
                raise InstanceError(f"has {array.shape[0]} rows, arrival has {n} events", key=key)
            times[key] = array
        _check_widths(times, event=0)
        k = times["front"].shape[1] - 1
        _check_total_time(arrival, times)

        device = np.zeros(n, dtype=np.int64) if device is None else _int_array(device, "device", n)
        if devices is None:
            _check_range(device, "device", MAX_DEVICES, "the maximum number of devices")
            devices = int(device.max()) + 1
        devices = _int_scalar(devices, "devices", 1, MAX_DEVICES)
        _check_range(device, "device", devices, "devices")

        cloud_units = _int_scalar(cloud_units, "cloud_units", 1, MAX_CLOUD_UNITS)
        unit = device % cloud_units if unit is None else _int_array(unit, "unit", n)
        _check_range(unit, "unit", cloud_units, "cloud_units")

        if feature_point is None:
            feature_point = k - 1
        feature_point = _int_scalar(feature_point, "feature_point", 0, k)
        if name is not None and not isinstance(name, str):
            raise InstanceError(f"{name!r} is not a string", key="name")
        if meta is not None:
            _check_meta(meta)
        if not isinstance(time_unit, str):
            raise InstanceError(f"{time_unit!r} is not a string", key="time_unit")

        self.arrival = _frozen(arrival)
        self.front = _frozen(times["front"])
        self.trans = _frozen(times["trans"])
        self.cloud = _frozen(times["cloud"])
        self.device = _frozen(np.ascontiguousarray(device, dtype=np.int64))
        self.devices = devices
        self.unit = _frozen(np.ascontiguousarray(unit, dtype=np.int64))
        self.cloud_units = cloud_units
        self.feature_point = feature_point
        self.name = name
        self.meta = dict(meta) if meta is not None else {}
        self.time_unit = time_unit
        self.estimate = _estimate(estimate, times["front"].shape)

    @property
    def n(self) -> int:
        """Number of events."""
        return len(self.arrival)

    @property
    def k(self) -> int:
        """Index of the last partition point (points are ``0..k``)."""
        return self.front.shape[1] - 1

    def __len__(self) -> int:
        return self.n

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Instance):
            return NotImplemented
        arrays = ("arrival", "front", "trans", "cloud", "device", "unit")
        scalars = ("devices", "cloud_units", "feature_point", "name", "meta", "time_unit")
        return (all(np.array_equal(getattr(self, a), getattr(other, a)) for a in arrays)
                and all(getattr(self, s) == getattr(other, s) for s in scalars)
                and np.array_equal(self.estimated_times(), other.estimated_times()))

    __hash__ = None  # type: ignore[assignment]  # mutable meta: not hashable

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return (f"<Instance{label} n={self.n} k={self.k} devices={self.devices} "
                f"cloud_units={self.cloud_units}>")

    def replace(self, **changes: Any) -> Instance:
        """A new, validated instance with some fields changed."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        fields.update(changes)
        if "device" in changes and "devices" not in changes:
            fields["devices"] = None
        if ("device" in changes or "cloud_units" in changes) and "unit" not in changes:
            fields["unit"] = None
        return Instance(**fields)

    def subset(self, events: slice | np.ndarray) -> Instance:
        """The instance restricted to some events (their order kept)."""
        try:
            index = np.arange(self.n)[events]
        except IndexError as exc:
            raise InstanceError(f"cannot select events {events!r} ({exc}); events are "
                                f"0..{self.n - 1}", key="events") from None
        estimate = (None if self.estimate is None else
                    {key: array[index] for key, array in self.estimate.items()})
        return Instance(self.arrival[index], self.front[index], self.trans[index],
                        self.cloud[index], device=self.device[index], devices=self.devices,
                        unit=self.unit[index], cloud_units=self.cloud_units,
                        feature_point=self.feature_point, name=self.name, meta=self.meta,
                        time_unit=self.time_unit, estimate=estimate)

    def estimated_times(self) -> np.ndarray:
        """The estimated ``front, trans, cloud`` stacked as ``(3, n, k+1)`` (the actual times
        when the instance has no estimate)."""
        source = self.estimate or dict(zip(TIME_KEYS, (self.front, self.trans, self.cloud),
                                           strict=True))
        return np.stack([source[key] for key in TIME_KEYS])

    def as_estimated(self) -> Instance:
        """The instance a policy decides on: the estimated times as its times, no estimate."""
        if self.estimate is None:
            return self
        return self.replace(**self.estimate, estimate=None)


def _estimate(value: Any, shape: tuple[int, ...]) -> dict[str, np.ndarray] | None:
    """The ``estimate`` object: ``front, trans, cloud`` checked as the actual rows, same shape."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InstanceError("must be a JSON object with front, trans and cloud", key="estimate")
    unknown = [key for key in value if key not in TIME_KEYS]
    missing = [key for key in TIME_KEYS if key not in value]
    if unknown or missing:
        raise InstanceError(f"needs exactly front, trans and cloud "
                            f"({'unknown ' + unknown[0] if unknown else 'missing ' + missing[0]})",
                            key="estimate")
    arrays = {}
    for key in TIME_KEYS:
        array = _float_array(value[key], f"estimate.{key}", 2)
        if array.shape != shape:
            raise InstanceError(f"has shape {array.shape}, the actual {key} has {shape}",
                                key=f"estimate.{key}")
        arrays[key] = _frozen(array)
    return arrays


_BLOCK_EVENTS = 65536


def _check_total_time(arrival: np.ndarray, times: dict[str, np.ndarray]) -> None:
    """The overflow rule: the last arrival plus the sum of each event's largest ``F + T + C``
    stays below ``MAX_TOTAL_TIME``.

    Every time the recurrence computes (for any choice, any policy) is at most that sum, so
    once it holds no kernel needs to check for overflow; the margin below the largest double
    keeps it so whatever order the sums are taken in.
    """
    n = len(arrival)
    # A quick sufficient test first (no temporaries): n times the largest of each kind.
    with np.errstate(over="ignore"):
        quick = float(arrival[-1]) + n * sum(float(times[key].max()) for key in TIME_KEYS)
    if quick <= MAX_TOTAL_TIME:
        return
    largest = np.empty(n)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is what is looked for
        for start in range(0, n, _BLOCK_EVENTS):  # in blocks: a bounded temporary
            block = slice(start, start + _BLOCK_EVENTS)
            point_sum = times["front"][block] + times["trans"][block]
            point_sum += times["cloud"][block]
            largest[block] = point_sum.max(axis=1)
        total = float(arrival[-1]) + np.cumsum(largest)
    over = np.flatnonzero(~(total <= MAX_TOTAL_TIME))
    if not len(over):
        return
    event = int(over[0])
    if not arrival[-1] <= MAX_TOTAL_TIME:
        key, event = "arrival", len(arrival) - 1
    else:
        key = max(("front", "trans", "cloud"), key=lambda name: times[name][event].max())
    raise InstanceError(f"times too large: the last arrival plus the sum of each event's largest "
                        f"front + trans + cloud time exceeds {MAX_TOTAL_TIME:g} from this event "
                        f"on (schedules would overflow)", key=key, event=event)


def _check_meta(meta: Any) -> None:
    """``meta`` must be a JSON object a writer can save and a reader read back: string keys,
    finite numbers, nested at most ``MAX_JSON_DEPTH - 1`` deep."""
    if not isinstance(meta, dict):
        raise InstanceError("must be a JSON object", key="meta")
    stack: list[tuple[Any, int, str]] = [(meta, 1, "meta")]
    while stack:
        value, depth, where = stack.pop()
        if depth >= MAX_JSON_DEPTH:
            raise InstanceError(f"nested deeper than {MAX_JSON_DEPTH - 1} levels at {where}",
                                key="meta")
        if isinstance(value, dict):
            for name, item in value.items():
                if not isinstance(name, str):
                    raise InstanceError(f"key {name!r} at {where} is not a string", key="meta")
                stack.append((item, depth + 1, f"{where}.{name}"))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, depth + 1, f"{where}[{i}]") for i, item in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            raise InstanceError(f"{value!r} at {where} is not a JSON number (numbers must be "
                                f"finite)", key="meta")
        elif value is not None and not isinstance(value, (str, bool, int, float)):
            raise InstanceError(f"{value!r} at {where} ({type(value).__name__}) is not a JSON "
                                f"value", key="meta")
    try:
        json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as exc:  # e.g. an integer of more than 4300 digits
        raise InstanceError(f"cannot be written as JSON ({exc})", key="meta") from None


def _check_range(values: np.ndarray, key: str, count: int, count_key: str) -> None:
    bad = np.flatnonzero((values < 0) | (values >= count))
    if len(bad):
        event = int(bad[0])
        raise InstanceError(f"{int(values[event])} is out of range 0..{count - 1} "
                            f"({count_key} = {count})", key=key, event=event)
