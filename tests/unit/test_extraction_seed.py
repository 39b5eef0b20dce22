"""Seed article and hand-written news articles: what must and must not be a claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from language.extraction import extract_article

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "claims" / "demo" / "article.txt").read_text(encoding="utf-8")
DATA = Path(__file__).resolve().parents[1] / "data"

# Every factual statement a fact-checker would check: each substring must be
# covered by some claim (inside the claim's article span or its standalone text).
SEED_EXPECTED = [
    "48 self-propelled Nora B-52NG howitzers from Serbia",
    "Barak-MX air defense systems from Israeli military industries",
    "Pantsir-S1",
    "S-300PMU2",
    "9K33 OSA systems",
    "Iron Dome batteries",
    "SPIKE NLOS missiles",
    "deployment of Akinci attack drones",
    "at least 600 MLRS units, including 100 guided systems",
    "JF-17 Thunder fighter jets",
    "15–20% annual increase in defense spending",
    "NATO programs such as DEEP",
    "General Daniel Zmeko visited Baku",
    "trilateral defense summit between Azerbaijan, Georgia, and Turkey",
    "defense talks with Bosnia and Herzegovina for 2026",
    "shared drone warfare expertise with Georgia",
]
# Hand-labelled opinion, speculation and meta sentences (prefixes): never claims.
SEED_OPINION = [
    "This article explores",
    "This approach not only enhances deterrence",
    "In this discussion, we examine",
    "This policy fits within a broader strategy",
    "This trajectory reflects Azerbaijan’s effort",
    "It not only redefines the balance of power",
    "Beyond its technical and military dimensions",
    "This collaboration reflects a strategic convergence",
    "Azerbaijan’s growing drone and missile capabilities are reshaping",
    "For Russia, Baku’s deepening ties",
    "This framework allows Baku",
    "This dual-track policy",
    "Recent developments underscore this shift",
    "These moves reflect",
    "In essence,",
    "Azerbaijan’s evolving military and diplomatic posture presents",
    "Continued expansion of Baku’s arms acquisitions",
    "Neighboring countries—including Armenia",
    "The growing reliance on combat drones",
    "In the event of miscommunication",
    "This could pose new threats",
    "Taken together, these scenarios",
    "However, in the absence of sustained security dialogue",
    "Managing this trajectory",
]
SEED_HEADINGS = [
    "Emerging Actor in the Caucasus: The Republic of Azerbaijan",
    "Key Developments: Azerbaijan’s Expanding Military Strategy",
    "Air Defense",
    "Air Force and Fighter Jets",
    "Geopolitical Dimension and Military Diplomacy",
    "Regional Arms Race Intensification",
]
SEED_FURNITURE = ["Share it:", "Leave a Reply", "https://english.iswnews.com/?p=39058"]


@pytest.fixture(scope="module")
def seed():
    return extract_article(SEED)


def _covered(text: str, claims, article: str) -> bool:
    return any(text in c.text or text in article[c.start : c.end] for c in claims)


def _is_opinion(claim, article: str) -> bool:
    sentence = article[claim.start : claim.end]
    return any(sentence.startswith(p) or claim.text.startswith(p) for p in SEED_OPINION)


@pytest.mark.parametrize("expected", SEED_EXPECTED)
def test_seed_factual_statement_is_a_claim(seed, expected):
    assert _covered(expected, seed.claims, SEED), expected


@pytest.mark.parametrize("prefix", SEED_OPINION)
def test_seed_opinion_is_not_a_claim(seed, prefix):
    matches = [s for s in seed.sentences if s.text.startswith(prefix)]
    assert matches, f"sentence not segmented: {prefix}"
    assert all(not SEED[c.start : c.end].startswith(prefix) for c in seed.claims)
    assert matches[0].score < 0.5


def test_seed_at_most_one_in_seven_claims_is_opinion_or_heading(seed):
    bad = [c for c in seed.claims if _is_opinion(c, SEED) or c.text in SEED_HEADINGS]
    assert len(seed.claims) >= 20
    assert len(bad) * 7 <= len(seed.claims), [c.text for c in bad]


def test_seed_headings_and_furniture_are_marked_not_claims(seed):
    by_text = {s.text: s for s in seed.sentences}
    for heading in SEED_HEADINGS:
        assert by_text[heading].is_heading, heading
    for furniture in SEED_FURNITURE:
        assert by_text[furniture].is_furniture, furniture
    claimed = {SEED[c.start : c.end] for c in seed.claims}
    assert not claimed & set(SEED_HEADINGS + SEED_FURNITURE)


def test_seed_offsets_index_the_article(seed):
    for s in seed.sentences:
        assert SEED[s.start : s.end] == s.text
    for c in seed.claims:
        assert 0 <= c.start < c.end <= len(SEED)
        assert SEED[c.start : c.end].strip() == SEED[c.start : c.end]


def test_seed_bullets_are_separate_claims(seed):
    bullets = [c for c in seed.claims if c.kind == "event" and "•" not in c.text]
    starts = [SEED[c.start : c.start + 12] for c in bullets]
    assert "Slovak Chief" in starts
    assert "A trilateral" in starts
    assert "Initial defe" in starts


def test_seed_air_defence_list_is_decomposed(seed):
    systems = ["Pantsir-S1", "S-300PMU2", "9K33 OSA", "Iron Dome", "SPIKE NLOS"]
    for name in systems:
        [claim] = [c for c in seed.claims if name in SEED[c.start : c.end] and c.end - c.start < 60]
        assert name in claim.text
        assert claim.text.startswith("Azerbaijan’s defense layers include")
        assert claim.text.endswith(".")
        assert any(e.label == "product" for e in claim.entities)


def test_seed_claim_features(seed):
    def claim_with(s):
        return next(c for c in seed.claims if s in SEED[c.start : c.end])

    howitzers = claim_with("48 self-propelled")
    assert howitzers.kind == "quantity"
    assert (48.0, "howitzers") in [(q.value, q.unit) for q in howitzers.quantities]
    assert {"Nora B-52NG": "product", "Serbia": "place"}.items() <= {
        e.text: e.label for e in howitzers.entities
    }.items()
    assert any(r == "number: 48" for r in howitzers.reasons)
    mlrs = claim_with("600 MLRS")
    q = mlrs.quantities[0]
    assert (q.value, q.qualifier, q.unit) == (600.0, "at least", "MLRS units")
    spending = claim_with("15–20%")
    [pct] = [q for q in spending.quantities if q.unit == "%"]
    assert (pct.value, pct.upper) == (15.0, 20.0)
    visit = claim_with("Daniel Zmeko")
    assert {"text": "Daniel Zmeko", "label": "person"} in visit.features()["entities"]
    assert visit.kind == "event"
    talks = claim_with("Bosnia and Herzegovina")
    assert "2026" in talks.dates
    jets = claim_with("JF-17")
    assert any(e.text.startswith("JF-17") and e.label == "product" for e in jets.entities)


def test_seed_scores_and_reasons(seed):
    for s in seed.sentences:
        assert 0.0 <= s.score <= 1.0
        if not (s.is_heading or s.is_furniture):
            assert s.reasons
    hedged = next(s for s in seed.sentences if s.text.startswith("This could pose"))
    assert "hedging: could" in hedged.reasons
    opinion = next(s for s in seed.sentences if s.text.startswith("These moves reflect"))
    assert any(r.startswith("opinion: reflect") for r in opinion.reasons)


def test_threshold_controls_claims(seed):
    assert extract_article(SEED, threshold=1.01).claims == []
    assert len(extract_article(SEED, threshold=0.2).claims) > len(seed.claims)


def test_procurement_article():
    text = (DATA / "extraction_news_procurement.txt").read_text(encoding="utf-8")
    ex = extract_article(text)
    spans = [text[c.start : c.end] for c in ex.claims]
    for expected in (
        "$10 billion contract",
        "Kosiniak-Kamysz attended",
        "first eight helicopters will be delivered in 2028",
        "more than 4% of its GDP",
    ):
        assert any(expected in s for s in spans), expected
    missiles = [c.text for c in ex.claims if c.text.startswith("The package also includes")]
    assert "The package also includes JAGM missiles." in missiles
    assert len(missiles) == 4
    for opinion in ("Analysts say the deal may", "It could also signal", "This trend reflects"):
        assert not any(s.startswith(opinion) for s in spans), opinion
    first = ex.claims[0]
    usd = [q for q in first.quantities if q.unit == "USD"]
    assert usd and usd[0].value == 10e9
    assert any(e.text.startswith("AH-64E") and e.label == "product" for e in first.entities)
    assert [s.is_furniture for s in ex.sentences[:3]] == [False, True, True]
    assert ex.sentences[0].is_heading


def test_energy_article():
    text = (DATA / "extraction_news_energy.txt").read_text(encoding="utf-8")
    ex = extract_article(text)
    spans = [text[c.start : c.end] for c in ex.claims]
    for expected in (
        "appointed Dr. Amina Yusuf as managing director",
        "rose by 240% in April 2024",
        "About 85 million Nigerians",
        "3.5 million customers",
        "from 5,000 megawatts to 4,200 megawatts",
        "1.2 trillion naira",
        "14 hours per day",
    ):
        assert any(expected in s for s in spans), expected
    for opinion in ("Yusuf's appointment seems", "Her supporters believe", "Whether she"):
        assert not any(s.startswith(opinion) for s in spans), opinion
    # "Dr." and "U.S." do not end sentences.
    assert any(s.text.startswith("The Lagos State government appointed Dr. Amina Yusuf as")
               and s.text.endswith("2025.") for s in ex.sentences)  # fmt: skip
    tariffs = next(c for c in ex.claims if "240%" in c.text)
    assert tariffs.kind == "quantity"
    assert "April 2024" in tariffs.dates
    assert any(r.startswith("attribution: according to") for r in tariffs.reasons)
    people = [e.text for c in ex.claims for e in c.entities if e.label == "person"]
    assert "Amina Yusuf" in people
