"""The built-in scorer (language.stance.stance_hint) as a back-end: pure Python, no files."""

from __future__ import annotations

from collections.abc import Sequence

from language.stance import Stance, stance_hint

from .base import BUILTIN, Pair


class BuiltinBackend:
    name = BUILTIN
    quantities_override = False

    def judge(self, pairs: Sequence[Pair]) -> list[Stance | None]:
        return [stance_hint(p.claim_text, p.features, p.passage) for p in pairs]
