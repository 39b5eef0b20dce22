"""Metadata and reference lines: what an article says about itself, never a claim.

By the shape of a line, not by its words alone:
- a label-colon header whose label is a metadata label ("Publisher: ...", "Retrieved from:
  ...", "Source: ..."; labels in data/metadata_labels.tsv, several languages);
- a bare URL (also in <...> or [...]);
- a byline ("By Jane Doe", "By Jane Doe and John Smith, Reuters").
References (bibliography entries, "Retrieved from" lines) are found sentence by sentence in
references.py.

read_head() reads an article's head, the header lines before its first prose: a title line,
a URL line, a date line, a byline, "Title:/Publisher:/Date:/Author:/URL:" headers.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from dateutil import parser as date_parser

DATA_DIR = Path(__file__).resolve().parent / "data"
HEAD_LINES = 12  # header lines read at most before the first prose
HEAD_CHARS = 3000

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]]+", re.I)
BARE_URL_RE = re.compile(r"^[<\[(]?\s*(?:https?://|www\.)\S+?\s*[>\])]?[.;,]?$", re.I)
LABEL_RE = re.compile(
    r"^\W{0,3}(?P<label>[^\W\d][\w()' .-]{0,28}?)\s*\**\s*[:：]\s*\**\s*(?P<value>.*)$"
)
NAME = r"(?:[A-Z][\w'’.-]*|[A-Z]\.)"
BYLINE_RE = re.compile(
    rf"^(?:[Bb][Yy]|[Vv]on|[Pp]ar|[Pp]or|[Dd]i)\s+{NAME}(?:\s+(?:{NAME}|de|van|von|der|da|di|al|bin))*"
    rf"(?:\s*(?:,|and|&|und|et|y|e)\s*{NAME}(?:\s+(?:{NAME}|de|van|von|der|da|di|al|bin))*)*"
    rf"(?:\s*[,|–—-]\s*{NAME}(?:\s+(?:{NAME}|of|the|and|&))*)?$"
)
# A line that is only a date, with optional weekday and time: "Tuesday 4 November 2025 - 12:59".
DATE_LINE_RE = re.compile(
    r"""^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?
    (?:\d{1,2}\.?\s+[^\W\d]{3,}\.?,?\s+\d{4}|[^\W\d]{3,}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})
    (?:\s*(?:[-–|,]|at)?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?$""",
    re.I | re.X,
)


@dataclass(frozen=True)
class ArticleHead:
    """What an article's own head says about it; "" or None where it says nothing."""

    title: str = ""
    url: str = ""
    publisher: str = ""
    author: str = ""
    published_date: dt.date | None = None


@functools.cache
def metadata_labels() -> dict[str, str]:
    """label -> the Article field its value fills ("-": none), from data/metadata_labels.tsv."""
    labels: dict[str, str] = {}
    for line in (DATA_DIR / "metadata_labels.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, field = line.split("\t")
            labels[label.strip().lower()] = field.strip()
    return labels


def _label(line: str) -> tuple[str, str] | None:
    """(field, value) of a metadata label-colon line, else None."""
    m = LABEL_RE.match(line.strip())
    if not m:
        return None
    label = " ".join(m["label"].lower().split())
    field = metadata_labels().get(label)
    return None if field is None else (field, m["value"].strip().strip("*_ ").strip())


def is_bare_url(line: str) -> bool:
    return bool(BARE_URL_RE.match(line.strip()))


def is_byline(line: str) -> bool:
    stripped = line.strip().strip("*_")
    return len(stripped.split()) <= 14 and bool(BYLINE_RE.match(stripped))


def is_metadata_line(line: str) -> bool:
    """True for a line that says where the text comes from, not what happened."""
    stripped = line.strip()
    if not stripped:
        return False
    return bool(_label(stripped) or is_bare_url(stripped) or is_byline(stripped))


def parse_date(value: str) -> dt.date | None:
    """The calendar date in a header value or date line; None when day, month or year is
    missing ("2024", "March 2024") or there is no date at all."""
    value = value.strip()
    if not re.search(r"\d", value):
        return None
    try:
        # Parsed against two different defaults: a part the text lacks shows as a difference.
        first, second = (
            date_parser.parse(value, fuzzy=True, default=default)
            for default in (dt.datetime(2001, 1, 1), dt.datetime(2002, 2, 2))
        )
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date() or first.year < 1800:
        return None
    return first.date()


def _url(value: str) -> str:
    m = URL_RE.search(value)
    if not m:
        return ""
    url = m.group(0).rstrip(".,;)>]")
    return url if url.lower().startswith("http") else "https://" + url


def _is_title_line(line: str) -> bool:
    """A short line without final punctuation: a title, not prose."""
    stripped = line.strip().strip("#*_ ").strip()
    if not stripped or stripped[-1] in ".!?…;\"”'’":
        return False
    return len(stripped.split()) <= 20 and len(stripped) <= 200


def read_head(text: str) -> ArticleHead:
    """The title, url, publisher, author and date the article's head gives, if any."""
    found: dict[str, object] = {}
    lines = [ln.strip() for ln in text[:HEAD_CHARS].splitlines() if ln.strip()]
    for number, line in enumerate(lines[:HEAD_LINES]):
        labelled = _label(line)
        if labelled is not None:
            field, value = labelled
            if field == "url":
                value = _url(value)
            elif field == "date":
                date = parse_date(value)
                if date is not None:
                    found.setdefault("published_date", date)
                continue
            elif field == "author":
                value = re.sub(r"^(?:by|von|par|por)\s+", "", value, flags=re.I)
            if field != "-" and value:
                found.setdefault(field, value.strip("#*_ ")[:500])
            continue
        if is_bare_url(line):
            found.setdefault("url", _url(line))
            continue
        if DATE_LINE_RE.match(line):
            date = parse_date(line)
            if date is not None:
                found.setdefault("published_date", date)
            continue
        if is_byline(line):
            found.setdefault("author", re.sub(r"^\S+\s+", "", line.strip("*_ ")).strip())
            continue
        # A title line: the first line, or the first after a URL line.
        first = number == 0 or (not found.get("title") and set(found) <= {"url"})
        if first and _is_title_line(line):
            found.setdefault("title", line.strip("#*_ ").strip())
            continue
        break  # prose, or a heading inside the article: the head is over
    return ArticleHead(**found)  # type: ignore[arg-type]
