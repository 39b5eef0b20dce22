"""Writing the reviewer workflow: verdicts, assignment, promotion, edits."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from claims.models import Claim, ClaimEvent, Evidence, Rating, Review, Sentence
from claims.selectors.ratings import default_rating
from claims.services.locking import claim_lock
from claims.services.matching import claim_refresh_matches
from claims.services.research import claim_queue_research


def _bump(claim: Claim, **fields: object) -> Claim:
    Claim.objects.filter(pk=claim.pk).update(version=F("version") + 1, **fields)
    claim.refresh_from_db()
    return claim


# Verdicts that say what the sources show: they must rest on a source we read.
VERDICTS_NEEDING_EVIDENCE = (Review.Verdict.VERIFIED, Review.Verdict.DISPUTED)


def evidence_is_citable(evidence: Evidence) -> bool:
    """Evidence whose source was read: a snapshot was fetched, or added by hand."""
    return evidence.snapshot_id is not None


def check_citable(*, verdict: str, evidence: list[Evidence]) -> None:
    """ValidationError unless the cited evidence fits the verdict.

    Every cited evidence must have been read; verified and disputed need at least one.
    """
    unread = [e for e in evidence if not evidence_is_citable(e)]
    if unread:
        raise ValidationError(
            {
                "evidence": "A verdict can only cite sources that were read; not read yet "
                "or could not be fetched: " + ", ".join(str(e.pk) for e in unread) + "."
            }
        )
    if verdict in VERDICTS_NEEDING_EVIDENCE and not evidence:
        label = Review.Verdict(verdict).label.lower()
        raise ValidationError(
            {
                "evidence": f"A claim marked {label} must cite at least one source that was "
                "read. Cite the evidence it rests on, or mark it unverifiable."
            }
        )


@transaction.atomic
def claim_record_verdict(
    *,
    claim: Claim,
    reviewer: AbstractBaseUser,
    verdict: str,
    rationale: str,
    evidence: Iterable[Evidence] = (),
    version: int,
    rating: Rating | None = None,
) -> Review:
    """Appends a review; the claim's status becomes its verdict.

    rating places the verdict on the newsroom's scale; it must belong to the verdict, and
    the verdict's default rating is used without one. Raises ConflictError when the claim
    changed since `version` was read.
    """
    if verdict not in Review.Verdict.values:
        raise ValidationError({"verdict": f"Unknown verdict {verdict!r}."})
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": "A rationale is required."})
    evidence = list(evidence)
    if any(e.claim_id != claim.pk for e in evidence):
        raise ValidationError({"evidence": "Cited evidence must belong to this claim."})
    check_citable(verdict=verdict, evidence=evidence)
    if rating is not None and rating.verdict != verdict:
        raise ValidationError(
            {"rating": f"“{rating.label}” is a rating for {rating.get_verdict_display().lower()}."}
        )
    rating = rating or default_rating(verdict)

    locked = claim_lock(claim.pk, version)
    review = Review.objects.create(
        claim=locked,
        reviewer=reviewer,
        verdict=verdict,
        rationale=rationale,
        claim_version=locked.version,
        claim_text=locked.text,
        claim_kind=locked.kind,
        rating=rating,
    )
    review.evidence.set(evidence)
    locked = _bump(locked, status=verdict)
    ClaimEvent.objects.create(
        claim=locked,
        kind=ClaimEvent.Kind.REVIEWED,
        actor=reviewer,
        message=f"Marked {review.get_verdict_display().lower()}",
        data={"verdict": verdict, "review": review.pk, "version": locked.version},
    )
    claim.version, claim.status = locked.version, locked.status
    return review


@transaction.atomic
def claim_assign(
    *, claim: Claim, assignee: AbstractBaseUser | None, actor: AbstractBaseUser | None
) -> Claim:
    locked = claim_lock(claim.pk, None)
    locked = _bump(locked, assignee=assignee)
    ClaimEvent.objects.create(
        claim=locked,
        kind=ClaimEvent.Kind.ASSIGNED,
        actor=actor,
        message=f"Assigned to {assignee.get_username()}" if assignee else "Unassigned",
        data={"version": locked.version},
    )
    return locked


@transaction.atomic
def sentence_promote(*, sentence: Sentence, actor: AbstractBaseUser) -> Claim:
    """Turns a sentence under the threshold into a claim (idempotent)."""
    existing = Claim.objects.filter(
        article=sentence.article, start=sentence.start, end=sentence.end
    ).first()
    if existing is not None:
        return existing
    claim = Claim.objects.create(
        article=sentence.article,
        sentence=sentence,
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        score=sentence.score,
        reasons=sentence.reasons,
        origin=Claim.Origin.PROMOTED,
    )
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.EXTRACTED,
        actor=actor,
        message="Promoted to a claim by a reviewer",
        data={"version": claim.version},
    )
    claim_refresh_matches(claim=claim)
    claim_queue_research(claim=claim)
    return claim
