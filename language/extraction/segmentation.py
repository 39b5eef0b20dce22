"""Sentence segmentation with character offsets into the original text.

Works line by line (articles pasted from the web keep one paragraph per line),
marks headings and page furniture, strips bullet markers, and splits each line
into sentences with language.sentences (the splitter passages also use). HTML
given as text is masked (tags become spaces) so offsets still index the
original string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from language.sentences import sentence_spans

from .metadata import is_metadata_line
from .references import reference_sentences

MAX_SENTENCE_CHARS = 1200  # longer runs (junk, unpunctuated dumps) are cut at whitespace

BULLET_RE = re.compile(
    r"[ \t]*(?:[•●▪◦·‣∙*]|[-–—](?=\s)|\(?\d{1,2}[.)](?=\s)|\(?[a-z][.)](?=\s))\s*"
)
SYMBOL_BULLET_RE = re.compile(r"[ \t]*[•●▪◦·‣∙*\-–—]")
HTML_TAG_RE = re.compile(
    r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>",
    re.S | re.I,
)
BLOCK_TAG_RE = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|section|article|title)\b", re.I)

FURNITURE_RE = re.compile(
    r"""^(?:
        share(?:\s+(?:it|this|on\s+\w+))?:?|comments?:?|\d+\s+comments?|leave\s+a\s+(?:reply|comment)
        |your\s+email\s+address\s+will\s+not\s+be\s+published.*|required\s+fields\s+are\s+marked.*
        |(?:read|see)\s+(?:more|also).*|related(?:\s+(?:articles|posts|stories))?:?.*
        |advertisement|sponsored|subscribe.*|sign\s+up.*|log\s*in.*|follow\s+us.*|click\s+here.*
        |tags?:.*|posted\s+(?:by|in|on)\s.*|(?:copyright|©).*|all\s+rights\s+reserved.*
        |print|email|tweet|facebook|twitter|whatsapp|telegram|linkedin|reddit
        |(?:https?://|www\.)\S+|(?:published|updated|posted|date|by)\s*:.{0,60}
        |(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?
         (?:\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})
         (?:\s*[-–|,]?\s*\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?
    )$""",
    re.I | re.X,
)


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    is_heading: bool = False
    is_furniture: bool = False
    is_bullet: bool = False


def mask_html(text: str) -> str:
    """Replace HTML tags with spaces (block tags with a newline) keeping every offset."""
    if "<" not in text or not HTML_TAG_RE.search(text):
        return text

    def blank(m: re.Match[str]) -> str:
        s = m.group(0)
        pad = " " * (len(s) - 1)
        return ("\n" + pad) if BLOCK_TAG_RE.match(s) or m.group(1) else (" " + pad)

    return HTML_TAG_RE.sub(blank, text)


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of one line (language.sentences), over-long runs cut at whitespace."""
    out: list[tuple[int, int]] = []
    for s, e in sentence_spans(text, start, end):
        while e - s > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", s, s + MAX_SENTENCE_CHARS)
            if cut <= s:
                cut = s + MAX_SENTENCE_CHARS
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if s < e:
            out.append((s, e))
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    """Logical lines: physical lines, with hard-wrapped prose lines joined."""
    raw: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        raw.append((pos, pos + len(body)))
        pos += len(line)
    merged: list[tuple[int, int]] = []
    for s, e in raw:
        seg = text[s:e]
        if merged and seg.strip() and not BULLET_RE.match(seg):
            ps, pe = merged[-1]
            prev = text[ps:pe].rstrip()
            # A long previous line without final punctuation followed by a line
            # starting in lowercase is a hard wrap, not a heading.
            if len(prev) > 60 and prev[-1] not in '.!?:;"”' and seg.lstrip()[:1].islower():
                merged[-1] = (ps, e)
                continue
        merged.append((s, e))
    return merged


def is_heading_text(line: str) -> bool:
    """A short line without final punctuation is a heading."""
    stripped = line.strip()
    if not stripped:
        return False
    if stripped[-1] in ".!?…;\"”'’)":
        return False
    words = stripped.split()
    return len(words) <= 16 and len(stripped) <= 140


def segment(text: str) -> list[Segment]:
    """Split `text` into sentences, headings and furniture with offsets into `text`."""
    return segment_masked(text)[1]


def segment_masked(text: str) -> tuple[str, list[Segment]]:
    """Like segment(), also returning the HTML-masked text the offsets also index."""
    work = mask_html(text)
    segments: list[Segment] = []
    for ls, le in _lines(work):
        line = work[ls:le]
        if not line.strip():
            continue
        bullet = BULLET_RE.match(line)
        body_start = ls + (bullet.end() if bullet else 0)
        while body_start < le and work[body_start].isspace():
            body_start += 1
        body = work[body_start:le].strip()
        if not body:
            continue
        symbol_bullet = bool(bullet and SYMBOL_BULLET_RE.match(line))
        if (
            FURNITURE_RE.match(body)
            or not any(ch.isalnum() for ch in body)
            or is_metadata_line(body)
        ):
            e = body_start + len(work[body_start:le].rstrip())
            segments.append(Segment(body_start, e, text[body_start:e], is_furniture=True))
            continue
        if is_heading_text(body) and not (symbol_bullet and len(body.split()) > 3):
            e = body_start + len(work[body_start:le].rstrip())
            reference = reference_sentences([body])[0]  # "Retrieved 5 March 2025 from ..."
            segments.append(
                Segment(
                    body_start,
                    e,
                    text[body_start:e],
                    is_heading=not reference,
                    is_furniture=reference,
                )
            )
            continue
        spans = _split_line(work, body_start, le)
        references = reference_sentences([work[s:e] for s, e in spans])
        for (s, e), reference in zip(spans, references, strict=True):
            sent = work[s:e]
            furniture = (
                reference
                or bool(FURNITURE_RE.match(sent.strip()))
                or not any(ch.isalpha() for ch in sent)
            )
            segments.append(
                Segment(s, e, text[s:e], is_furniture=furniture, is_bullet=symbol_bullet)
            )
    return work, segments
