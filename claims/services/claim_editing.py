"""Editors' fixes to claims: edit the wording, split one claim into two, merge duplicates.

Evidence and reviews stay attached: a split copies the evidence to the new claim (the
reviews stay with the original), a merge moves every evidence row, review and timeline
event of the duplicates onto the claim that is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims import roles
from claims.models import Claim, ClaimEvent, Evidence, Review
from claims.services.locking import claim_lock
from claims.services.matching import claim_refresh_matches
from claims.services.research import claim_queue_research


def _check_editor(
    user: AbstractBaseUser, message: str = "Only editors split or merge claims."
) -> None:
    if not roles.can_edit(user):
        raise PermissionDenied(message)


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
    """An editor's correction of a claim; history keeps the old values.

    Changing the text or the kind of a claim with a verdict sends it to re-review: the
    verdict was given on other wording. The public page keeps the reviewed wording (stored
    on the review) until the new wording is reviewed and published.
    """
    _check_editor(editor, "Only editors edit claims.")
    locked = claim_lock(claim.pk, version)
    new_start = locked.start if start is None else start
    new_end = locked.end if end is None else end
    if not (0 <= new_start <= new_end <= len(locked.article.text)):
        raise ValidationError({"start": "Offsets must lie inside the article text."})
    if text is not None and not text.strip():
        raise ValidationError({"text": "The claim text cannot be empty."})
    if kind is not None and kind not in Claim.Kind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}."})
    new_text = text.strip() if text is not None else locked.text
    new_kind = kind or locked.kind
    reworded = new_text != locked.text or new_kind != locked.kind
    reopened = reworded and locked.status in Claim.VERDICT_STATUSES
    locked.text, locked.kind = new_text, new_kind
    locked.start, locked.end = new_start, new_end
    if reopened:
        locked.status = Claim.Status.NEEDS_REREVIEW
    locked.version += 1
    locked._history_user = editor
    locked.save()
    message = "Claim edited"
    if reopened:
        message += "; its verdict was given on other wording, so it needs re-review"
    ClaimEvent.objects.create(
        claim=locked,
        kind=ClaimEvent.Kind.EDITED,
        actor=editor,
        message=message,
        data={"version": locked.version, "reopened": reopened},
    )
    if text is not None:
        claim_refresh_matches(claim=locked)
    claim.version, claim.status = locked.version, locked.status
    return locked


def _trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def default_split_texts(claim: Claim, split_at: int) -> tuple[str, str]:
    """The two texts a split at article offset `split_at` gives by default."""
    article_text = claim.article.text
    if article_text[claim.start : claim.end].strip() == claim.text.strip():
        return (
            article_text[claim.start : split_at].strip(),
            article_text[split_at : claim.end].strip(),
        )
    # The claim text is not a verbatim span (decomposed list sentence): cut the text itself.
    cut = max(0, min(len(claim.text), split_at - claim.start))
    return claim.text[:cut].strip(), claim.text[cut:].strip()


@transaction.atomic
def claim_split(
    *,
    claim: Claim,
    editor: AbstractBaseUser,
    version: int,
    split_at: int,
    first_text: str | None = None,
    second_text: str | None = None,
) -> tuple[Claim, Claim]:
    """Splits a claim at an article offset into two claims.

    The original claim becomes the first part and keeps its reviews and evidence; the
    second part is a new claim with a copy of the evidence. A claim that had a verdict
    needs a re-review, since its text changed. Raises ConflictError on a stale version.
    """
    _check_editor(editor)
    locked = claim_lock(claim.pk, version)
    if not locked.start < split_at < locked.end:
        raise ValidationError(
            {"split_at": f"Split inside the claim: between {locked.start} and {locked.end}."}
        )
    default_first, default_second = default_split_texts(locked, split_at)
    first_text = (first_text or "").strip() or default_first
    second_text = (second_text or "").strip() or default_second
    if not first_text or not second_text:
        raise ValidationError({"split_at": "Both parts of a split need some text."})
    article_text = locked.article.text
    first_span = _trimmed_span(article_text, locked.start, split_at)
    second_span = _trimmed_span(article_text, split_at, locked.end)

    second = Claim(
        article=locked.article,
        sentence=locked.sentence,
        text=second_text,
        start=second_span[0],
        end=second_span[1],
        score=locked.score,
        reasons=locked.reasons,
        kind=locked.kind,
        features=locked.features,
        origin=Claim.Origin.MANUAL,
        status=Claim.Status.NEEDS_REVIEW if locked.evidence.exists() else Claim.Status.PENDING,
        assignee=locked.assignee,
    )
    second._history_user = editor
    second.save()
    Evidence.objects.bulk_create(
        [
            Evidence(
                claim=second,
                source_id=e.source_id,
                snapshot_id=e.snapshot_id,
                quote=e.quote,
                quote_start=e.quote_start,
                quote_end=e.quote_end,
                relevance=e.relevance,
                stance=e.stance,
                reason=e.reason,
                found_via=e.found_via,
                provider=e.provider,
                factcheck=e.factcheck,
                added_by=e.added_by,
            )
            for e in locked.evidence.all()
        ]
    )

    locked.text = first_text
    locked.start, locked.end = first_span
    if locked.status in Claim.VERDICT_STATUSES:
        locked.status = Claim.Status.NEEDS_REREVIEW
    locked.version += 1
    locked._history_user = editor
    locked._change_reason = f"Split: second part is claim {second.pk}"
    locked.save()
    ClaimEvent.objects.create(
        claim=locked,
        kind=ClaimEvent.Kind.EDITED,
        actor=editor,
        message=f"Split into this claim and claim {second.pk}",
        data={"version": locked.version, "split_into": [locked.pk, second.pk]},
    )
    ClaimEvent.objects.create(
        claim=second,
        kind=ClaimEvent.Kind.EXTRACTED,
        actor=editor,
        message=f"Split off claim {locked.pk}",
        data={"version": second.version, "split_from": locked.pk},
    )
    if second.status == Claim.Status.PENDING:
        claim_queue_research(claim=second)
    claim_refresh_matches(claim=locked)
    claim_refresh_matches(claim=second)
    claim.version, claim.status = locked.version, locked.status
    return locked, second


@transaction.atomic
def claims_merge(
    *, claims: Sequence[Claim], editor: AbstractBaseUser, keep: Claim | None = None
) -> Claim:
    """Merges duplicate claims of one article into `keep` (default: the oldest).

    Evidence, reviews and timeline events of the duplicates move to the kept claim; when
    both have evidence from the same source, the kept claim's row stays and reviews that
    cited the duplicate's row cite it instead. The duplicates are then deleted (their
    history stays in the claim history).
    """
    _check_editor(editor)
    ids = sorted({c.pk for c in claims} | ({keep.pk} if keep else set()))
    if len(ids) < 2:
        raise ValidationError("Select at least two claims to merge.")
    locked = list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("created_at", "pk"))
    if len(locked) != len(ids):
        raise ValidationError("Some of these claims no longer exist.")
    if len({c.article_id for c in locked}) != 1:
        raise ValidationError("Only claims of the same article can be merged.")
    kept = next(c for c in locked if c.pk == keep.pk) if keep else locked[0]
    duplicates = [c for c in locked if c.pk != kept.pk]
    dup_ids = [c.pk for c in duplicates]

    kept_by_source = {e.source_id: e for e in Evidence.objects.filter(claim=kept)}
    for evidence in Evidence.objects.filter(claim_id__in=dup_ids).order_by("-relevance"):
        target = kept_by_source.get(evidence.source_id)
        if target is None:
            evidence.claim = kept
            evidence.save(update_fields=["claim"])
            kept_by_source[evidence.source_id] = evidence
            continue
        for review in evidence.reviews.all():
            review.evidence.add(target)
        evidence.delete()
    Review.objects.filter(claim_id__in=dup_ids).update(claim=kept)
    ClaimEvent.objects.filter(claim_id__in=dup_ids).update(claim=kept)

    latest = Review.objects.filter(claim=kept).order_by("-created_at", "-pk").first()
    if latest is not None and kept.status != Claim.Status.NEEDS_REREVIEW:
        kept.status = latest.verdict
    if kept.assignee_id is None:
        kept.assignee_id = next((c.assignee_id for c in duplicates if c.assignee_id), None)
    kept.is_published = kept.is_published or any(c.is_published for c in duplicates)
    kept.version += 1
    kept._history_user = editor
    kept._change_reason = "Merged claims " + ", ".join(str(i) for i in dup_ids)
    kept.save()
    for duplicate in duplicates:
        duplicate._history_user = editor
        duplicate._change_reason = f"Merged into claim {kept.pk}"
        duplicate.delete()
    ClaimEvent.objects.create(
        claim=kept,
        kind=ClaimEvent.Kind.EDITED,
        actor=editor,
        message="Merged duplicate claims " + ", ".join(f"#{i}" for i in dup_ids),
        data={"version": kept.version, "merged": dup_ids},
    )
    return kept
