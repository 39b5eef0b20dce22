"""The learned stance model: the issue's failing pairs, the model file, reasons in words.

Each pair is read the way the service reads it (language.evaluation.predict: the claim's
features from the extractor, the best passage, then the hint), so a fix must hold for the
whole path, never for one string.
"""

from __future__ import annotations

import json

import pytest

from language.evaluation import predict
from language.stance import stance_hint, stance_signals, use_sentence_encoder
from language.stance.features import FEATURES, features
from language.stance.model import LEXICAL_MODEL_PATH, MODEL_PATH, SIMILARITY, load_model


def read(claim: str, passage: str):
    return predict(claim, passage).stance


def test_four_dozen_agrees_with_48():
    s = read(
        "Serbia sold Azerbaijan four dozen Nora B-52 howitzers.",
        "Yugoimport completed the delivery of 48 Nora B-52 howitzers to Azerbaijan.",
    )
    assert s.label == "supports", s
    assert "48 howitzers" in s.reason and "claim says 4" not in s.reason


def test_number_words_scales_and_units_are_compared():
    pairs = [
        (
            "Azerbaijan's air force was raised to forty aircraft in 2024.",
            "In 2024 Azerbaijan's air force was raised to 40 aircraft.",
        ),
        (
            "Azerbaijan signed a contract worth half a billion euros with Israel.",
            "Azerbaijan signed a €500 million contract with Israel.",
        ),
        (
            "The 1.5-kilometre bridge over the Kura river opened in Azerbaijan.",
            "The bridge over the Kura river in Azerbaijan, 1,500 metres long, opened.",
        ),
    ]
    for claim, passage in pairs:
        signals = stance_signals(claim, {}, passage)
        assert signals.agree_exact and not signals.disagree, (claim, signals)


def test_tripled_is_not_supported_by_a_small_rise():
    s = read(
        "Azerbaijan's arms exports tripled between 2019 and 2023.",
        "Azerbaijan's arms exports rose from 1.1 billion to 1.3 billion between 2019 and 2023.",
    )
    assert s.label != "supports", s


def test_same_figure_of_another_subject_does_not_support():
    s = read(
        "Inflation in Azerbaijan stood at 4.2% in March.",
        "Unemployment in Azerbaijan fell to 4.2% in March.",
    )
    assert s.label != "supports", s


def test_figure_of_another_owner_only_mentions():
    s = read(
        "Serbia's army received 18 Nora B-52 howitzers.",
        "Azerbaijan's army received 48 Nora B-52 howitzers from Serbia.",
    )
    assert s.label == "mentions", s
    assert "Azerbaijan's" in s.reason


def test_model_files_match_the_features_and_are_calibrated():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    head = data["sentence"]
    assert data["features"] == [*FEATURES, SIMILARITY, *head["features"]]
    assert "53aa5117" in head["encoder"] and len(head["weights"]) == 3
    assert all(len(row) == 4 * 384 for row in head["weights"])
    assert data["classes"] == ["supports", "contradicts", "mentions"]
    lexical = json.loads(LEXICAL_MODEL_PATH.read_text(encoding="utf-8"))
    assert lexical["features"] == list(FEATURES) and not lexical.get("sentence")
    model = load_model(str(LEXICAL_MODEL_PATH))
    assert model.temperature > 0 and 1 / 3 <= model.abstain < 1
    assert model.trees and len(model.trees[0]) == 3
    values = features(
        stance_signals("Azerbaijan bought 48 howitzers.", {}, "Azerbaijan bought 48 howitzers.")
    )
    probs = model.probabilities(model.vector(values))
    assert abs(sum(probs.values()) - 1) < 1e-9


def test_reason_names_the_deciding_evidence():
    s = stance_hint(
        "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia.",
        {},
        "Azerbaijan has received 48 Nora B-52NG howitzers from Serbia.",
    )
    assert s.label == "supports" and "both say 48 howitzers" in s.reason
    s = stance_hint(
        "Azerbaijan bought 48 Nora B-52NG howitzers from Serbia.",
        {},
        "Yugoimport denied that any contract for Nora B-52 howitzers with Azerbaijan existed.",
    )
    assert s.label == "contradicts" and s.reason.startswith("source denies:")


@pytest.fixture
def lexical_only():
    use_sentence_encoder(False)
    yield
    use_sentence_encoder(True)


def test_the_sentence_encoder_moves_the_hint_and_can_be_switched_off(lexical_only):
    """The same pair scored with and without the encoder: the features differ by the
    similarity and the head's scores, and both paths give a hint with a reason."""
    claim = "Azerbaijan operates Iron Dome batteries."
    passage = "Azerbaijan has deployed Iron Dome batteries around Baku."
    without = stance_hint(claim, {}, passage)
    use_sentence_encoder(True)
    with_ = stance_hint(claim, {}, passage)
    assert with_.label == without.label == "supports"
    assert with_.confidence != without.confidence and with_.reason


def test_head_values_are_the_cosine_and_three_scores():
    from language.embeddings import bundled_encoder

    head = load_model().sentence
    encoder = bundled_encoder()
    u = encoder.vector("Serbia delivered 48 howitzers to Azerbaijan.")
    v = encoder.vector("Azerbaijan received 48 howitzers from Serbia.")
    values = head.values(u, v)
    assert set(values) == {SIMILARITY, *head.features}
    assert values[SIMILARITY] == pytest.approx(float(u @ v)) and values[SIMILARITY] > 0.7


def test_pairs_not_in_english_are_read_by_the_lexical_model_alone(lexical_only):
    """all-MiniLM-L6-v2 reads English: a Russian passage gets the same hint with the encoder
    on as with it off."""
    claim = "Slovak Chief of Staff General Daniel Zmeko visited Baku."
    passage = "Начальник Генштаба Словакии генерал Даниэль Змеко посетил Баку."
    without = stance_hint(claim, {}, passage)
    use_sentence_encoder(True)
    assert stance_hint(claim, {}, passage) == without
    assert not stance_signals(claim, {}, passage).english
    assert not stance_signals(
        "Сербия продала Азербайджану 48 гаубиц.", {}, "Serbia sold 48."
    ).english
