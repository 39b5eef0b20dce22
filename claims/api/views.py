"""REST API views: parse input, call one selector or service, render."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api import serializers as s
from claims.api.exceptions import api_exception_handler
from claims.api.permissions import IsEditor, ReadOrReview
from claims.selectors import api as selectors_api
from claims.selectors.matches import claim_match_of
from claims.services.articles import article_submit_text, article_submit_url
from claims.services.claim_editing import claim_edit
from claims.services.hand_evidence import claim_add_evidence_by_hand, recognise_document
from claims.services.matching import claim_match_dismiss
from claims.services.publishing import article_publish, article_unpublish
from claims.services.reviews import claim_assign, claim_record_verdict
from claims.services.sources import claim_add_source_url

# Ids in URLs stay within a bigint, so the database never sees an out-of-range value.
ID_REGEX = r"[0-9]{1,18}"

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Invalid input, with field errors."),
    401: OpenApiResponse(s.ErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(s.ErrorSerializer, description="Not allowed for your role."),
    404: OpenApiResponse(s.ErrorSerializer, description="Not found."),
}


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


class NewestFirstCursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ApiViewSet(viewsets.GenericViewSet):
    """Our error format on every endpoint, whatever the project's DRF settings."""

    permission_classes = [ReadOrReview]
    lookup_value_regex = ID_REGEX

    def get_exception_handler(self):
        return api_exception_handler


