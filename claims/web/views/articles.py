"""Articles: the list with submission and progress, and one article with its claims."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims.models import Article, Claim, Sentence
from claims.selectors.article import (
    ARTICLE_LIST_FIELDS,
    article_for_view,
    article_list_for_page,
    article_progress,
    with_claim_counts,
)
from claims.services.research import claims_retry_research
from claims.services.reviews import sentence_promote
from claims.services.submissions import article_submit as submit_service
from claims.web.forms import ArticleSubmitForm, PromoteForm

from .access import is_htmx, reviewer_required, roles

ARTICLES_PER_PAGE = 25


def _list_page(request: HttpRequest, form: ArticleSubmitForm, status: int = 200) -> HttpResponse:
    page = Paginator(article_list_for_page(), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    articles = with_claim_counts(page.object_list)
    context = {"page": page, "articles": articles, "form": form, "nav": "articles"}
    context.update(roles(request))
    return render(request, "claims/article_list.html", context, status=status)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The articles page: every article with its claims per status, and the submit form."""
    return _list_page(request, ArticleSubmitForm())


@require_POST
@reviewer_required
def article_submit(request: HttpRequest) -> HttpResponse:
    form = ArticleSubmitForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        try:
            article = submit_service(
                created_by=request.user,
                url=data.get("url") or "",
                text=data.get("text") or "",
                data=upload.read() if upload else None,
                title=data.get("title") or "",
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Article received: {article}")
            return redirect("article_detail", article.pk)
    return _list_page(request, form, status=400)


@require_GET
@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        article, claims, sentences = article_for_view(article_id=pk)
    except Article.DoesNotExist as exc:
        raise Http404("No such article.") from exc
    context = {
        "article": article,
        "claims": claims,
        "sentences": sentences,
        "progress": article_progress(article=article),
        "nav": "articles",
        **roles(request),
    }
    return render(request, "claims/article_detail.html", context)


@require_GET
@login_required
def article_progress_partial(request: HttpRequest, pk: int) -> HttpResponse:
    """The research progress partial, polled by the articles and article pages."""
    article = get_object_or_404(Article.objects.only(*ARTICLE_LIST_FIELDS), pk=pk)
    progress = article_progress(article=article)
    context = {"progress": progress, **roles(request)}
    return render(request, "claims/_article_progress.html", context)


@require_POST
@reviewer_required
def article_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """Promotes one sentence of the article (the clicked button's value) to a claim."""
    form = PromoteForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose a sentence.", status=400)
    sentence = get_object_or_404(
        Sentence.objects.select_related("article"), pk=form.cleaned_data["sentence"], article_id=pk
    )
    claim = sentence_promote(sentence=sentence, actor=request.user)
    if is_htmx(request):
        article, claims, sentences = article_for_view(article_id=pk)
        context = {"article": article, "claims": claims, "sentences": sentences, **roles(request)}
        context["promoted"] = claim
        return render(request, "claims/_article_body.html", context)
    messages.success(request, "The sentence is now a claim; research has been queued.")
    return redirect(reverse("article_detail", args=[pk]) + f"#claim-{claim.pk}")


@require_POST
@reviewer_required
def article_research_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Research again for the article's claims whose search had problems."""
    article = get_object_or_404(Article.objects.only(*ARTICLE_LIST_FIELDS), pk=pk)
    claims = Claim.objects.filter(article=article).exclude(research_problems=[])
    queued = claims_retry_research(claims=claims, user=request.user)
    if queued:
        messages.success(request, f"Research queued again for {queued} claim(s).")
    else:
        messages.error(request, "No claim waiting for review had research problems.")
    return redirect("article_detail", pk)
