"""Scoring a snapshot against a claim: the passage that bears on it and a stance hint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from claims.models import Claim, Evidence, Snapshot, Source
from claims.selectors.sources import reviewer_added_source
from claims.services.sources import evidence_upsert
from language.reading import read_document

# Below this a search hit's best passage is noise, not evidence.
MIN_RELEVANCE = 0.25
NO_MATCH_REASON = "No passage of this source names the claim's subjects or figures"

_FALSE_RATINGS = re.compile(
    r"\b(false|fake|incorrect|wrong|misleading|pants on fire|fabricated|inaccurate|no evidence|"
    r"unsupported|distort)",
    re.IGNORECASE,
)
_TRUE_RATINGS = re.compile(r"^\s*(true|correct|accurate|mostly true|verified)\b", re.IGNORECASE)


@dataclass
class SnapshotScore:
    quote: str
    start: int | None
    end: int | None
    relevance: float
    stance: str
    reason: str


def score_snapshot(claim: Claim, snapshot: Snapshot) -> SnapshotScore | None:
    """The best passage of the snapshot for the claim, or None when nothing matches."""
    reading = read_document(claim.text, claim.features or {}, snapshot.text or "")
    if reading is None:
        return None
    return SnapshotScore(
        quote=reading.passage.text,
        start=reading.passage.start,
        end=reading.passage.end,
        relevance=float(reading.passage.score),
        stance=reading.stance.label,
        reason=reading.stance.reason,
    )


def factcheck_stance(factcheck: dict[str, Any]) -> tuple[str, str]:
    """A prior fact-check's rating read as a stance hint, with its reason."""
    rating = str(factcheck.get("rating") or "").strip()
    publisher = (
        factcheck.get("publisher_name") or factcheck.get("publisher_site") or "a fact-checker"
    )
    reason = f"Prior fact-check by {publisher} rates it “{rating or 'unrated'}”"
    if _FALSE_RATINGS.search(rating):
        return Evidence.Stance.CONTRADICTS, reason
    if _TRUE_RATINGS.search(rating):
        return Evidence.Stance.SUPPORTS, reason
    return Evidence.Stance.MENTIONS, reason


def store_score(
    *,
    claim: Claim,
    source: Source,
    snapshot: Snapshot | None,
    found_via: str,
    provider: str = "",
    factcheck: dict[str, Any] | None = None,
    keep_weak: bool = False,
) -> Evidence | None:
    """Evidence for the claim from this source, when the source bears on it.

    keep_weak keeps a weak match; so does a reviewer having added the source to the claim.
    """
    scored = score_snapshot(claim, snapshot) if snapshot is not None else None
    if factcheck:
        stance, reason = factcheck_stance(factcheck)
        quote = factcheck.get("claim_text") or (scored.quote if scored else "")
        evidence, _ = evidence_upsert(
            claim=claim,
            source=source,
            snapshot=snapshot,
            quote=quote,
            quote_start=scored.start if scored and quote == scored.quote else None,
            quote_end=scored.end if scored and quote == scored.quote else None,
            relevance=max(scored.relevance if scored else 0.0, 0.5),
            stance=stance,
            reason=reason,
            found_via=Evidence.FoundVia.FACTCHECK,
            provider=provider,
            factcheck=factcheck,
        )
        return evidence
    if snapshot is None:
        return None
    # A weak or empty reading is dropped unless a reviewer asked for the source: only then
    # a query. The reviewer still sees that the source was read and what was found.
    weak = scored is None or scored.relevance < MIN_RELEVANCE
    if weak and not (keep_weak or reviewer_added_source(claim_id=claim.pk, source_id=source.pk)):
        return None
    if scored is None:
        scored = SnapshotScore("", None, None, 0.0, Evidence.Stance.MENTIONS, NO_MATCH_REASON)
    evidence, _ = evidence_upsert(
        claim=claim,
        source=source,
        snapshot=snapshot,
        quote=scored.quote,
        quote_start=scored.start,
        quote_end=scored.end,
        relevance=scored.relevance,
        stance=scored.stance,
        reason=scored.reason,
        found_via=found_via,
        provider=provider,
    )
    return evidence
