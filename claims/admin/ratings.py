"""The rating scale, editable by editors: labels, values, defaults per verdict."""

from __future__ import annotations

from django.contrib import admin

from claims.models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["label", "verdict", "rating_value", "alternate_name", "is_default", "position"]
    list_editable = ["rating_value", "alternate_name", "is_default", "position"]
    list_filter = ["verdict"]
    ordering = ["position", "pk"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A rating that reviews use stays (PROTECT); the others may go.
        if obj is not None and obj.reviews.exists():
            return False
        return super().has_delete_permission(request, obj)
