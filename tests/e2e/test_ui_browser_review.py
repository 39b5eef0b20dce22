"""Review integrity in a real Chromium: no evidence is refused, a failed source is not
citable and Retry works, an edit after a verdict reopens review while the public page keeps
the reviewed wording, phones get no horizontal scroll, and no page logs a CSP error."""

from __future__ import annotations

import os

import pytest

from claims.models import Claim, Evidence, Review, Source
from claims.services.publishing import article_publish
from claims.services.ratings import rating_scale_seed
from claims.services.reviews import claim_record_verdict
from tests.e2e.test_ui_browser import launched_chromium, sign_in
from tests.factories import make_claim, make_ui_article, make_ui_evidence

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
HOWITZERS = "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia in 2023."
MLRS = "The army fields at least 600 MLRS units, including 100 guided systems."


@pytest.fixture(scope="module")
def browser():
    yield from launched_chromium()


@pytest.fixture
def seeded(reviewer):
    rating_scale_seed()  # transactional tests flush the seeded scale between tests
    article = make_ui_article()
    claim = make_claim(article, HOWITZERS)
    other = make_claim(article, MLRS, score=0.7)
    read = make_ui_evidence(claim)
    failed_source = Source.objects.create(
        url="https://offline.example.org/report",
        domain="offline.example.org",
        status=Source.Status.FAILED,
        failure_reason="name not resolved",
    )
    failed = Evidence.objects.create(
        claim=claim, source=failed_source, found_via="reviewer", added_by=reviewer
    )
    return {"article": article, "claim": claim, "other": other, "read": read, "failed": failed}


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_verified_without_evidence_is_refused(browser, live_server, seeded, sent_tasks):
    context = browser.new_context()
    page = sign_in(context, live_server, "rita", "pw-rita")
    claim = seeded["claim"]
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    page.locator('input[name="verdict"][value="verified"]').check()
    page.locator("#id_rationale").fill("It is true.")
    page.get_by_role("button", name="Record verdict").click()
    error = page.locator("#verdict-evidence .error")
    error.wait_for()
    assert "must cite at least one source that was read" in error.inner_text()
    assert page.locator("#claim-status").inner_text() == "Needs review"
    assert not Review.objects.filter(claim=claim).exists()
    # Unverifiable needs a rationale only.
    page.locator('input[name="verdict"][value="unverifiable"]').check()
    page.get_by_role("button", name="Record verdict").click()
    page.locator("#claim-status", has_text="Unverifiable").wait_for()
    # The refusal itself is a 400 answer; nothing else went wrong (no CSP or script error).
    assert [e for e in page.errors if "status of 400" not in e] == []
    context.close()


def test_failed_source_is_not_citable_and_retry_works(browser, live_server, seeded, sent_tasks):
    context = browser.new_context()
    page = sign_in(context, live_server, "rita", "pw-rita")
    claim, failed = seeded["claim"], seeded["failed"]
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    card = page.locator(f"#evidence-{failed.pk}")
    assert "could not be read" in card.inner_text() and "name not resolved" in card.inner_text()
    assert card.locator(".badge.stance-mentions").count() == 0  # no stance for an unread source
    citable = page.locator('#verdict-evidence input[name="evidence"]')
    assert citable.count() == 1
    assert citable.first.get_attribute("value") == str(seeded["read"].pk)
    assert (
        "not read yet or could not be fetched: not citable"
        in page.locator("#verdict-evidence").inner_text()
    )
    page.evaluate("window.__noReload = 1")
    card.get_by_role("button", name="Retry").click()
    page.locator(f"#evidence-{failed.pk}", has_text="not read yet").wait_for()
    assert page.evaluate("window.__noReload") == 1  # swapped in place
    assert Source.objects.get(pk=failed.source_id).status == Source.Status.NEW
    assert sent_tasks[-1][0] == "worker.tasks.fetch.fetch_source"
    assert sent_tasks[-1][1] == (failed.source_id,)
    assert page.errors == []
    context.close()


def test_edit_after_a_verdict_needs_rereview_and_the_public_page_is_unchanged(
    browser, live_server, seeded, reviewer, editor, sent_tasks
):
    claim = seeded["claim"]
    claim_record_verdict(
        claim=claim,
        reviewer=reviewer,
        verdict="verified",
        rationale="The report lists 48.",
        evidence=[seeded["read"]],
        version=claim.version,
    )
    article_publish(article=claim.article, editor=editor)
    context = browser.new_context()
    page = sign_in(context, live_server, "ed", "pw-ed")
    page.goto(f"{live_server.url}/claims/{claim.pk}/edit")
    reworded = "Azerbaijan bought 36 Nora B-52NG howitzers from Serbia in 2023."
    page.locator("#id_text").fill(reworded)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/claims/{claim.pk}/")
    assert page.locator("#claim-status").inner_text() == "Needs re-review"
    assert "needs re-review" in page.locator(".messages").inner_text()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEEDS_REREVIEW

    public = context.new_page()
    public.goto(f"{live_server.url}/factchecks/{claim.article_id}/")
    text = public.locator(f"#claim-{claim.pk}").inner_text()
    assert HOWITZERS in text and reworded not in text
    assert "True" in text and "The report lists 48." in text
    assert page.errors == []
    context.close()


def test_phone_viewport_has_no_horizontal_scroll(browser, live_server, seeded, editor):
    claim_record_verdict(
        claim=seeded["claim"],
        reviewer=editor,
        verdict="verified",
        rationale="r",
        evidence=[seeded["read"]],
        version=seeded["claim"].version,
    )
    article_publish(article=seeded["article"], editor=editor)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = sign_in(context, live_server, "rita", "pw-rita")
    pages = [
        "/queue/?status=all&assignee=any",
        f"/articles/{seeded['article'].pk}/",
        f"/claims/{seeded['claim'].pk}/",
        f"/claims/{seeded['other'].pk}/",
        "/",
        f"/factchecks/{seeded['article'].pk}/",
        "/factchecks/",
    ]
    wide = []
    for path in pages:
        page.goto(live_server.url + path)
        if not no_horizontal_scroll(page):
            wide.append((path, page.evaluate("document.documentElement.scrollWidth")))
    assert wide == []
    assert page.errors == []
    context.close()


def test_admin_claim_list_fits_1366_and_no_page_logs_a_csp_error(
    browser, live_server, seeded, editor
):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = sign_in(context, live_server, "ed", "pw-ed")  # an editor, not staff
    claim = seeded["claim"]
    page.goto(f"{live_server.url}/admin/claims/claim/")
    assert page.locator("#result_list").count() == 1
    assert no_horizontal_scroll(page)
    for path in [
        "/",
        "/queue/",
        f"/articles/{seeded['article'].pk}/",
        f"/claims/{claim.pk}/",
        f"/claims/{claim.pk}/edit",
        f"/sources/{seeded['read'].source_id}/",
        f"/snapshots/{seeded['read'].snapshot_id}/",
        "/api/docs/",
        "/factchecks/",
        "/admin/",
        f"/admin/claims/claim/{claim.pk}/change/",
        "/admin/claims/rating/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    # An htmx swap: polling and adding a source in place.
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    page.locator(f"#evidence-{seeded['failed'].pk}").get_by_role("button", name="Retry").click()
    page.locator(f"#evidence-{seeded['failed'].pk}", has_text="not read yet").wait_for()
    favicon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert page.request.get(favicon).ok
    assert page.errors == []  # console errors, CSP violations included
    context.close()
