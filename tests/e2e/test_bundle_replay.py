"""A verdict's evidence bundle opens in ReplayWeb.page (webrecorder's player) in real Chromium.

ReplayWeb.page is not vendored: `.ci/run` unpacks its `ui.js` and `sw.js` from the npm
registry into var/replaywebpage (or set FACTCHECK_REPLAYWEB_DIR). Without them the test skips
on a developer's machine and fails in CI (CI=1).
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.test_ui_browser import launched_chromium
from tests.integration.test_bundle import reviewed_claim  # noqa: F401  (a fixture)
from tests.loopback import serving

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

ROOT = Path(__file__).resolve().parents[2]
REPLAYWEB = Path(os.environ.get("FACTCHECK_REPLAYWEB_DIR", ROOT / "var" / "replaywebpage"))


@pytest.fixture
def replayweb_dir() -> Path:
    if not (REPLAYWEB / "ui.js").exists() or not (REPLAYWEB / "sw.js").exists():
        message = f"ReplayWeb.page is not unpacked in {REPLAYWEB} (see .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return REPLAYWEB


@pytest.fixture
def site(tmp_path, replayweb_dir):
    """A static site on loopback: the player, a page embedding it, and the bundle."""
    (tmp_path / "replay").mkdir()
    for name in ("ui.js", "sw.js"):
        shutil.copy(replayweb_dir / name, tmp_path / "replay" / name)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    with serving(handler, name="replay-site") as base:
        yield tmp_path, base


def test_the_bundle_replays_the_cited_page_from_the_archive(reviewed_claim, web, site):  # noqa: F811
    claim, snapshot, _document = reviewed_claim
    root, base = site
    call_command("export_bundle", str(claim.pk), str(root / "bundle.wacz"), stdout=io.StringIO())
    # The live page changes after the capture: what the player shows must come from the bundle.
    web.set_page("/defence/nora", "<p>This page has changed.</p>")
    (root / "index.html").write_text(
        '<!doctype html><script src="replay/ui.js"></script>'
        f'<replay-web-page source="/bundle.wacz" url="{snapshot.source.url}" '
        'replayBase="/replay/"></replay-web-page>'
    )
    for browser in launched_chromium():
        page = browser.new_page()
        page.goto(f"{base}/index.html")
        shown, frame_url = "", ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "48 Nora B-52NG" not in shown:
            for frame in page.frames:
                if snapshot.source.url in frame.url and "mp_/" in frame.url:
                    try:
                        shown, frame_url = frame.inner_text("body", timeout=1000), frame.url
                    except Exception:  # the frame navigated while it was read
                        continue
            page.wait_for_timeout(250)
        assert "48 Nora B-52NG" in shown, page.content()[:2000]
        assert "This page has changed" not in shown
        assert "/replay/w/" in frame_url  # served by the player's service worker
