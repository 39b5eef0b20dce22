"""A claim's evidence bundle: its current verdict and what that verdict cites, as a WACZ.

Web sources go in as the WARC request/response pair of the snapshot the evidence quotes;
library documents as resource records of the version quoted; the manifest (claim, verdict,
rationale, reviewer, quotes with offsets) as a file and as a resource record.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from claims.bundles.package import MANIFEST_PATH, Page, write_wacz
from claims.bundles.records import StoredResource, WebCapture, write_warc
from claims.library_models import is_library_url
from claims.models import Claim, Evidence, Review
from claims.selectors.library import evidence_document

SOFTWARE = "factcheck evidence bundle"


class BundleError(Exception):
    """The claim has nothing to bundle (no verdict yet)."""


def _reviewer_name(review: Review) -> str:
    user = review.reviewer
    return user.get_full_name() or user.get_username()


def _capture(evidence: Evidence) -> WebCapture:
    snapshot = evidence.snapshot
    response = [tuple(pair) for pair in snapshot.response_headers or []]
    if not response:  # older snapshots kept the main headers only
        response = [(name.title(), str(value)) for name, value in (snapshot.headers or {}).items()]
        if snapshot.content_type and not any(k.lower() == "content-type" for k, _ in response):
            response.append(("Content-Type", snapshot.content_type))
    return WebCapture(
        url=snapshot.final_url,
        fetched_at=snapshot.fetched_at,
        status=snapshot.http_status,
        reason="",
        request_headers=list((snapshot.request_headers or {}).items()),
        response_headers=response,
        body=snapshot.body,
        ip_address=snapshot.ip_address,
    )


def _document_uri(evidence: Evidence) -> str:
    version = evidence.snapshot.document_version
    return f"urn:factcheck:library:document:{version.document_id}:{version.sha256}"


def _evidence_entry(evidence: Evidence) -> dict[str, Any]:
    snapshot = evidence.snapshot
    library = is_library_url(evidence.source.url)
    return {
        "id": evidence.pk,
        "url": evidence.source.url,
        "archived_as": _document_uri(evidence) if library else snapshot.final_url,
        "fetched_at": snapshot.fetched_at.isoformat(),
        "content_sha256": snapshot.content_hash,
        "stance": evidence.stance,
        "reason": evidence.reason,
        "relevance": evidence.relevance,
        "quote": evidence.quote,
        "quote_start": evidence.quote_start,
        "quote_end": evidence.quote_end,
        "document": evidence_document(evidence),
    }


def claim_bundle(*, claim: Claim) -> tuple[bytes, str]:
    """The WACZ bytes of the claim's current verdict and a file name for it.

    Raises BundleError when the claim has no verdict.
    """
    review = (
        Review.objects.filter(claim=claim)
        .select_related("reviewer")
        .order_by("-created_at", "-pk")
        .first()
    )
    if review is None:
        raise BundleError("This claim has no verdict yet: there is no evidence to bundle.")
    cited = list(
        review.evidence.exclude(snapshot=None)
        .select_related("source", "snapshot__document_version")
        .order_by("-relevance", "pk")
    )
    now = timezone.now()
    manifest = {
        "claim": {
            "id": claim.pk,
            "text": claim.text,
            "start": claim.start,
            "end": claim.end,
            "article": {"id": claim.article_id, "title": claim.article.title},
            "status": claim.status,
        },
        "verdict": review.verdict,
        "rationale": review.rationale,
        "reviewer": _reviewer_name(review),
        "reviewed_at": review.created_at.isoformat(),
        "claim_version": review.claim_version,
        "evidence": [_evidence_entry(e) for e in cited],
        "created": now.isoformat(),
    }
    web = [e for e in cited if not is_library_url(e.source.url)]
    documents = [e for e in cited if is_library_url(e.source.url)]
    resources = [
        StoredResource(
            uri=_document_uri(e),
            created_at=e.snapshot.fetched_at,
            content_type=e.snapshot.content_type or "application/octet-stream",
            body=e.snapshot.body,
        )
        for e in {e.snapshot_id: e for e in documents}.values()
    ]
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    resources.append(
        StoredResource(
            uri=f"urn:factcheck:claim:{claim.pk}:{MANIFEST_PATH}",
            created_at=now,
            content_type="application/json",
            body=manifest_bytes,
        )
    )
    web = list({e.snapshot_id: e for e in web}.values())  # one capture per snapshot
    warc = write_warc([_capture(e) for e in web], resources, software=SOFTWARE)
    pages = [Page(e.snapshot.final_url, e.snapshot.fetched_at, e.snapshot.title) for e in web]
    wacz = write_wacz(
        warc=warc,
        pages=pages,
        manifest=manifest,
        title=f"Claim {claim.pk}: {claim.text[:150]}",
        software=SOFTWARE,
        created=now,
    )
    return wacz, f"claim-{claim.pk}-evidence.wacz"
