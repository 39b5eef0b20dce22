"""Scheduled re-checks of tracked sources: fetch again, classify, alert the claims.

A batch of sources is taken in one statement, fetched concurrently (conditional GETs
with the stored ETag / Last-Modified; threads, no database work), then written:
unchanged and failed sources in bulk, changed, moved and gone ones one by one with
alerts for the claims whose evidence they back.

Outcomes: unchanged (304 or the same content hash), changed (a new snapshot; each
evidence quote is still there, nearly there or gone), moved (a permanent redirect to
another canonical URL), gone (404, 410 or a DNS failure twice in a row), failing
(5xx, timeouts and other errors; retried with backoff, never alarmed).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.canonical_url import canonicalize_url
from claims.models import Evidence, FetchAttempt, Snapshot, Source
from claims.services.rechecks import (
    RECHECK_STATUSES,
    FailedCheck,
    SourceState,
    UnchangedCheck,
    backs_a_claim,
    claim_record_recheck_alert,
    source_record_moved,
    source_release,
    sources_lease_due,
    sources_record_failed,
    sources_record_unchanged,
    sources_take_for_recheck,
)
from claims.services.snapshots import record_fetch
from claims.services.sources import source_get_or_create
from language.quotes import QuoteMatch, locate_quote
from worker.fetch import extraction_failure, fetched_page
from worker.fetching import ExtractionError, FetchError, FetchResult, extract_document, fetch
from worker.score import store_score

logger = logging.getLogger(__name__)

MIN_INTERVAL = dt.timedelta(days=1)
MAX_INTERVAL = dt.timedelta(days=30)
# A 404/410/DNS failure is asked again this soon, to confirm before calling it gone.
CONFIRM_GONE_AFTER = dt.timedelta(hours=1)
# Transient failures: retried after 1 h, 2 h, 4 h ... never later than the interval.
RETRY_FIRST = dt.timedelta(hours=1)
# How long due sources stay leased to the tasks queued for them.
LEASE = dt.timedelta(minutes=30)
# A source taken for fetching longer ago than this is considered abandoned.
STALE_AFTER = dt.timedelta(minutes=6)  # longer than a batch's time limit (330 s)
BATCH_SIZE = 200
# A quote is "nearly there" when the best window of the new text is this similar.
GONE_CODES = frozenset({"http_404", "http_410", "dns_failure"})


@dataclass
class RecheckTotals:
    checked: int = 0
    unchanged: int = 0
    changed: int = 0
    moved: int = 0
    gone: int = 0
    failing: int = 0
    claims_flagged: int = 0
    source_ids: list[int] = field(default_factory=list, repr=False)

    def add(self, other: RecheckTotals) -> RecheckTotals:
        for name in self.as_dict():
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.source_ids.extend(other.source_ids)
        return self

    def count(self, outcome: str) -> None:
        self.checked += 1
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, int]:
        """The shape `recheck --wait --json` prints; other tools read these names."""
        names = ("checked", "unchanged", "changed", "moved", "gone", "failing")
        return {**{n: getattr(self, n) for n in names}, "claims_flagged": self.claims_flagged}


@dataclass
class Fetched:
    state: SourceState
    started_at: dt.datetime
    duration_ms: int
    result: FetchResult | None = None
    error: FetchError | None = None
    document: Any = None  # extracted main text, only when the content changed


# --- Schedule ----------------------------------------------------------------------------


def next_interval(previous: dt.timedelta | None, *, changed: bool, under_review: bool):
    """Unchanged: double, from a day up to a month. Changed or under review: a day."""
    if changed or under_review or previous is None:
        return MIN_INTERVAL
    return min(max(previous * 2, MIN_INTERVAL), MAX_INTERVAL)


def _consecutive_failures(source_id: int) -> int:
    outcomes = FetchAttempt.objects.filter(source_id=source_id).order_by("-started_at", "-pk")
    count = 0
    for outcome in outcomes.values_list("outcome", flat=True)[:10]:
        if outcome != FetchAttempt.Outcome.FAILED:
            break
        count += 1
    return count


# --- Fetching (threads, no database) ------------------------------------------------------

_pool: ThreadPoolExecutor | None = None
_pool_pid = 0
_pool_lock = threading.Lock()


def _fetch_pool() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():  # a forked worker needs its own
            _pool = ThreadPoolExecutor(
                settings.FACTCHECK_RECHECK_THREADS, thread_name_prefix="recheck"
            )
            _pool_pid = os.getpid()
        return _pool


def moved_target(result: FetchResult) -> str | None:
    """The address a chain of permanent redirects from the start leads to."""
    target = None
    for status, url in result.redirects:
        if status not in (301, 308):
            break
        target = url
    return target


def fetch_state(state: SourceState) -> Fetched:
    started = timezone.now()
    clock = time.monotonic()
    conditional = state.latest_snapshot_id is not None
    try:
        result = fetch(
            state.url,
            etag=(state.etag or None) if conditional else None,
            last_modified=(state.last_modified or None) if conditional else None,
        )
        target = moved_target(result)
        if result.not_modified and target and _canonical(target) not in ("", state.url):
            result_new = fetch(result.final_url)  # the new address needs its own copy
            result_new.redirects = result.redirects + result_new.redirects
            result_new.permanent_redirect = True
            result = result_new
        document = None
        if not result.not_modified and (
            result.content_hash != state.latest_hash or moved_target(result)
        ):
            document = extract_document(result.body, result.content_type, result.final_url)
        fetched = Fetched(state, started, 0, result=result, document=document)
    except FetchError as exc:
        fetched = Fetched(state, started, 0, error=exc)
    except ExtractionError as exc:
        fetched = Fetched(state, started, 0, error=extraction_failure(exc))
    except Exception as exc:  # a bug must not lose the whole batch
        logger.exception("re-check of %s failed", state.url)
        fetched = Fetched(state, started, 0, error=FetchError(f"internal error: {exc}", "internal"))
    fetched.duration_ms = int((time.monotonic() - clock) * 1000)
    return fetched


# --- One batch ----------------------------------------------------------------------------


def recheck_sources(source_ids: Sequence[int]) -> RecheckTotals:
    """Re-checks these sources now (those another worker is fetching are skipped)."""
    totals = RecheckTotals()
    now = timezone.now()
    states = sources_take_for_recheck(source_ids=source_ids, now=now, stale_after=STALE_AFTER)
    if not states:
        return totals
    pending = {state.id for state in states}
    try:
        if len(states) == 1:
            results: Iterable[Fetched] = [fetch_state(states[0])]
        else:
            results = list(_fetch_pool().map(fetch_state, states))
        _write(list(results), totals, pending, now)
    finally:
        if pending:  # interrupted (time limit): give them back, due again soon
            source_release(
                source_ids=list(pending),
                reason="re-check interrupted; will try again",
                retry_at=timezone.now() + dt.timedelta(minutes=5),
            )
    totals.source_ids = [state.id for state in states]
    return totals


def _write(
    results: list[Fetched], totals: RecheckTotals, pending: set[int], now: dt.datetime
) -> None:
    unchanged: list[UnchangedCheck] = []
    failures: list[FailedCheck] = []
    gone: list[Fetched] = []
    new_bytes: list[Fetched] = []
    one_by_one: list[Fetched] = []
    for item in results:
        state = item.state
        if item.error is not None:
            failure, outcome = _failure(item)
            failures.append(failure)
            totals.count(outcome)
            if outcome == "gone" and state.status != Source.Status.GONE:
                gone.append(item)
            continue
        result = item.result
        assert result is not None
        target = moved_target(result)
        if target and _canonical(target) not in ("", state.url):
            one_by_one.append(item)
        elif result.not_modified or (
            state.latest_snapshot_id is not None and result.content_hash == state.latest_hash
        ):
            unchanged.append(_unchanged(item))
            totals.count("unchanged")
        else:
            new_bytes.append(item)
    # Other bytes, same main text (a rotating ad, a timestamp): unchanged, no new snapshot.
    previous_texts = dict(
        Snapshot.objects.filter(
            pk__in=[i.state.latest_snapshot_id for i in new_bytes if i.state.latest_snapshot_id]
        ).values_list("pk", "text")
        if new_bytes
        else []
    )
    for item in new_bytes:
        previous = previous_texts.get(item.state.latest_snapshot_id)
        if previous is not None and item.document is not None and item.document.text == previous:
            unchanged.append(_unchanged(item))
            totals.count("unchanged")
        else:
            one_by_one.append(item)
    sources_record_unchanged(checks=unchanged, checked_at=now)
    pending.difference_update(check.source_id for check in unchanged)
    if failures:
        with transaction.atomic():  # a source is gone together with its alerts, or not at all
            sources_record_failed(failures=failures)
            for item in gone:
                totals.claims_flagged += _alert_gone(item)
        pending.difference_update(failure.source_id for failure in failures)
    for item in one_by_one:
        target = moved_target(item.result)  # type: ignore[arg-type]
        saved = totals.as_dict()
        try:
            # The new snapshot and the alerts it raises are written together, so a crash
            # between them cannot leave a change recorded but never alerted.
            with transaction.atomic():
                if target and _canonical(target) not in ("", item.state.url):
                    _record_moved(item, _canonical(target), totals)
                else:
                    _record_changed(item, totals)
        except Exception:  # one bad page must not cost the batch; it is given back
            logger.exception("recording the re-check of %s failed", item.state.url)
            for name, value in saved.items():
                setattr(totals, name, value)
            totals.count("failing")
            continue
        pending.discard(item.state.id)


def _unchanged(item: Fetched) -> UnchangedCheck:
    state, result = item.state, item.result
    assert result is not None
    etag = result.headers.get("etag")
    last_modified = result.headers.get("last-modified")
    return UnchangedCheck(
        source_id=state.id,
        snapshot_id=state.latest_snapshot_id,
        started_at=item.started_at,
        duration_ms=item.duration_ms,
        http_status=result.status,
        not_modified=result.not_modified,
        interval=next_interval(
            state.check_interval, changed=False, under_review=state.under_review
        ),
        etag=etag if etag and etag != state.etag else None,
        last_modified=last_modified
        if last_modified and last_modified != state.last_modified
        else None,
    )


def _canonical(url: str) -> str:
    try:
        return canonicalize_url(url)
    except (ValueError, ValidationError):
        return ""


def _failure(item: Fetched) -> tuple[FailedCheck, str]:
    """The failed check to record, and its outcome: gone or failing."""
    state, exc = item.state, item.error
    assert exc is not None
    now = item.started_at
    interval = state.check_interval or MIN_INTERVAL
    reason = exc.reason[:280]
    if exc.code in GONE_CODES and not (exc.code == "dns_failure" and exc.transient):
        confirmed = state.status == Source.Status.GONE or (
            state.last_attempt_outcome == FetchAttempt.Outcome.FAILED
            and state.last_attempt_code in GONE_CODES
        )
        if confirmed:
            return (
                FailedCheck(
                    source_id=state.id,
                    started_at=now,
                    duration_ms=item.duration_ms,
                    http_status=exc.http_status,
                    reason=f"gone, confirmed on a second try: {reason}",
                    transient=False,
                    status=Source.Status.GONE,
                    next_check_at=now + MAX_INTERVAL,
                    interval=MAX_INTERVAL,
                    code=exc.code,
                ),
                "gone",
            )
        status, retry = Source.Status.FAILING, CONFIRM_GONE_AFTER
    elif exc.transient:
        failures = _consecutive_failures(state.id)
        status, retry = Source.Status.FAILING, min(RETRY_FIRST * 2**failures, interval)
    else:
        status, retry = Source.Status.FAILED, interval
    failure = FailedCheck(
        source_id=state.id,
        started_at=now,
        duration_ms=item.duration_ms,
        http_status=exc.http_status,
        reason=reason,
        transient=exc.transient,
        status=status,
        next_check_at=now + retry,
        interval=None,
        code=exc.code,
    )
    return failure, "failing"


def _record_snapshot(source: Source, item: Fetched) -> Snapshot:
    result, document = item.result, item.document
    assert result is not None
    if document is None:
        document = extract_document(result.body, result.content_type, result.final_url)
    record = record_fetch(
        source=source,
        started_at=item.started_at,
        duration_ms=item.duration_ms,
        page=fetched_page(result, document),
        check_interval=MIN_INTERVAL,  # changed: asked again soon
    )
    assert record.snapshot is not None
    return record.snapshot


def _passage(
    snapshot: Snapshot | None, passage: str, start: int | None, end: int | None
) -> dict[str, Any]:
    return {
        "snapshot": snapshot.pk if snapshot else None,
        "fetched_at": snapshot.fetched_at.isoformat() if snapshot else None,
        "passage": passage,
        "start": start,
        "end": end,
    }


def _old_passage(evidence: Evidence) -> dict[str, Any]:
    return _passage(evidence.snapshot, evidence.quote, evidence.quote_start, evidence.quote_end)


def _evidence_of(source_id: int) -> list[Evidence]:
    return list(
        Evidence.objects.filter(source_id=source_id)
        .select_related("snapshot")
        .defer("snapshot__raw_body", "snapshot__text", "snapshot__headers")
    )


_DESCRIBE = {
    "exact": "the quoted passage is still there",
    "near": "the quoted passage is nearly the same ({pct}% similar)",
    "gone": "the quoted passage is no longer there",
}


def _describe(match: QuoteMatch) -> str:
    return _DESCRIBE[match.kind].format(pct=int(match.similarity * 100))


def _record_changed(item: Fetched, totals: RecheckTotals) -> None:
    state = item.state
    source = Source.objects.get(pk=state.id)
    snapshot = _record_snapshot(source, item)
    if snapshot.pk == state.latest_snapshot_id:
        totals.count("unchanged")  # another delivery stored this content meanwhile
        return
    totals.count("changed")
    previous_text = None
    if state.latest_snapshot_id is not None:
        previous_text = (
            Snapshot.objects.filter(pk=state.latest_snapshot_id)
            .values_list("text", flat=True)
            .first()
        )
    for evidence in _evidence_of(state.id):
        if not evidence.quote.strip() or evidence.snapshot_id is None:
            continue
        now_match = locate_quote(evidence.quote, snapshot.text)
        if now_match.kind == "exact":
            continue
        if previous_text is not None and evidence.snapshot_id != state.latest_snapshot_id:
            before = locate_quote(evidence.quote, previous_text)
            if (before.kind, before.passage) == (now_match.kind, now_match.passage):
                continue  # this change did not touch the passage; alerted before
        message = f"Source changed: {_describe(now_match)} on {source.url}"
        totals.claims_flagged += _alert(evidence, source, snapshot, now_match, "changed", message)


def _record_moved(item: Fetched, target: str, totals: RecheckTotals) -> None:
    state, result = item.state, item.result
    assert result is not None
    totals.count("moved")
    try:
        new_source, _ = source_get_or_create(url=target)
    except ValidationError:
        _record_changed(item, totals)
        return
    snapshot = _record_snapshot(new_source, item)
    hop = next((status for status, _url in result.redirects if status in (301, 308)), 301)
    source_record_moved(
        source_id=state.id,
        new_source=new_source,
        started_at=item.started_at,
        duration_ms=item.duration_ms,
        http_status=hop,
        reason=f"moved permanently (HTTP {hop}) to {new_source.url}",
    )
    old_source = Source(pk=state.id, url=state.url)
    for evidence in _evidence_of(state.id):
        match = locate_quote(evidence.quote, snapshot.text) if evidence.quote.strip() else None
        where = f"; {_describe(match)}" if match else ""
        message = f"Source moved (HTTP {hop}) from {state.url} to {new_source.url}{where}"
        totals.claims_flagged += _alert(
            evidence,
            old_source,
            snapshot,
            match or QuoteMatch("gone", 0.0),
            "moved",
            message,
            extra={"moved_to": {"source": new_source.pk, "url": new_source.url}},
        )
        if not Evidence.objects.filter(claim_id=evidence.claim_id, source=new_source).exists():
            store_score(
                claim=evidence.claim,
                source=new_source,
                snapshot=snapshot,
                found_via=evidence.found_via,
                provider=evidence.provider or "recheck",
                factcheck=evidence.factcheck or None,
                keep_weak=True,
            )


def _alert_gone(item: Fetched) -> int:
    state, exc = item.state, item.error
    assert exc is not None
    source = Source(pk=state.id, url=state.url)
    flagged = 0
    for evidence in _evidence_of(state.id):
        stored = (
            f"; the snapshot of {evidence.snapshot.fetched_at:%Y-%m-%d} keeps the passage readable"
            if evidence.snapshot
            else ""
        )
        message = f"Source gone: {exc.reason} on two checks in a row at {state.url}{stored}"
        flagged += _alert(
            evidence,
            source,
            None,
            QuoteMatch("gone", 0.0),
            "gone",
            message,
            extra={"http_status": exc.http_status, "code": exc.code},
        )
    return flagged


def _alert(
    evidence: Evidence,
    source: Source,
    snapshot: Snapshot | None,
    match: QuoteMatch,
    outcome: str,
    message: str,
    extra: dict[str, Any] | None = None,
) -> int:
    data = {
        "outcome": outcome,
        "source": source.pk,
        "url": source.url,
        "evidence": evidence.pk,
        "match": match.kind,
        "similarity": match.similarity,
        "old": _old_passage(evidence),
        "new": _passage(snapshot, match.passage, match.start, match.end),
        **(extra or {}),
    }
    _event, flagged = claim_record_recheck_alert(
        claim_id=evidence.claim_id, message=message, data=data
    )
    return int(flagged)


# --- Many batches -------------------------------------------------------------------------


def chunked(ids: Sequence[int], size: int = BATCH_SIZE) -> list[list[int]]:
    """Batches of at most size ids, dealt round-robin: ids sorted by domain come out with
    each domain's sources spread evenly over the batches, so no batch spends its time
    limit waiting for one site's politeness delay."""
    count = -(-len(ids) // size)
    return [list(ids[i::count]) for i in range(count)]


def lease_due(*, limit: int, now: dt.datetime | None = None) -> list[int]:
    """Due sources backing a claim, leased to the caller (see sources_lease_due)."""
    return sources_lease_due(now=now or timezone.now(), limit=limit, lease=LEASE)


def recheck_due_now(*, batch_size: int = BATCH_SIZE, limit: int | None = None) -> RecheckTotals:
    """Re-checks every due source here and now, batch after batch."""
    totals = RecheckTotals()
    now = timezone.now()
    while limit is None or totals.checked < limit:
        size = batch_size if limit is None else min(batch_size, limit - totals.checked)
        ids = sources_lease_due(now=now, limit=size, lease=LEASE)
        if not ids:
            break
        totals.add(recheck_sources(ids))
    return totals


def trackable_source_ids() -> list[int]:
    """Every source that backs a claim and is not moved (for `recheck --all`)."""
    return list(
        Source.objects.filter(backs_a_claim(), status__in=RECHECK_STATUSES)
        .order_by("domain", "pk")
        .values_list("pk", flat=True)
    )


def recheck_all_now(*, batch_size: int = BATCH_SIZE) -> RecheckTotals:
    totals = RecheckTotals()
    for ids in chunked(trackable_source_ids(), batch_size):
        totals.add(recheck_sources(ids))
    return totals