@extend_schema_view(
    list=extend_schema(
        summary="List articles, newest first",
        responses={200: s.ArticleListSerializer, **_errors(401)},
    ),
    retrieve=extend_schema(
        summary="An article with its claims",
        responses={200: s.ArticleDetailSerializer, **_errors(401, 404)},
    ),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pagination_class = NewestFirstCursor

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors_api.api_article_detail()
        return selectors_api.api_article_list()

    def get_serializer_class(self):
        if self.action in ("retrieve", "publish", "unpublish"):
            return s.ArticleDetailSerializer
        if self.action == "create":
            return s.ArticleCreateSerializer
        return s.ArticleListSerializer

    def get_permissions(self):
        if self.action in ("publish", "unpublish"):
            return [IsEditor()]
        return super().get_permissions()

    def _accepted(self, article) -> Response:
        url = self.request.build_absolute_uri(
            reverse("api:article-detail", kwargs={"pk": article.pk})
        )
        progress = self.request.build_absolute_uri(
            reverse("api:article-progress", kwargs={"pk": article.pk})
        )
        body = {"id": article.pk, "status": article.status, "url": url, "progress_url": progress}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": progress})

    @extend_schema(
        summary="Submit an article by URL or text",
        description=(
            "Text is split into claims at once and their research is queued; a URL is fetched "
            "by the worker first. Either way the answer is 202 with a progress link to poll."
        ),
        request=s.ArticleCreateSerializer,
        responses={202: s.ArticleAcceptedSerializer, **_errors(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        serializer = s.ArticleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if (data.get("text") or "").strip():
            article = article_submit_text(
                text=data["text"],
                title=data.get("title", ""),
                url=data.get("url", ""),
                author=data.get("author", ""),
                publisher=data.get("publisher", ""),
                published_date=data.get("published_date"),
                created_by=request.user,
            )
        else:
            try:
                article = article_submit_url(
                    url=data["url"], title=data.get("title", ""), created_by=request.user
                )
            except ValueError as exc:  # an address urlsplit cannot read
                raise s.serializers.ValidationError(
                    {"url": ["That is not a valid web address."]}
                ) from exc
        return self._accepted(article)

    @extend_schema(
        summary="Progress of an article: extraction and research",
        responses={200: s.ArticleProgressSerializer, **_errors(401, 404)},
    )
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str) -> Response:
        article = self.get_object()
        return Response(selectors_api.article_progress_data(article=article))

    @extend_schema(
        summary="Publish the article's reviewed claims (editors)",
        request=None,
        responses={200: s.ArticleDetailSerializer, **_errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        article = self.get_object()
        article_publish(article=article, editor=request.user)
        article = selectors_api.api_article_detail().get(pk=article.pk)
        return Response(s.ArticleDetailSerializer(article, context={"request": request}).data)

    @extend_schema(
        summary="Take the article and its claims off the public pages (editors)",
        request=None,
        responses={200: s.ArticleDetailSerializer, **_errors(401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, pk: str) -> Response:
        article = self.get_object()
        article_unpublish(article=article, editor=request.user)
        article = selectors_api.api_article_detail().get(pk=article.pk)
        return Response(s.ArticleDetailSerializer(article, context={"request": request}).data)


@extend_schema_view(
    list=extend_schema(
        summary="List claims with filters",
        parameters=[s.ClaimFilterSerializer],
        responses={200: s.ClaimBriefSerializer, **_errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary="A claim with its evidence, reviews and prior fact-checks",
        responses={200: s.ClaimDetailSerializer, **_errors(401, 404)},
    ),
)
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pagination_class = NewestFirstCursor

    def get_queryset(self):
        if self.action == "list":
            filters = s.ClaimFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return selectors_api.api_claim_list(user=self.request.user, **filters.validated_data)
        return selectors_api.api_claim_detail()

    def get_serializer_class(self):
        return s.ClaimBriefSerializer if self.action == "list" else s.ClaimDetailSerializer

    def get_permissions(self):
        if self.action == "partial_update":
            return [IsEditor()]
        return super().get_permissions()

    def _detail(self, claim_id: int) -> dict:
        claim = selectors_api.api_claim_detail().get(pk=claim_id)
        return s.ClaimDetailSerializer(claim, context={"request": self.request}).data

    @extend_schema(
        summary="Edit the claim's text or kind (editors); a claim with a verdict goes to re-review",
        request=s.ClaimEditSerializer,
        responses={
            200: s.ClaimDetailSerializer,
            409: OpenApiResponse(s.ConflictSerializer, description="The claim changed since."),
            **_errors(400, 401, 403, 404),
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        serializer = s.ClaimEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        claim_edit(
            claim=claim,
            editor=request.user,
            version=data["version"],
            text=data.get("text"),
            kind=data.get("kind"),
        )
        return Response(self._detail(claim.pk))

    @extend_schema(
        summary="Assign the claim to a reviewer (or unassign)",
        request=s.ClaimAssignSerializer,
        responses={200: s.ClaimDetailSerializer, **_errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        serializer = s.ClaimAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim_assign(
            claim=claim, assignee=serializer.validated_data["assignee"], actor=request.user
        )
        return Response(self._detail(claim.pk))

    @extend_schema(
        summary="Add a source URL to the claim; it is fetched ahead of other work",
        request=s.EvidenceAddSerializer,
        responses={201: s.EvidenceSerializer, **_errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        serializer = s.EvidenceAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            evidence = claim_add_source_url(
                claim=claim, url=serializer.validated_data["url"], user=request.user
            )
        except ValueError as exc:  # an address urlsplit cannot read
            raise s.serializers.ValidationError(
                {"url": ["That is not a valid web address."]}
            ) from exc
        data = s.EvidenceSerializer(evidence, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add evidence by hand: upload a document or paste an excerpt, with a citation",
        description=(
            "multipart/form-data (or JSON without a file). A PDF or HTML file is read at once "
            "(its text, title and language); one that cannot be read (broken, no text, too "
            "complex to read in time) is refused with 400 and nothing is stored. Stored as an "
            "immutable snapshot with its SHA-256, marked as added by you, citable at once and "
            "scored by the worker."
        ),
        request={"multipart/form-data": s.HandEvidenceSerializer},
        responses={201: s.EvidenceSerializer, **_errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, JSONParser])
    def documents(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        serializer = s.HandEvidenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data.get("file")
        evidence = claim_add_evidence_by_hand(
            claim=claim,
            user=request.user,
            citation=data["citation"],
            url=data.get("url") or "",
            excerpt=data.get("excerpt") or "",
            document=recognise_document(upload.read(), upload.name) if upload else None,
        )
        data = s.EvidenceSerializer(evidence, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Dismiss a suggested match (an earlier claim or fact-check) as not the same",
        description=(
            "The match is kept, marked dismissed, and never suggested again: it leaves the "
            "claim's `matches`, as on the claim page. Dismissing it again changes nothing "
            "(200). 404 for a match of another claim."
        ),
        parameters=[
            OpenApiParameter(
                "match_id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description="The match's id, from the claim's `matches`.",
            )
        ],
        request=None,
        responses={200: s.ClaimDetailSerializer, **_errors(401, 403, 404)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=rf"matches/(?P<match_id>{ID_REGEX})/dismiss",
        url_name="match-dismiss",
    )
    def dismiss_match(self, request: Request, pk: str, match_id: str) -> Response:
        claim = self.get_object()
        match = claim_match_of(claim.pk, int(match_id))
        if match is None:
            raise NotFound("No such match for this claim.")
        claim_match_dismiss(match=match, user=request.user)
        return Response(self._detail(claim.pk))

    @extend_schema(
        summary="Record a verdict (append-only review) with optimistic locking",
        request=s.ReviewCreateSerializer,
        responses={
            201: s.ReviewSerializer,
            409: OpenApiResponse(s.ConflictSerializer, description="The claim changed since."),
            **_errors(400, 401, 403, 404),
        },
    )
    @action(detail=True, methods=["post"])
    def reviews(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        serializer = s.ReviewCreateSerializer(data=request.data, context={"claim": claim})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = claim_record_verdict(
            claim=claim,
            reviewer=request.user,
            verdict=data["verdict"],
            rationale=data["rationale"],
            evidence=data["evidence"],
            version=data["version"],
            rating=data.get("rating"),
        )
        return Response(s.ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(
        summary="A source with its snapshot history and fetch attempts",
        responses={200: s.SourceDetailSerializer, **_errors(401, 404)},
    ),
)
class SourceViewSet(mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.SourceDetailSerializer

    def get_queryset(self):
        return selectors_api.api_source_detail()
