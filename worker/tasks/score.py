"""Score queue: fetched snapshots scored against claims (CPU work, process pool)."""

from __future__ import annotations

from celery import shared_task

from worker.added_documents import score_added_document as score_upload
from worker.discover import score_source as run_scoring


@shared_task(name="worker.tasks.score.score_source", soft_time_limit=60, time_limit=90)
def score_source(
    source_id: int, claim_ids: list[int], snapshot_id: int | None = None, error: str = ""
) -> None:
    run_scoring(source_id, claim_ids, snapshot_id, error)


@shared_task(name="worker.tasks.score.score_added_document", soft_time_limit=60, time_limit=90)
def score_added_document(snapshot_id: int, claim_ids: list[int]) -> None:
    """Kept for messages queued before uploads were read at once: scores the snapshot, or
    marks one stored without text unreadable. New uploads are queued for score_source."""
    score_upload(snapshot_id, list(claim_ids))
