"""Why a document cannot be read: shared by fetching and the document library."""

from __future__ import annotations


class ExtractionError(ValueError):
    """The body cannot be read as a document (unsupported type, broken PDF, too complex)."""

    code = "extraction"


class TooComplex(ExtractionError):
    """Reading the document would take longer than its time budget (a hostile page)."""

    code = "too_complex"
