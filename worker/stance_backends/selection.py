"""The configured stance back-end, and hints for a source's pairs with the fallback to builtin.

The built-in scorer reads every pair anyway (it is cheap and pure Python): its hint stands
wherever the configured back-end fails or does not answer, and, for the NLI back-end,
wherever the built-in scorer's comparison of figures decided.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings

from claims.services.articles import article_llm_call_spend
from language.stance import Stance

from .base import (
    BACKEND_NAMES,
    BUILTIN,
    LABELS,
    LLM,
    NLI,
    Hint,
    Pair,
    StanceBackend,
    decided_by_figures,
)
from .builtin import BuiltinBackend
from .llm import Budget, LlmBackend
from .nli import NliBackend

logger = logging.getLogger(__name__)


def article_budget(pair: Pair) -> bool:
    """Spends one of the pair's article's FACTCHECK_LLM_BUDGET calls; False once spent."""
    if pair.claim_id is None:
        return True
    return article_llm_call_spend(claim_id=pair.claim_id, budget=int(settings.FACTCHECK_LLM_BUDGET))


def configured_backend(
    name: str | None = None, *, budget: Budget = article_budget
) -> StanceBackend:
    """The back-end named by FACTCHECK_STANCE_BACKEND (or name); builtin when unknown."""
    name = (name or settings.FACTCHECK_STANCE_BACKEND or BUILTIN).strip().lower()
    if name == NLI:
        return NliBackend(settings.FACTCHECK_NLI_MODEL_DIR, settings.FACTCHECK_NLI_LABELS)
    if name == LLM:
        return LlmBackend(
            url=settings.FACTCHECK_LLM_URL,
            model=settings.FACTCHECK_LLM_MODEL,
            api_key=settings.FACTCHECK_LLM_API_KEY,
            timeout=float(settings.FACTCHECK_LLM_TIMEOUT),
            allow_private=bool(settings.FACTCHECK_LLM_ALLOW_PRIVATE),
            budget=budget,
        )
    if name not in BACKEND_NAMES:
        logger.warning("unknown FACTCHECK_STANCE_BACKEND %r: using builtin", name)
    return BuiltinBackend()


def hint_pairs(pairs: Sequence[Pair], backend: StanceBackend | None = None) -> list[Hint]:
    """A hint for each pair from the back-end, or from the built-in scorer where it fails."""
    backend = backend or configured_backend()
    builtin = BuiltinBackend().judge(pairs)
    if backend.name == BUILTIN or not pairs:
        return [_hint(s, BUILTIN) for s in builtin]
    try:
        answers = backend.judge(pairs)
        if len(answers) != len(pairs):
            raise ValueError(f"{len(answers)} answers for {len(pairs)} pairs")
    except Exception as exc:  # any failure of an optional back-end: the built-in hint stands
        logger.warning("stance back-end %s failed, built-in hints used: %s", backend.name, exc)
        answers = [None] * len(pairs)
    hints = []
    for own, answer in zip(builtin, answers, strict=True):
        assert own is not None
        overridden = backend.quantities_override and decided_by_figures(own)
        if answer is None or answer.label not in LABELS or overridden:
            hints.append(_hint(own, BUILTIN))
        else:
            hints.append(_hint(answer, backend.name))
    return hints


def _hint(stance: Stance | None, backend: str) -> Hint:
    assert stance is not None  # the built-in scorer answers every pair
    return Hint(stance.label, stance.reason, stance.confidence, backend)
