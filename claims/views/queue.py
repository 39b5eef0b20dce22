"""The review queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims import selectors
from claims.forms import QueueFilterForm, article_choices

from .access import roles

CLAIMS_PER_PAGE = 25


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None, articles=article_choices())
    filters = form.filters() if form.is_bound else selectors.QueueFilters()
    claims = selectors.claim_queue(user=request.user, filters=filters)
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "claims": page.object_list, "nav": "queue"}
    context.update(roles(request))
    return render(request, "claims/queue.html", context)
