"""Writing the reviewer workflow: verdicts, assignment, promotion, edits."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from claims.models import Claim, ClaimEvent, Evidence, Review, Sentence
from claims.services.locking import claim_lock
from claims.services.research import claim_queue_research


def _bump(claim: Claim, **fields: object) -> Claim:
    Claim.objects.filter(pk=claim.pk).update(version=F("version") + 1, **fields)
    claim.refresh_from_db()
    return claim


@transaction.atomic
def claim_record_verdict(
    *,
    claim: Claim,
    reviewer: AbstractBaseUser,
    verdict: str,
    rationale: str,
    evidence: Iterable[Evidence] = (),
    version: int,
) -> Review:
    """Appends a review; the claim's status becomes its verdict.

    Raises ConflictError when the claim changed since `version` was read.
    """
    if verdict not in Review.Verdict.values:
        raise ValidationError({"verdict": f"Unknown verdict {verdict!r}."})
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": "A rationale is required."})
    evidence = list(evidence)
    if any(e.claim_id != claim.pk for e in evidence):
        raise ValidationError({"evidence": "Cited evidence must belong to this claim."})

    locked = claim_lock(claim.pk, version)
    review = Review.objects.create(
        claim=locked,
        reviewer=reviewer,
        verdict=verdict,
        rationale=rationale,
        claim_version=locked.version,
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
    claim_queue_research(claim=claim)
    return claim
