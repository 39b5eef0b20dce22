"""Reading claim matches: candidates from the full-text index, and matches as shown.

Candidates: the earlier claims (of other articles) and fact-checks whose matching keys share
at least two anchors (countries, names, figures, years) with the claim's, from the database's
full-text index (PostgreSQL: a GIN index over to_tsvector of the keys; SQLite, the embedded
setup: a scan with LIKE). The precise scorer (language.matching) then decides.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from claims import sql
from claims.models import Claim, ClaimMatch, FactCheck, Review
from language.claim_profile import Profile

CANDIDATE_LIMIT = 30
STRICT_ENOUGH = 10  # candidates sharing three keys that make the two-key search unneeded
_MAX_ANCHORS = 5
_SAFE_KEY = re.compile(r"[^a-z0-9]")


def _specificity(key: str) -> int:
    """Designations are rarest, then names, figures, countries; years are the commonest."""
    if key.startswith("y") and key[1:].isdigit():
        return 4
    if re.fullmatch(r"n\d+[xm]\d+", key):
        return 2
    if any(c.isdigit() for c in key):
        return 0
    return 1


def query_keys(profile: Profile) -> list[str]:
    """The keys a candidate search uses: the most specific anchors (designations, names,
    figures, countries, years), topped up with the longest terms when there are few."""
    countries = {_SAFE_KEY.sub("", c) for c in profile.countries}
    keys = [_SAFE_KEY.sub("", k) for k in profile.anchor_keys()]
    keys = sorted(dict.fromkeys(k for k in keys if k), key=lambda k: (
        3 if k in countries else _specificity(k)
    ))[:_MAX_ANCHORS]  # fmt: skip
    if len(keys) < 3:
        terms = sorted((_SAFE_KEY.sub("", t) for t in profile.terms), key=lambda t: (-len(t), t))
        keys += [t for t in terms if len(t) >= 4][: 5 - len(keys)]
    return keys


def tsquery(keys: list[str], together: int = 2) -> str:
    """Any `together` keys at once ('a & b | a & c | ...'); the keys alone when fewer."""
    if len(keys) < together:
        return " | ".join(keys)
    return " | ".join(" & ".join(group) for group in itertools.combinations(keys, together))


def match_candidates(
    *, profile: Profile, model: type[Claim] | type[FactCheck], exclude_article: int | None = None
) -> list[tuple[int, str]]:
    """(id, text) of at most CANDIDATE_LIMIT claims or fact-checks worth scoring."""
    keys = query_keys(profile)
    if not keys:
        return []
    if connection.vendor != "postgresql":
        return _scan_candidates(keys, model, exclude_article)
    if len(keys) >= 4:
        # Three shared keys first: a few rows to rank. Two keys in common (Azerbaijan and
        # 2023) can hold thousands at 100,000 claims, every one read to be ranked.
        strict = sql.match_candidates(
            model, tsquery(keys, 3), exclude_article=exclude_article, limit=CANDIDATE_LIMIT
        )
        if len(strict) >= STRICT_ENOUGH:
            return strict
    return sql.match_candidates(
        model, tsquery(keys), exclude_article=exclude_article, limit=CANDIDATE_LIMIT
    )


def _scan_candidates(
    keys: list[str], model: type[Claim] | type[FactCheck], exclude_article: int | None
) -> list[tuple[int, str]]:
    """The embedded fallback: rows whose keys contain two of ours (a scan, few rows)."""
    has = {k: Q(match_keys__contains=f" {k} ") for k in keys}
    if len(keys) < 2:
        condition = has[keys[0]]
    else:
        condition = Q()
        for a, b in itertools.combinations(keys, 2):
            condition |= has[a] & has[b]
    qs: QuerySet = model.objects.filter(condition)
    text = "claim_text"
    if model is Claim:
        text = "text"
        if exclude_article is not None:
            qs = qs.exclude(article_id=exclude_article)
    return list(qs.order_by("-pk").values_list("pk", text)[:CANDIDATE_LIMIT])


def stored_keys(profile: Profile) -> str:
    """The matching keys as stored: space-separated, with spaces at both ends (for LIKE)."""
    keys = [_SAFE_KEY.sub("", k) for k in profile.search_keys()]
    return " " + " ".join(dict.fromkeys(k for k in keys if k)) + " "


def dismissed_targets(claim_ids: list[int]) -> set[tuple[int, str, int]]:
    """(claim id, "claim" or "factcheck", target id) of every dismissed match of these claims."""
    out = set()
    rows = ClaimMatch.objects.filter(claim_id__in=claim_ids, dismissed_at__isnull=False)
    for claim_id, matched, factcheck in rows.values_list(
        "claim_id", "matched_claim_id", "factcheck_id"
    ):
        if matched:
            out.add((claim_id, "claim", matched))
        else:
            out.add((claim_id, "factcheck", factcheck))
    return out


def _shown() -> QuerySet[ClaimMatch]:
    return (
        ClaimMatch.objects.filter(dismissed_at__isnull=True)
        .select_related("matched_claim__article", "factcheck")
        .order_by("-score", "pk")
    )


def claim_matches(claim: Claim) -> list[ClaimMatch]:
    """The claim's matches a reviewer should see: not dismissed, best first (prefetched by
    shown_matches_prefetch when the claim came with them)."""
    prefetched = getattr(claim, "shown_matches", None)
    if prefetched is not None:
        return prefetched
    return list(_shown().filter(claim=claim))


def shown_matches_prefetch() -> Prefetch:
    """Prefetch of each claim's shown matches, into claim.shown_matches."""
    return Prefetch("matches", queryset=_shown(), to_attr="shown_matches")


