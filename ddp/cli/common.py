"""Helpers shared by the sub-commands: error lines, loading, formatting."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console

from ..instance import Instance
from ..io import load_instance


class CliError(Exception):
    """A usage or input problem: printed as one line, exit status 2."""


def error_line(message: str) -> None:
    """Print ``ddp: error: message`` on stderr, on one line."""
    text = " ".join(str(message).split())
    print(f"ddp: error: {text}", file=sys.stderr, flush=True)


def console() -> Console:
    """A rich console for stdout; when piped, wide enough that tables are not cut to 80 columns."""
    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, width=160)


def print_json(record: dict[str, Any]) -> None:
    """One JSON object on one line of stdout."""
    print(json.dumps(record, allow_nan=False), flush=True)


def load(path: str) -> Instance:
    """Load an instance file; errors name the file, key and event."""
    return load_instance(path)


def _choice_fields(text: str, source: str) -> list[str]:
    """The fields of ``0,3,18`` or ``0 3 18``; an empty field (``0,,1``, a trailing comma) is an
    error, not a skipped event."""
    fields = []
    for part in text.split(","):
        words = part.split()
        if not words and "," in text:
            raise CliError(f"{source}: an empty entry between commas; give one integer per "
                           f"event, such as 0,3,18")
        fields.extend(words)
    return fields


def parse_choices(text: str, source: str = "--choices") -> list[int]:
    """Parse ``0,3,18`` (commas or white space) or a JSON list of integers."""
    stripped = text.strip()
    if not stripped:
        raise CliError(f"{source}: no choices given; give one integer per event, such as 0,3,18")
    try:
        if stripped.startswith("["):
            values = json.loads(stripped)
        else:
            values = [int(v) for v in _choice_fields(stripped, source)]
    except ValueError as exc:
        raise CliError(f"{source}: cannot read the choices ({exc}); give integers such as "
                       f"0,3,18") from None
    if not isinstance(values, list) or not all(isinstance(v, int) and not isinstance(v, bool)
                                               for v in values):
        raise CliError(f"{source}: the choices must be a list of integers")
    return values


def format_choices(choices: Iterable[int], limit: int = 24) -> str:
    """Choices as ``0,3,18,...``, shortened past ``limit`` events."""
    values = [int(c) for c in choices]
    text = ",".join(map(str, values[:limit]))
    if len(values) > limit:
        text += f",... ({len(values)} events)"
    return text


def format_pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}%"
