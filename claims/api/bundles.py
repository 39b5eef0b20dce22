"""GET /api/claims/{id}/bundle.wacz: the evidence bundle of a claim's current verdict."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.views import APIView

from claims.api import serializers as s
from claims.api.exceptions import api_exception_handler
from claims.api.permissions import ReadOrReview
from claims.models import Claim
from claims.selectors.bundle import BundleError, claim_bundle

WACZ_MEDIA_TYPE = "application/wacz"


class NoVerdict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "no_verdict"


class ClaimBundleView(APIView):
    permission_classes = [ReadOrReview]

    def get_exception_handler(self):
        return api_exception_handler

    @extend_schema(
        summary="The evidence bundle (WACZ) of the claim's current verdict",
        description="A WACZ web archive: WARC records of every source the verdict cites, "
        "its library documents as resource records, datapackage.json with each file's "
        "SHA-256 and evidence/manifest.json (claim, verdict, rationale, reviewer, quotes).",
        responses={
            (200, WACZ_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            401: OpenApiResponse(s.ErrorSerializer, description="Not signed in."),
            404: OpenApiResponse(s.ErrorSerializer, description="Not found."),
            409: OpenApiResponse(s.ErrorSerializer, description="The claim has no verdict."),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        claim = Claim.objects.select_related("article").filter(pk=pk).first()
        if claim is None:
            raise NotFound("No such claim.")
        try:
            data, filename = claim_bundle(claim=claim)
        except BundleError as exc:
            raise NoVerdict(str(exc)) from exc
        response = HttpResponse(data, content_type=WACZ_MEDIA_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
