"""Tracked sources and their snapshots: the source page, its timeline, the score task's read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from claims import sql
from claims.models import (
    Claim,
    Evidence,
    FetchAttempt,
    ResearchCandidate,
    Snapshot,
    Source,
)


@dataclass(frozen=True)
class SourcePage:
    source: Source
    snapshots: list[Snapshot]
    attempts: list[FetchAttempt]
    evidence: list[Evidence]


SOURCE_HISTORY_LIMIT = 100


def source_page(*, source_id: int) -> SourcePage:
    source = Source.objects.select_related("moved_to").get(pk=source_id)
    snapshots = list(
        Snapshot.objects.filter(source=source)
        .defer("text", "raw_body", "headers")
        .order_by("-fetched_at")[:SOURCE_HISTORY_LIMIT]
    )
    attempts = list(
        FetchAttempt.objects.filter(source=source).order_by("-started_at")[:SOURCE_HISTORY_LIMIT]
    )
    evidence = list(
        Evidence.objects.filter(source=source)
        .select_related("claim")
        .only("id", "stance", "relevance", "claim__id", "claim__text", "claim__status", "source_id")
        .order_by("-relevance")[:SOURCE_HISTORY_LIMIT]
    )
    return SourcePage(source=source, snapshots=snapshots, attempts=attempts, evidence=evidence)


def snapshot_for_view(*, snapshot_id: int) -> Snapshot:
    return Snapshot.objects.select_related("source").defer("raw_body").get(pk=snapshot_id)


_LABELS = {
    "first_capture": "First capture",
    "unchanged": "Unchanged",
    "changed": "Changed",
    "moved": "Moved",
    "gone": "Gone",
    "failing": "Temporarily failing",
    "failed": "Failed",
}


def source_timeline(source: Source, *, limit: int = 200) -> list[dict[str, Any]]:
    """The source's checks, newest first: each fetch attempt with the snapshot it stored
    or found unchanged, merged with snapshots that have no attempt row.

    Each entry: at, outcome (first_capture | unchanged | changed | moved | gone | failing |
    failed), label, http_status, reason, transient, duration_ms, attempt (id or None),
    snapshot (id or None), content_hash, hash_changed (differs from the snapshot before),
    new_snapshot (this check stored it), final_url.
    """
    attempts = list(
        FetchAttempt.objects.filter(source=source)
        .order_by("-started_at", "-pk")
        .values(
            "pk",
            "started_at",
            "duration_ms",
            "outcome",
            "http_status",
            "reason",
            "transient",
            "snapshot_id",
        )[:limit]
    )
    referenced = {a["snapshot_id"] for a in attempts if a["snapshot_id"]}
    recent = Snapshot.objects.filter(source=source).order_by("-fetched_at", "-pk")[:limit]
    snapshots = {
        s["pk"]: s
        for s in Snapshot.objects.filter(source=source)
        .filter(Q(pk__in=referenced) | Q(pk__in=recent.values("pk")))
        .values("pk", "fetched_at", "http_status", "content_hash", "final_url")
    }
    entries: list[dict[str, Any]] = []
    for a in attempts:
        snap = snapshots.get(a["snapshot_id"]) if a["snapshot_id"] else None
        entries.append(
            {
                "at": a["started_at"],
                "outcome": "",
                "http_status": a["http_status"],
                "reason": a["reason"],
                "transient": a["transient"],
                "duration_ms": a["duration_ms"],
                "attempt": a["pk"],
                "attempt_outcome": a["outcome"],
                "snapshot": snap["pk"] if snap else None,
                "content_hash": snap["content_hash"] if snap else "",
                "final_url": snap["final_url"] if snap else "",
            }
        )
    for snap in snapshots.values():
        if snap["pk"] not in referenced:
            entries.append(
                {
                    "at": snap["fetched_at"],
                    "outcome": "",
                    "http_status": snap["http_status"],
                    "reason": "",
                    "transient": False,
                    "duration_ms": 0,
                    "attempt": None,
                    "attempt_outcome": FetchAttempt.Outcome.OK,
                    "snapshot": snap["pk"],
                    "content_hash": snap["content_hash"],
                    "final_url": snap["final_url"],
                }
            )
    # Oldest first to see what each check changed, then newest first for the page.
    entries.sort(key=lambda e: (e["at"], e["attempt"] or 0))
    previous_hash = None
    seen: set[int] = set()
    for entry in entries:
        entry["new_snapshot"] = bool(entry["snapshot"]) and entry["snapshot"] not in seen
        entry["hash_changed"] = bool(
            entry["content_hash"] and previous_hash and entry["content_hash"] != previous_hash
        )
        entry["outcome"] = _outcome(entry, first=previous_hash is None)
        entry["label"] = _label(entry)
        if entry["snapshot"]:
            seen.add(entry["snapshot"])
            previous_hash = entry["content_hash"]
    entries.reverse()
    for entry in entries:
        del entry["attempt_outcome"]
    return entries[:limit]


def _outcome(entry: dict[str, Any], *, first: bool) -> str:
    kind = entry["attempt_outcome"]
    reason = entry["reason"] or ""
    if kind == FetchAttempt.Outcome.FAILED:
        if reason.startswith("gone"):
            return "gone"
        return "failing" if entry["transient"] else "failed"
    if kind == FetchAttempt.Outcome.NOT_MODIFIED:
        return "unchanged"
    if not entry["snapshot"]:
        return "moved" if reason.startswith("moved") else "unchanged"
    if first and entry["new_snapshot"]:
        return "first_capture"
    return "changed" if entry["hash_changed"] else "unchanged"


def _label(entry: dict[str, Any]) -> str:
    outcome = entry["outcome"]
    label = _LABELS[outcome]
    if outcome == "unchanged":
        status = entry["http_status"]
        label += " (HTTP 304)" if status == 304 else " (same content)"
    elif outcome in ("moved", "gone", "failing", "failed") and entry["reason"]:
        label += f": {entry['reason']}"
    return label


def reviewer_added_source(*, claim_id: int, source_id: int) -> bool:
    """Whether a reviewer added this source to the claim (its evidence must stay shown)."""
    return Evidence.objects.filter(
        claim_id=claim_id, source_id=source_id, found_via=Evidence.FoundVia.REVIEWER
    ).exists()


def candidates_to_score(
    source_id: int, claim_ids: list[int]
) -> list[tuple[Claim, Source, ResearchCandidate]]:
    """Each candidate of this source among these claims, with its claim (id, text, features)
    and source (id, domain) loaded: what scoring a snapshot reads, in one plain statement.

    Every source of every claim runs this; through the ORM its join cost about a quarter of
    the score task's CPU (bench/README.md).
    """
    if not claim_ids:
        return []
    found = sql.score_candidates(source_id, claim_ids)
    if not found:
        return []
    source = sql.load_instance(Source, ("id", "domain"), (source_id, found[0][6]))
    out = []
    for found_via, provider, factcheck, claim_id, text, features, _domain in found:
        claim = sql.load_instance(Claim, ("id", "text", "features"), (claim_id, text, features))
        candidate = sql.load_instance(
            ResearchCandidate,
            ("claim", "source", "found_via", "provider", "factcheck"),
            (claim_id, source_id, found_via, provider, factcheck),
        )
        out.append((claim, source, candidate))
    return out
