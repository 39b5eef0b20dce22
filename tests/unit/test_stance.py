"""stance_hint on the seed article's claims against realistic source passages."""

from __future__ import annotations

import pytest

from language.stance import stance_hint, stance_signals
from language.stance.features import features
from language.stance.model import load_model
from tests.seed_claims import MLRS, NORA
from tests.seed_claims import MLRS_FEATURES as MLRS_F
from tests.seed_claims import NORA_FEATURES as NORA_F
from tests.seed_claims import SPENDING as SPEND
from tests.seed_claims import SPENDING_FEATURES as SPEND_F

ZMEKO = "Slovak Chief of Staff General Daniel Zmeko visited Baku, touring the cyber defense center."
ZMEKO_F = {
    "quantities": [],
    "dates": [],
    "entities": [{"text": "Daniel Zmeko", "label": "person"}, {"text": "Baku", "label": "place"}],
}


def hint(claim, features, passage):
    s = stance_hint(claim, features, passage)
    assert "\n" not in s.reason and s.reason
    assert 0.0 <= s.confidence <= 1.0
    return s


# --- 48 howitzers ----------------------------------------------------------------------------


PASSAGE_48 = "Azerbaijan has received 48 Nora B-52NG howitzers from Serbia."


def test_same_number_supports():
    s = hint(NORA, NORA_F, PASSAGE_48)
    assert s.label == "supports"
    assert s.reason == "both say 48 howitzers"
    # The figures decide; the confidence is the learned model's calibrated probability, with
    # what the sentence encoder reads in the pair (both are English).
    from language.embeddings import bundled_encoder

    values = features(stance_signals(NORA, NORA_F, PASSAGE_48))
    model = load_model()
    encoder = bundled_encoder()
    values.update(model.sentence.values(encoder.vector(NORA), encoder.vector(PASSAGE_48)))
    assert s.confidence == round(model.probabilities(model.vector(values))["supports"], 2)


def test_different_number_contradicts():
    passage = "Serbia signed a contract to deliver 36 Nora B-52 howitzers to Azerbaijan in 2018."
    s = hint(NORA, NORA_F, passage)
    assert s.label == "contradicts"
    assert s.reason == "claim says 48 howitzers, source says 36"


def test_serbian_source_supports_through_designation_and_number():
    s = hint(NORA, NORA_F, "Srbija je isporučila 48 haubica Nora B-52 Azerbejdžanu.")
    assert s.label == "supports" and "48" in s.reason


def test_denial_contradicts_and_quotes_the_source():
    passage = "Yugoimport denied that any contract for Nora B-52 howitzers with Azerbaijan existed."
    s = hint(NORA, NORA_F, passage)
    assert s.label == "contradicts"
    assert s.reason.startswith("source denies:") and "denied that any contract" in s.reason


@pytest.mark.parametrize(
    "passage",
    [
        "Yugoimport did not disclose the price of the Nora B-52 howitzers bought by Azerbaijan.",
        "Azerbaijan not only bought Nora B-52 howitzers but also trained crews in Serbia.",
    ],
)
def test_non_denials_are_not_contradictions(passage):
    assert hint(NORA, NORA_F, passage).label == "mentions"


def test_measurement_is_not_a_count():
    s = hint(NORA, NORA_F, "Serbia's Nora B-52 is a 155 mm self-propelled gun-howitzer.")
    assert s.label == "mentions"
    assert "no figure to compare with the claim's 48 howitzers" in s.reason
    assert "missing" in s.reason and "Azerbaijan" in s.reason


def test_figure_about_another_country_is_not_compared():
    s = hint(NORA, NORA_F, "Armenia has 36 howitzers in its arsenal.")
    assert s.label == "mentions"


def test_unrelated_passage():
    s = hint(NORA, NORA_F, "The football season starts in August.")
    assert s.label == "mentions" and s.confidence < 0.2
    assert "no overlap" in s.reason


def test_denial_wins_over_matching_number():
    passage = "The Azerbaijani ministry denied buying 48 Nora howitzers from Serbia."
    assert hint(NORA, NORA_F, passage).label == "contradicts"


# --- at least 600 MLRS, including 100 guided -------------------------------------------------


