"""Actions on a claim's sources: fetch one again, read an archived copy, research again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from claims.models import Claim, Source
from claims.services.hand_evidence import claim_add_evidence_by_hand, recognise_document
from claims.services.research import claims_retry_research
from claims.services.unread_sources import source_request_archived_copy, source_retry_fetch
from claims.web.forms import HandEvidenceForm

from .access import is_htmx, reviewer_required
from .claims import _evidence_partial, _page, _render_claim


def _answer(request: HttpRequest, pk: int, *, notice: str = "", error: str = "") -> HttpResponse:
    if is_htmx(request):
        return _evidence_partial(
            request, pk, added=[], notice=notice, error=error, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(reverse("claim_detail", args=[pk]) + "#evidence")


@require_POST
@reviewer_required
def claim_source_retry(request: HttpRequest, pk: int, source_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    source = get_object_or_404(Source, pk=source_id)
    try:
        source_retry_fetch(claim=claim, source=source, user=request.user)
    except ValidationError as exc:
        return _answer(request, pk, error=" ".join(exc.messages))
    return _answer(request, pk, notice=f"Fetching again: {source.url}")


@require_POST
@reviewer_required
def claim_source_archive(request: HttpRequest, pk: int, source_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    source = get_object_or_404(Source, pk=source_id)
    try:
        source_request_archived_copy(claim=claim, source=source, user=request.user)
    except ValidationError as exc:
        return _answer(request, pk, error=" ".join(exc.messages))
    return _answer(
        request,
        pk,
        notice=f"Looking for an archived copy of {source.url}; the timeline says what was found.",
    )


@require_POST
@reviewer_required
def claim_research_retry(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    if claims_retry_research(claims=[claim], user=request.user):
        messages.success(request, "Research queued again.")
    else:
        messages.error(request, "Research runs only for claims without a verdict.")
    return redirect("claim_detail", pk)


@require_POST
@reviewer_required
def claim_add_by_hand(request: HttpRequest, pk: int) -> HttpResponse:
    """A document uploaded or an excerpt pasted by a reviewer, stored as a snapshot."""
    claim = get_object_or_404(Claim, pk=pk)
    form = HandEvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            upload = data.get("file")
            document = recognise_document(upload.read(), upload.name) if upload else None
            claim_add_evidence_by_hand(
                claim=claim,
                user=request.user,
                citation=data["citation"],
                url=data.get("url") or "",
                excerpt=data.get("excerpt") or "",
                document=document,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Evidence added by hand: {data['citation']}")
            return redirect(reverse("claim_detail", args=[pk]) + "#evidence")
    return _render_claim(request, _page(pk), hand_form=form, status=400)
