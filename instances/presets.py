"""The named presets (devices, links, codecs) read from ``data/presets.json``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any


@cache
def presets() -> dict[str, Any]:
    """The parsed preset file (cached)."""
    text = (Path(__file__).parent / "data" / "presets.json").read_text(encoding="utf-8")
    return json.loads(text)


def lookup(table: dict[str, Any], name: str, what: str):
    """``table[name]`` or a one-line ValueError listing the known names."""
    try:
        return table[name]
    except KeyError:
        raise ValueError(f"unknown {what} {name!r} (known: {', '.join(sorted(table))})") from None
