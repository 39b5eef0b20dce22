"""Reference lines: bibliography entries and "where it was found" lines are not claims.

"CRS In Focus IF12094, *The Army's Precision Strike Missile (PrSM)*, by Andrew Feickert."
"Smith, J. (2021). “Title,” Journal 4(2), pp. 10-12. doi:10.1000/xyz"
"Retrieved March 5, 2025, from https://www.army.mil/prsm"

A line is a reference when it carries a strong mark (a retrieval cue before a URL or date,
a DOI, an ISBN) or at least two weaker citation marks (a title set in italics or quotes and
followed by a comma, ", by Name", a report or paper number, pages or volume, a year in
parentheses after a name, a URL). One weak mark alone is ordinary news prose ("the report,
by Andrew Feickert, says..."). Retrieval cues are data (data/reference_cues.txt).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
ENTRY_WORDS = 40  # a bibliography entry is shorter than this; a paragraph is longer
URL = r"(?:https?://|www\.)\S+"
MONTH_DATE = (
    r"(?:\d{1,2}\s+[^\W\d]{3,}\.?\s+\d{4}|[^\W\d]{3,}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})"
)
FOOTNOTE_RE = re.compile(r"^\s*(?:\[\d{1,3}\]|\^?\d{1,3}[.)]?(?=\s)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*")

WEAK_MARKS = (
    re.compile(r"\*[^*\s][^*]{2,}\*|_[^_\s][^_]{2,}_"),  # *Title* or _Title_ (markdown italics)
    re.compile(r"[“\"][^”\"]{6,},[”\"]|[“\"][^”\"]{6,}[.]?[”\"]\s*,"),  # “Title,” or “Title”,
    # ", by Andrew Feickert." ending a clause (", by Air Supply was played" is prose)
    re.compile(
        r",\s*(?:by|edited by|ed\. by)\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)+\s*(?:[,.;(]|$)"
    ),
    re.compile(
        r"\b(?:report|in focus|insight|working paper|policy brief|memo|no\.|nr\.)\s+"
        r"[A-Z]{0,4}-?\d{2,}",
        re.I,
    ),
    re.compile(r"\b(?:pp?\.\s*\d+|vol\.\s*\d+|\d+\s*\(\d+\):\s*\d+)"),
    # "Smith, J. (2021)", "Smith, J. and Doe, A. (2021)"
    re.compile(r"^[A-Z][\w'’-]+,\s+(?:[A-Z]\.\s*)+(?:(?:,|&|and)[^.()]{0,80})?\(\d{4}[a-z]?\)"),
    re.compile(r"(?:^|[.,]\s*)(?:updated|last updated|published)\s+" + MONTH_DATE, re.I),
)
URL_RE = re.compile(URL, re.I)
STRONG_MARKS = (
    re.compile(r"\bdoi:\s*10\.\d{4,}|\bdoi\.org/10\.", re.I),
    re.compile(r"\bISBN(?:-1[03])?:?\s*[\d-]{10,}", re.I),
)


@functools.cache
def _retrieval_re() -> re.Pattern[str]:
    """A retrieval cue ("retrieved", "accessed"...) followed within a few words by a URL or
    date: "Retrieved March 5, 2025, from https://...", "Available at https://..."."""
    cues = [
        re.escape(line.strip())
        for line in (DATA_DIR / "reference_cues.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    cues.sort(key=len, reverse=True)
    words = r"(?:\s*[\w,:]+){0,6}?\s*"
    return re.compile(rf"\b(?:{'|'.join(cues)})\b:?{words}(?:{URL}|{MONTH_DATE})", re.I)


def reference_marks(text: str) -> tuple[bool, int]:
    """(a strong mark, the number of weak marks) in text."""
    text = FOOTNOTE_RE.sub("", text.strip(), count=1)
    strong = bool(_retrieval_re().search(text) or any(m.search(text) for m in STRONG_MARKS))
    without_urls = URL_RE.sub(" ", text)  # underscores in a URL are not italics
    weak = sum(1 for mark in WEAK_MARKS if mark.search(without_urls)) + bool(URL_RE.search(text))
    return strong, weak


def is_reference_line(line: str) -> bool:
    strong, weak = reference_marks(line)
    return strong or weak >= 2


def has_reference_mark(text: str) -> bool:
    strong, weak = reference_marks(text)
    return strong or weak > 0


def _name_like(text: str) -> bool:
    """Mostly capitalised words and numbers: names, titles, affiliations, not a statement."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    lower = sum(1 for w in words if w[0].islower())
    return bool(words) and lower / len(words) < 0.3


def reference_sentences(sentences: Sequence[str]) -> list[bool]:
    """Which sentences of one line are (part of) a reference.

    In a short line that is a reference as a whole (an entry), a sentence goes when it
    carries a mark or is only names and titles ("Andrew Feickert, Specialist in Military
    Ground Forces, 2024. Available at https://..."); a statement in it stays ("Retrieved 3
    July 2008.The album sold 2.9 million copies."). In a longer line (a paragraph) only a
    sentence that is a reference by itself goes.
    """
    if not sentences:
        return []
    line = " ".join(sentences)
    if len(line.split()) <= ENTRY_WORDS and is_reference_line(line):
        return [has_reference_mark(s) or _name_like(s) for s in sentences]
    return [is_reference_line(s) for s in sentences]
