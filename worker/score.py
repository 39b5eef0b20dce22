"""Scoring a snapshot against a claim: the passage that bears on it and a stance hint."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from claims.models import Claim, Evidence, Snapshot, Source
from claims.selectors.sources import reviewer_added_source
from claims.services.sources import evidence_upsert
from language.passages import Passage
from language.reading import best_passage
from worker.stance_backends import BuiltinBackend, Pair, StanceBackend, hint_pairs

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
    stance_backend: str = ""  # which back-end gave the hint; "" when none read it


def score_snapshot(claim: Claim, snapshot: Snapshot) -> SnapshotScore | None:
    """The best passage of the snapshot for the claim, or None when nothing matches."""
    return score_claims([claim], snapshot)[0]


def score_claims(
    claims: Sequence[Claim], snapshot: Snapshot, backend: StanceBackend | None = None
) -> list[SnapshotScore | None]:
    """Each claim's best passage of the snapshot and its stance hint (None: no passage).

    The configured back-end judges the source's pairs together (one batch for a model);
    a passage too weak to be kept as evidence is left to the built-in scorer.
    """
    text = snapshot.text or ""
    passages = [best_passage(c.text, c.features or {}, text) for c in claims]
    pairs: dict[bool, list[tuple[int, Pair]]] = {True: [], False: []}
    for i, (claim, passage) in enumerate(zip(claims, passages, strict=True)):
        if passage is not None:
            pair = Pair(claim.text, claim.features or {}, passage.text, claim.pk)
            pairs[passage.score >= MIN_RELEVANCE].append((i, pair))
    out: list[SnapshotScore | None] = [None] * len(claims)
    for strong, group in pairs.items():
        hints = hint_pairs([p for _, p in group], backend if strong else BuiltinBackend())
        for (i, _pair), hint in zip(group, hints, strict=True):
            out[i] = _scored(passages[i], hint.label, hint.reason, hint.backend)
    return out


def _scored(passage: Passage | None, stance: str, reason: str, backend: str) -> SnapshotScore:
    assert passage is not None
    return SnapshotScore(
        quote=passage.text,
        start=passage.start,
        end=passage.end,
        relevance=float(passage.score),
        stance=stance,
        reason=reason,
        stance_backend=backend,
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
    return store_snapshot_score(
        claim=claim,
        source=source,
        snapshot=snapshot,
        scored=score_snapshot(claim, snapshot) if snapshot is not None else None,
        found_via=found_via,
        provider=provider,
        factcheck=factcheck,
        keep_weak=keep_weak,
    )


def store_snapshot_score(
    *,
    claim: Claim,
    source: Source,
    snapshot: Snapshot | None,
    scored: SnapshotScore | None,
    found_via: str,
    provider: str = "",
    factcheck: dict[str, Any] | None = None,
    keep_weak: bool = False,
) -> Evidence | None:
    """store_score with the snapshot already scored (score_claims) for the claim."""
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
        stance_backend=scored.stance_backend,
    )
    return evidence
