"""Forms of the reviewer UI: they parse input; services do the writing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from claims.models import Article, Claim, Evidence, Rating, Review
from claims.selectors.queue import QueueFilters

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SOURCE_URLS = 10


class ArticleSubmitForm(forms.Form):
    """One of: a URL to fetch, pasted text, or a text file."""

    url = forms.URLField(
        label="Article URL", required=False, max_length=2000, assume_scheme="https"
    )
    text = forms.CharField(
        label="…or paste the article text", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    file = forms.FileField(label="…or upload a text file", required=False)
    title = forms.CharField(label="Title (optional)", required=False, max_length=500)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
        return upload

    def clean(self):
        data = super().clean()
        given = [name for name in ("url", "text", "file") if data.get(name)]
        if len(given) != 1:
            raise ValidationError("Give exactly one of: a URL, pasted text or a file.")
        return data


class QueueFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("open", "Needs review (incl. re-review)"),
        ("all", "Any status"),
        *Claim.Status.choices,
    ]
    ASSIGNEE_CHOICES = [
        ("mine_or_unassigned", "Unassigned or mine"),
        ("mine", "Mine"),
        ("unassigned", "Unassigned"),
        ("any", "Anyone"),
    ]
    EVIDENCE_CHOICES = [("", "Any"), ("yes", "With evidence"), ("no", "Without evidence")]
    STANCE_CHOICES = [("", "Any"), *Evidence.Stance.choices]
    MATCH_CHOICES = [("", "Any"), ("any", "Has a match"), ("same", "Same claim")]

    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, initial="open")
    article = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Article")
    assignee = forms.ChoiceField(
        choices=ASSIGNEE_CHOICES, required=False, initial="mine_or_unassigned"
    )
    min_score = forms.FloatField(
        min_value=0,
        max_value=1,
        required=False,
        label="Min. check-worthiness",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    has_evidence = forms.ChoiceField(choices=EVIDENCE_CHOICES, required=False, label="Evidence")
    stance = forms.ChoiceField(choices=STANCE_CHOICES, required=False, label="Stance")
    match = forms.ChoiceField(choices=MATCH_CHOICES, required=False, label="Checked before")

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", "All articles")] + [
            (a.pk, str(a)[:80]) for a in articles
        ]

    def filters(self) -> QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilters(
            status=data.get("status") or "open",
            article=data.get("article"),
            assignee=data.get("assignee") or "mine_or_unassigned",
            min_score=data.get("min_score"),
            has_evidence=data.get("has_evidence") or "",
            stance=data.get("stance") or "",
            match=data.get("match") or "",
        )


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(choices=Review.Verdict.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why: what the cited evidence shows.",
    )
    evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    rating = forms.ModelChoiceField(
        queryset=Rating.objects.all(), required=False, empty_label="The verdict's default"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = Evidence.objects.filter(claim=claim).select_related(
            "source"
        )


class AddSourcesForm(forms.Form):
    urls = forms.CharField(
        label="Add source URLs (one per line)",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://…"}),
    )

    def clean_urls(self) -> list[str]:
        urls = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        if not urls:
            raise ValidationError("Paste at least one URL.")
        if len(urls) > MAX_SOURCE_URLS:
            raise ValidationError(f"At most {MAX_SOURCE_URLS} URLs at once.")
        return urls


class HandEvidenceForm(forms.Form):
    """Evidence added by hand: a file or a pasted excerpt, with where it comes from."""

    citation = forms.CharField(
        max_length=500,
        help_text="Where it comes from: “MoD press release, 3 March 2024”, “Phone call with …”.",
    )
    url = forms.URLField(
        label="Web address it stands for (optional)",
        required=False,
        max_length=2000,
        assume_scheme="https",
    )
    excerpt = forms.CharField(
        label="Excerpt",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The passage that bears on the claim; for an image, what it shows.",
    )
    file = forms.FileField(
        label="File (PDF, HTML, text or image)", required=False, allow_empty_file=True
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
        return upload


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(choices=[("me", "Me"), ("none", "Nobody")])


class PromoteForm(forms.Form):
    sentence = forms.IntegerField()


class ClaimEditForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    kind = forms.ChoiceField(choices=Claim.Kind.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


def article_choices():
    """Recent articles for the queue's article filter."""
    return Article.objects.only("id", "title").order_by("-created_at")[:200]
