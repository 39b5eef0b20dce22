"""language.denials: denying words in the languages this beat reads, and what is no denial."""

from __future__ import annotations

import pytest

from language.denials import denial_cues
from language.stance import stance_hint
from tests.seed_claims import NORA
from tests.seed_claims import NORA_FEATURES as NORA_F


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Yugoimport denied that any contract existed.", "denied"),
        ("Bosnia's ministry said it had held no talks with Azerbaijan.", "no talks"),
        ("The visit by General Zmeko to Baku was called off.", "called off"),
        ("Georgia declined to join the summit.", "declined to"),
        ("Claims of 600 rocket launchers are exaggerated.", "exaggerated"),
        ("L'Azerbaïdjan n'a jamais acheté d'obusiers Nora.", "n'a jamais"),
        ("Le sommet a été annulé.", "annulé"),
        ("Yugoimport a démenti la vente.", "démenti"),
        ("Rusija nije isporučila sisteme Pantsir-S1.", "nije"),
        ("Русија није испоручила системе.", "није"),
        ("Генерал Змеко не посещал Баку.", "не"),
        ("Минобороны опровергло сообщения о сделке.", "опровергло"),
        ("Azerbaycan, Pakistan'dan JF-17 satın almadı.", "almadı"),
        ("Bakanlık iddiaları yalanladı.", "yalanladı"),
        ("Zirve iptal edildi.", "iptal"),
    ],
)
def test_denials_in_each_language(text, cue):
    cues = denial_cues(text)
    assert cues, text
    assert text[cues[0].start :].startswith(cue)


@pytest.mark.parametrize(
    "text",
    [
        "Yugoimport did not disclose the price.",
        "Azerbaijan not only bought howitzers but also trained crews.",
        "There were no more than 40 launchers.",
        "The reported deal covers 48 howitzers.",
        "Spending declined to 600 million.",
        "Le ministère n'a pas précisé le prix.",
        "Ministarstvo nije komentarisalo ugovor.",
        "Министерство не уточнило сумму.",
        "Не только Азербайджан купил гаубицы.",
        "Bakanlık fiyatı açıklamadı.",
        "Ahmadi met the minister in Baku.",
        "The net increase was 15%.",
    ],
)
def test_not_denials(text):
    assert denial_cues(text) == []


def test_russian_net_only_in_cyrillic():
    assert denial_cues("Нет, сделки не было.")
    assert denial_cues("net gains") == []


@pytest.mark.parametrize(
    "passage",
    [
        "L'Azerbaïdjan n'a jamais acheté d'obusiers Nora B-52NG à la Serbie, selon Bakou.",
        "Jugoimport je demantovao da je Azerbejdžanu prodao haubice Nora B-52.",
        "Азербайджан не покупал у Сербии гаубицы Nora B-52.",
        "Azerbaycan, Sırbistan'dan Nora B-52 obüsü satın almadı.",
    ],
)
def test_foreign_denials_contradict_the_claim(passage):
    s = stance_hint(NORA, NORA_F, passage)
    assert s.label == "contradicts"
    assert s.reason.startswith("source denies:")
