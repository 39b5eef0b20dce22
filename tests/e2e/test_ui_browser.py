"""End-to-end: the reviewer UI in a real Chromium (Playwright) against a live server."""

from __future__ import annotations

import os

import pytest

from claims.models import Claim, Review
from tests.factories import make_claim, make_ui_article, make_ui_evidence

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = "/tmp/ui_claim_page.png"


def launched_chromium():
    """The system Chromium under Playwright (never a downloaded browser).

    Without it the browser tests skip on a developer's machine and fail in CI (CI=1).
    """
    if not os.path.exists(CHROMIUM):
        message = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser():
    yield from launched_chromium()


@pytest.fixture
def no_broker(sent_tasks):
    """The live server queues fetches; no worker runs here, so they are recorded instead."""
    return sent_tasks


@pytest.fixture
def seeded(reviewer):
    article = make_ui_article()
    first = make_claim(article, "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia in 2023.")
    second = make_claim(
        article, "The army fields at least 600 MLRS units, including 100 guided systems.", score=0.7
    )
    evidence = make_ui_evidence(first)
    return {"article": article, "first": first, "second": second, "evidence": evidence}


def sign_in(context, live_server, username: str, password: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    page.goto(f"{live_server.url}/queue/")
    assert "/accounts/login/" in page.url  # every page needs a signed-in user
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/queue/")
    return page


def test_sign_in_and_move_through_the_queue_with_the_keyboard(browser, live_server, seeded):
    context = browser.new_context()
    page = sign_in(context, live_server, "rita", "pw-rita")
    rows = page.locator("tr.queue-row")
    assert rows.count() == 2
    page.keyboard.press("j")
    assert rows.nth(0).get_attribute("class").endswith("selected")
    page.keyboard.press("j")
    assert "selected" in rows.nth(1).get_attribute("class")
    assert "selected" not in rows.nth(0).get_attribute("class")
    page.keyboard.press("k")
    assert "selected" in rows.nth(0).get_attribute("class")
    page.keyboard.press("?")
    assert page.locator("#shortcut-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#shortcut-help").is_visible()
    # v on the selected claim opens its page with "verified" chosen.
    page.keyboard.press("v")
    page.wait_for_url(f"**/claims/{seeded['first'].pk}/?verdict=verified#verdict")
    assert page.locator('input[name="verdict"][value="verified"]').is_checked()
    assert page.evaluate("document.activeElement.name") == "rationale"
    assert page.errors == []  # no CSP violations or script errors
    context.close()


def test_record_a_verdict_with_the_keyboard_and_see_it(browser, live_server, seeded, no_broker):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = sign_in(context, live_server, "rita", "pw-rita")
    claim = seeded["first"]
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    assert page.locator("#claim-status").inner_text() == "Needs review"
    page.keyboard.press("d")
    assert page.locator('input[name="verdict"][value="disputed"]').is_checked()
    page.keyboard.press("v")  # the rationale has focus now: typed, not a shortcut
    assert page.locator('input[name="verdict"][value="disputed"]').is_checked()
    page.locator("#id_rationale").fill("")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("v")
    assert page.locator('input[name="verdict"][value="verified"]').is_checked()
    page.locator("#id_rationale").fill("The defence report gives the same 48 howitzers.")
    page.locator(f'input[name="evidence"][value="{seeded["evidence"].pk}"]').check()
    page.get_by_role("button", name="Record verdict").click()
    page.locator("#claim-status", has_text="Verified").wait_for()
    timeline = page.locator("#timeline").inner_text()
    assert "Marked verified" in timeline and "same 48 howitzers" in timeline
    review = Review.objects.get(claim=claim)
    assert review.verdict == "verified" and list(review.evidence.all()) == [seeded["evidence"]]
    print("ERRORS", page.errors)
    assert page.errors == []
    # Screenshots inject a <style> (caret hiding) that the CSP blocks: take it last.
    page.screenshot(path=SCREENSHOT, full_page=True)
    context.close()


def test_article_page_highlights_claims(browser, live_server, seeded):
    context = browser.new_context()
    page = sign_in(context, live_server, "rita", "pw-rita")
    page.goto(f"{live_server.url}/articles/{seeded['article'].pk}/")
    marks = page.locator(".article-text a.hl")
    assert marks.count() == 2
    assert marks.nth(0).inner_text() == seeded["first"].text
    colour = marks.nth(0).evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet applied
    assert page.locator("button.promote").count() == 1  # "This trajectory reflects…"
    page.screenshot(path="/tmp/ui_article.png", full_page=True)
    marks.nth(0).click()
    page.wait_for_url(f"**/claims/{seeded['first'].pk}/")
    context.close()


def test_add_a_source_in_place_without_reload(browser, live_server, seeded, no_broker):
    context = browser.new_context()
    page = sign_in(context, live_server, "rita", "pw-rita")
    page.goto(f"{live_server.url}/claims/{seeded['first'].pk}/")
    page.evaluate("window.__noReload = 'still here'")
    page.get_by_label("Add source URLs (one per line)").fill("https://example.net/added-by-rita")
    page.get_by_role("button", name="Add sources").click()
    page.locator("#evidence .evidence-card", has_text="example.net").wait_for()
    assert page.evaluate("window.__noReload") == "still here"
    assert page.locator("#evidence .fetch-wait").count() == 1
    assert no_broker[-1][0] == "worker.tasks.fetch.fetch_source"
    assert page.errors == []
    context.close()


def test_two_reviewers_conflict_in_two_browser_contexts(browser, live_server, seeded, editor):
    claim = seeded["first"]
    url = f"{live_server.url}/claims/{claim.pk}/"
    first = sign_in(browser.new_context(), live_server, "ed", "pw-ed")
    second = sign_in(browser.new_context(), live_server, "rita", "pw-rita")
    for page in (first, second):
        page.goto(url)
    first.locator('input[value="verified"]').check()
    first.locator("#id_rationale").fill("Confirmed by the report.")
    first.locator(f'input[name="evidence"][value="{seeded["evidence"].pk}"]').check()
    first.get_by_role("button", name="Record verdict").click()
    first.locator("#claim-status", has_text="Verified").wait_for()
    second.locator('input[value="disputed"]').check()
    second.locator("#id_rationale").fill("I think it is wrong.")
    second.locator(f'input[name="evidence"][value="{seeded["evidence"].pk}"]').check()
    second.get_by_role("button", name="Record verdict").click()
    conflict = second.locator("#conflict")
    conflict.wait_for()
    assert "Marked verified" in conflict.inner_text() and "by ed" in conflict.inner_text()
    assert Review.objects.filter(claim=claim).count() == 1
    assert Claim.objects.get(pk=claim.pk).status == "verified"
    first.context.close()
    second.context.close()


def test_submit_an_article_and_watch_progress_update_live(
    browser, live_server, reviewer, no_broker
):
    context = browser.new_context()
    page = sign_in(context, live_server, "rita", "pw-rita")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Article URL").fill("https://news.example/story")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Fetching the article…").first.wait_for()
    assert no_broker[-1][0] == "worker.tasks.discover.ingest_url"
    page.evaluate("window.__noReload = 1")
    # The worker (simulated here) stores the text and starts research on its claims.
    from claims.models import Article

    article = Article.objects.get(url="https://news.example/story")
    text = "Serbia sold 48 howitzers. Azerbaijan bought 600 MLRS units."
    Article.objects.filter(pk=article.pk).update(text=text, status=Article.Status.READY)
    make_claim(
        Article.objects.get(pk=article.pk), "Serbia sold 48 howitzers.", status="researching"
    )
    page.get_by_text("0 of 1 claims researched, 0 sources fetched").wait_for(timeout=10_000)
    Claim.objects.filter(article=article).update(status="needs_review")
    page.get_by_text("1 of 1 claims researched, 0 sources fetched · done").wait_for(timeout=10_000)
    assert page.evaluate("window.__noReload") == 1
    page.set_viewport_size({"width": 820, "height": 1100})  # a tablet
    page.goto(f"{live_server.url}/queue/?assignee=any")
    page.screenshot(path="/tmp/ui_queue_tablet.png", full_page=True)
    context.close()
