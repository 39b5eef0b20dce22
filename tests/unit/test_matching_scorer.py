"""language.matching (the pure scorer), language.claim_profile and `evaluate matching`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from language.claim_profile import figure_key, profile
from language.matching import (
    SAME_CLAIM_THRESHOLD,
    SUGGESTION_THRESHOLD,
    compare_texts,
    figures_agree,
    rank,
)

DATA = Path(__file__).parents[1] / "data"
NORA = "Azerbaijan bought 48 Nora B-52 self-propelled howitzers from Serbia."


def score(a: str, b: str) -> float:
    return compare_texts(a, b).score


def test_a_shared_number_alone_never_makes_a_match():
    other = "Armenia bought 48 ATAGS howitzers from India."
    comparison = compare_texts(NORA, other)
    assert comparison.score < SUGGESTION_THRESHOLD
    assert "country" in comparison.reasons
    # the same figure of another quantity, and two texts that share only the figure
    assert score(NORA, "Azerbaijan bought 48 Bayraktar TB2 drones from Turkey.") < 0.5
    assert score("Inflation reached 48%.", "Unemployment reached 48%.") < 0.5


def test_same_country_another_quantity_is_not_a_match():
    comparison = compare_texts(NORA, "Azerbaijan bought 12 Nora B-52 howitzers from Serbia.")
    assert comparison.score < SUGGESTION_THRESHOLD
    assert comparison.reasons == ("figure",)


def test_restatements_in_other_words_order_and_languages_match():
    for text in (
        "Serbia sold 48 self-propelled Nora B-52 howitzers to Azerbaijan.",
        "Azerbejdžan je od Srbije kupio 48 samohodnih haubica Nora B-52.",
        "Азербайджан закупил у Сербии 48 самоходных гаубиц «Нора Б-52».",
    ):
        assert score(NORA, text) >= SAME_CLAIM_THRESHOLD, text


def test_turkish_and_french_restatements_are_suggested():
    for text in (
        "Azerbaycan, Sırbistan'dan 48 adet Nora B-52 obüsü satın aldı.",
        "L'Azerbaïdjan a acheté 48 obusiers Nora B-52 à la Serbie.",
    ):
        assert score(NORA, text) >= SUGGESTION_THRESHOLD, text
    assert score(NORA, "L'Arménie a acheté 48 obusiers ATAGS à l'Inde.") < 0.5


def test_rounded_and_approximate_figures_agree_exact_ones_do_not():
    exact = "Azerbaijan's defence budget rose to $3.1 billion in 2023."
    assert score(exact, "Azerbaijan's defence budget reached about $3 billion in 2023.") >= 0.5
    assert score(exact, "Azerbaijan's defence budget rose to $3.4 billion in 2023.") < 0.5


def test_a_unit_agrees_with_its_broader_one_and_a_generic_one_with_any():
    # The unit stems come from the stemmer, never typed: they hold when the stemmer changes.
    (heli,) = profile("Serbia bought 12 helicopters in 2023.").figures
    (aircraft,) = profile("Serbia bought 12 aircraft in 2023.").figures
    (tanks,) = profile("Serbia bought 12 tanks in 2023.").figures
    (types,) = profile("Serbia showed 12 types in 2023.").figures
    assert figures_agree(heli, aircraft, True)
    assert not figures_agree(heli, tanks, True)
    assert figures_agree(types, tanks, True)


def test_profile_folds_scripts_and_joins_designations():
    p = profile("Израиль продал Азербайджану зенитные комплексы Barak 8 на 1,6 млрд долларов.")
    assert p.countries == {"israel", "azerbaijan"}
    assert "barak8" in p.names
    assert [(f.value, f.kind) for f in p.figures] == [(1.6e9, "USD")]
    assert p.language == "cyrl"
    assert figure_key(1.6e9) == figure_key(1_600_000_000) == "n16x8"
    assert figure_key(48) == "n48x0" and figure_key(0.6) == "n60m2"


def test_rank_orders_best_first_and_drops_what_is_under_the_threshold():
    ranked = rank(
        NORA,
        [
            (1, "Armenia bought 48 ATAGS howitzers from India."),
            (2, "Azerbaijan bought 48 Nora howitzers from Serbia."),
            (3, "Serbia sold 48 self-propelled Nora B-52 howitzers to Azerbaijan."),
        ],
    )
    assert [key for key, _ in ranked] == [3, 2]
    assert ranked[0][1] >= ranked[1][1]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluate", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_evaluate_matching_reports_precision_and_recall_of_the_top_match(tmp_path):
    path = tmp_path / "tiny.tsv"
    path.write_text(
        "group\trole\ttext\n"
        f"nora\tclaim\t{NORA}\n"
        "nora\tsame\tSerbia sold 48 Nora B-52 howitzers to Azerbaijan.\n"
        "nora\tsame\tBaku has artillery.\n"  # too little to match: a miss
        "nora\tdifferent\tArmenia bought 48 ATAGS howitzers from India.\n",
        encoding="utf-8",
    )
    result = json.loads(run("matching", str(path), "--json"))
    assert result["queries"] == 3 and result["restatements"] == 2
    assert result["precision"] == 1.0  # one match given, and it is right
    assert result["recall"] == 0.5
    assert result["false_matches_on_hard_negatives"] == 0


@pytest.mark.parametrize("name", ["matching_dev.tsv", "matching_holdout.tsv"])
def test_the_labelled_sets_are_read_and_scored(name):
    result = json.loads(run("matching", str(DATA / name), "--json"))
    assert result["queries"] >= 40
    assert 0.0 <= result["precision"] <= 1.0 and 0.0 <= result["recall"] <= 1.0


def test_the_dev_and_holdout_sets_share_no_group_and_no_text():
    def rows(name):
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()[1:]
        return [line.split("\t") for line in lines if line.strip()]

    dev, holdout = rows("matching_dev.tsv"), rows("matching_holdout.tsv")
    assert not {r[0] for r in dev} & {r[0] for r in holdout}
    assert not {r[2] for r in dev} & {r[2] for r in holdout}


def test_evaluate_matching_refuses_a_malformed_file(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("group\trole\ttext\nnora\tmaybe\tsomething\n", encoding="utf-8")
    with pytest.raises(CommandError, match="role must be one of"):
        run("matching", str(path))
    with pytest.raises(CommandError, match="no such file"):
        run("matching", str(tmp_path / "missing.tsv"))


def test_candidate_search_keys_most_specific_first_and_any_two_or_three_together():
    from claims.selectors.matches import query_keys, stored_keys, tsquery

    keys = query_keys(profile("In 2019 Serbia sold 48 Nora B-52 howitzers to Azerbaijan."))
    assert keys == ["b52", "nora", "n48x0", "azerbaijan", "serbia"]  # the year left out
    assert query_keys(profile("Georgia's GDP grew by 7.5% in 2023.")) == [
        "gdp",
        "n75m1",
        "georgia",
        "y2023",
    ]
    assert tsquery(["a", "b", "c"]) == "a & b | a & c | b & c"
    assert tsquery(["a", "b", "c"], 3) == "a & b & c"
    assert tsquery(["a"]) == "a"
    stored = stored_keys(profile(NORA))
    assert stored.startswith(" ") and stored.endswith(" ") and " n48x0 " in stored
