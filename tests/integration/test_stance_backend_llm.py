"""The LLM stance back-end against a loopback OpenAI-compatible chat endpoint.

A grounded answer is used; a quote the passage does not hold, a timeout, malformed JSON,
an error, a blocked address or a spent budget each leave the built-in scorer's hint.
"""

from __future__ import annotations

import time

import pytest

from claims.models import Article
from claims.services.articles import article_ingest_text
from language.stance import stance_hint
from tests.llm_server import llm_api  # noqa: F401 - fixture
from worker.stance_backends import BUILTIN, LLM, LlmBackend, Pair, configured_backend, hint_pairs

CLAIM = "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia."
PASSAGE = (
    "Serbia's Yugoimport   delivered the last of 48 Nora B-52NG howitzers to Azerbaijan in "
    "March, the ministry said."
)
GOOD = {
    "label": "supports",
    "quote": "delivered the last of 48 Nora B-52NG howitzers to Azerbaijan",
    "reason": "The passage reports the delivery of all 48 howitzers.",
}


@pytest.fixture
def llm(settings, llm_api):  # noqa: F811 - the fixture imported above
    settings.FACTCHECK_STANCE_BACKEND = "llm"
    settings.FACTCHECK_LLM_URL = llm_api.url
    settings.FACTCHECK_LLM_MODEL = "qwen2.5:7b-instruct"
    settings.FACTCHECK_LLM_API_KEY = "local-secret"
    settings.FACTCHECK_LLM_TIMEOUT = 2
    settings.FACTCHECK_LLM_ALLOW_PRIVATE = True
    return llm_api


def judge(*passages: str, backend=None) -> list:
    return hint_pairs([Pair(CLAIM, {}, p) for p in passages], backend or configured_backend())


def assert_builtin(hint, passage: str = PASSAGE) -> None:
    own = stance_hint(CLAIM, {}, passage)
    assert (hint.backend, hint.label, hint.reason) == (BUILTIN, own.label, own.reason)


def test_a_grounded_answer_is_the_hint(llm):
    llm.reply({**GOOD, "label": "contradicts"})
    [hint] = judge(PASSAGE)
    assert hint.backend == LLM
    assert hint.label == "contradicts"  # the model's word, not the built-in scorer's
    assert "The passage reports the delivery of all 48 howitzers." in hint.reason
    assert GOOD["quote"] in hint.reason

    [request] = llm.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer local-secret"
    assert request.body["model"] == "qwen2.5:7b-instruct"
    assert request.body["response_format"] == {"type": "json_object"}
    assert CLAIM in request.user_message and PASSAGE in request.user_message


def test_a_quote_is_matched_after_whitespace_normalisation(llm):
    llm.reply({**GOOD, "quote": "Serbia's Yugoimport delivered\nthe last of 48"})
    [hint] = judge(PASSAGE)
    assert (hint.backend, hint.label) == (LLM, "supports")


def test_an_answer_in_a_markdown_fence_is_read(llm):
    llm.reply('```json\n{"label": "supports", "quote": "48 Nora B-52NG howitzers", '
              '"reason": "r"}\n```')  # fmt: skip
    [hint] = judge(PASSAGE)
    assert hint.backend == LLM


@pytest.mark.parametrize(
    "content",
    [
        {**GOOD, "quote": "Serbia sold Azerbaijan four dozen howitzers"},  # not in the passage
        {**GOOD, "quote": ""},
        {**GOOD, "label": "probably true"},
        '{"label": "supports", "quote": "48 Nora',  # cut off
        "The passage supports the claim.",
        '["supports"]',
    ],
    ids=["quote-not-in-passage", "no-quote", "unknown-label", "truncated", "prose", "array"],
)
def test_an_ungrounded_or_malformed_answer_is_discarded(llm, content):
    llm.reply(content)
    [hint] = judge(PASSAGE)
    assert_builtin(hint)
    assert len(llm.requests) == 1


def test_an_endpoint_error_falls_back_to_builtin(llm):
    [hint] = judge(PASSAGE)  # nothing scripted: HTTP 500
    assert_builtin(hint)
    assert len(llm.requests) == 1


def test_a_timeout_falls_back_to_builtin_and_the_next_pair_is_still_asked(llm, settings):
    settings.FACTCHECK_LLM_TIMEOUT = 1
    llm.hang()
    llm.reply(GOOD)
    started = time.monotonic()
    first, second = judge(PASSAGE, PASSAGE)
    assert time.monotonic() - started < 10
    assert_builtin(first)
    assert second.backend == LLM
    assert len(llm.requests) == 2


def test_the_source_deadline_leaves_the_remaining_pairs_to_builtin(llm, settings):
    backend = configured_backend()
    backend.source_deadline = 1.5
    backend.timeout = 1
    llm.hang()
    hints = judge(PASSAGE, PASSAGE, PASSAGE, backend=backend)
    assert [h.backend for h in hints] == [BUILTIN] * 3
    assert len(llm.requests) == 1  # the rest were not asked once the deadline was near


def test_a_private_endpoint_is_refused_unless_allowed(llm, settings):
    settings.FACTCHECK_LLM_ALLOW_PRIVATE = False
    settings.FACTCHECK_FETCH_ALLOW_PRIVATE = True  # sources' policy does not open the LLM's
    llm.reply(GOOD)
    [hint] = judge(PASSAGE)
    assert_builtin(hint)
    assert llm.requests == []


def test_a_redirected_call_is_not_followed(llm):
    llm.redirect()
    llm.reply(GOOD)
    [hint] = judge(PASSAGE)
    assert_builtin(hint)
    assert len(llm.requests) == 1  # the POST was not sent again to the redirect's target


def test_without_url_or_model_the_builtin_hint_stands(llm, settings):
    settings.FACTCHECK_LLM_MODEL = ""
    llm.reply(GOOD)
    [hint] = judge(PASSAGE)
    assert_builtin(hint)
    assert llm.requests == []


@pytest.mark.django_db
def test_each_article_has_a_budget_of_calls(llm, settings):
    settings.FACTCHECK_LLM_BUDGET = 2
    article = article_ingest_text(
        text="Azerbaijan bought 48 Nora B-52NG howitzers from Serbia in 2023. "
        "Serbia delivered 12 Lazar armoured vehicles to Azerbaijan in 2024. "
        "The army received 100 guided rocket systems in 2022.",
        research=False,
    )
    other = article_ingest_text(
        text="Armenia ordered 6 ATAGS howitzers from India in 2024.", research=False
    )
    claims = list(article.claims.order_by("start"))
    assert len(claims) == 3
    llm.reply(GOOD, times=4)
    hints = hint_pairs([Pair(CLAIM, {}, PASSAGE, c.pk) for c in claims], configured_backend())
    assert [h.backend for h in hints] == [LLM, LLM, BUILTIN]
    assert_builtin(hints[2])
    assert len(llm.requests) == 2
    assert Article.objects.get(pk=article.pk).llm_calls == 2
    # Another article's budget is its own.
    [hint] = hint_pairs([Pair(CLAIM, {}, PASSAGE, other.claims.get().pk)], configured_backend())
    assert hint.backend == LLM
    assert Article.objects.get(pk=other.pk).llm_calls == 1


def test_a_backend_built_by_hand_needs_no_django_budget(llm):
    backend = LlmBackend(url=llm.url + "/chat/completions", model="m", allow_private=True)
    llm.reply(GOOD)
    [hint] = judge(PASSAGE, backend=backend)
    assert hint.backend == LLM
    assert llm.requests[0].path == "/v1/chat/completions"
