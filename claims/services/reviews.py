"""Writing the reviewer workflow: verdicts, assignment, promotion, edits."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from claims.models import Claim, ClaimEvent, Evidence, Review, Sentence
from claims.services.errors import ConflictError
from claims.services.research import claim_queue_research


def _changes_since(claim: Claim, version: int) -> list[dict]:
    """What happened to the claim after the version the caller saw, for the conflict message."""
    events = claim.events.filter(
        kind__in=[ClaimEvent.Kind.REVIEWED, ClaimEvent.Kind.EDITED, ClaimEvent.Kind.ASSIGNED]
    ).order_by("-created_at")[:10]
    return [
        {
            "kind": e.kind,
            "message": e.message,
            "by": getattr(e.actor, "username", None),
            "at": e.created_at.isoformat(),
            "version": e.data.get("version"),
        }
        for e in events
        if (e.data.get("version") or 0) > version
    ]


def _lock_claim(claim_id: int, version: int | None) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    if version is not None and claim.version != version:
        raise ConflictError(
            f"This claim was changed by someone else (you saw version {version}, "
            f"it is now version {claim.version}). Reload it before saving.",
            current_version=claim.version,
            changes=_changes_since(claim, version),
        )
    return claim


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

    locked = _lock_claim(claim.pk, version)
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
    locked = _lock_claim(claim.pk, None)
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
def claim_edit(
    *,
    claim: Claim,
    editor: AbstractBaseUser,
    version: int,
    text: str | None = None,
    start: int | None = None,
    end: int | None = None,
    kind: str | None = None,
) -> Claim:
    """An editor's correction of a claim; history keeps the old values."""
    locked = _lock_claim(claim.pk, version)
    new_start = locked.start if start is None else start
    new_end = locked.end if end is None else end
    if not (0 <= new_start <= new_end <= len(locked.article.text)):
        raise ValidationError({"start": "Offsets must lie inside the article text."})
    if text is not None and not text.strip():
        raise ValidationError({"text": "The claim text cannot be empty."})
    if kind is not None and kind not in Claim.Kind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}."})
    locked.text = text.strip() if text is not None else locked.text
    locked.start, locked.end = new_start, new_end
    locked.kind = kind or locked.kind
    locked.version += 1
    locked._history_user = editor
    locked.save()
    ClaimEvent.objects.create(
        claim=locked,
        kind=ClaimEvent.Kind.EDITED,
        actor=editor,
        message="Claim edited",
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
