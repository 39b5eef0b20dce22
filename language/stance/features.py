"""Signals as numbers for the learned stance model, and each number's words for a reviewer.

`features(signals)` gives every feature by name (0 when absent); `evidence(name, signals)`
says in words what a feature saw, for the reason line ("both say 48 howitzers").
"""

from __future__ import annotations

from collections.abc import Callable

from language.stance.signals import Signals, join, log_chars

_MEASURE_KINDS = ("length", "mass", "duration")


def _kind_disagree(signals: Signals, kinds: tuple[str, ...]) -> float:
    return float(any(kind in kinds for kind, _ in signals.disagree))


FEATURES: dict[str, Callable[[Signals], float]] = {
    "entity_coverage": lambda s: s.entity_cov if s.entity_cov is not None else s.term_cov,
    "no_entities": lambda s: float(s.entity_cov is None),
    "term_coverage": lambda s: s.term_cov,
    "all_names_found": lambda s: float(s.complete and bool(s.entities)),
    "unrelated": lambda s: float(not s.related),
    "content_overlap": lambda s: s.overlap,
    "passage_novelty": lambda s: s.novelty,
    "missing_words": lambda s: min(len(s.missing), 6) / 6,
    "other_country": lambda s: float(bool(s.other_country)),
    "words_replaced": lambda s: min(len(s.substitutions), 3) / 3,
    "opposite_words": lambda s: float(bool(s.antonyms)),
    "figures_agree": lambda s: float(bool(s.agree_exact)),
    "figures_consistent": lambda s: float(bool(s.agree_consistent)),
    "counts_differ": lambda s: _kind_disagree(s, ("count",)),
    "percents_differ": lambda s: _kind_disagree(s, ("percent",)),
    "amounts_differ": lambda s: _kind_disagree(s, ("money",)),
    "measures_differ": lambda s: _kind_disagree(s, _MEASURE_KINDS),
    "claim_figure_unmatched": lambda s: float(bool(s.unmatched)),
    "claim_has_figures": lambda s: float(s.claim_figures > 0),
    "passage_has_figures": lambda s: float(s.passage_figures > 0),
    "numbers_shared": lambda s: s.numbers_shared,
    "numbers_missing": lambda s: float(s.numbers_missing),
    "subject_differs": lambda s: float(bool(s.subject_conflicts)),
    "owner_differs": lambda s: float(bool(s.owner_conflicts)),
    "changes_agree": lambda s: float(bool(s.change_agree)),
    "changes_differ": lambda s: float(bool(s.change_disagree)),
    "years_agree": lambda s: float(bool(s.year_agree)),
    "years_differ": lambda s: float(bool(s.year_disagree)),
    "source_denies": lambda s: float(bool(s.denial)),
    "claim_negative": lambda s: float(s.claim_denied),
    "passage_negative": lambda s: float(s.passage_denied),
    "negation_mismatch": lambda s: float(s.claim_denied != s.passage_denied),
    "opposite_trend": lambda s: float(bool(s.turn)),
    "not_english": lambda s: float(s.foreign),
    "passage_position": lambda s: s.position if s.position is not None else 0.0,
    "passage_length": lambda s: log_chars(s.passage_chars),
    "agree_and_named": lambda s: float(bool(s.agree_exact or s.agree_consistent)) * s.coverage,
    "differ_and_named": lambda s: float(bool(s.disagree)) * s.coverage,
    "denies_and_named": lambda s: float(bool(s.denial)) * s.coverage,
    "all_said": lambda s: float(s.complete and s.term_cov >= 0.6 and not s.claim_figures),
}


