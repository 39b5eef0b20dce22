"""Tracked sources, their snapshots and fetch attempts, and the evidence they back."""

from __future__ import annotations

from django.contrib import admin

from claims.admin.base import ReadOnlyAdmin
from claims.models import (
    Evidence,
    FetchAttempt,
    Snapshot,
    Source,
)
from claims.services.rechecks import sources_recheck_now


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


@admin.register(FetchAttempt)
class FetchAttemptAdmin(ReadOnlyAdmin):
    list_display = ["source", "started_at", "outcome", "http_status", "reason", "duration_ms"]
    list_filter = ["outcome", "transient", "source__domain"]
    search_fields = ["source__url", "reason"]
    date_hierarchy = "started_at"


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "stance",
        "stance_backend",
        "relevance",
        "found_via",
        "provider",
        "created_at",
    ]
    list_filter = ["stance", "stance_backend", "found_via", "provider", "source__domain"]
    search_fields = ["quote", "reason", "source__url", "claim__text"]
    date_hierarchy = "created_at"
    raw_id_fields = ["claim", "source", "snapshot"]
    readonly_fields = [
        "claim",
        "source",
        "snapshot",
        "stance_backend",
        "found_via",
        "provider",
        "added_by",
    ]
    list_select_related = ["source"]
