"""The plain-SQL row statements of the per-source hot path, on PostgreSQL and SQLite."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from claims import sql
from claims.models import ClaimEvent, Evidence, FetchAttempt, Source
from claims.services.articles import article_ingest_text
from claims.services.snapshots import source_claim_for_fetch
from tests.integration.test_discovery_e2e import ARTICLE

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


@pytest.fixture
def claim():
    return article_ingest_text(text=ARTICLE, links=[], research=False).claims.first()


def test_an_inserted_row_reads_back_through_the_orm_with_its_defaults(claim):
    pk = sql.insert_row(
        ClaimEvent,
        {
            "claim": claim.pk,
            "kind": ClaimEvent.Kind.EVIDENCE_FOUND,
            "message": "Supports: a.example",
        },
    )
    event = ClaimEvent.objects.get(pk=pk)
    assert (event.claim_id, event.kind, event.message) == (
        claim.pk,
        "evidence_found",
        "Supports: a.example",
    )
    assert event.data == {}  # the field's default
    assert event.actor_id is None
    assert abs(event.created_at - timezone.now()) < dt.timedelta(seconds=5)  # auto_now_add


def test_json_and_model_values_are_converted_by_their_fields(claim):
    source = Source.objects.create(url="https://a.example/x", domain="a.example")
    data = {"evidence": 1, "nested": {"ünïcode": ["ok", 2.5]}}
    pk = sql.insert_row(
        ClaimEvent, {"claim": claim, "kind": "evidence_found", "message": "m", "data": data}
    )
    assert ClaimEvent.objects.get(pk=pk).data == data
    started = timezone.now() - dt.timedelta(minutes=3)
    pk = sql.insert_row(
        FetchAttempt, {"source": source, "started_at": started, "outcome": "ok", "http_status": 200}
    )
    assert FetchAttempt.objects.get(pk=pk).started_at == started


def test_a_conflicting_insert_updates_only_the_listed_fields(claim):
    source = Source.objects.create(url="https://a.example/x", domain="a.example")
    first = sql.insert_row(
        Evidence,
        {
            "claim": claim,
            "source": source,
            "found_via": "reviewer",
            "stance": "mentions",
            "relevance": 0.1,
        },
        conflict=("claim", "source"),
        update=("stance", "relevance"),
    )
    again = sql.insert_row(
        Evidence,
        {
            "claim": claim,
            "source": source,
            "found_via": "search",
            "stance": "supports",
            "relevance": 0.9,
        },
        conflict=("claim", "source"),
        update=("stance", "relevance"),
    )
    assert again == first
    evidence = Evidence.objects.get()
    assert (evidence.found_via, evidence.stance, evidence.relevance) == (
        "reviewer",
        "supports",
        0.9,
    )


def test_update_and_first_row_match_on_every_given_field(claim):
    a = Source.objects.create(url="https://a.example/x", domain="a.example")
    b = Source.objects.create(url="https://b.example/x", domain="b.example")
    assert (
        sql.update_rows(Source, {"id": a.pk, "status": "new"}, {"status": "ok", "title": "T"}) == 1
    )
    assert sql.update_rows(Source, {"id": a.pk, "status": "new"}, {"status": "failed"}) == 0
    assert sql.first_row(Source, ("status", "title"), {"id": a.pk}) == ("ok", "T")
    assert sql.first_row(Source, ("status",), {"id": b.pk}) == ("new",)
    assert sql.first_row(Source, ("status",), {"id": b.pk + 100}) is None
    with transaction.atomic():  # a row lock where the database has them
        assert sql.first_row(Source, ("id",), {"id": b.pk}, lock=True) == (b.pk,)


def test_a_fetch_is_taken_once_until_it_goes_stale(claim):
    source = Source.objects.create(url="https://a.example/x", domain="a.example")
    stale_after = dt.timedelta(minutes=5)
    assert source_claim_for_fetch(source=source, stale_after=stale_after) == "claimed"
    assert source_claim_for_fetch(source=source, stale_after=stale_after) == "busy"
    Source.objects.filter(pk=source.pk).update(fetch_started_at=timezone.now() - stale_after * 2)
    taken = source_claim_for_fetch(source=source, stale_after=stale_after)
    assert taken == "claimed"  # worker died
    # A source marked fetching with no start time (older rows) can be taken.
    Source.objects.filter(pk=source.pk).update(fetch_started_at=None)
    assert source_claim_for_fetch(source=source, stale_after=stale_after) == "claimed"
    assert Source.objects.get(pk=source.pk).status == Source.Status.FETCHING


def test_an_instance_with_some_fields_loads_the_others_on_access(claim):
    source = Source.objects.create(url="https://a.example/x", domain="a.example", title="T")
    loaded = sql.first_instance(Source, ("id", "url"), {"id": source.pk})
    assert (loaded.pk, loaded.url) == (source.pk, source.url)
    assert loaded.get_deferred_fields() >= {"title", "last_checked_at"}
    assert loaded.title == "T"  # deferred: one query, as with QuerySet.only()
    assert sql.first_instance(Source, ("id",), {"id": source.pk + 100}) is None
    with pytest.raises(ValueError, match="last_checked_at"):
        sql.first_instance(Source, ("id", "last_checked_at"), {"id": source.pk})


def test_candidates_to_score_reads_claims_and_source_in_one_statement(
    claim, django_assert_num_queries
):
    from claims.models import Claim, ResearchCandidate
    from claims.selectors.sources import candidates_to_score

    other = Claim.objects.exclude(pk=claim.pk).first()
    source = Source.objects.create(url="https://a.example/x", domain="a.example")
    factcheck = {"rating": "False", "publisher_name": "Checkers"}
    ResearchCandidate.objects.create(
        claim=claim, source=source, found_via="factcheck", provider="fc", factcheck=factcheck
    )
    with django_assert_num_queries(1):
        found = candidates_to_score(source.pk, [claim.pk, other.pk])
        # A claim without a candidate for the source (a reviewer's source) is not there.
        assert [c.pk for c, _, _ in found] == [claim.pk]
        loaded, loaded_source, candidate = found[0]
        assert loaded.text == claim.text
        assert loaded.features == claim.features and isinstance(loaded.features, dict)
        assert (loaded_source.pk, loaded_source.domain) == (source.pk, "a.example")
        assert (candidate.found_via, candidate.provider) == ("factcheck", "fc")
        assert candidate.factcheck == factcheck  # JSON decoded, as the ORM would
        assert (candidate.claim_id, candidate.source_id) == (claim.pk, source.pk)
    assert loaded.status == claim.status  # not loaded: one more query, as with only()
    assert candidates_to_score(source.pk, []) == []
    with pytest.raises(ValueError, match="created_at"):
        sql.load_instance(Claim, ("id", "created_at"), (1, None))
