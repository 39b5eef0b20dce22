"""Why a fetch failed, in a form a task can act on (retry or not) and a reviewer can read."""

from __future__ import annotations

# Codes whose cause may go away by itself: the task retries them with backoff.
TRANSIENT_CODES = frozenset({"timeout", "connection", "http_5xx", "http_429", "dns_failure"})


class FetchError(Exception):
    """A fetch that produced no usable document.

    transient defaults from the code (see TRANSIENT_CODES).

    code is stable and short ("timeout", "blocked_address", "http_404" ...), reason is
    for people, transient says whether retrying later may help.
    """

    def __init__(
        self,
        reason: str,
        code: str,
        transient: bool | None = None,
        http_status: int | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.transient = code in TRANSIENT_CODES if transient is None else transient
        self.http_status = http_status
        self.url = url
        self.body_excerpt = b""  # start of the error page, for HTTP errors

    def __repr__(self) -> str:
        return (
            f"FetchError(code={self.code!r}, transient={self.transient}, "
            f"http_status={self.http_status}, reason={self.reason!r})"
        )


def http_error(status: int, url: str) -> FetchError:
    """The FetchError for a final HTTP status that carries no document."""
    if status >= 500:
        return FetchError(f"server error HTTP {status}", "http_5xx", http_status=status, url=url)
    # 408/425/429 ask the client to come back later.
    transient = status in (408, 425, 429)
    return FetchError(
        f"HTTP {status}", f"http_{status}", transient=transient, http_status=status, url=url
    )


class ExtractionError(ValueError):
    """The body cannot be read as a document (unsupported type, broken PDF, too complex)."""

    code = "extraction"


class TooComplex(ExtractionError):
    """Reading the document would take longer than its time budget (a hostile page)."""

    code = "too_complex"
