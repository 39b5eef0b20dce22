"""The workers' reading of a document against a claim: best passage, then its stance hint.

Pure Python. Both the evidence pipeline and `evaluate stance` call this, so what is
measured is what runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from language.passages import Passage, best_passages
from language.stance import Stance, stance_hint


@dataclass(frozen=True)
class Reading:
    passage: Passage
    stance: Stance


def best_passage(claim_text: str, features: dict[str, Any], document_text: str) -> Passage | None:
    """The passage of the document that bears most on the claim, or None."""
    passages = best_passages(claim_text, features, document_text, limit=1)
    return passages[0] if passages else None


def read_document(claim_text: str, features: dict[str, Any], document_text: str) -> Reading | None:
    """The passage of the document that bears most on the claim and what it says of it.

    The built-in stance scorer; the workers' other back-ends (worker.stance_backends) judge
    the same best_passage.
    """
    passage = best_passage(claim_text, features, document_text)
    if passage is None:
        return None
    position = passage.start / max(1, len(document_text))
    return Reading(passage, stance_hint(claim_text, features, passage.text, position=position))
