"""Offline claim extraction: segmentation, check-worthiness, decomposition, features.

Pure Python, deterministic, no Django and no network. Entry point:
`extract_article(text, threshold=0.5) -> Extraction`.
"""

from __future__ import annotations

import re
from collections import Counter

from .cues import COMPARISON
from .decomposition import decompose
from .model import Analysis, analyse
from .scoring import Scored, score_sentence
from .segmentation import Segment, segment_masked
from .types import ClaimResult, Entity, Extraction, Quantity, SentenceResult

__all__ = [
    "ClaimResult",
    "Entity",
    "Extraction",
    "Quantity",
    "SentenceResult",
    "classify_kind",
    "extract_article",
    "score_sentence",
]

WS_RE = re.compile(r"\s+")
NORM_RE = re.compile(r"[^\w%]+")


def _clean(text: str) -> str:
    return WS_RE.sub(" ", text).strip()


def _has_letters(text: str, n: int = 3) -> bool:
    count = 0
    for ch in text:
        if ch.isalpha():
            count += 1
            if count >= n:
                return True
    return False


def _normalise(text: str) -> str:
    return NORM_RE.sub(" ", text.lower().replace("’", "'")).strip()


def classify_kind(text: str, analysis: Analysis) -> str:
    """quantity > attribution > comparison > event > relation."""
    if analysis.quantities:
        return "quantity"
    if analysis.cues["attribution"]:
        return "attribution"
    if COMPARISON.search(text) and re.search(r"\b(?:than|surpass\w*|one of the|-?est)\b", text):
        return "comparison"
    if analysis.cues["event"] or analysis.dates:
        return "event"
    return "relation"


def _article_subject(analyses: list[Analysis]) -> str:
    """Most mentioned place/organisation: the owner used in decomposed claim text."""
    counts: Counter[str] = Counter()
    for analysis in analyses:
        for e in analysis.entities:
            if e.label in ("place", "organisation"):
                counts[e.text] += 1
    return counts.most_common(1)[0][0] if counts else ""


def extract_article(text: str, threshold: float = 0.5) -> Extraction:
    """Sentences with scores and the claims at or above `threshold`."""
    if not isinstance(text, str) or not text.strip():
        return Extraction([], [])
    work, segments = segment_masked(text)
    sentences: list[SentenceResult] = []
    scored_prose: list[tuple[int, Segment, str, Scored]] = []
    cache: dict[tuple[str, bool], Scored] = {}  # repeated sentences are scored once
    for index, seg in enumerate(segments):
        clean = _clean(work[seg.start : seg.end])
        if seg.is_heading or seg.is_furniture or not _has_letters(clean):
            sentences.append(
                SentenceResult(
                    index,
                    seg.start,
                    seg.end,
                    seg.text,
                    0.0,
                    ["heading" if seg.is_heading else "page furniture"],
                    is_heading=seg.is_heading,
                    is_furniture=not seg.is_heading,
                )
            )
            continue
        key = (clean, seg.is_bullet)
        scored = cache.get(key)
        if scored is None:
            scored = cache[key] = score_sentence(clean, is_bullet=seg.is_bullet)
        sentences.append(
            SentenceResult(index, seg.start, seg.end, seg.text, scored.score, list(scored.reasons))
        )
        scored_prose.append((index, seg, clean, scored))

    claims: list[ClaimResult] = []
    seen: set[str] = set()
    subject = _article_subject([sc.analysis for _, _, _, sc in scored_prose[:80]])
    for index, seg, clean, scored in scored_prose:
        if scored.score < threshold:
            continue
        key = _normalise(clean)
        if key in seen:
            continue
        # Decompose only when the cleaned text still maps 1:1 onto the article span.
        items = decompose(clean, subject) if len(clean) == seg.end - seg.start else []
        if items:
            seen.add(key)
            for item in items:
                _add_claim(claims, seen, item.text, seg.start + item.start, seg.start + item.end,
                           scored.score, index, scored.reasons, analyse(item.text))  # fmt: skip
        else:
            _add_claim(claims, seen, clean, seg.start, seg.end, scored.score, index,
                       scored.reasons, scored.analysis)  # fmt: skip
    return Extraction(sentences, claims)


def _add_claim(
    claims: list[ClaimResult],
    seen: set[str],
    text: str,
    start: int,
    end: int,
    score: float,
    index: int,
    reasons: list[str],
    analysis: Analysis,
) -> None:
    key = _normalise(text)
    if not key or key in seen:
        return  # duplicates inside one article collapse into the first occurrence
    seen.add(key)
    claims.append(
        ClaimResult(
            text=text,
            start=start,
            end=end,
            score=score,
            kind=classify_kind(text, analysis),
            sentence_index=index,
            reasons=list(reasons),
            quantities=list(analysis.quantities),
            dates=list(analysis.dates),
            entities=list(analysis.entities),
        )
    )
