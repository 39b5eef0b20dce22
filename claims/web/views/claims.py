"""The claim page and its actions: verdict, sources, assignment, edits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.models import Claim, Review
from claims.selectors.claim_page import ClaimPage, claim_page
from claims.selectors.queue import QueueFilters, claim_queue
from claims.selectors.ratings import ratings_by_verdict
from claims.services.claim_editing import claim_edit as edit_service
from claims.services.errors import ConflictError
from claims.services.reviews import claim_assign as assign_service
from claims.services.reviews import claim_record_verdict
from claims.services.sources import claim_add_source_url
from claims.web.forms import (
    AddSourcesForm,
    AssignForm,
    ClaimEditForm,
    HandEvidenceForm,
    VerdictForm,
)

from .access import editor_required, is_htmx, reviewer_required, roles, safe_next


def _page(claim_id: int) -> ClaimPage:
    try:
        return claim_page(claim_id=claim_id)
    except Claim.DoesNotExist as exc:
        raise Http404("No such claim.") from exc


def _render_claim(
    request: HttpRequest,
    page: ClaimPage,
    *,
    verdict_form: VerdictForm | None = None,
    sources_form: AddSourcesForm | None = None,
    conflict: ConflictError | None = None,
    recorded: Review | None = None,
    hand_form: HandEvidenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    claim = page.claim
    if verdict_form is None:
        preset = request.GET.get("verdict")
        verdict_form = VerdictForm(
            claim=claim,
            initial={
                "version": claim.version,
                "verdict": preset if preset in Review.Verdict.values else None,
            },
        )
    selected = verdict_form["evidence"].value() or []
    context = {
        "page": page,
        "claim": claim,
        "verdict_form": verdict_form,
        "verdict_value": verdict_form["verdict"].value() or "",
        "selected_evidence": {str(pk) for pk in selected},
        "verdict_choices": Review.Verdict.choices,
        "rating_groups": [
            (label, ratings_by_verdict().get(value, [])) for value, label in Review.Verdict.choices
        ],
        "rating_value": str(verdict_form["rating"].value() or ""),
        "sources_form": sources_form or AddSourcesForm(),
        "hand_form": hand_form or _hand_form(request),
        "conflict": conflict,
        "recorded": recorded,
        **roles(request),
    }
    return render(request, "claims/claim_detail.html", context, status=status)


def _hand_form(request: HttpRequest) -> HandEvidenceForm:
    """The add-by-hand form, its address taken from a card's "Add it by hand" link."""
    return HandEvidenceForm(initial={"url": request.GET.get("add_url", "")[:2000]})


