"""`manage.py factchecks import FILE_OR_URL [--json]` and language.claimreview."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import ClaimMatch, FactCheck
from claims.services.articles import article_ingest_text
from language.claimreview import ClaimReviewError, parse_reviews

NORA_REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example/nora-48",
    "claimReviewed": "Serbia sold 48 Nora B-52 howitzers to Azerbaijan.",
    "datePublished": "2025-02-03",
    "headline": "Did Serbia sell 48 howitzers to Azerbaijan?",
    "inLanguage": "en",
    "author": {"@type": "Organization", "name": "Example Check", "url": "https://check.example"},
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A Minister"}},
    "reviewRating": {"@type": "Rating", "ratingValue": 4, "alternateName": "Mostly true"},
}
PAGE = f"""<!DOCTYPE html><html><head><title>Check</title>
<script type="application/ld+json">{{ broken</script>
<script type="application/ld+json">{json.dumps(NORA_REVIEW)}</script>
</head><body><p>Our review.</p></body></html>"""
FEED = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {"@type": "DataFeedItem", "item": [NORA_REVIEW]},
        {
            "@type": "DataFeedItem",
            "item": [
                {
                    **NORA_REVIEW,
                    "url": "https://factcheck.example/atags",
                    "claimReviewed": "Armenia bought 48 ATAGS howitzers from India.",
                    "reviewRating": {"alternateName": "False"},
                }
            ],
        },
    ],
}
API = {
    "claims": [
        {
            "text": "Азербайджан закупил у Сербии 48 гаубиц «Нора Б-52»",
            "claimant": "ministry",
            "claimReview": [
                {
                    "publisher": {"name": "Provjeri", "site": "provjeri.example"},
                    "url": "https://provjeri.example/nora",
                    "title": "Nora",
                    "reviewDate": "2025-01-10T00:00:00Z",
                    "textualRating": "Točno",
                    "languageCode": "ru",
                }
            ],
        }
    ]
}


def test_parse_a_page_a_feed_a_list_and_the_api_shape():
    (page,) = parse_reviews(PAGE)  # the broken block is skipped, the good one read
    assert page.claim_text == NORA_REVIEW["claimReviewed"]
    assert (page.rating, page.publisher, page.publisher_site) == (
        "Mostly true",
        "Example Check",
        "https://check.example",
    )
    assert (page.claimant, page.review_date, page.language) == ("A Minister", "2025-02-03", "en")
    assert [r.rating for r in parse_reviews(json.dumps(FEED))] == ["Mostly true", "False"]
    assert len(parse_reviews(json.dumps([NORA_REVIEW, NORA_REVIEW]))) == 1  # no duplicates
    assert len(parse_reviews(json.dumps({"@graph": [NORA_REVIEW]}))) == 1
    (api,) = parse_reviews(json.dumps(API).encode())
    assert (api.publisher, api.publisher_site, api.rating) == (
        "Provjeri",
        "provjeri.example",
        "Točno",
    )
    assert api.review_date.startswith("2025-01-10") and api.language == "ru"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "empty"),
        ("just words", "neither JSON nor an HTML page"),
        ("<html><body>no markup</body></html>", "no JSON-LD"),
        (json.dumps({"@type": "Article"}), "no ClaimReview"),
    ],
)
def test_parse_refuses_what_holds_no_review(data, message):
    with pytest.raises(ClaimReviewError, match=message):
        parse_reviews(data)


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("factchecks", "import", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
@pytest.mark.embedded
def test_import_a_feed_file_stores_and_matches_and_a_second_import_updates(tmp_path):
    article = article_ingest_text(
        text="Azerbaijan bought 48 Nora B-52 self-propelled howitzers from Serbia, the "
        "ministry said on Tuesday in Baku.",
        research=False,
    )
    claim = article.claims.get()
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(FEED), encoding="utf-8")
    result = run(str(path))
    assert (result["found"], result["created"], result["updated"]) == (2, 2, 0)
    assert result["matched_claims"] == 1  # the Nora review, not the ATAGS one
    nora = FactCheck.objects.get(url="https://factcheck.example/nora-48")
    assert nora.source == FactCheck.Origin.IMPORTED and str(nora.review_date) == "2025-02-03"
    assert ClaimMatch.objects.get(claim=claim).factcheck == nora
    again = run(str(path))
    assert (again["created"], again["updated"], again["matched_claims"]) == (0, 2, 0)
    assert FactCheck.objects.count() == 2


@pytest.mark.django_db
def test_import_a_page_by_url_through_the_safe_fetcher(web, loopback_allowed):
    web.set_page("/review.html", PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    result = run(web.url("/review.html"))
    assert result["created"] == 1
    assert FactCheck.objects.get().publisher == "Example Check"


@pytest.mark.django_db
def test_the_url_fetch_is_refused_for_a_private_address_by_default(web):
    with pytest.raises(CommandError, match="Could not fetch"):
        run(web.url("/review.html"))
    assert FactCheck.objects.count() == 0


@pytest.mark.django_db
def test_bad_files_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.json"))
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"claims": []}), encoding="utf-8")
    with pytest.raises(CommandError, match="no ClaimReview"):
        run(str(empty))