# Evidence that decides before the model is asked, in this order: whose figure it is, then
# any figure or year that differs (the assignment already required the claim's unit, names
# or subject), a denial or a trend the other way near the claim's words, then figures and
# years that agree. (feature, label)
DECISIVE = (
    ("other_country", "mentions"),
    ("owner_differs", "mentions"),
    ("counts_differ", "contradicts"),
    ("percents_differ", "contradicts"),
    ("amounts_differ", "contradicts"),
    ("measures_differ", "contradicts"),
    ("changes_differ", "contradicts"),
    ("years_differ", "contradicts"),
    ("source_denies", "contradicts"),
    ("opposite_trend", "contradicts"),
    ("figures_agree", "supports"),
    ("figures_consistent", "supports"),
    ("changes_agree", "supports"),
    ("years_agree", "supports"),
)


def decisive(values: dict[str, float]) -> tuple[str, str] | None:
    """(feature, label) of the first decisive signal present, or None: the model decides."""
    return next(((name, label) for name, label in DECISIVE if values.get(name)), None)


def features(signals: Signals) -> dict[str, float]:
    return {name: float(f(signals)) for name, f in FEATURES.items()}


# Features whose words only explain a hint that is not "supports" (what is missing or
# different), and those that only explain one that is (what is there).
_AGAINST = frozenset({"missing_words", "passage_novelty", "negation_mismatch", "unrelated",
                      "words_replaced", "opposite_words", "numbers_missing"})  # fmt: skip
_FOR = frozenset({"entity_coverage", "term_coverage", "all_names_found", "content_overlap",
                  "all_said", "numbers_shared", "not_english"})  # fmt: skip


def evidence(name: str, s: Signals, label: str = "") -> str:
    """What the feature saw, in a reviewer's words; "" when it has nothing to show (or
    nothing that explains `label`)."""
    if (label == "supports" and name in _AGAINST) or (label == "contradicts" and name in _FOR):
        return ""
    agree = s.agree_exact + s.agree_consistent
    if name in ("figures_agree", "figures_consistent", "agree_and_named"):
        words = "; ".join(agree)
        return words + ("; no figure for " + ", ".join(s.unmatched) if s.unmatched else "")
    if name in ("counts_differ", "percents_differ", "amounts_differ", "measures_differ",
                "differ_and_named"):  # fmt: skip
        return "; ".join([words for _, words in s.disagree] + agree)
    if name in ("source_denies", "denies_and_named") and s.denial:
        return f"source denies: “{s.denial}”"
    if name == "opposite_trend" and s.turn:
        return f"source says the opposite: “{s.turn}”"
    if name == "other_country":
        return s.other_country + (
            "; its figures and words are not compared" if s.other_country else ""
        )
    if name == "owner_differs":
        return "; ".join(s.owner_conflicts[:1])
    if name == "subject_differs":
        return "; ".join(s.subject_conflicts[:1])
    if name == "changes_agree":
        return "; ".join(s.change_agree)
    if name == "changes_differ":
        return "; ".join(s.change_disagree)
    if name == "years_agree":
        return s.year_agree
    if name == "years_differ":
        return s.year_disagree
    if name == "claim_figure_unmatched" and s.unmatched:
        return "no figure to compare with the claim's " + ", ".join(s.unmatched)
    if name == "numbers_shared" and s.numbers_shared:
        return "the source gives the claim's numbers"
    if name == "numbers_missing" and s.numbers_missing:
        return "the source gives other numbers than the claim's"
    if name == "words_replaced" and s.substitutions:
        return "; ".join(s.substitutions[:2])
    if name == "opposite_words" and s.antonyms:
        return s.antonyms[0]
    if name == "unrelated":
        return "no overlap with the claim's names, terms or figures"
    if name in ("entity_coverage", "term_coverage", "all_names_found", "content_overlap",
                "all_said"):  # fmt: skip
        named = s.found_entities + s.matched_terms
        return ("source says the same: " + join(named)) if named else ""
    if name in ("missing_words", "passage_novelty") and s.missing:
        return "missing " + join(s.missing, limit=3)
    if name == "not_english" and s.foreign and s.found_entities:
        return f"source names {join(s.found_entities)}; its other words are not in English"
    if name == "negation_mismatch" and s.passage_denied != s.claim_denied:
        return (
            "one of them says no" if s.passage_denied else "the claim says no, the source does not"
        )
    return ""