def _evidence_partial(
    request: HttpRequest,
    pk: int,
    *,
    sources_form: AddSourcesForm | None = None,
    added: list[str] | None = None,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The evidence section for htmx, with the verdict form's evidence list swapped out of band
    so a card that just arrived can be cited; the boxes the reviewer ticked stay ticked."""
    page = _page(pk)
    ticked = request.POST.getlist("evidence") if request.method == "POST" else []
    ticked = ticked or request.GET.getlist("evidence")
    context = {
        "page": page,
        "claim": page.claim,
        "sources_form": sources_form or AddSourcesForm(),
        "hand_form": _hand_form(request),
        "added": added or [],
        "notice": notice,
        "error": error,
        "selected_evidence": {str(pk) for pk in ticked},
        "oob_verdict_evidence": True,
        **roles(request),
    }
    return render(request, "claims/_evidence_section.html", context, status=status)


@require_GET
@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_claim(request, _page(pk))


@require_GET
@login_required
def claim_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence cards partial, polled while the claim is researched or sources fetched."""
    return _evidence_partial(request, pk)


@require_POST
@reviewer_required
def claim_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    form = VerdictForm(request.POST, claim=claim)
    if not form.is_valid():
        return _render_claim(request, _page(pk), verdict_form=form, status=400)
    data = form.cleaned_data
    try:
        review = claim_record_verdict(
            claim=claim,
            reviewer=request.user,
            verdict=data["verdict"],
            rationale=data["rationale"],
            evidence=data["evidence"],
            version=data["version"],
            rating=data.get("rating"),
        )
    except ConflictError as exc:
        # Show what changed; the form keeps the reviewer's input and now carries the current
        # version, so saving again is a decision taken after seeing the other change.
        fresh = request.POST.copy()
        fresh["version"] = str(exc.current_version)
        retry = VerdictForm(fresh, claim=claim)
        retry.is_valid()
        return _render_claim(request, _page(pk), verdict_form=retry, conflict=exc, status=409)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _render_claim(request, _page(pk), verdict_form=form, status=400)
    if is_htmx(request):
        # The claim page answers in place (its #claim-main is swapped): say it was recorded
        # there, since the flash message area lies outside what htmx swaps.
        return _render_claim(request, _page(pk), recorded=review)
    messages.success(request, f"Recorded: {review.get_verdict_display()}.")
    return redirect(safe_next(request, reverse("claim_detail", args=[pk])))


@require_POST
@reviewer_required
def claim_add_sources(request: HttpRequest, pk: int) -> HttpResponse:
    """Reviewer URLs for a claim: tracked at once, fetched in the background."""
    claim = get_object_or_404(Claim, pk=pk)
    form = AddSourcesForm(request.POST)
    added: list[str] = []
    if form.is_valid():
        for url in form.cleaned_data["urls"]:
            try:
                evidence = claim_add_source_url(claim=claim, url=url, user=request.user)
            except ValidationError as exc:
                form.add_error("urls", f"{url}: {' '.join(exc.messages)}")
            else:
                added.append(evidence.source.url)
    status = 200 if added or form.is_valid() else 400
    if is_htmx(request):
        return _evidence_partial(
            request, pk, sources_form=form if form.errors else None, added=added, status=status
        )
    if form.errors and not added:
        return _render_claim(request, _page(pk), sources_form=form, status=400)
    for url in added:
        messages.success(request, f"Source added, fetching: {url}")
    for error in form.errors.get("urls", []):
        messages.error(request, error)
    return redirect(reverse("claim_detail", args=[pk]) + "#evidence")


@require_POST
@reviewer_required
def claim_assign(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose an assignee.", status=400)
    assignee = request.user if form.cleaned_data["assignee"] == "me" else None
    assign_service(claim=claim, assignee=assignee, actor=request.user)
    if is_htmx(request) and request.POST.get("row"):
        row = claim_queue(
            user=request.user, filters=QueueFilters(status="all", assignee="any")
        ).get(pk=pk)
        context = {"claim": row, "next_url": safe_next(request, reverse("queue")), **roles(request)}
        return render(request, "claims/_queue_row.html", context)
    messages.success(request, "Assigned to you." if assignee else "Unassigned.")
    return redirect(safe_next(request, reverse("claim_detail", args=[pk])))


@require_http_methods(["GET", "POST"])
@editor_required
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor corrects what extraction got wrong; the timeline keeps the old values."""
    claim = get_object_or_404(Claim.objects.select_related("article").defer("article__text"), pk=pk)
    conflict = None
    status = 200
    if request.method == "POST":
        form = ClaimEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            had_verdict = claim.status in Claim.VERDICT_STATUSES
            try:
                edit_service(
                    claim=claim,
                    editor=request.user,
                    version=data["version"],
                    text=data["text"],
                    start=data["start"],
                    end=data["end"],
                    kind=data["kind"],
                )
            except ConflictError as exc:
                conflict = exc
                fresh = request.POST.copy()
                fresh["version"] = str(exc.current_version)
                form = ClaimEditForm(fresh)
                form.is_valid()
                status = 409
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
            else:
                if had_verdict and claim.status == Claim.Status.NEEDS_REREVIEW:
                    messages.warning(
                        request,
                        "Claim saved. Its verdict was given on the old wording: it needs "
                        "re-review; the public page keeps the reviewed wording until then.",
                    )
                else:
                    messages.success(request, "Claim saved.")
                return redirect("claim_detail", pk)
        else:
            status = 400
    else:
        form = ClaimEditForm(
            initial={
                "text": claim.text,
                "start": claim.start,
                "end": claim.end,
                "kind": claim.kind,
                "version": claim.version,
            }
        )
    context = {"claim": claim, "form": form, "conflict": conflict, **roles(request)}
    return render(request, "claims/claim_edit.html", context, status=status)
