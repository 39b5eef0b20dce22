"""Safe outbound fetching of sources: address checks, limits, robots.txt, politeness,
and extraction of the main text.

Import from here; the submodules are named for what they hold.
"""

from claims.canonical_url import canonicalize_url

from .addresses import is_public_address, resolve
from .documents import Document, extract_document
from .errors import ExtractionError, FetchError, TooComplex
from .http import FetchResult, fetch, polite_delay
from .politeness import wait_for_domain_slot
from .robots import clear_robots_cache

__all__ = [
    "Document",
    "ExtractionError",
    "extract_document",
    "FetchError",
    "FetchResult",
    "canonicalize_url",
    "clear_robots_cache",
    "fetch",
    "is_public_address",
    "polite_delay",
    "resolve",
    "TooComplex",
    "wait_for_domain_slot",
]
