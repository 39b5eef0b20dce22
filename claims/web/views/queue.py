"""The review queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from claims.models import Article
from claims.selectors.queue import QueueFilters, claim_queue
from claims.web.forms import QueueFilterForm, article_choices

from .access import roles

CLAIMS_PER_PAGE = 25
# Filters on evidence need a look-up per claim to count; beyond this many matches the
# queue says "more than N" instead of counting them all (the page itself stays exact).
EVIDENCE_FILTER_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator that stops counting at `cap` matches (None: counts them all)."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        if self.cap is None:
            return super().count
        n = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    articles = list(article_choices())
    chosen = request.GET.get("article", "")
    if chosen.isdigit() and all(a.pk != int(chosen) for a in articles):
        # An older article than the menu lists (a link from its page): offer it too, or the
        # form would reject the choice and drop every filter.
        articles += list(Article.objects.filter(pk=int(chosen)).only("id", "title"))
    form = QueueFilterForm(request.GET or None, articles=articles)
    filters = form.filters() if form.is_bound else QueueFilters()
    claims = claim_queue(user=request.user, filters=filters)
    filtered = filters.has_evidence or filters.stance or filters.match
    cap = EVIDENCE_FILTER_COUNT_CAP if filtered else None
    paginator = CappedPaginator(claims, CLAIMS_PER_PAGE, cap=cap)
    page = paginator.get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "claims": page.object_list, "nav": "queue"}
    context.update(roles(request))
    return render(request, "claims/queue.html", context)
