"""Scoring a source with a configured back-end: the evidence, its card and the API say which
back-end gave the hint; the built-in scorer stays the default."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Evidence
from tests.factories import api_client
from tests.integration.test_research_scoring import _planned_source, _snapshot
from tests.llm_server import llm_api  # noqa: F401 - fixture
from tests.nli_model import build_nli_model
from worker.discover import score_source
from worker.stance_backends.nli import load_model

pytestmark = pytest.mark.django_db

CONFIRMED = "The ministry confirmed that Azerbaijan bought Nora B-52NG howitzers from Serbia."


@pytest.fixture(autouse=True)
def _fresh_models():
    load_model.cache_clear()
    yield
    load_model.cache_clear()


def scored(url: str, text: str) -> Evidence:
    claim, source = _planned_source(None, url)
    score_source(source.pk, [claim.pk], _snapshot(source, text).pk)
    return Evidence.objects.get(claim=claim, source=source)


def shown(evidence: Evidence, reader, client) -> tuple[dict, str]:
    body = api_client(reader).get(reverse("api:claim-detail", kwargs={"pk": evidence.claim_id}))
    [item] = body.json()["evidence"]
    client.force_login(reader)
    page = client.get(reverse("claim_detail", kwargs={"pk": evidence.claim_id}))
    return item, page.content.decode()


def test_the_builtin_scorer_is_the_default(settings, reader, client, sent):
    assert settings.FACTCHECK_STANCE_BACKEND == "builtin"
    evidence = scored("https://news.example/nora", CONFIRMED)
    assert evidence.stance_backend == "builtin"
    item, page = shown(evidence, reader, client)
    assert item["stance_backend"] == "builtin"
    assert "hint by the built-in scorer" in page


def test_the_nli_model_gives_the_hint_when_configured(settings, tmp_path, reader, client, sent):
    settings.FACTCHECK_STANCE_BACKEND = "nli"
    settings.FACTCHECK_NLI_MODEL_DIR = str(build_nli_model(tmp_path / "nli"))
    evidence = scored("https://news.example/nora", CONFIRMED)
    assert (evidence.stance_backend, evidence.stance) == ("nli", "supports")
    assert evidence.reason.startswith("NLI model reads entailment")
    item, page = shown(evidence, reader, client)
    assert (item["stance_backend"], item["stance"]) == ("nli", "supports")
    assert "hint by the NLI model" in page


def test_a_missing_model_leaves_the_builtin_hint(settings, tmp_path, sent):
    settings.FACTCHECK_STANCE_BACKEND = "nli"
    settings.FACTCHECK_NLI_MODEL_DIR = str(tmp_path / "no-such-model")
    assert scored("https://news.example/nora", CONFIRMED).stance_backend == "builtin"


def test_the_llm_gives_the_hint_when_configured(settings, llm_api, reader, client, sent):  # noqa: F811
    settings.FACTCHECK_STANCE_BACKEND = "llm"
    settings.FACTCHECK_LLM_URL = llm_api.url
    settings.FACTCHECK_LLM_MODEL = "llama3.1"
    settings.FACTCHECK_LLM_ALLOW_PRIVATE = True
    llm_api.reply(
        {
            "label": "supports",
            "quote": "Azerbaijan bought Nora B-52NG howitzers from Serbia",
            "reason": "The ministry confirms the purchase.",
        }
    )
    evidence = scored("https://news.example/nora", CONFIRMED)
    assert (evidence.stance_backend, evidence.stance) == ("llm", "supports")
    assert evidence.claim.article.llm_calls == 1
    item, page = shown(evidence, reader, client)
    assert item["stance_backend"] == "llm"
    assert "The ministry confirms the purchase." in item["reason"]
    assert "hint by the language model" in page
