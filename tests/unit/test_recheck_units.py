"""Pure parts of the re-check: finding a quote again, the adaptive interval, redirects."""

from __future__ import annotations

import datetime as dt
import time

from language.quotes import locate_quote
from worker.fetching import FetchResult
from worker.recheck import chunked, moved_target, next_interval

TEXT = (
    "Heading\nThe defence ministry confirmed on Monday that 48 self-propelled Nora B-52 "
    "howitzers were delivered from Serbia in two batches during the spring.\nOfficials said "
    "the contract also covers training for the crews."
)
QUOTE = (
    "The defence ministry confirmed on Monday that 48 self-propelled Nora B-52 howitzers "
    "were delivered from Serbia in two batches during the spring."
)


def test_exact_quote_is_found_with_its_offsets():
    match = locate_quote(QUOTE, TEXT)
    assert match.kind == "exact"
    assert TEXT[match.start : match.end] == QUOTE


def test_quote_spaced_differently_is_still_exact():
    match = locate_quote(QUOTE, TEXT.replace("Nora B-52 ", "Nora  B-52\n"))
    assert match.kind == "exact"


def test_small_edit_is_nearly_there_with_the_new_passage():
    edited = QUOTE.replace("48", "46").replace("Monday", "Tuesday")
    match = locate_quote(QUOTE, TEXT.replace(QUOTE, edited))
    assert match.kind == "near"
    assert 0.85 <= match.similarity < 1
    assert match.passage == edited


def test_rewritten_passage_is_gone():
    text = TEXT.replace(QUOTE, "Nothing was delivered this year, the ministry said.")
    match = locate_quote(QUOTE, text)
    assert match.kind == "gone"
    assert match.passage == ""


def test_empty_quote_or_text_is_gone():
    assert locate_quote("", TEXT).kind == "gone"
    assert locate_quote(QUOTE, "").kind == "gone"


def test_finding_a_quote_in_a_long_page_is_fast():
    filler = " ".join(f"word{i} of a long page about something else entirely." for i in range(8000))
    edited = QUOTE.replace("48", "46")
    text = filler + " " + edited + " " + filler
    started = time.process_time()  # CPU, not wall: other work on the machine does not count
    match = locate_quote(QUOTE, text)
    assert time.process_time() - started < 2.0
    assert match.kind == "near"
    assert match.passage == edited


def test_interval_doubles_from_a_day_to_a_month():
    day = dt.timedelta(days=1)
    assert next_interval(None, changed=False, under_review=False) == day
    assert next_interval(day, changed=False, under_review=False) == 2 * day
    assert next_interval(20 * day, changed=False, under_review=False) == 30 * day
    assert next_interval(30 * day, changed=False, under_review=False) == 30 * day
    assert next_interval(16 * day, changed=True, under_review=False) == day
    assert next_interval(16 * day, changed=False, under_review=True) == day


def _result(redirects):
    return FetchResult(
        url="http://a/",
        final_url=redirects[-1][1] if redirects else "http://a/",
        status=200,
        headers={},
        content_type="text/html",
        body=b"",
        content_hash="",
        redirects=redirects,
        permanent_redirect=any(s in (301, 308) for s, _ in redirects),
    )


def test_moved_target_follows_permanent_hops_from_the_start_only():
    assert moved_target(_result([])) is None
    assert moved_target(_result([(301, "http://b/")])) == "http://b/"
    assert moved_target(_result([(308, "http://b/"), (301, "http://c/")])) == "http://c/"
    assert moved_target(_result([(301, "http://b/"), (302, "http://c/")])) == "http://b/"
    assert moved_target(_result([(302, "http://b/"), (301, "http://c/")])) is None


def test_batches_spread_each_domain_over_all_batches():
    ids = list(range(10))  # sorted by domain: 0-5 on one site, 6-9 on another
    batches = chunked(ids, 4)
    assert sorted(sum(batches, [])) == ids
    assert [len(b) for b in batches] == [4, 3, 3]
    assert all(len([i for i in b if i <= 5]) == 2 for b in batches)
    assert chunked([], 4) == []
