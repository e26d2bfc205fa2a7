"""Reading and writing ``ddp-instance/1`` JSON files.

Reading is strict: ``NaN``/``Infinity`` (which Python's json module accepts by default), unknown
keys and a wrong ``format`` are errors naming the file, the key and (for a number) the event.
Reading is bounded (``ddp.limits``): only a regular file of at most ``MAX_FILE_BYTES`` is read.
Writing is atomic (a temporary file renamed over the target), so an interrupted save never leaves
a half-written file; it writes through a symbolic link and refuses to replace anything but a
regular file (``docs/limits.md``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import stat
import tempfile
from typing import Any

from .errors import InstanceError
from .instance import Instance
from .limits import MAX_FILE_BYTES, MAX_JSON_DEPTH

FORMAT = "ddp-instance/1"
# ddp-instance/1.1 adds an optional ``estimate`` object (the times a policy decides on); every
# ddp-instance/1 file is a valid 1.1 file whose estimates are its actual times.
FORMAT_ESTIMATES = "ddp-instance/1.1"
FORMATS = (FORMAT, FORMAT_ESTIMATES)
REQUIRED_KEYS = ("format", "arrival", "front", "trans", "cloud")
OPTIONAL_KEYS = ("devices", "device", "cloud_units", "unit", "feature_point", "time_unit", "name",
                 "meta", "estimate")


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
    if data["format"] not in FORMATS:
        raise InstanceError(f"is {data['format']!r}, expected {FORMAT!r} or "
                            f"{FORMAT_ESTIMATES!r}", key="format")
    if "estimate" in data and data["format"] != FORMAT_ESTIMATES:
        raise InstanceError(f"needs format {FORMAT_ESTIMATES!r}", key="estimate")
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
    if inst.estimate is not None:
        data["format"] = FORMAT_ESTIMATES
        data["estimate"] = {key: array.tolist() for key, array in inst.estimate.items()}
    return data


def parse_instance(text: str, file: str | None = None) -> Instance:
    """Parse the JSON text of an instance; errors name ``file``."""
    # NaN and Infinity are not JSON, but are read as floats here so that validation, which knows
    # where each number belongs, rejects them naming the key and the event.
    constants: list[str] = []
    try:
        data = json.loads(text, parse_constant=lambda token: constants.append(token) or
                          float(token))
    except RecursionError:
        raise InstanceError(f"invalid JSON (nested deeper than {MAX_JSON_DEPTH} levels)",
                            file=file) from None
    except ValueError as exc:  # also an integer of more than 4300 digits
        raise InstanceError(f"invalid JSON ({exc})", file=file) from None
    try:
        inst = instance_from_dict(data)
    except InstanceError as exc:
        raise exc.with_file(file) if file is not None else exc from None
    if constants:  # not in any checked key, so in the free-form meta
        raise InstanceError(f"{constants[0]} is not a JSON number (numbers must be finite)",
                            key="meta", file=file)
    return inst


_FILE_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def read_text_bounded(path: str | os.PathLike, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes.

    Anything else is refused before a byte is read: a FIFO (which would block without a
    writer), a device such as ``/dev/zero`` (which never ends), a directory, a larger file.

    Raises
    ------
    OSError
        With a ``strerror`` saying why (also for a file that is not UTF-8 text).
    """
    path = os.fspath(path)
    mode = os.stat(path).st_mode  # stat does not block on a FIFO; open would
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, f"{_kind(mode)}, not a regular file", path)
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(handle).st_mode  # the path may have been swapped since the stat
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"{_kind(mode)}, not a regular file", path)
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 24, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(handle)
    if size > limit:
        raise OSError(errno.EFBIG, f"larger than the limit of {limit} bytes", path)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OSError(errno.EILSEQ, f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                      path) from None


def load_instance(path: str | os.PathLike) -> Instance:
    """Read a ``ddp-instance/1`` JSON file.

    Raises
    ------
    InstanceError
        When the file cannot be read (missing, not a regular file, larger than
        ``ddp.limits.MAX_FILE_BYTES``, not UTF-8), is not valid JSON or breaks a rule of the
        format; the message names the file, the key and the event.
    """
    try:
        text = read_text_bounded(path)
    except OSError as exc:
        raise InstanceError(f"cannot read the file ({exc.strerror or exc})",
                            file=os.fspath(path)) from None
    return parse_instance(text, file=os.fspath(path))


def _new_file_mode() -> int:
    """The mode ``open`` gives a new file: 0o666 less the process umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_HOST = socket.gethostname().replace(".", "_")


def _remove_stale_temporaries(directory: str, name: str) -> None:
    """Remove the temporary files of earlier writes to ``name`` whose writer is dead.

    A temporary is ``.NAME.HOST.PID.RANDOM.tmp``: only one written on this host by a process
    that no longer exists is removed, so a write in progress (here or on another host sharing
    the folder) is never touched.
    """
    prefix = f".{name}.{_HOST}."
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    for entry in entries:
        if not (entry.startswith(prefix) and entry.endswith(".tmp")):
            continue
        pid_text = entry[len(prefix):].split(".", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        # removed by another writer meanwhile, or not ours to remove: leave it
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(directory, entry))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # exists (another user's), or not a pid: leave the file alone
    return True


def write_target(path: str | os.PathLike) -> str:
    """The file an atomic write to ``path`` replaces: ``path``, or the file a symbolic link
    points to (the link is kept). Refuses anything but a regular or a new file."""
    name = os.fspath(path)
    if not name or name.endswith(os.sep) or (os.altsep and name.endswith(os.altsep)):
        raise OSError(errno.EISDIR, "not a file name (empty, or ending with a separator)", name)
    target = os.path.realpath(name)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, f"{_kind(mode)}, not a regular file: not replaced",
                      os.fspath(path))
    return target


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it.

    A symbolic link is written through: its target is replaced atomically and the link kept.
    A target that exists and is not a regular file (a directory, a FIFO, a device) is refused
    with an ``OSError``; an existing file keeps its mode. Temporaries left by a killed writer
    of the same target are removed first.
    """
    target = write_target(path)
    directory, name = os.path.split(target)
    _remove_stale_temporaries(directory, name)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = _new_file_mode()  # mkstemp makes the file 0o600: give it a plain write's mode
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.{_HOST}.{os.getpid()}.",
                                         suffix=".tmp")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically, as :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def dumps_instance(inst: Instance) -> str:
    """The JSON text of an instance, deterministic for the same data."""
    return json.dumps(instance_to_dict(inst), allow_nan=False, separators=(",", ":")) + "\n"


def save_instance(inst: Instance, path: str | os.PathLike) -> None:
    """Write an instance as ``ddp-instance/1`` JSON, atomically."""
    atomic_write_text(path, dumps_instance(inst))
