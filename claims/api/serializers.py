"""API representations. Input serializers only validate; the services do the writing."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import (
    Article,
    Claim,
    Evidence,
    FetchAttempt,
    Rating,
    Review,
    Snapshot,
    Source,
)
from claims.selectors.api import reviewer_candidates
from claims.selectors.library import evidence_document, library_document_url
from claims.selectors.matches import claim_match_reports
from claims.selectors.public import snapshot_page_url

MAX_ID = 2**63 - 1


def _absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


# --- Articles ------------------------------------------------------------------------


class ArticleCreateSerializer(serializers.Serializer):
    """Either a URL (fetched by the worker) or the text itself (with optional metadata)."""

    url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    author = serializers.CharField(required=False, allow_blank=True, max_length=300)
    publisher = serializers.CharField(required=False, allow_blank=True, max_length=300)
    published_date = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict) -> dict:
        if not (attrs.get("url") or "").strip() and not (attrs.get("text") or "").strip():
            raise serializers.ValidationError(
                {"non_field_errors": ["Give the article's url or its text."]}
            )
        return attrs


class ArticleAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Article.Status.choices)
    url = serializers.URLField(help_text="The article in the API.")
    progress_url = serializers.URLField(help_text="Poll this to follow extraction and research.")


class ResearchWarningSerializer(serializers.Serializer):
    provider = serializers.CharField()
    error = serializers.CharField()
    claims = serializers.ListField(child=serializers.IntegerField())


class ArticleProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Article.Status.choices)
    failure_reason = serializers.CharField(help_text="Why a URL could not be read, if it failed.")
    claims = serializers.IntegerField()
    claims_by_status = serializers.DictField(child=serializers.IntegerField())
    researching = serializers.IntegerField(help_text="Claims whose research is not finished.")
    done = serializers.BooleanField()
    state = serializers.ChoiceField(
        choices=["researching", "done", "done with problems"],
        help_text='"done with problems" when a search provider could not answer.',
    )
    warnings = ResearchWarningSerializer(many=True)


class ArticleListSerializer(serializers.ModelSerializer):
    n_claims = serializers.IntegerField(read_only=True)
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "api_url",
            "url",
            "title",
            "publisher",
            "author",
            "published_date",
            "status",
            "failure_reason",
            "notice",
            "is_published",
            "published_at",
            "created_at",
            "n_claims",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, obj: Article) -> str:
        return _absolute(self.context, reverse("api:article-detail", kwargs={"pk": obj.pk}))


class ClaimMatchSerializer(serializers.Serializer):
    """An earlier claim or a published fact-check that may state the same, best first."""

    id = serializers.IntegerField(
        help_text="The match itself: POST /api/claims/{id}/matches/{match_id}/dismiss/ "
        "dismisses it."
    )
    claim = serializers.IntegerField(allow_null=True, help_text="The earlier claim, if any.")
    article = serializers.IntegerField(allow_null=True, help_text="The earlier claim's article.")
    factcheck = serializers.IntegerField(allow_null=True, help_text="The fact-check, if any.")
    score = serializers.FloatField(help_text="0..1; only matches above the suggestion threshold.")
    same_claim = serializers.BooleanField(help_text="At or above the same-claim threshold.")
    verdict = serializers.CharField(
        allow_null=True, help_text="The earlier claim's verdict or the fact-check's rating."
    )
    url = serializers.CharField(allow_null=True, help_text="The article's or the review's URL.")


class ClaimBriefSerializer(serializers.ModelSerializer):
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    matches = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "article",
            "text",
            "start",
            "end",
            "score",
            "kind",
            "status",
            "assignee",
            "version",
            "is_published",
            "matches",
        ]

    @extend_schema_field(ClaimMatchSerializer(many=True))
    def get_matches(self, obj: Claim) -> list[dict]:
        return claim_match_reports(obj, with_ids=True)


class ArticleDetailSerializer(ArticleListSerializer):
    claims = ClaimBriefSerializer(many=True, read_only=True)
    public_url = serializers.SerializerMethodField()

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "public_url", "links", "text", "claims"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_public_url(self, obj: Article) -> str | None:
        if not obj.is_published:
            return None
        return _absolute(self.context, reverse("publishing:article", kwargs={"pk": obj.pk}))


# --- Claims ----------------------------------------------------------------------------


class ClaimFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Claim.Status.choices, required=False)
    article = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    assignee = serializers.CharField(
        required=False, max_length=150, help_text='A username, "me" or "none".'
    )
    kind = serializers.ChoiceField(choices=Claim.Kind.choices, required=False)
    min_score = serializers.FloatField(required=False, min_value=0.0, max_value=1.0)
    published = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(required=False, max_length=200, help_text="Text contains.")


class SnapshotBriefSerializer(serializers.ModelSerializer):
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = ["id", "fetched_at", "http_status", "final_url", "content_hash", "page_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, obj: Snapshot) -> str:
        return _absolute(self.context, snapshot_page_url(obj.pk))


class EvidenceDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    page = serializers.IntegerField(allow_null=True)


class EvidenceSerializer(serializers.ModelSerializer):
    source_url = serializers.CharField(source="source.url", read_only=True)
    source_domain = serializers.CharField(source="source.domain", read_only=True)
    snapshot = SnapshotBriefSerializer(read_only=True, allow_null=True)
    added_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    source_status = serializers.ChoiceField(
        source="source.status",
        choices=Source.Status.choices,
        read_only=True,
        help_text="The source's status: new and fetching are not read yet; failed could not be.",
    )
    stance = serializers.SerializerMethodField()
    stance_backend = serializers.ChoiceField(
        choices=Evidence.StanceBackend.choices,
        read_only=True,
        help_text="Which stance back-end gave the hint (builtin, nli, llm); empty when the "
        "stance is a prior fact-check's rating.",
    )

    document = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    @extend_schema_field(EvidenceDocumentSerializer(allow_null=True))
    def get_document(self, obj: Evidence) -> dict | None:
        """The library document and page of the quote; null for web evidence."""
        return evidence_document(obj)

    @extend_schema_field(OpenApiTypes.URI)
    def get_document_url(self, obj: Evidence) -> str | None:
        """The stored copy of a library document at the quoted page; null for web evidence."""
        document = evidence_document(obj)
        if document is None:
            return None
        return _absolute(self.context, library_document_url(document["id"], document["page"]))

    class Meta:
        model = Evidence
        fields = [
            "id",
            "claim",
            "source",
            "source_url",
            "source_domain",
            "source_status",
            "snapshot",
            "quote",
            "quote_start",
            "quote_end",
            "relevance",
            "stance",
            "reason",
            "stance_backend",
            "found_via",
            "provider",
            "added_by",
            "created_at",
            "document",
            "document_url",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Evidence.Stance.choices, allow_null=True))
    def get_stance(self, obj: Evidence) -> str | None:
        """None while the source is unread (not fetched yet, or the fetch failed)."""
        if obj.snapshot_id is None and obj.found_via != Evidence.FoundVia.FACTCHECK:
            return None
        return obj.stance


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    rating = serializers.SlugRelatedField(slug_field="label", read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "claim",
            "reviewer",
            "verdict",
            "rating",
            "rationale",
            "evidence",
            "claim_version",
            "claim_text",
            "created_at",
        ]


class PriorFactcheckSerializer(serializers.Serializer):
    """A fact-check someone else published about this claim (imported ClaimReview)."""

    rating = serializers.CharField(allow_blank=True)
    publisher = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    date = serializers.CharField(allow_blank=True)
    claimant = serializers.CharField(allow_blank=True)
    evidence = serializers.IntegerField()


class ClaimDetailSerializer(ClaimBriefSerializer):
    article_title = serializers.CharField(source="article.title", read_only=True)
    verdict = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)
    prior_factchecks = serializers.SerializerMethodField()

    class Meta(ClaimBriefSerializer.Meta):
        fields = [
            *ClaimBriefSerializer.Meta.fields,
            "article_title",
            "sentence",
            "reasons",
            "features",
            "origin",
            "created_at",
            "updated_at",
            "verdict",
            "evidence",
            "reviews",
            "prior_factchecks",
        ]

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_verdict(self, obj: Claim) -> dict | None:
        reviews = list(obj.reviews.all())
        return ReviewSerializer(reviews[0], context=self.context).data if reviews else None

    @extend_schema_field(PriorFactcheckSerializer(many=True))
    def get_prior_factchecks(self, obj: Claim) -> list[dict]:
        rows = []
        for evidence in obj.evidence.all():
            if evidence.found_via != Evidence.FoundVia.FACTCHECK:
                continue
            data = evidence.factcheck if isinstance(evidence.factcheck, dict) else {}
            rows.append(
                {
                    "rating": str(data.get("rating") or ""),
                    "publisher": str(data.get("publisher") or ""),
                    "url": str(data.get("url") or evidence.source.url),
                    "date": str(data.get("date") or ""),
                    "claimant": str(data.get("claimant") or ""),
                    "evidence": evidence.pk,
                }
            )
        return rows


class ClaimAssignSerializer(serializers.Serializer):
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=reviewer_candidates(),
        allow_null=True,
        help_text="A reviewer's or editor's username; null to unassign.",
    )


class ClaimEditSerializer(serializers.Serializer):
    """An editor's correction of a claim's wording or kind, with optimistic locking."""

    text = serializers.CharField(required=False, max_length=5000)
    kind = serializers.ChoiceField(choices=Claim.Kind.choices, required=False)
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The claim version you read; 409 when the claim changed since.",
    )

    def validate(self, attrs: dict) -> dict:
        if "text" not in attrs and "kind" not in attrs:
            raise serializers.ValidationError(
                {"non_field_errors": ["Give the new text or kind of the claim."]}
            )
        return attrs


class HandEvidenceSerializer(serializers.Serializer):
    """Evidence added by hand: a file (PDF, HTML, text, image) or an excerpt, with a citation."""

    citation = serializers.CharField(max_length=500, help_text="Where it comes from.")
    url = serializers.URLField(
        required=False, allow_blank=True, max_length=2000, help_text="The page it stands for."
    )
    excerpt = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    file = serializers.FileField(required=False, allow_empty_file=True)


class EvidenceAddSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)


class ReviewCreateSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Review.Verdict.choices)
    rating = serializers.SlugRelatedField(
        slug_field="label",
        queryset=Rating.objects.all(),
        required=False,
        allow_null=True,
        help_text="A rating of the newsroom's scale for this verdict (its label); default: "
        "the verdict's default rating.",
    )
    rationale = serializers.CharField(max_length=20_000)
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=200,
        help_text="Ids of this claim's evidence the verdict rests on.",
    )
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The claim version you read; 409 when the claim changed since.",
    )

    def validate_evidence(self, ids: list[int]) -> list[Evidence]:
        claim = self.context["claim"]
        rows = list(Evidence.objects.filter(claim=claim, pk__in=set(ids)))
        if len(rows) != len(set(ids)):
            raise serializers.ValidationError("Cited evidence must belong to this claim.")
        return rows


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current_version = serializers.IntegerField()
    changes = serializers.ListField(child=serializers.DictField())


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(required=False)


# --- Sources ---------------------------------------------------------------------------


class FetchAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = FetchAttempt
        fields = [
            "id",
            "started_at",
            "duration_ms",
            "outcome",
            "http_status",
            "reason",
            "transient",
            "snapshot",
        ]


class SourceDetailSerializer(serializers.ModelSerializer):
    snapshots = SnapshotBriefSerializer(many=True, read_only=True)
    attempts = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "domain",
            "title",
            "publisher",
            "status",
            "failure_reason",
            "moved_to",
            "last_checked_at",
            "next_check_at",
            "created_at",
            "snapshots",
            "attempts",
        ]

    @extend_schema_field(FetchAttemptSerializer(many=True))
    def get_attempts(self, obj: Source) -> list:
        return FetchAttemptSerializer(list(obj.attempts.all())[:50], many=True).data
