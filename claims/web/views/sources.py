"""Sources with their fetch history, and stored snapshots shown as escaped text."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims.models import Evidence, Snapshot, Source
from claims.selectors.sources import snapshot_for_view, source_page

from .access import roles


@require_GET
@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = source_page(source_id=pk)
    except Source.DoesNotExist as exc:
        raise Http404("No such source.") from exc
    return render(request, "claims/source_detail.html", {"page": page, **roles(request)})


@require_GET
@login_required
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The text we captured, escaped; ?evidence=<id> marks that evidence's quoted passage."""
    try:
        snapshot = snapshot_for_view(snapshot_id=pk)
    except Snapshot.DoesNotExist as exc:
        raise Http404("No such snapshot.") from exc
    text = snapshot.text
    before, quote, after = text, "", ""
    evidence_id = request.GET.get("evidence", "")
    if evidence_id.isdigit():
        evidence = (
            Evidence.objects.filter(pk=int(evidence_id), snapshot=snapshot)
            .only("quote_start", "quote_end")
            .first()
        )
        if evidence and evidence.quote_start is not None and evidence.quote_end is not None:
            lo, hi = sorted((evidence.quote_start, evidence.quote_end))
            if 0 <= lo <= hi <= len(text):
                before, quote, after = text[:lo], text[lo:hi], text[hi:]
    context = {
        "snapshot": snapshot,
        "before": before,
        "quote": quote,
        "after": after,
        **roles(request),
    }
    return render(request, "claims/snapshot_detail.html", context)
