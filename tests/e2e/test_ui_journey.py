"""A reviewer's whole journey in a real Chromium, with a real worker and broker.

Submit a URL, watch research progress live, open a claim with the evidence the worker
found, add a source, record a verdict and see it in the timeline. The outside world is
the loopback web server.
"""

from __future__ import annotations

import os

import pytest

from claims.models import Claim, Evidence, Review
from tests.e2e.test_ui_browser import launched_chromium, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = """<!doctype html><html><head><title>Azerbaijan's new artillery</title>
<meta property="og:site_name" content="Caucasus Defence Review"></head><body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>Azerbaijan's new artillery</h1>
<p>Azerbaijan purchased 48 self-propelled Nora B-52NG howitzers from Serbia, according to the
Serbian defence ministry. The deal was first reported by <a href="/defence/nora-delivery">a
Belgrade defence monitor</a> in March 2025.</p>
<p>Analysts say the guns may change the balance of power in the region.</p>
</article><footer>Share it | Leave a Reply</footer></body></html>"""

DELIVERY = """<!doctype html><html><head><title>Serbia delivers howitzers</title></head><body>
<article><h1>Serbia delivers howitzers to Azerbaijan</h1>
<p>Belgrade, 12 March 2025. Yugoimport SDPR has completed the delivery of 48 Nora B-52NG
self-propelled howitzers to Azerbaijan, the Serbian defence ministry said on Wednesday.</p>
</article></body></html>"""

DOUBT = """<!doctype html><html><head><title>How many howitzers?</title></head><body>
<article><h1>How many howitzers did Baku buy?</h1>
<p>Customs records show that Azerbaijan purchased 36 Nora B-52NG howitzers from Serbia,
fewer than officials announced.</p></article></body></html>"""


@pytest.fixture
def browser():
    yield from launched_chromium()


def test_submit_research_review(browser, live_server, celery_worker, reviewer, web, settings):
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True
    settings.FACTCHECK_FETCH_DOMAIN_DELAY = 0
    settings.FACTCHECK_SEARCH_PROVIDERS = []  # the article's own link is the source here
    html = {"Content-Type": "text/html; charset=utf-8"}
    web.set_page("/news/artillery", STORY, headers=html)
    web.set_page("/defence/nora-delivery", DELIVERY, headers=html)
    web.set_page("/analysis/doubt", DOUBT, headers=html)

    context = browser.new_context()
    page = sign_in(context, live_server, "rita", "pw-rita")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Article URL").fill(web.url("/news/artillery"))
    page.get_by_role("button", name="Submit").click()
    # Progress updates in place until the worker has fetched, extracted and researched it.
    page.get_by_text("claims researched").first.wait_for(timeout=30_000)
    page.get_by_text("· done").first.wait_for(timeout=60_000)

    claim = Claim.objects.get(text__contains="48 self-propelled")
    found = Evidence.objects.get(claim=claim)
    assert found.found_via == "article_link" and found.stance == "supports"

    # Submitting leads to the article's page; reloaded, it shows the text and its claims.
    page.reload()
    page.get_by_role("heading", name="Azerbaijan's new artillery").wait_for()
    page.locator(f"#claim-{claim.pk} a").click()
    page.wait_for_url(f"**/claims/{claim.pk}/")
    card = page.locator(f"#evidence-{found.pk}")
    assert "Supports" in card.inner_text() and "48" in card.inner_text()

    page.get_by_label("Add source URLs (one per line)").fill(web.url("/analysis/doubt"))
    page.get_by_role("button", name="Add sources").click()
    # The card appears with its stance once the worker has fetched and scored the page.
    page.locator("#evidence .evidence-card.stance-contradicts").wait_for(timeout=30_000)
    doubt = Evidence.objects.get(claim=claim, source__url__endswith="/analysis/doubt")
    assert "36" in doubt.reason

    page.locator('input[value="disputed"]').check()
    page.locator("#id_rationale").fill("Customs records give 36, not 48.")
    page.locator(f'#verdict-evidence input[value="{doubt.pk}"]').check()
    page.get_by_role("button", name="Record verdict").click()
    page.locator("#claim-status", has_text="Disputed").wait_for()
    page.locator("#timeline", has_text="Marked disputed").wait_for()

    review = Review.objects.get(claim=claim)
    assert review.verdict == "disputed" and list(review.evidence.all()) == [doubt]
    assert page.errors == []
    context.close()
