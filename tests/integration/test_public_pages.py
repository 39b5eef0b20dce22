"""Public fact-check pages: styled, each fact-check complete, the Atom feed, archived copies."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from claims.services.ratings import rating_scale_seed
from tests.factories import make_published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rating_scale(db):
    """The newsroom's default scale (a transactional test elsewhere may have flushed it)."""
    rating_scale_seed()


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(reviewer, editor):
    return make_published(reviewer, editor, rationale="SIPRI's register lists 48 delivered.")


def test_the_fact_check_page_uses_the_design_system_and_shows_everything(client, published):
    article, claim, evidence = published
    html = client.get(reverse("publishing:article", kwargs={"pk": article.pk})).content.decode()
    assert '<link rel="stylesheet" href="/static/claims/ui.css">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert "favicon.svg" in html and 'type="application/atom+xml"' in html
    section = html.split(f'id="claim-{claim.pk}"', 1)[1].split("</section>", 1)[0]
    assert claim.text in section  # the claim
    assert '<span class="badge st-verified">True</span>' in section  # its rating
    assert "SIPRI&#x27;s register lists 48 delivered." in section  # the rationale
    assert "reviewed " in section  # the date
    assert evidence.source.url in section  # the cited source
    archived = reverse("publishing:snapshot", kwargs={"pk": evidence.snapshot_id})
    assert f'href="{archived}">Archived copy' in section
    copy = client.get(archived).content.decode()
    assert evidence.snapshot.content_hash in copy and "ui.css" in copy


def test_an_atom_feed_beside_the_json_feed(client, published):
    article, claim, _ = published
    index = client.get(reverse("publishing:index")).content.decode()
    assert reverse("publishing:feed_atom") in index and reverse("publishing:feed") in index
    response = client.get(reverse("publishing:feed_atom"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == f"True: {claim.text}"
    link = entry.find(f"{ATOM}link").get("href")
    assert link.endswith(
        reverse("publishing:article", kwargs={"pk": article.pk}) + f"#claim-{claim.pk}"
    )
    assert "SIPRI" in entry.find(f"{ATOM}summary").text


def test_claimreview_names_where_the_claim_appeared_and_who_reviewed_it(client, published):
    article, _, _ = published
    feed = client.get(reverse("publishing:article_json", kwargs={"pk": article.pk})).json()
    [review] = feed["dataFeedElement"]
    assert review["itemReviewed"]["appearance"][0]["url"] == article.url
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