def claim_match_reports(claim: Claim, *, with_ids: bool = False) -> list[dict[str, Any]]:
    """The shown matches as reports; with_ids (the API) adds each match's own "id", the one
    its dismiss endpoint takes."""
    if with_ids:
        return [{"id": m.pk, **match_report(m)} for m in claim_matches(claim)]
    return [match_report(m) for m in claim_matches(claim)]


def claim_match_of(claim_id: int, match_id: int) -> ClaimMatch | None:
    """The claim's match with that id, dismissed or not; None for a match of another claim."""
    return ClaimMatch.objects.filter(pk=match_id, claim_id=claim_id).first()


def match_verdict(match: ClaimMatch) -> str | None:
    """The earlier claim's current verdict, or the fact-check's rating; None when neither."""
    if match.factcheck_id:
        return match.factcheck.rating or None
    status = match.matched_claim.status
    return status if status in Claim.VERDICT_STATUSES else None


def match_report(match: ClaimMatch) -> dict[str, Any]:
    """The stable shape of one match in the API and `ingest --json`."""
    if match.factcheck_id:
        return {
            "claim": None,
            "article": None,
            "factcheck": match.factcheck_id,
            "score": match.score,
            "same_claim": match.same_claim,
            "verdict": match_verdict(match),
            "url": match.factcheck.url or None,
        }
    earlier = match.matched_claim
    return {
        "claim": earlier.pk,
        "article": earlier.article_id,
        "factcheck": None,
        "score": match.score,
        "same_claim": match.same_claim,
        "verdict": match_verdict(match),
        "url": earlier.article.url or None,
    }


@dataclass(frozen=True)
class CheckedBefore:
    """One entry of the claim page's "Checked before" panel."""

    match: ClaimMatch
    text: str
    verdict: str | None  # the earlier claim's verdict or the fact-check's rating
    date: dt.date | None  # of the earlier claim's latest review, or of the fact-check
    who: str  # the fact-check's publisher, or the earlier claim's article
    review_url: str  # the fact-check's page (http or https), else ""
    can_cite: bool  # there is a review (with evidence) or a fact-check URL to cite

    @property
    def is_factcheck(self) -> bool:
        return self.match.factcheck_id is not None


def checked_before(*, claim: Claim) -> list[CheckedBefore]:
    """The claim's matches, best first, with what each earlier review said and when."""
    matches = claim_matches(claim)
    earlier_ids = [m.matched_claim_id for m in matches if m.matched_claim_id]
    latest: dict[int, Review] = {}
    reviews = (
        Review.objects.filter(claim_id__in=earlier_ids)
        .annotate(n_evidence=Count("evidence"))
        .order_by("claim_id", "-created_at", "-pk")
    )
    for review in reviews:
        latest.setdefault(review.claim_id, review)
    out = []
    for m in matches:
        if m.factcheck_id:
            fc = m.factcheck
            out.append(
                CheckedBefore(
                    match=m,
                    text=fc.claim_text,
                    verdict=fc.rating or None,
                    date=fc.review_date,
                    who=fc.publisher or fc.publisher_site or "a fact-checker",
                    review_url=fc.url,
                    can_cite=bool(fc.url),
                )
            )
            continue
        earlier = m.matched_claim
        review = latest.get(earlier.pk)
        out.append(
            CheckedBefore(
                match=m,
                text=earlier.text,
                verdict=match_verdict(m),
                date=review.created_at.date() if review else None,
                who=str(earlier.article),
                review_url="",
                can_cite=bool(review and review.n_evidence),
            )
        )
    return out
