"""Score queue: fetched snapshots scored against claims (CPU work, process pool)."""

from __future__ import annotations

from celery import shared_task

from worker.added_documents import score_added_document as read_and_score
from worker.discover import score_source as run_scoring


@shared_task(name="worker.tasks.score.score_source", soft_time_limit=60, time_limit=90)
def score_source(
    source_id: int, claim_ids: list[int], snapshot_id: int | None = None, error: str = ""
) -> None:
    run_scoring(source_id, claim_ids, snapshot_id, error)


@shared_task(name="worker.tasks.score.score_added_document", soft_time_limit=60, time_limit=90)
def score_added_document(snapshot_id: int, claim_ids: list[int]) -> None:
    """A reviewer uploaded a PDF or HTML document: extract its text, then score it."""
    read_and_score(snapshot_id, list(claim_ids))
