"""Documents reviewers uploaded by hand: scored like any snapshot.

Uploads are read when they are added (claims.services.hand_evidence), so their snapshot
already holds its text and they are queued for score_source. This handles the messages
queued before that, for a snapshot stored without text: it is never rewritten; the claims
are told its text could not be read.
"""

from __future__ import annotations

from claims.models import Snapshot
from claims.services.hand_evidence import added_document_unreadable
from worker.discover import score_source


def score_added_document(snapshot_id: int, claim_ids: list[int]) -> None:
    """Scores the uploaded document's snapshot for the claims; one without text is marked
    unreadable."""
    snapshot = Snapshot.objects.filter(pk=snapshot_id).only("id", "source_id", "text").first()
    if snapshot is None:
        return
    if not snapshot.text.strip():
        added_document_unreadable(
            snapshot_id=snapshot_id,
            claim_ids=claim_ids,
            reason="it was stored without its text; upload it again",
        )
        return
    score_source(snapshot.source_id, claim_ids, snapshot_id)
