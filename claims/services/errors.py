"""Errors that services raise for the caller to show."""

from __future__ import annotations

from typing import Any


class ConflictError(Exception):
    """The claim changed since the caller read it (optimistic locking)."""

    def __init__(self, message: str, *, current_version: int, changes: list[dict[str, Any]]):
        super().__init__(message)
        self.current_version = current_version
        self.changes = changes
