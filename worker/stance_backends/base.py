"""What every stance back-end takes and gives: claim-passage pairs in, stances out.

A back-end judges all the pairs of one source in one call (a model runs them as one batch)
and may leave any pair unanswered (None); selection.hint_pairs then gives the built-in
scorer's hint for it, so a failing back-end costs a reviewer nothing but the better hint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from language.stance import CONTRADICTS, MENTIONS, SUPPORTS, Stance

BUILTIN, NLI, LLM = "builtin", "nli", "llm"
BACKEND_NAMES = (BUILTIN, NLI, LLM)
LABELS = (SUPPORTS, CONTRADICTS, MENTIONS)


class BackendError(Exception):
    """A back-end cannot answer (missing files, bad output, unreachable endpoint)."""


@dataclass(frozen=True)
class Pair:
    """One claim and the passage of a source read against it."""

    claim_text: str
    features: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    passage: str = ""
    claim_id: int | None = None  # whose article's LLM budget a call spends; None: none


@dataclass(frozen=True)
class Hint:
    """A stance hint and the back-end that gave it."""

    label: str  # supports | contradicts | mentions
    reason: str
    confidence: float
    backend: str  # builtin | nli | llm


class StanceBackend(Protocol):
    name: str
    # The built-in scorer's comparison of figures outranks this back-end's answer.
    quantities_override: bool

    def judge(self, pairs: Sequence[Pair]) -> list[Stance | None]:
        """A stance for each pair, None where there is no answer; BackendError for none."""
        ...


# The built-in scorer's reasons when its figures decided: "claim says 4, source says 48",
# "both say 48 howitzers", "source says 50, consistent with claim's about 48".
_FIGURE_REASON = re.compile(r"^(?:claim says|both say|source says)\s+(?P<figure>[^;,]*)")
_YEARS_ONLY = re.compile(r"^[\s/]*(?:1[5-9]\d\d|2\d\d\d)(?:[\s/]+(?:1[5-9]\d\d|2\d\d\d))*\s*$")


def decided_by_figures(stance: Stance) -> bool:
    """True when the built-in scorer's hint rests on comparing the claim's figures.

    A comparison of years alone ("both say 2023") does not count: a year agrees between
    many passages that say different things.
    """
    if stance.label == MENTIONS:
        return False
    match = _FIGURE_REASON.match(stance.reason)
    if not match:
        return False
    figure = match["figure"]
    return any(ch.isdigit() for ch in figure) and not _YEARS_ONLY.match(figure)
