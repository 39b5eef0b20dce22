"""Results of claim extraction. Plain data, no Django."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str = ""
    text: str = ""
    upper: float | None = None  # set for ranges such as 15–20%
    qualifier: str = ""  # "at least", "more than", "about", ...


@dataclass(frozen=True)
class Entity:
    text: str
    label: str  # person, organisation, place, product, other


@dataclass(frozen=True)
class SentenceResult:
    index: int
    start: int
    end: int
    text: str
    score: float
    reasons: list[str] = field(default_factory=list)
    is_heading: bool = False
    is_furniture: bool = False


@dataclass(frozen=True)
class ClaimResult:
    text: str  # readable standalone text
    start: int  # offsets into the article text as given
    end: int
    score: float
    kind: str  # quantity, event, attribution, relation, comparison
    sentence_index: int
    reasons: list[str] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    def features(self) -> dict[str, Any]:
        return {
            "quantities": [asdict(q) for q in self.quantities],
            "dates": list(self.dates),
            "entities": [asdict(e) for e in self.entities],
        }


@dataclass(frozen=True)
class Extraction:
    sentences: list[SentenceResult]
    claims: list[ClaimResult]
