"""Published fact-checks (imported or found in research) and the claim matches they make."""

from __future__ import annotations

from django.contrib import admin

from claims.admin.base import ReadOnlyAdmin
from claims.models import ClaimMatch, FactCheck


@admin.register(FactCheck)
class FactCheckAdmin(ReadOnlyAdmin):
    list_display = ["claim_text", "publisher", "rating", "review_date", "language", "source"]
    list_filter = ["source", "language", "publisher"]
    search_fields = ["claim_text", "publisher", "url", "claimant"]
    exclude = ["match_keys", "key"]


@admin.register(ClaimMatch)
class ClaimMatchAdmin(ReadOnlyAdmin):
    list_display = ["claim", "matched_claim", "factcheck", "score", "same_claim", "dismissed_at"]
    list_filter = ["same_claim", ("dismissed_at", admin.EmptyFieldListFilter)]
    raw_id_fields = ["claim", "matched_claim", "factcheck", "dismissed_by"]
