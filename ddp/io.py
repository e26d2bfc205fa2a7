"""Reading and writing ``ddp-instance/1`` JSON files.

Reading is strict: ``NaN``/``Infinity`` (which Python's json module accepts by default), unknown
keys and a wrong ``format`` are errors naming the file, the key and (for a number) the event.
Writing is atomic (a temporary file renamed over the target), so an interrupted save never leaves
a half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import InstanceError
from .instance import Instance

FORMAT = "ddp-instance/1"
REQUIRED_KEYS = ("format", "arrival", "front", "trans", "cloud")
OPTIONAL_KEYS = ("devices", "device", "cloud_units", "unit", "feature_point", "time_unit", "name",
                 "meta")


def instance_from_dict(data: Any) -> Instance:
    """Build an :class:`Instance` from a parsed ``ddp-instance/1`` object."""
    if not isinstance(data, dict):
        raise InstanceError("the file must hold one JSON object")
    unknown = [key for key in data if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS]
    if unknown:
        raise InstanceError(f"unknown key (allowed: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})",
                            key=unknown[0])
    for key in REQUIRED_KEYS:
        if key not in data:
            raise InstanceError("required key is missing", key=key)
    if data["format"] != FORMAT:
        raise InstanceError(f"is {data['format']!r}, expected {FORMAT!r}", key="format")
    for key in ("arrival", "front", "trans", "cloud", "device", "unit"):
        if key in data and not isinstance(data[key], list):
            raise InstanceError("must be a list", key=key)
    fields = {key: value for key, value in data.items() if key != "format"}
    return Instance(**fields)


def instance_to_dict(inst: Instance) -> dict[str, Any]:
    """The ``ddp-instance/1`` object of an instance (floats kept exactly)."""
    data: dict[str, Any] = {"format": FORMAT}
    if inst.name is not None:
        data["name"] = inst.name
    data["time_unit"] = inst.time_unit
    data["arrival"] = inst.arrival.tolist()
    data["front"] = inst.front.tolist()
    data["trans"] = inst.trans.tolist()
    data["cloud"] = inst.cloud.tolist()
    data["devices"] = inst.devices
    data["device"] = inst.device.tolist()
    data["cloud_units"] = inst.cloud_units
    data["unit"] = inst.unit.tolist()
    data["feature_point"] = inst.feature_point
    if inst.meta:
        data["meta"] = inst.meta
    return data


def parse_instance(text: str, file: str | None = None) -> Instance:
    """Parse the JSON text of an instance; errors name ``file``."""
    # NaN and Infinity are not JSON, but are read as floats here so that validation, which knows
    # where each number belongs, rejects them naming the key and the event.
    constants: list[str] = []
    try:
        data = json.loads(text, parse_constant=lambda token: constants.append(token) or
                          float(token))
    except ValueError as exc:
        raise InstanceError(f"invalid JSON ({exc})", file=file) from None
    try:
        inst = instance_from_dict(data)
    except InstanceError as exc:
        raise exc.with_file(file) if file is not None else exc from None
    if constants:  # not in any checked key, so in the free-form meta
        raise InstanceError(f"{constants[0]} is not a JSON number (numbers must be finite)",
                            key="meta", file=file)
    return inst


def load_instance(path: str | os.PathLike) -> Instance:
    """Read a ``ddp-instance/1`` JSON file.

    Raises
    ------
    InstanceError
        When the file cannot be read, is not valid JSON or breaks a rule of the format; the
        message names the file, the key and the event.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InstanceError(f"cannot read the file ({reason})", file=str(path)) from None
    return parse_instance(text, file=str(path))


def _new_file_mode() -> int:
    """The mode ``open`` gives a new file: 0o666 less the process umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed over it."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file 0o600; give it the mode a plain write would have.
        os.fchmod(handle, _new_file_mode())
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def dumps_instance(inst: Instance) -> str:
    """The JSON text of an instance, deterministic for the same data."""
    return json.dumps(instance_to_dict(inst), allow_nan=False, separators=(",", ":")) + "\n"


def save_instance(inst: Instance, path: str | os.PathLike) -> None:
    """Write an instance as ``ddp-instance/1`` JSON, atomically."""
    atomic_write_text(path, dumps_instance(inst))