def test_at_least_600_supported_by_a_larger_figure():
    passage = (
        "Azerbaijan fields more than 650 multiple rocket launchers (MLRS), of which 100 are "
        "guided systems."
    )
    s = hint(MLRS, MLRS_F, passage)
    assert s.label == "supports"
    assert "source says more than 650, consistent with claim's at least 600 MLRS units" in s.reason
    assert "both say 100 guided systems" in s.reason


def test_at_least_600_contradicted_by_a_smaller_figure():
    s = hint(MLRS, MLRS_F, "The IISS estimates Azerbaijan has around 400 MLRS in service.")
    assert s.label == "contradicts"
    assert s.reason == "claim says at least 600 MLRS units, source says around 400"


def test_one_figure_confirmed_other_missing_is_weaker_support():
    full = hint(
        MLRS, MLRS_F, "Azerbaijan operates at least 600 MLRS units, including 100 guided systems."
    )
    partial = hint(MLRS, MLRS_F, "Azerbaijan has 100 guided MLRS systems.")
    assert full.label == "supports" and "both say at least 600 MLRS units" in full.reason
    assert partial.label == "supports" and "no figure for at least 600 MLRS units" in partial.reason
    assert partial.confidence < full.confidence


def test_one_figure_right_one_wrong_contradicts():
    passage = "Azerbaijan operates some 620 MLRS, but only 40 of them are guided systems."
    s = hint(MLRS, MLRS_F, passage)
    assert s.label == "contradicts"
    assert "claim says 100 guided systems, source says 40" in s.reason


# --- 15–20% annual increase in defense spending ----------------------------------------------


def test_percentage_inside_the_range_supports():
    passage = "Azerbaijani defense spending has grown by 18 percent a year since 2022."
    s = hint(SPEND, SPEND_F, passage)
    assert s.label == "supports"
    assert s.reason == "source says 18%, consistent with claim's 15–20%"


def test_percentage_outside_the_range_contradicts():
    s = hint(SPEND, SPEND_F, "Azerbaijan's defence spending rose 7% in 2024, according to SIPRI.")
    assert s.label == "contradicts"
    assert s.reason == "claim says 15–20%, source says 7%"


def test_unrelated_percentage_is_not_compared():
    assert hint(SPEND, SPEND_F, "Inflation in Azerbaijan reached 7% in 2024.").label == "mentions"


def test_no_figure_only_mentions():
    s = hint(SPEND, SPEND_F, "Azerbaijani military budget data on defense are published annually.")
    assert s.label == "mentions"
    assert "no figure to compare with the claim's 15–20%" in s.reason


# --- claims without numbers -------------------------------------------------------------------


def test_event_claim_supported_when_all_names_and_terms_match():
    passage = (
        "Gen. Daniel Zmeko, the Slovak chief of staff, visited Baku and toured the cyber defense "
        "center."
    )
    s = hint(ZMEKO, ZMEKO_F, passage)
    assert s.label == "supports"
    assert "Daniel Zmeko" in s.reason and "Baku" in s.reason


def test_event_claim_partial_overlap_mentions_what_is_missing():
    s = hint(ZMEKO, ZMEKO_F, "Baku hosted a cyber defense conference in October.")
    assert s.label == "mentions"
    assert s.reason.startswith("mentions Baku")
    assert "missing Daniel Zmeko" in s.reason


def test_negative_claim_agrees_with_negative_source():
    claim = "Azerbaijan did not buy Nora B-52 howitzers from Serbia."
    features = {
        "quantities": [],
        "dates": [],
        "entities": [{"text": "Nora B-52", "label": "product"}],
    }
    passage = "Azerbaijan never bought Nora B-52 howitzers from Serbia, the ministry said."
    assert hint(claim, features, passage).label != "contradicts"


def test_works_without_features():
    s = hint(
        "Azerbaijan bought 48 Nora B-52 howitzers.", {}, "Azerbaijan bought 36 Nora B-52 howitzers."
    )
    assert s.label == "contradicts" and "source says 36" in s.reason


# --- another country, other languages, other words -------------------------------------------


def test_another_countrys_figure_is_not_compared_even_with_the_designation():
    s = hint(NORA, NORA_F, "Cyprus ordered 48 Nora B-52 howitzers from Serbia in a separate deal.")
    assert s.label == "mentions"
    assert s.reason.startswith("source is about Cyprus, not Azerbaijan")


