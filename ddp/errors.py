"""Errors raised for bad input, each naming where the problem is."""

from __future__ import annotations


class InstanceError(ValueError):
    """An instance breaks a rule of ``ddp-instance/1``.

    The message names the file (when known), the key and the event index, so that a user can go
    straight to the bad value: ``inst.json: key 'front', event 3: value -1.0 is negative``.
    """

    def __init__(self, reason: str, *, key: str | None = None, event: int | None = None,
                 file: str | None = None):
        self.reason = reason
        self.key = key
        self.event = event
        self.file = file
        super().__init__(self._render())

    def _render(self) -> str:
        location = []
        if self.key is not None:
            location.append(f"key '{self.key}'")
        if self.event is not None:
            location.append(f"event {self.event}")
        parts = [self.file] if self.file is not None else []
        if location:
            parts.append(", ".join(location))
        parts.append(self.reason)
        return ": ".join(parts)

    def with_file(self, file: str) -> InstanceError:
        """The same error, naming ``file``."""
        return InstanceError(self.reason, key=self.key, event=self.event, file=str(file))
