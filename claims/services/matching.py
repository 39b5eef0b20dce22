"""Writing claim matches: each new claim against earlier claims and published fact-checks.

Runs inside ingestion (no worker, no network): candidates come from the full-text index
(claims.selectors.matches), the precise scorer is language.matching. A match is stored at or
above FACTCHECK_MATCH_SUGGESTION_THRESHOLD and marked `same_claim` at or above
FACTCHECK_MATCH_SAME_CLAIM_THRESHOLD. A match a reviewer dismissed stays (dismissed), so it is
never suggested again.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims import queue
from claims.models import (
    Claim,
    ClaimEvent,
    ClaimMatch,
    Evidence,
    FactCheck,
    ResearchCandidate,
    Review,
)
from claims.selectors.matches import dismissed_targets, match_candidates, stored_keys
from claims.services.sources import REVIEWER_PRIORITY, source_get_or_create
from language.claim_profile import profile
from language.embeddings import Embedder, EmbeddingsError
from language.matching import compare

log = logging.getLogger(__name__)


@functools.cache
def _embedder(model_dir: str) -> Embedder | None:
    try:
        return Embedder(model_dir)
    except EmbeddingsError as exc:
        log.error("FACTCHECK_EMBEDDINGS_MODEL_DIR not used: %s", exc)
        return None


def similarity_function() -> Callable[[str, str], float] | None:
    """The embeddings back-end's similarity when FACTCHECK_EMBEDDINGS_MODEL_DIR is set and
    loads; None otherwise (matching then uses the profiles alone)."""
    model_dir = settings.FACTCHECK_EMBEDDINGS_MODEL_DIR
    embedder = _embedder(model_dir) if model_dir else None
    return embedder.similarity if embedder is not None else None


def claim_match_keys(text: str) -> str:
    """The matching keys stored with a claim or fact-check of this text."""
    return stored_keys(profile(text))


def refresh_match_keys(
    claim_model: Any = None, factcheck_model: Any = None, batch: int = 500
) -> int:
    """Recompute the stored keys of every claim and fact-check (after the stemmer or the
    profile changed, keys stored before no longer meet new ones); the number changed.
    A migration passes its historical models."""
    changed = 0
    for model, field in (
        (claim_model or Claim, "text"),
        (factcheck_model or FactCheck, "claim_text"),
    ):
        stale = []
        for row in model.objects.only("pk", field, "match_keys").iterator(chunk_size=batch):
            keys = claim_match_keys(getattr(row, field))
            if keys != row.match_keys:
                row.match_keys = keys
                stale.append(row)
            if len(stale) >= batch:
                model.objects.bulk_update(stale, ["match_keys"])
                changed, stale = changed + len(stale), []
        model.objects.bulk_update(stale, ["match_keys"])
        changed += len(stale)
    return changed


def match_row(claim_id: int, score: float, **target: Any) -> ClaimMatch:
    same = score >= settings.FACTCHECK_MATCH_SAME_CLAIM_THRESHOLD
    return ClaimMatch(claim_id=claim_id, score=round(score, 4), same_claim=same, **target)


def claims_match(*, claims: list[Claim], new: bool = False) -> list[ClaimMatch]:
    """Matches for these claims (replacing their earlier suggestions): earlier claims of other
    articles, those with a verdict first, and fact-checks; best first. new: the claims were
    just created (ingestion), so they have no matches to replace or dismissed."""
    if not claims:
        return []
    threshold = settings.FACTCHECK_MATCH_SUGGESTION_THRESHOLD
    similarity = similarity_function()
    dismissed = set() if new else dismissed_targets([c.pk for c in claims])
    rows: list[ClaimMatch] = []
    for claim in claims:
        mine = profile(claim.text)
        for model, kind in ((Claim, "claim"), (FactCheck, "factcheck")):
            candidates = match_candidates(
                profile=mine, model=model, exclude_article=claim.article_id
            )
            for pk, text in candidates:
                if (claim.pk, kind, pk) in dismissed or (kind == "claim" and pk == claim.pk):
                    continue
                score = compare(mine, profile(text), similarity=similarity).score
                if score < threshold:
                    continue
                target = {"matched_claim_id": pk} if kind == "claim" else {"factcheck_id": pk}
                rows.append(match_row(claim.pk, score, **target))
    if not new:
        ClaimMatch.objects.filter(
            claim_id__in=[c.pk for c in claims], dismissed_at__isnull=True
        ).delete()
    if rows:
        ClaimMatch.objects.bulk_create(rows, ignore_conflicts=True)
    rows.sort(key=lambda m: -m.score)
    return rows


def claim_refresh_matches(*, claim: Claim) -> list[ClaimMatch]:
    """After the claim's text changed: new keys, new matches."""
    Claim.objects.filter(pk=claim.pk).update(match_keys=claim_match_keys(claim.text))
    return claims_match(claims=[claim])