def test_capital_stands_for_its_country():
    passage = "Baku took delivery of 48 Nora B-52NG howitzers ordered from Belgrade."
    assert hint(NORA, NORA_F, passage).label == "supports"


def test_foreign_source_naming_everything_supports_an_event_claim():
    claim = "Slovak Chief of Staff General Daniel Zmeko visited Baku."
    s = hint(claim, ZMEKO_F, "Начальник Генштаба Словакии генерал Даниэль Змеко посетил Баку.")
    assert s.label == "supports"
    assert "not in English" in s.reason and "Daniel Zmeko" in s.reason


def test_foreign_source_missing_a_name_only_mentions():
    claim = "Slovak Chief of Staff General Daniel Zmeko visited Baku."
    s = hint(claim, ZMEKO_F, "Генерал Даниэль Змеко встретился с чешскими офицерами в Праге.")
    assert s.label == "mentions"


IRON_DOME = "Azerbaijan operates Iron Dome batteries."
IRON_DOME_F = {"quantities": [], "dates": [], "entities": [{"text": "Iron Dome"}]}


def test_same_sense_words_count_as_the_claims():
    passage = "Azerbaijan has deployed Iron Dome batteries around Baku."
    assert hint(IRON_DOME, IRON_DOME_F, passage).label == "supports"


@pytest.mark.xfail(
    strict=True,
    reason="known regression of the learned model: with every name found and no figure to "
    "compare, it says supports (0.43) though 'operates' and 'batteries' are missing; a guard "
    "requiring half the claim's words cost 0.05 macro-F1 on group-held-out public pairs",
)
def test_a_source_without_the_claims_verb_only_mentions():
    assert hint(IRON_DOME, IRON_DOME_F, "Azerbaijan has Iron Dome in storage.").label == "mentions"


def test_country_named_in_another_language_counts_as_named():
    claim = "Azerbaijan, Georgia and Turkey held a trilateral defense summit."
    passage = "Министры обороны Азербайджана, Грузии и Турции провели трёхсторонний саммит."
    s = hint(claim, {}, passage)
    assert s.label == "supports" and "Georgia" in s.reason


@pytest.mark.parametrize(
    ("passage", "label"),
    [
        ("На вооружении Азербайджана находится свыше 600 РСЗО.", "supports"),
        ("Azerbejdžan raspolaže sa oko 180 višecevnih bacača raketa.", "contradicts"),
        ("Azerbaycan ordusunda 600'den fazla çok namlulu roketatar bulunuyor.", "supports"),
    ],
)
def test_figures_in_other_languages_are_compared(passage, label):
    claim = "Azerbaijan operates at least 600 MLRS units."
    assert hint(claim, {}, passage).label == label


def test_denial_next_to_a_country_named_in_another_language():
    claim = "Azerbaijan, Georgia and Turkey held a trilateral defense summit."
    s = hint(claim, {}, "Trilateralni samit Azerbejdžana, Gruzije i Turske je otkazan.")
    assert s.label == "contradicts" and "otkazan" in s.reason


@pytest.mark.parametrize(
    ("passage", "label"),
    [
        pytest.param(
            "Azerbaijan's health spending grows 15% a year, the finance ministry said.",
            "mentions",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known regression of the model with sentence features: the passage "
                "reads 'much the same' to the encoder and the missing 'defense' no longer "
                "outweighs it (supports at 0.50; the lexical model says mentions)",
            ),
        ),
        ("Azerbaijan's military spending grows 18% a year, SIPRI says.", "supports"),
        ("Azerbaijan's defense spending rose 4% last year.", "contradicts"),
    ],
)
def test_another_budget_line_is_not_compared(passage, label):
    claim = "Azerbaijan's defense spending grows 15–20% a year."
    assert hint(claim, {}, passage).label == label


@pytest.mark.parametrize(
    ("passage", "label"),
    [
        ("Defense spending in Azerbaijan has been flat for three years.", "contradicts"),
        ("Azerbaijan's defense spending fell 15% last year, the budget shows.", "contradicts"),
        ("Despite the drop in oil prices, Azerbaijan's defense spending rose 17%.", "supports"),
    ],
)
def test_a_trend_the_other_way_contradicts(passage, label):
    claim = "Azerbaijan's defense spending grows 15–20% a year."
    s = hint(claim, {}, passage)
    assert s.label == label
    if label == "contradicts":
        assert s.reason.startswith("source says the opposite:")
