"""Articles and their sentences: publish, unpublish, see the extraction."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count

from claims.models import (
    Article,
    Sentence,
)
from claims.services.publishing import article_publish, article_unpublish


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "publisher",
        "status",
        "n_claims",
        "is_published",
        "published_at",
        "created_at",
    ]
    list_filter = ["status", "is_published", "publisher"]
    search_fields = ["title", "url", "publisher", "author"]
    date_hierarchy = "created_at"
    readonly_fields = ["content_hash", "created_by", "created_at", "is_published", "published_at"]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(description="claims", ordering="claim_count")
    def n_claims(self, obj: Article) -> int:
        return obj.claim_count

    @admin.action(description="Publish reviewed claims of selected articles")
    def publish(self, request, queryset) -> None:
        for article in queryset:
            try:
                article_publish(article=article, editor=request.user)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request,
                    f"{article}: {' '.join(getattr(exc, 'messages', [str(exc)]))}",
                    messages.ERROR,
                )
            else:
                self.message_user(request, f"{article}: published.")

    @admin.action(description="Unpublish selected articles")
    def unpublish(self, request, queryset) -> None:
        for article in queryset:
            article_unpublish(article=article, editor=request.user)
        self.message_user(request, f"{queryset.count()} article(s) unpublished.")


@admin.register(Sentence)
class SentenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "index", "score", "is_heading"]
    list_filter = ["is_heading", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text"]
    readonly_fields = ["article", "index", "start", "end", "score", "reasons"]

    def has_add_permission(self, request) -> bool:
        return False
