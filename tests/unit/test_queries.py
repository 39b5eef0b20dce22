"""build_queries: several deterministic queries per claim, from its features."""

from __future__ import annotations

from language.queries import build_queries
from tests.seed_claims import (
    MLRS,
    MLRS_FEATURES,
    NORA,
    NORA_FEATURES,
    SPENDING,
    SPENDING_FEATURES,
)


def test_nora_claim_gets_names_quoted_designation_and_key_terms():
    queries = build_queries(NORA, "quantity", NORA_FEATURES)
    assert queries[0] == "Nora B-52NG howitzers Serbia Azerbaijan"
    assert queries[1] == '"Nora B-52NG" 48 howitzers'
    assert "48" in queries[2] and "artillery" in queries[2]
    assert "significant" not in queries[2] and "effort" not in queries[2]
    assert len(queries) == 4


def test_queries_are_distinct_and_bounded():
    queries = build_queries(NORA, "quantity", NORA_FEATURES, max_queries=2)
    assert len(queries) == 2
    queries = build_queries(NORA, "quantity", NORA_FEATURES)
    assert len({frozenset(q.lower().split()) for q in queries}) == len(queries)
    assert all(2 <= len(q.split()) <= 14 for q in queries)


def test_deterministic():
    assert build_queries(MLRS, "quantity", MLRS_FEATURES) == build_queries(
        MLRS, "quantity", MLRS_FEATURES
    )


def test_mlrs_claim_keeps_both_figures_and_drops_qualifier_words():
    queries = build_queries(MLRS, "quantity", MLRS_FEATURES)
    assert queries[0] == "MLRS units guided systems HIMARS"
    assert queries[1] == "MLRS 600 units"
    terms = queries[2].split()
    assert "600" in terms and "100" in terms and "least" not in terms


def test_percentage_claim_searches_for_what_the_percentage_is_of():
    queries = build_queries(SPENDING, "quantity", SPENDING_FEATURES)
    assert "15-20% annual increase defense spending" in queries
    assert any("Azerbaijani" in q and "spending" in q for q in queries)
    # "Israel" is far from the figure: it is not the designation of the percentage.
    assert not any(q.startswith('"Israel"') or q.startswith("Israel 15") for q in queries)


def test_event_claim_with_year_and_opening_clause():
    text = (
        "In 2025, Slovak Chief of Staff General Daniel Zmeko visited Baku, touring the cyber "
        "defense center."
    )
    features = {
        "quantities": [],
        "dates": ["2025"],
        "entities": [
            {"text": "Daniel Zmeko", "label": "person"},
            {"text": "Baku", "label": "place"},
        ],
    }
    queries = build_queries(text, "event", features)
    assert queries[0] == "Daniel Zmeko Baku"
    # The quoted-names variant has the same words as the first query: not repeated.
    assert '"Daniel Zmeko" Baku' not in queries
    assert "Daniel Zmeko Baku 2025" in queries
    assert any("2025" in q for q in queries)
    assert any(
        q.startswith("Slovak Chief of Staff General Daniel Zmeko visited Baku") for q in queries
    )


def test_without_features_falls_back_to_capitalised_names():
    text = "Azerbaijan received JF-17 Thunder fighter jets from Pakistan in 2024."
    queries = build_queries(text, "event", {})
    assert any("JF-17 Thunder" in q and "Pakistan" in q for q in queries)
    assert any("2024" in q for q in queries)


def test_durations_are_not_searched_as_figures():
    text = (
        "Over the last two years, Azerbaijan has adopted a new model of hybrid security diplomacy."
    )
    features = {
        "quantities": [
            {"value": 2, "unit": "years", "text": "two", "upper": None, "qualifier": ""}
        ],
        "dates": [],
        "entities": [{"text": "Azerbaijan", "label": "place"}],
    }
    queries = build_queries(text, "quantity", features)
    assert queries and not any(q.split()[0] == "2" or " 2 " in q for q in queries)
    assert "Azerbaijan has adopted a new model of hybrid security diplomacy" in queries


def test_empty_claim_gives_no_queries():
    assert build_queries("", "event", {}) == []
