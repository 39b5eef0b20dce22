"""Writing published fact-checks: imported ClaimReviews and those research finds.

One FactCheck row per reviewed claim (its review URL and claim text); importing the same
review again updates it. New fact-checks are matched to the stored claims at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction

from claims.models import Claim, ClaimMatch, FactCheck
from claims.services.matching import claim_match_keys, factchecks_match, match_row
from language.claim_profile import profile
from language.claimreview import Review
from language.matching import compare


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
            [match_row(claim.pk, score, factcheck_id=factcheck.pk)], ignore_conflicts=True
        )
    return factcheck


def _web_url(url: str) -> str:
    url = url.strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


@transaction.atomic
def factchecks_import(*, reviews: list[Review]) -> dict[str, Any]:
    """Stores parsed reviews (language.claimreview) and matches them to stored claims."""
    created = updated = 0
    factchecks = []
    for review in reviews:
        factcheck, is_new = factcheck_upsert(
            claim_text=review.claim_text,
            url=_web_url(review.url),
            source=FactCheck.Origin.IMPORTED,
            claimant=review.claimant,
            publisher=review.publisher,
            publisher_site=review.publisher_site,
            rating=review.rating,
            review_date=_date(review.review_date),
            title=review.title,
            language=review.language,
        )
        created += is_new
        updated += not is_new
        factchecks.append(factcheck)
    matched = factchecks_match(factchecks=factchecks)
    return {
        "created": created,
        "updated": updated,
        "matched_claims": matched,
        "factchecks": [f.pk for f in factchecks],
    }
