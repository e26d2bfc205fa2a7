"""A user's own measured profile (``--profile FILE``), validated like an instance.

Format ``ddp-profile/1``, one JSON object::

    {"format": "ddp-profile/1", "network": "my-net", "feature_point": 2,
     "points": [
       {"name": "input",  "bytes": 42800,  "front_ms": 0,   "cloud_ms": 120},
       {"name": "block1", "bytes": 802816, "front_ms": 310, "cloud_macs": 4.1e9},
       {"name": "scores", "bytes": 404,    "front_ms": 650, "cloud_ms": 0}]}

Per point ``i = 0..k`` (k >= 1): ``name``; ``bytes`` sent when cutting there (point 0: the clip
as the user sends it); the front side as ``front_ms`` (measured) or ``front_macs`` (converted
with the scenario's front device), the cloud side as ``cloud_ms`` or ``cloud_macs``. Point 0 has
no front work and point k no cloud work (both must be 0). ``feature_point`` is optional
(default k - 1). ``format`` and ``network`` are required; unknown keys are errors. Measured
times are used as given (the cloud-load process still scales the cloud side); ``bytes`` are not
rescaled by ``precision``.
"""

from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ddp.io import read_text_bounded

FORMAT = "ddp-profile/1"
TOP_KEYS = ("format", "network", "points", "feature_point", "description")
POINT_KEYS = ("name", "bytes", "front_ms", "front_macs", "cloud_ms", "cloud_macs")


class ProfileError(ValueError):
    """A profile file breaks a rule; the message names the file, the point and the key."""

    def __init__(self, reason: str, *, file: str | None = None, point: int | None = None,
                 key: str | None = None):
        where = [f"point {point}"] if point is not None else []
        if key is not None:
            where.append(f"key '{key}'")
        parts = ([file] if file else []) + ([", ".join(where)] if where else []) + [reason]
        super().__init__(": ".join(parts))


@dataclass(frozen=True)
class UserProfile:
    """A validated user profile; ``*_ms`` and ``*_macs`` hold NaN where the other was given."""

    network: str
    names: tuple[str, ...]
    bytes: np.ndarray
    front_ms: np.ndarray
    front_macs: np.ndarray
    cloud_ms: np.ndarray
    cloud_macs: np.ndarray
    feature_point: int
    file: str

    @property
    def k(self) -> int:
        return len(self.names) - 1


def _number(value, file, point, key) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ProfileError(f"{value!r} is not a number", file=file, point=point, key=key)
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ProfileError(f"{value!r} must be finite and >= 0", file=file, point=point, key=key)
    return value


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def load_user_profile(path: str | Path) -> UserProfile:
    """Read and validate a ``ddp-profile/1`` file; errors name the file, point and key."""
    file = str(path)
    try:
        data = json.loads(read_text_bounded(path), parse_constant=_reject_constant)
    except OSError as exc:  # missing, not a regular file, too large, not UTF-8 text
        raise ProfileError(f"cannot read the file ({exc.strerror or exc})", file=file) from None
    except (ValueError, RecursionError) as exc:
        raise ProfileError(f"invalid JSON ({exc})", file=file) from None
    if not isinstance(data, dict):
        raise ProfileError("the file must hold one JSON object", file=file)
    for key in data:
        if key not in TOP_KEYS:
            raise ProfileError(f"unknown key (allowed: {', '.join(TOP_KEYS)})", file=file,
                               key=key)
    if data.get("format") != FORMAT:
        raise ProfileError(f"is {data.get('format')!r}, expected {FORMAT!r}", file=file,
                           key="format")
    network = data.get("network")
    if not isinstance(network, str) or not network:
        raise ProfileError("required: the network's name as a string", file=file, key="network")
    points = data.get("points")
    if not isinstance(points, list) or len(points) < 2:
        raise ProfileError("required: a list of k+1 >= 2 point objects", file=file, key="points")
    k = len(points) - 1
    columns = {key: np.full(k + 1, np.nan) for key in POINT_KEYS[1:]}
    names = []
    for index, point in enumerate(points):
        if not isinstance(point, dict):
            raise ProfileError("must be an object", file=file, point=index)
        for key in point:
            if key not in POINT_KEYS:
                raise ProfileError(f"unknown key (allowed: {', '.join(POINT_KEYS)})",
                                   file=file, point=index, key=key)
        name = point.get("name")
        if not isinstance(name, str):
            raise ProfileError("required: a string", file=file, point=index, key="name")
        names.append(name)
        if "bytes" not in point:
            raise ProfileError("required: bytes sent at this point", file=file, point=index,
                               key="bytes")
        for side in ("front", "cloud"):
            given = [key for key in (f"{side}_ms", f"{side}_macs") if key in point]
            if len(given) != 1:
                raise ProfileError(f"give exactly one of {side}_ms or {side}_macs", file=file,
                                   point=index, key=f"{side}_ms")
        for key in POINT_KEYS[1:]:
            if key in point:
                columns[key][index] = _number(point[key], file, index, key)
    for key in ("front_ms", "front_macs"):
        if columns[key][0] > 0:
            raise ProfileError("point 0 runs nothing on the front device: must be 0", file=file,
                               point=0, key=key)
    for key in ("cloud_ms", "cloud_macs"):
        if columns[key][k] > 0:
            raise ProfileError(f"point k={k} runs nothing in the cloud: must be 0", file=file,
                               point=k, key=key)
    feature_point = data.get("feature_point", k - 1)
    if isinstance(feature_point, bool) or not isinstance(feature_point, int) \
            or not 0 <= feature_point <= k:
        raise ProfileError(f"{feature_point!r} must be an integer in 0..{k}", file=file,
                           key="feature_point")
    return UserProfile(network, tuple(names), columns["bytes"], columns["front_ms"],
                       columns["front_macs"], columns["cloud_ms"], columns["cloud_macs"],
                       feature_point, file)
