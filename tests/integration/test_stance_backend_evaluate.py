"""`manage.py evaluate stance FILE --backend nli|llm` and the start-up check of the setting."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from tests.llm_server import llm_api  # noqa: F401 - fixture
from tests.nli_model import build_nli_model
from worker.stance_backends.checks import stance_backend_configured
from worker.stance_backends.nli import load_model

CLAIM = "Azerbaijan bought Nora B-52NG howitzers from Serbia."
ROWS = [
    "claim\tevidence\tlabel",
    f"{CLAIM}\tThe ministry confirmed that Azerbaijan bought Nora howitzers from Serbia.\tSUPPORTS",
    f"{CLAIM}\tThe ministry denied that Azerbaijan bought Nora howitzers from Serbia.\tREFUTES",
    f"{CLAIM}\tThe weather in Baku was mild when Nora howitzers from Serbia arrived.\t"
    "NOT ENOUGH INFO",
    f"{CLAIM}\tThe football season starts in August.\tNOT ENOUGH INFO",
]


@pytest.fixture(autouse=True)
def _fresh_models():
    load_model.cache_clear()
    yield
    load_model.cache_clear()


@pytest.fixture
def tsv(tmp_path):
    path = tmp_path / "stance.tsv"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    return str(path)


def evaluate(*args: str) -> dict:
    out = io.StringIO()
    call_command("evaluate", "stance", *args, "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_nli_backend_is_measured_and_says_who_gave_each_hint(settings, tmp_path, tsv):
    settings.FACTCHECK_NLI_MODEL_DIR = str(build_nli_model(tmp_path / "nli"))
    result = evaluate(tsv, "--backend", "nli")
    assert result["backend"] == "nli"
    # Three rows have a passage the model judges (planted words: all right); the fourth
    # has none and is "not enough info" without asking anyone.
    assert result["hints_by"] == {"nli": 3, "none": 1}
    assert result["accuracy"] == 1.0 and result["n"] == 4


def test_the_configured_backend_is_the_default(settings, tmp_path, tsv):
    settings.FACTCHECK_STANCE_BACKEND = "nli"
    settings.FACTCHECK_NLI_MODEL_DIR = str(tmp_path / "missing")
    result = evaluate(tsv)
    assert result["backend"] == "nli"
    assert result["hints_by"] == {"builtin": 3, "none": 1}  # every hint fell back
    # --backend builtin is today's measurement, unchanged.
    assert set(evaluate(tsv, "--backend", "builtin")) == {"n", "accuracy", "macro_f1", "per_label"}


def test_llm_backend_is_measured(settings, llm_api, tsv):  # noqa: F811
    settings.FACTCHECK_LLM_URL = llm_api.url
    settings.FACTCHECK_LLM_MODEL = "m"
    settings.FACTCHECK_LLM_ALLOW_PRIVATE = True
    settings.FACTCHECK_LLM_BUDGET = 1  # the budget is per article; an evaluation has none
    llm_api.reply({"label": "supports", "quote": "The ministry confirmed", "reason": "r"})
    llm_api.reply({"label": "contradicts", "quote": "The ministry denied", "reason": "r"})
    llm_api.reply({"label": "mentions", "quote": "not in the passage", "reason": "r"})
    result = evaluate(tsv, "--backend", "llm")
    assert result["hints_by"] == {"builtin": 1, "llm": 2, "none": 1}
    assert len(llm_api.requests) == 3


@pytest.mark.parametrize(
    ("values", "ids"),
    [
        ({"FACTCHECK_STANCE_BACKEND": "builtin"}, []),
        ({"FACTCHECK_STANCE_BACKEND": "gpt"}, ["worker.E001"]),
        ({"FACTCHECK_STANCE_BACKEND": "nli", "FACTCHECK_NLI_MODEL_DIR": ""}, ["worker.W001"]),
        ({"FACTCHECK_STANCE_BACKEND": "llm", "FACTCHECK_LLM_URL": ""}, ["worker.W002"]),
    ],
)
def test_start_up_check_names_a_backend_that_cannot_run(settings, values, ids):
    for name, value in values.items():
        setattr(settings, name, value)
    assert [m.id for m in stance_backend_configured()] == ids
