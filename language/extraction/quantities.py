"""Quantities and dates of a sentence, for claim extraction.

Quantities come from language.quantities, the parser source reading uses too, so a claim's
"four dozen" and a source's "48" are read alike; dates are read here.
"""

from __future__ import annotations

import re

from language.quantities import find_numbers

from .types import Quantity

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?"
    r"|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)

YEAR_RE = re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")
DATE_RE = re.compile(
    rf"\b(?:\d{{1,2}}\s+{MONTHS}\s+\d{{4}}|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}\s+{MONTHS}(?!\w)"
    rf"|(?:January|February|March|April|June|July|August|September|October|November|December)"
    rf"\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|(?:1[89]\d\d|20\d\d)s?)\b"
)
DIGIT_RE = re.compile(r"\d")


def find_quantities(sentence: str) -> list[Quantity]:
    """Quantities in reading order, read by the language layer's one quantity parser
    (language.quantities). Bare years and periods are dates, not quantities."""
    out: list[Quantity] = []
    date_spans = [(d.start(), d.end()) for d in DATE_RE.finditer(sentence)]
    for n in find_numbers(sentence):
        if n.is_year:
            continue
        in_date = any(s <= n.start < e or s < n.end <= e for s, e in date_spans)
        if in_date and not (n.is_percent or n.currency):
            continue
        out.append(
            Quantity(value=n.value, unit=n.unit, text=n.text, upper=n.upper, qualifier=n.qualifier)
        )
    return out


def find_dates(sentence: str) -> list[str]:
    """Dates and years as written, longest match first, without overlaps."""
    if not DIGIT_RE.search(sentence):
        return []
    return [m.group(0) for m in DATE_RE.finditer(sentence)]
