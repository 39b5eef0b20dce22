"""Text a database will store: the characters PostgreSQL refuses, removed.

PostgreSQL's text and jsonb types refuse the NUL character (U+0000), and a lone UTF-16
surrogate (U+D800-U+DFFF) cannot be encoded as UTF-8 at all. Both turn up in hostile
pages and in files that are not quite text. Every article and every fetched page passes
through storable_text() before it is written, so one bad byte costs that byte, not the
whole write.
"""

from __future__ import annotations

import re
from typing import Any

_REFUSED = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """The text without the characters PostgreSQL cannot store (NUL, lone surrogates)."""
    return _REFUSED.sub("", text) if _REFUSED.search(text) else text


def refused_characters(text: str) -> int:
    """How many characters storable_text() would remove."""
    return len(_REFUSED.findall(text))


def storable_value(value: Any) -> Any:
    """A JSON-like value (dicts, lists, strings) with every string made storable."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        return {storable_text(str(k)): storable_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [storable_value(v) for v in value]
    return value
