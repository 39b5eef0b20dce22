"""The Django admin for editors: articles, claims (with history), sources, evidence, reviews.

Only active staff in the editors group (and superusers) reach it; reviews are read-only
here because verdicts are recorded, append-only, through the reviewer UI. Periodic re-check
schedules are django-celery-beat's own admin pages.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count

from claims.admin_claims import ClaimAdmin
from claims.admin_site import restrict_admin_to_editors
from claims.models import (
    Article,
    Claim,
    ClaimEvent,
    Evidence,
    FetchAttempt,
    Review,
    Sentence,
    Snapshot,
    Source,
)
from claims.services.publishing import article_publish, article_unpublish
from claims.services.rechecks import sources_recheck_now

restrict_admin_to_editors(admin.site)
admin.site.register(Claim, ClaimAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by services and workers: visible, never edited here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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


class SnapshotInline(admin.TabularInline):
    model = Snapshot
    extra = 0
    fields = ["fetched_at", "http_status", "final_url", "content_hash"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["url", "domain", "status", "last_checked_at", "next_check_at"]
    list_filter = ["status", "domain"]
    search_fields = ["url", "title", "domain"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "url",
        "domain",
        "status",
        "failure_reason",
        "moved_to",
        "last_checked_at",
        "fetch_started_at",
        "etag",
        "last_modified",
        "created_at",
    ]
    inlines = [SnapshotInline]
    actions = ["recheck_now"]

    @admin.action(description="Re-check selected sources now")
    def recheck_now(self, request, queryset) -> None:
        count = sources_recheck_now(sources=queryset)
        self.message_user(request, f"Re-check queued for {count} source(s).")


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["final_url", "fetched_at", "http_status", "content_hash"]
    list_filter = ["http_status", "source__domain"]
    search_fields = ["final_url", "title", "source__url"]
    date_hierarchy = "fetched_at"
    exclude = ["raw_body"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "stance", "relevance", "found_via", "provider", "created_at"]
    list_filter = ["stance", "found_via", "provider", "source__domain"]
    search_fields = ["quote", "reason", "source__url", "claim__text"]
    date_hierarchy = "created_at"
    raw_id_fields = ["claim", "source", "snapshot"]
    readonly_fields = ["claim", "source", "snapshot", "found_via", "provider", "added_by"]
    list_select_related = ["source"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["claim", "verdict", "reviewer", "claim_version", "created_at"]
    list_filter = ["verdict", ("reviewer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["rationale", "claim__text"]
    date_hierarchy = "created_at"
    list_select_related = ["claim", "reviewer"]


@admin.register(Sentence)
class SentenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "index", "score", "is_heading"]
    list_filter = ["is_heading", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text"]
    readonly_fields = ["article", "index", "start", "end", "score", "reasons"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(FetchAttempt)
class FetchAttemptAdmin(ReadOnlyAdmin):
    list_display = ["source", "started_at", "outcome", "http_status", "reason", "duration_ms"]
    list_filter = ["outcome", "transient", "source__domain"]
    search_fields = ["source__url", "reason"]
    date_hierarchy = "started_at"


@admin.register(ClaimEvent)
class ClaimEventAdmin(ReadOnlyAdmin):
    list_display = ["claim", "kind", "actor", "message", "created_at"]
    list_filter = ["kind"]
    search_fields = ["message", "claim__text"]
    date_hierarchy = "created_at"
