"""Matching at ingest: `ingest --no-discover --json` and the API carry each claim's matches."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import Claim, ClaimMatch, FactCheck
from claims.services.factchecks import factcheck_record_found, factcheck_upsert
from claims.services.matching import (
    claim_match_dismiss,
    claim_refresh_matches,
    factchecks_match,
)
from tests.factories import api_client

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

FIRST = (
    "Azerbaijan bought 48 Nora B-52 self-propelled howitzers from Serbia, the defence "
    "ministry said.\n\nArmenia bought 48 ATAGS howitzers from India last year, officials said."
)
SECOND = (
    "Азербайджан закупил у Сербии 48 самоходных гаубиц «Нора Б-52», сообщило министерство.\n\n"
    "Georgia's GDP grew by 7.5% in 2023, according to the national statistics office."
)


def ingest(text: str, title: str, monkeypatch) -> dict:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    call_command("ingest", "-", "--title", title, "--json", "--no-discover", stdout=out)
    return json.loads(out.getvalue())


def claim_with(data: dict, words: str) -> dict:
    return next(c for c in data["claims"] if words in c["text"])


def test_a_russian_restatement_matches_the_earlier_claim_and_not_the_other_country(monkeypatch):
    first = ingest(FIRST, "first", monkeypatch)
    nora = claim_with(first, "Nora")
    atags = claim_with(first, "ATAGS")
    assert nora["matches"] == [] and atags["matches"] == []  # nothing earlier

    second = ingest(SECOND, "second", monkeypatch)
    russian = claim_with(second, "Нора")
    assert [m["claim"] for m in russian["matches"]] == [nora["id"]]  # not the ATAGS claim
    match = russian["matches"][0]
    assert match == {
        "claim": nora["id"],
        "article": first["article"]["id"],
        "factcheck": None,
        "score": match["score"],
        "same_claim": True,
        "verdict": None,  # not reviewed yet
        "url": None,  # the earlier article was pasted text
    }
    assert 0.75 <= match["score"] <= 1.0
    assert claim_with(second, "GDP")["matches"] == []


def test_matches_come_with_the_claim_in_the_api_and_carry_the_verdict(
    monkeypatch, reader, fast_passwords
):
    first = ingest(FIRST, "first", monkeypatch)
    second = ingest(SECOND, "second", monkeypatch)
    nora_id = claim_with(first, "Nora")["id"]
    Claim.objects.filter(pk=nora_id).update(status=Claim.Status.VERIFIED)
    russian_id = claim_with(second, "Нора")["id"]
    client = api_client(reader)
    detail = client.get(reverse("api:claim-detail", kwargs={"pk": russian_id})).json()
    assert [(m["claim"], m["verdict"]) for m in detail["matches"]] == [(nora_id, "verified")]
    listed = client.get(reverse("api:claim-list"), {"article": second["article"]["id"]}).json()
    by_id = {c["id"]: c for c in listed["results"]}
    assert by_id[russian_id]["matches"][0]["claim"] == nora_id
    article = client.get(
        reverse("api:article-detail", kwargs={"pk": second["article"]["id"]})
    ).json()
    assert {c["id"]: len(c["matches"]) for c in article["claims"]}[russian_id] == 1


def test_a_dismissed_match_is_not_suggested_again(monkeypatch, reviewer):
    ingest(FIRST, "first", monkeypatch)
    second = ingest(SECOND, "second", monkeypatch)
    claim = Claim.objects.get(pk=claim_with(second, "Нора")["id"])
    match = ClaimMatch.objects.get(claim=claim)
    assert claim_match_dismiss(match=match, user=reviewer) is True
    assert claim_match_dismiss(match=match, user=reviewer) is False  # once
    assert claim_refresh_matches(claim=claim) == []
    assert ClaimMatch.objects.filter(claim=claim).count() == 1  # kept, dismissed
    assert ClaimMatch.objects.get(claim=claim).dismissed_by == reviewer


def test_imported_and_found_factchecks_match_claims(monkeypatch):
    first = ingest(FIRST, "first", monkeypatch)
    factcheck, created = factcheck_upsert(
        claim_text="Serbia sold 48 Nora B-52 howitzers to Azerbaijan.",
        url="https://factcheck.example/nora",
        source=FactCheck.Origin.IMPORTED,
        publisher="Example Check",
        rating="Mostly true",
    )
    assert created and factchecks_match(factchecks=[factcheck]) == 1
    nora = Claim.objects.get(pk=claim_with(first, "Nora")["id"])
    assert list(nora.matches.values_list("factcheck_id", flat=True)) == [factcheck.pk]
    # a claim ingested later matches the fact-check too, and reports its rating and URL
    second = ingest(SECOND, "second", monkeypatch)
    reports = {m["factcheck"]: m for m in claim_with(second, "Нора")["matches"]}
    assert reports[factcheck.pk]["verdict"] == "Mostly true"
    assert reports[factcheck.pk]["url"] == "https://factcheck.example/nora"
    # research's prior fact-check: the same kind of record, source "research"
    atags = Claim.objects.get(pk=claim_with(first, "ATAGS")["id"])
    found = factcheck_record_found(
        claim=atags,
        info={
            "claim_text": "India sold 48 ATAGS guns to Armenia",
            "review_url": "https://factcheck.example/atags",
            "rating": "True",
            "publisher_name": "Other Check",
            "review_date": "2025-03-01",
        },
    )
    assert found.source == FactCheck.Origin.RESEARCH and str(found.review_date) == "2025-03-01"
    assert atags.matches.get().factcheck == found


def test_research_turns_a_prior_factcheck_into_a_factcheck_record(monkeypatch, sent):
    from claims.services.research import CandidateSpec, claim_research_plan

    first = ingest(FIRST, "first", monkeypatch)
    claim = Claim.objects.get(pk=claim_with(first, "Nora")["id"])
    info = {
        "claim_text": "Azerbaijan purchased 48 Nora B-52 howitzers from Serbia",
        "review_url": "https://factcheck.example/found",
        "rating": "Mostly true",
        "publisher_name": "Found Check",
    }
    spec = CandidateSpec(info["review_url"], "factcheck", "factchecktools", info)
    claim_research_plan(claim=claim, candidates=[spec], problems=[])
    found = FactCheck.objects.get(url="https://factcheck.example/found")
    assert (found.source, found.publisher, found.rating) == (
        "research",
        "Found Check",
        "Mostly true",
    )
    assert claim.matches.get().factcheck == found
    claim_research_plan(claim=claim, candidates=[spec], problems=[])  # again: no second row
    assert FactCheck.objects.count() == 1 and claim.matches.count() == 1


def test_the_seed_article_again_matches_each_claim_to_its_twin_and_nothing_else():
    from claims.models import Article
    from claims.services.articles import article_ingest_text

    with open("claims/demo/article.txt", encoding="utf-8") as fh:
        text = fh.read()
    first = article_ingest_text(text=text + "\nCopy one.", research=False)
    second = article_ingest_text(text=text + "\nCopy two.", research=False)
    assert Article.objects.count() == 2
    claims = list(second.claims.all())
    assert len(claims) >= 10
    for claim in claims:
        matches = list(claim.matches.select_related("matched_claim").order_by("-score"))
        assert [m.matched_claim.text for m in matches] == [claim.text], claim.text
        assert matches[0].matched_claim.article_id == first.pk and matches[0].same_claim


def test_stale_keys_are_computed_again_and_matching_finds_the_old_claim():
    """Keys stored by an older stemmer ("deliver") are refreshed (migration 0018 runs this),
    after which a new article about the same delivery finds the old claim again."""
    from claims.services.articles import article_ingest_text
    from claims.services.matching import claim_match_keys, refresh_match_keys

    article_ingest_text(
        text="Serbia delivered 48 Nora B-52 howitzers to Azerbaijan in 2023.", research=False
    )
    old = Claim.objects.get()
    Claim.objects.filter(pk=old.pk).update(match_keys=" deliver nora azerbaijan ")
    assert refresh_match_keys() == 1
    old.refresh_from_db()
    assert old.match_keys == claim_match_keys(old.text)
    assert refresh_match_keys() == 0  # idempotent
    article_ingest_text(
        text="Azerbaijan received 48 Nora B-52 howitzers from Serbia in 2023.", research=False
    )
    assert ClaimMatch.objects.filter(matched_claim=old).exists()
