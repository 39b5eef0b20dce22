"""Optimistic locking of a claim: every write that changes a claim bumps its version."""

from __future__ import annotations

from claims.models import Claim, ClaimEvent
from claims.services.errors import ConflictError


def _changes_since(claim: Claim, version: int) -> list[dict]:
    """What happened to the claim after the version the caller saw, for the conflict message."""
    events = claim.events.filter(
        kind__in=[ClaimEvent.Kind.REVIEWED, ClaimEvent.Kind.EDITED, ClaimEvent.Kind.ASSIGNED]
    ).order_by("-created_at")[:10]
    return [
        {
            "kind": e.kind,
            "message": e.message,
            "by": getattr(e.actor, "username", None),
            "at": e.created_at.isoformat(),
            "version": e.data.get("version"),
        }
        for e in events
        if (e.data.get("version") or 0) > version
    ]


def claim_lock(claim_id: int, version: int | None) -> Claim:
    """The claim locked for update (with its article), or ConflictError if `version` is stale.

    Call inside a transaction. `version=None` locks without checking.
    """
    claim = Claim.objects.select_for_update().select_related("article").get(pk=claim_id)
    if version is not None and claim.version != version:
        raise ConflictError(
            f"This claim was changed by someone else (you saw version {version}, "
            f"it is now version {claim.version}). Reload it before saving.",
            current_version=claim.version,
            changes=_changes_since(claim, version),
        )
    return claim
