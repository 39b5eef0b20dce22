"""The claim page's "Checked before" actions: cite the earlier review, dismiss a wrong match."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from claims.models import ClaimMatch
from claims.services.matching import claim_match_cite, claim_match_dismiss

from .access import reviewer_required


def _match(claim_pk: int, match_pk: int, *, dismissed_too: bool = False) -> ClaimMatch:
    matches = ClaimMatch.objects.select_related("matched_claim", "factcheck")
    if not dismissed_too:
        matches = matches.filter(dismissed_at__isnull=True)
    return get_object_or_404(matches, pk=match_pk, claim_id=claim_pk)


def _back(pk: int, anchor: str) -> HttpResponse:
    return redirect(reverse("claim_detail", args=[pk]) + anchor)


@require_POST
@reviewer_required
def claim_match_cite_view(request: HttpRequest, pk: int, match_pk: int) -> HttpResponse:
    match = _match(pk, match_pk)
    try:
        cited = claim_match_cite(match=match, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(pk, "#checked-before")
    messages.success(
        request,
        f"Cited the earlier review: {len(cited)} source{'s' if len(cited) != 1 else ''} "
        "added to the evidence; tick them in the verdict form to rest a verdict on them.",
    )
    return _back(pk, "#evidence")


@require_POST
@reviewer_required
def claim_match_dismiss_view(request: HttpRequest, pk: int, match_pk: int) -> HttpResponse:
    match = _match(pk, match_pk, dismissed_too=True)  # a second click (another tab) is fine
    if claim_match_dismiss(match=match, user=request.user):
        messages.success(request, "Match dismissed: it will not be suggested again.")
    else:
        messages.info(request, "This match was already dismissed.")
    return _back(pk, "#checked-before")
