"""Documents reviewers upload by hand (PDF, HTML): their text extracted, then scored."""

from __future__ import annotations

from claims.models import Snapshot
from claims.services.hand_evidence import added_document_unreadable
from claims.services.snapshots import snapshot_set_extracted_text
from worker.discover import score_source
from worker.fetching import ExtractionError, extract_document


def score_added_document(snapshot_id: int, claim_ids: list[int]) -> None:
    """Extracts the text of an uploaded document once, then scores it for the claims."""
    snapshot = (
        Snapshot.objects.filter(pk=snapshot_id)
        .only("id", "source_id", "text", "content_type", "final_url", "raw_body")
        .first()
    )
    if snapshot is None:
        return
    if not snapshot.text:
        try:
            document = extract_document(snapshot.body, snapshot.content_type, snapshot.final_url)
        except ExtractionError as exc:
            added_document_unreadable(snapshot_id=snapshot_id, claim_ids=claim_ids, reason=str(exc))
            return
        if not document.text.strip():
            added_document_unreadable(
                snapshot_id=snapshot_id, claim_ids=claim_ids, reason="it holds no text"
            )
            return
        snapshot_set_extracted_text(
            snapshot_id=snapshot_id,
            text=document.text,
            title=document.title or "",
            language=document.language or "",
        )
    score_source(snapshot.source_id, claim_ids, snapshot_id)