def factchecks_match(*, factchecks: list[FactCheck]) -> int:
    """Matches of stored claims to these fact-checks; the number of new ones. A pair already
    stored (or dismissed) is left as it is."""
    threshold = settings.FACTCHECK_MATCH_SUGGESTION_THRESHOLD
    similarity = similarity_function()
    known = set(
        ClaimMatch.objects.filter(factcheck__in=factchecks).values_list("claim_id", "factcheck_id")
    )
    rows = []
    for factcheck in factchecks:
        theirs = profile(factcheck.claim_text)
        for pk, text in match_candidates(profile=theirs, model=Claim):
            if (pk, factcheck.pk) in known:
                continue
            score = compare(profile(text), theirs, similarity=similarity).score
            if score >= threshold:
                rows.append(match_row(pk, score, factcheck_id=factcheck.pk))
                known.add((pk, factcheck.pk))
    ClaimMatch.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def claim_match_dismiss(*, match: ClaimMatch, user: AbstractBaseUser) -> bool:
    """A reviewer says the match is wrong: hidden, and never suggested again."""
    updated = ClaimMatch.objects.filter(pk=match.pk, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now(), dismissed_by=user
    )
    if updated:
        what = f"claim {match.matched_claim_id}" if match.matched_claim_id else "a fact-check"
        ClaimEvent.objects.create(
            claim_id=match.claim_id,
            kind=ClaimEvent.Kind.EDITED,
            actor=user,
            message=f"Dismissed the suggested match with {what}",
            data={"match": match.pk},
        )
    return bool(updated)


@transaction.atomic
def claim_match_cite(*, match: ClaimMatch, user: AbstractBaseUser) -> list[Evidence]:
    """The earlier review as evidence for this claim, in one click: a fact-check's page (fetched
    like a reviewer's source), or the evidence the earlier claim's latest review cited.
    Raises ValidationError when there is nothing to cite."""
    claim = Claim.objects.get(pk=match.claim_id)
    if match.factcheck_id:
        return [_cite_factcheck(claim, match.factcheck, match.score, user)]
    earlier = match.matched_claim
    review = Review.objects.filter(claim=earlier).order_by("-created_at", "-pk").first()
    cited = list(review.evidence.select_related("source")) if review else []
    if not cited:
        raise ValidationError(f"Claim {earlier.pk} has no review with evidence to cite.")
    out = []
    for e in cited:
        evidence, created = Evidence.objects.get_or_create(
            claim=claim,
            source=e.source,
            defaults={
                "snapshot_id": e.snapshot_id,
                "quote": e.quote,
                "quote_start": e.quote_start,
                "quote_end": e.quote_end,
                "relevance": e.relevance,
                "stance": e.stance,
                "reason": f"Cited by the {review.verdict} review of claim {earlier.pk}: {e.reason}"[
                    :500
                ],
                "found_via": Evidence.FoundVia.EARLIER_REVIEW,
                "provider": "checked-before",
                "added_by": user,
            },
        )
        out.append(evidence)
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.SOURCE_ADDED,
        actor=user,
        message=f"Cited the {review.verdict} review of claim {earlier.pk} ({len(out)} sources)",
        data={"match": match.pk, "review": review.pk, "evidence": [e.pk for e in out]},
    )
    return out


def _cite_factcheck(
    claim: Claim, factcheck: FactCheck, score: float, user: AbstractBaseUser
) -> Evidence:
    """The fact-check's page as evidence, read like a fact-check research found: a candidate
    carrying its rating, so scoring the page gives the rating's stance and keeps it."""
    if not factcheck.url:
        raise ValidationError("This fact-check has no web address to cite.")
    who = factcheck.publisher or factcheck.publisher_site or "A fact-checker"
    info = {
        "rating": factcheck.rating,
        "publisher_name": factcheck.publisher,
        "publisher_site": factcheck.publisher_site,
        "review_url": factcheck.url,
        "review_title": factcheck.title,
        "review_date": factcheck.review_date.isoformat() if factcheck.review_date else "",
        "claim_text": factcheck.claim_text,
        "claimant": factcheck.claimant,
        "language": factcheck.language,
    }
    source, _ = source_get_or_create(url=factcheck.url)
    via = {"found_via": Evidence.FoundVia.FACTCHECK, "provider": "checked-before"}
    ResearchCandidate.objects.get_or_create(
        claim=claim, source=source, defaults={**via, "factcheck": info}
    )
    evidence, created = Evidence.objects.get_or_create(
        claim=claim,
        source=source,
        defaults={
            **via,
            "factcheck": info,
            "quote": factcheck.claim_text[:2000],
            "relevance": round(score, 4),
            "reason": f"{who} rated “{factcheck.claim_text[:200]}”: "
            f"{factcheck.rating or 'no rating'}"[:500],
            "added_by": user,
        },
    )
    if created:
        ClaimEvent.objects.create(
            claim=claim,
            kind=ClaimEvent.Kind.SOURCE_ADDED,
            actor=user,
            message=f"Cited the fact-check: {source.url}"[:500],
            data={"source": source.pk, "factcheck": factcheck.pk},
        )
    queue.enqueue(queue.FETCH_SOURCE, source.pk, claim_ids=[claim.pk], priority=REVIEWER_PRIORITY)
    return evidence
