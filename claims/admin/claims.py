"""Admin views for claims that go through services: edit, split, merge, assign, export."""

from __future__ import annotations

import csv
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from claims import roles
from claims.models import Claim, Evidence
from claims.selectors.api import reviewer_candidates
from claims.selectors.export import claim_csv_rows, claims_with_reviews
from claims.services.claim_editing import claim_edit, claim_split, claims_merge
from claims.services.errors import ConflictError
from claims.services.rechecks import claims_recheck_sources_now
from claims.services.research import claim_queue_research
from claims.services.reviews import claim_assign

_SPLIT_POINT = re.compile(r";\s|,\s(?:and|while|but)\s|\sand\s|,\s")


def default_split_at(claim: Claim) -> int:
    """A natural place to split a claim: a semicolon, a conjunction, a comma, else the middle."""
    span = claim.article.text[claim.start : claim.end]
    match = _SPLIT_POINT.search(span)
    if match:
        return claim.start + match.start() + 1
    return claim.start + max(1, len(span) // 2)


class ClaimAdminForm(forms.ModelForm):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Claim
        fields = ["article", "text", "start", "end", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            seen = cleaned.get("seen_version")
            current = Claim.objects.values_list("version", flat=True).get(pk=self.instance.pk)
            if seen is not None and seen != current:
                raise ValidationError(
                    f"This claim was changed by someone else while you edited it (you saw "
                    f"version {seen}, it is now version {current}). Reload the page."
                )
        start, end = cleaned.get("start"), cleaned.get("end")
        article = cleaned.get("article") or getattr(self.instance, "article", None)
        spans = start is not None and end is not None and article is not None
        if spans and not 0 <= start <= end <= len(article.text):
            raise ValidationError({"start": "Offsets must lie inside the article text."})
        return cleaned


class SplitForm(forms.Form):
    split_at = forms.IntegerField(
        min_value=0, help_text="Article offset where the second claim starts."
    )
    first_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    second_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    seen_version = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=reviewer_candidates(), required=False, empty_label="(unassign)"
    )


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["source", "snapshot", "stance", "relevance", "quote", "reason", "found_via"]
    readonly_fields = ["source", "snapshot", "found_via", "relevance"]
    show_change_link = True
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # sources are added through the reviewer UI or the API


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    form = ClaimAdminForm
    change_form_template = "claims/admin/claim_change_form.html"
    list_display = [
        "short_text",
        "article",
        "status",
        "kind",
        "score",
        "assignee",
        "is_published",
        "version",
    ]
    list_filter = [
        "status",
        "kind",
        "origin",
        "is_published",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        ("article", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["article", "assignee"]
    search_fields = ["text", "article__title"]
    date_hierarchy = "created_at"
    inlines = [EvidenceInline]
    history_list_display = ["status", "version"]
    actions = [
        "rerun_discovery",
        "recheck_sources",
        "assign_to_reviewer",
        "export_csv",
        "merge_claims",
        "split_claim",
    ]
    _readonly = [
        "status",
        "score",
        "reasons",
        "features",
        "origin",
        "assignee",
        "version",
        "is_published",
        "sentence",
        "created_at",
        "updated_at",
    ]

    @admin.display(description="claim")
    def short_text(self, obj: Claim) -> str:
        return obj.text[:100]

    def get_readonly_fields(self, request, obj=None):
        return [*self._readonly, "article"] if obj else self._readonly

    def get_fields(self, request, obj=None):
        fields = ["article", "text", "start", "end", "kind", "seen_version"]
        return [*fields, *self._readonly] if obj else fields

    def save_model(self, request, obj: Claim, form, change: bool) -> None:
        if not change:
            obj.origin = Claim.Origin.MANUAL
            obj._history_user = request.user
            obj.save()
            claim_queue_research(claim=obj)
            return
        data = form.cleaned_data
        try:
            edited = claim_edit(
                claim=obj,
                editor=request.user,
                version=data.get("seen_version") or obj.version,
                text=data["text"],
                start=data["start"],
                end=data["end"],
                kind=data["kind"],
            )
        except ConflictError as exc:
            raise PermissionDenied(str(exc)) from exc
        obj.version = edited.version

    # --- actions -------------------------------------------------------------------------

    @admin.action(description="Re-run discovery for selected claims")
    def rerun_discovery(self, request: HttpRequest, queryset) -> None:
        queued = sum(claim_queue_research(claim=claim, rerun=True) for claim in queryset)
        skipped = queryset.count() - queued
        message = f"Discovery queued for {queued} claim(s)."
        if skipped:
            message += f" {skipped} claim(s) with a verdict were left alone."
        self.message_user(request, message)

    @admin.action(description="Re-check the sources of selected claims now")
    def recheck_sources(self, request: HttpRequest, queryset) -> None:
        count = claims_recheck_sources_now(claims=queryset)
        self.message_user(request, f"Re-check queued for {count} source(s).")

    @admin.action(description="Assign selected claims to a reviewer")
    def assign_to_reviewer(self, request: HttpRequest, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            assignee = form.cleaned_data["assignee"]
            for claim in queryset:
                claim_assign(claim=claim, assignee=assignee, actor=request.user)
            who = assignee.get_username() if assignee else "nobody"
            self.message_user(request, f"{queryset.count()} claim(s) assigned to {who}.")
            return None
        return self._intermediate(
            request, queryset, "claims/admin/assign.html", "assign_to_reviewer", form=form
        )

    @admin.action(description="Export selected claims as CSV")
    def export_csv(self, request: HttpRequest, queryset) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="claims.csv"'
        csv.writer(response).writerows(claim_csv_rows(claims_with_reviews(queryset)))
        return response

    @admin.action(description="Merge selected duplicate claims")
    def merge_claims(self, request: HttpRequest, queryset):
        claims = list(queryset.select_related("article").order_by("created_at", "pk"))
        if "apply" in request.POST:
            keep = next((c for c in claims if str(c.pk) == request.POST.get("keep")), None)
            try:
                kept = claims_merge(claims=claims, editor=request.user, keep=keep)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return None
            self.message_user(request, f"Merged {len(claims) - 1} claim(s) into claim {kept.pk}.")
            return HttpResponseRedirect(
                reverse("admin:claims_claim_change", kwargs={"object_id": kept.pk})
            )
        if len(claims) < 2:
            self.message_user(request, "Select at least two claims to merge.", messages.ERROR)
            return None
        return self._intermediate(request, claims, "claims/admin/merge.html", "merge_claims")

    @admin.action(description="Split the selected claim in two")
    def split_claim(self, request: HttpRequest, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one claim to split.", messages.ERROR)
            return None
        return HttpResponseRedirect(
            reverse("admin:claims_claim_split", kwargs={"object_id": queryset.get().pk})
        )

    def _intermediate(self, request, claims, template: str, action: str, **extra):
        context = {
            **self.admin_site.each_context(request),
            "title": self.get_actions(request)[action][2],
            "opts": self.model._meta,
            "claims": claims,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **extra,
        }
        return TemplateResponse(request, template, context)

    # --- split view ----------------------------------------------------------------------

    def get_urls(self):
        split = path(
            "<path:object_id>/split/",
            self.admin_site.admin_view(self.split_view),
            name="claims_claim_split",
        )
        return [split, *super().get_urls()]

    def split_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        claim = get_object_or_404(Claim.objects.select_related("article"), pk=object_id)
        if not (self.has_change_permission(request, claim) and roles.can_edit(request.user)):
            raise PermissionDenied
        if request.method == "POST":
            form = SplitForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    first, second = claim_split(
                        claim=claim,
                        editor=request.user,
                        version=data["seen_version"],
                        split_at=data["split_at"],
                        first_text=data["first_text"],
                        second_text=data["second_text"],
                    )
                except ConflictError as exc:
                    form.add_error(None, str(exc))
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    self.message_user(
                        request, f"Split into claims {first.pk} and {second.pk}.", messages.SUCCESS
                    )
                    return HttpResponseRedirect(
                        reverse("admin:claims_claim_change", kwargs={"object_id": first.pk})
                    )
        else:
            form = SplitForm(
                initial={"split_at": default_split_at(claim), "seen_version": claim.version}
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Split claim {claim.pk}",
            "opts": self.model._meta,
            "original": claim,
            "form": form,
            "span": claim.article.text[claim.start : claim.end],
        }
        return TemplateResponse(request, "claims/admin/split.html", context)
