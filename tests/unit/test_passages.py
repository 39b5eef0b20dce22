"""best_passages: the sentences of a source that bear on a claim, with exact offsets."""

from __future__ import annotations

from language.passages import best_passages, find_numbers, fold, split_sentences, stem

NORA = (
    "The purchase of 48 self-propelled Nora B-52NG howitzers from Serbia marks a significant step."
)
NORA_FEATURES = {
    "quantities": [
        {"value": 48.0, "unit": "howitzers", "text": "48", "upper": None, "qualifier": ""}
    ],
    "dates": [],
    "entities": [{"text": "Nora B-52NG", "label": "product"}, {"text": "Serbia", "label": "place"}],
}
NEWS = """Home | Defence | Europe | Subscribe

Azerbaijan takes delivery of Serbian artillery

BELGRADE, 3 March 2025 – Serbia's arms trader Yugoimport has completed deliveries to Azerbaijan.
The contract, signed in 2022, covered 48 Nora B-52NG self-propelled howitzers. Officials in Baku
did not disclose its value. The first batch arrived in late 2023.

Analysts said the guns give Baku a longer reach than its Soviet-era systems. Gen. Ivanov, a
retired officer, noted that the 155 mm calibre matches NATO standards.

Related: Armenia buys Indian ATAGS guns | Comments (12) | Share
"""


def _check_offsets(passages, document):
    for p in passages:
        assert document[p.start : p.end] == p.text
        assert 0.0 <= p.score <= 1.0


def test_finds_the_sentence_with_the_figure_and_names():
    (best,) = best_passages(NORA, NORA_FEATURES, NEWS)
    _check_offsets([best], NEWS)
    assert "48 Nora B-52NG self-propelled howitzers" in best.text
    assert best.matched_numbers == ["48"]
    assert {"howitzers", "Nora B-52NG"} <= set(best.matched_terms)
    assert best.score > 0.5


def test_several_passages_do_not_overlap_and_come_best_first():
    passages = best_passages(NORA, NORA_FEATURES, NEWS, limit=3)
    _check_offsets(passages, NEWS)
    assert len(passages) >= 2
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    spans = sorted((p.start, p.end) for p in passages)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_windows_stay_inside_a_paragraph_and_at_most_three_sentences():
    for p in best_passages(NORA, NORA_FEATURES, NEWS, limit=5):
        assert "\n\n" not in p.text
        assert len([s for s in split_sentences(p.text)]) <= 3


def test_a_contradicting_figure_is_still_relevant():
    doc = (
        "The weather in Belgrade was mild. Yugoimport later said it had shipped 36 Nora B-52 "
        "howitzers to Azerbaijan. The football season starts in August."
    )
    (best,) = best_passages(NORA, NORA_FEATURES, doc)
    _check_offsets([best], doc)
    assert best.text.startswith("Yugoimport later said it had shipped 36")
    assert best.matched_numbers == []


def test_other_languages_match_on_names_and_numbers():
    serbian = (
        "Vlada Srbije je objavila izveštaj o izvozu.\n"
        "Jugoimport je Azerbejdžanu isporučio 48 samohodnih haubica Nora B-52NG.\n"
        "Cene nisu objavljene."
    )
    (best,) = best_passages(NORA, NORA_FEATURES, serbian)
    assert best.text == "Jugoimport je Azerbejdžanu isporučio 48 samohodnih haubica Nora B-52NG."
    assert best.matched_numbers == ["48"]
    cyrillic = "Отчёт.\nСербия поставила Азербайджану 48 гаубиц «Нора Б-52». Конец."
    (best,) = best_passages(NORA, NORA_FEATURES, cyrillic)
    assert "48 гаубиц" in best.text
    _check_offsets([best], cyrillic)


def test_percentage_range_claim():
    claim = "Official data indicate a 15–20% annual increase in defense spending."
    features = {
        "quantities": [
            {"value": 15.0, "unit": "%", "text": "15–20%", "upper": 20.0, "qualifier": ""}
        ],
        "dates": [],
        "entities": [],
    }
    doc = (
        "Azerbaijan hosted a summit. SIPRI data show Azerbaijan's defence spending rose 18% in "
        "2024. Oil prices fell."
    )
    (best,) = best_passages(claim, features, doc)
    assert best.text == "SIPRI data show Azerbaijan's defence spending rose 18% in 2024."
    assert best.matched_numbers == ["15"]  # 18% lies in the claim's 15–20%


def test_unrelated_document_gives_nothing():
    assert best_passages(NORA, NORA_FEATURES, "Cats sleep a lot. Dogs bark.") == []
    assert best_passages(NORA, NORA_FEATURES, "") == []


def test_long_unpunctuated_text_is_cut_into_short_windows():
    doc = ("word " * 400) + "Nora B-52NG howitzers 48 Serbia " + ("filler " * 400)
    (best,) = best_passages(NORA, NORA_FEATURES, doc)
    _check_offsets([best], doc)
    assert len(best.text) <= 600 * 3 and "Nora B-52NG" in best.text


def test_sentence_splitter_keeps_abbreviations():
    text = "Gen. Daniel Zmeko visited Baku. He met officials at 10 a.m. on Monday."
    spans = [text[s:e] for _, s, e in split_sentences(text)]
    assert spans[0] == "Gen. Daniel Zmeko visited Baku."


def test_number_parsing():
    found = {n.text: n for n in find_numbers(
        "at least 600 MLRS, 15–20% growth, 1,200 troops, 1.200 vojnika, $1.2bn deal, "
        "forty-eight guns, S-300PMU2 and JF-17 jets, in 2024"
    )}  # fmt: skip
    assert found["at least 600"].qualifier == "at least"
    assert (found["15–20%"].value, found["15–20%"].upper) == (15, 20)
    assert found["15–20%"].is_percent
    assert found["1,200"].value == 1200 and found["1.200"].value == 1200
    assert found["$1.2bn"].value == 1.2e9
    assert found["forty-eight"].value == 48
    assert found["2024"].is_year
    assert not any(n.value in (300, 17, 2) for n in found.values())  # designations


def test_from_to_is_a_change_not_a_range():
    values = [n.value for n in find_numbers("rose from 36 to 48 howitzers")]
    assert values == [36, 48]


def test_folding_and_stemming():
    assert fold("Bakı Azerbejdžan Нора") == "baki azerbejdzan nora"
    assert stem("howitzers") == stem("howitzer")
    assert stem("purchased") == stem("purchase") == stem("purchasing")
    assert stem("defence") == stem("defense")
    assert stem("batteries") == stem("battery")


def test_passage_found_on_country_names_of_another_language():
    claim = "Azerbaijan held initial defense talks with Bosnia and Herzegovina."
    doc = (
        "Vrijeme u Sarajevu bilo je sunčano.\n"
        "Bosna i Hercegovina nije vodila nikakve razgovore o odbrani s Azerbejdžanom.\n"
    )
    (best,) = best_passages(claim, {}, doc)
    assert best.text.startswith("Bosna i Hercegovina nije vodila")
