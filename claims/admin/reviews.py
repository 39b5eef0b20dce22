"""Reviews and claim timeline events: read-only, since verdicts are append-only."""

from __future__ import annotations

from django.contrib import admin

from claims.admin.base import ReadOnlyAdmin
from claims.models import (
    ClaimEvent,
    Review,
)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["claim", "verdict", "reviewer", "claim_version", "created_at"]
    list_filter = ["verdict", ("reviewer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["rationale", "claim__text"]
    date_hierarchy = "created_at"
    list_select_related = ["claim", "reviewer"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(ReadOnlyAdmin):
    list_display = ["claim", "kind", "actor", "message", "created_at"]
    list_filter = ["kind"]
    search_fields = ["message", "claim__text"]
    date_hierarchy = "created_at"
