"""Writing claim matches: each new claim against earlier claims and published fact-checks.

Runs inside ingestion (no worker, no network): candidates come from the full-text index
(claims.selectors.matches), the precise scorer is language.matching. A match is stored at or
above FACTCHECK_MATCH_SUGGESTION_THRESHOLD and marked `same_claim` at or above
FACTCHECK_MATCH_SAME_CLAIM_THRESHOLD. A match a reviewer dismissed stays (dismissed), so it is
never suggested again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimEvent, ClaimMatch, FactCheck
from claims.selectors.matches import dismissed_targets, match_candidates, stored_keys
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


def _match(claim_id: int, score: float, **target: Any) -> ClaimMatch:
    same = score >= settings.FACTCHECK_MATCH_SAME_CLAIM_THRESHOLD
    return ClaimMatch(claim_id=claim_id, score=round(score, 4), same_claim=same, **target)


def claims_match(*, claims: list[Claim]) -> list[ClaimMatch]:
    """Matches for these claims (replacing their earlier suggestions): earlier claims of other
    articles, those with a verdict first, and fact-checks; best first."""
    if not claims:
        return []
    threshold = settings.FACTCHECK_MATCH_SUGGESTION_THRESHOLD
    similarity = similarity_function()
    dismissed = dismissed_targets([c.pk for c in claims])
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
                rows.append(_match(claim.pk, score, **target))
    ClaimMatch.objects.filter(
        claim_id__in=[c.pk for c in claims], dismissed_at__isnull=True
    ).delete()
    ClaimMatch.objects.bulk_create(rows, ignore_conflicts=True)
    rows.sort(key=lambda m: -m.score)
    return rows


def claim_refresh_matches(*, claim: Claim) -> list[ClaimMatch]:
    """After the claim's text changed: new keys, new matches."""
    Claim.objects.filter(pk=claim.pk).update(match_keys=claim_match_keys(claim.text))
    return claims_match(claims=[claim])


def factchecks_match(*, factchecks: list[FactCheck]) -> int:
    """Matches of stored claims to these (new) fact-checks; the number stored."""
    threshold = settings.FACTCHECK_MATCH_SUGGESTION_THRESHOLD
    similarity = similarity_function()
    rows = []
    for factcheck in factchecks:
        theirs = profile(factcheck.claim_text)
        candidates = match_candidates(profile=theirs, model=Claim)
        dismissed = dismissed_targets([pk for pk, _ in candidates])
        for pk, text in candidates:
            if (pk, "factcheck", factcheck.pk) in dismissed:
                continue
            score = compare(profile(text), theirs, similarity=similarity).score
            if score >= threshold:
                rows.append(_match(pk, score, factcheck_id=factcheck.pk))
    return len(ClaimMatch.objects.bulk_create(rows, ignore_conflicts=True))


def factcheck_key(url: str, claim_text: str) -> str:
    normal = " ".join(claim_text.split()).lower()
    return hashlib.sha256(f"{url.strip()}\n{normal}".encode()).hexdigest()


def factcheck_upsert(
    *,
    claim_text: str,
    url: str,
    source: str,
    claimant: str = "",
    publisher: str = "",
    publisher_site: str = "",
    rating: str = "",
    review_date: dt.date | None = None,
    title: str = "",
    language: str = "",
) -> tuple[FactCheck, bool]:
    """One row per reviewed claim (review URL + claim text); a newer reading updates it."""
    values = {
        "claim_text": claim_text.strip(),
        "url": url.strip()[:2000],
        "claimant": claimant[:300],
        "publisher": publisher[:300],
        "publisher_site": publisher_site[:300],
        "rating": rating[:300],
        "review_date": review_date,
        "title": title[:500],
        "language": language[:20],
        "match_keys": claim_match_keys(claim_text),
    }
    factcheck, created = FactCheck.objects.update_or_create(
        key=factcheck_key(url, claim_text),
        defaults=values,
        create_defaults={**values, "source": source},
    )
    return factcheck, created


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@transaction.atomic
def factcheck_record_found(*, claim: Claim, info: dict[str, Any]) -> FactCheck | None:
    """A prior fact-check research found for a claim (worker.search's `factcheck` dict)
    becomes a FactCheck record (source: research), matched to the claim when it scores."""
    claim_text = str(info.get("claim_text") or "").strip()
    url = str(info.get("review_url") or "").strip()
    if not claim_text or not url:
        return None
    factcheck, _ = factcheck_upsert(
        claim_text=claim_text,
        url=url,
        source=FactCheck.Origin.RESEARCH,
        claimant=str(info.get("claimant") or ""),
        publisher=str(info.get("publisher_name") or ""),
        publisher_site=str(info.get("publisher_site") or ""),
        rating=str(info.get("rating") or ""),
        review_date=_date(str(info.get("review_date") or "")),
        title=str(info.get("review_title") or ""),
        language=str(info.get("language") or ""),
    )
    score = compare(profile(claim.text), profile(claim_text)).score
    if score >= settings.FACTCHECK_MATCH_SUGGESTION_THRESHOLD:
        ClaimMatch.objects.bulk_create(
            [_match(claim.pk, score, factcheck_id=factcheck.pk)], ignore_conflicts=True
        )
    return factcheck


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
