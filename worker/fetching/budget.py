"""A time budget for reading one document, checked inside the extraction loops.

A signal-based alarm only works on the main thread, and Celery's time limits do not
apply on the threads pool; a budget the loops check themselves holds everywhere. The
loops are linear in the page, so checking every few hundred elements is enough.
"""

from __future__ import annotations

import time

from .defaults import setting
from .errors import TooComplex


class ExtractionBudget:
    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = float(setting("FACTCHECK_EXTRACT_SECONDS") if seconds is None else seconds)
        self.expires_at = time.monotonic() + self.seconds

    def check(self) -> None:
        """Raises TooComplex once the budget is spent."""
        if time.monotonic() > self.expires_at:
            raise TooComplex(f"the page is too complex to read within {self.seconds:g} s")
