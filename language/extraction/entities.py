"""Named entities from capitalisation, designation patterns and small gazetteers.

No statistical tagger: proper-noun chunks are labelled person (after a title),
place (gazetteer), organisation (gazetteer, acronyms, org words) or product
(weapon/model designations such as S-300PMU2, JF-17, Nora B-52NG).
"""

from __future__ import annotations

import re

from .types import Entity

PLACES = frozenset(
    str.split("""
    afghanistan albania algeria angola argentina armenia australia austria azerbaijan bahrain
    bangladesh belarus belgium bolivia bosnia brazil bulgaria cambodia cameroon canada chad chile
    china colombia congo croatia cuba cyprus czechia denmark ecuador egypt eritrea estonia ethiopia
    finland france gabon gaza georgia germany ghana greece guatemala haiti honduras hungary iceland
    india indonesia iran iraq ireland israel italy japan jordan kazakhstan kenya korea kosovo kuwait
    kyrgyzstan laos latvia lebanon libya lithuania luxembourg madagascar malaysia mali malta mexico
    moldova mongolia montenegro morocco mozambique myanmar namibia nepal netherlands nicaragua niger
    nigeria norway oman pakistan palestine panama paraguay peru philippines poland portugal qatar
    romania russia rwanda serbia senegal singapore slovakia slovenia somalia spain sudan sweden
    switzerland syria taiwan tajikistan tanzania thailand tunisia turkey türkiye turkmenistan
    uganda ukraine uruguay uzbekistan venezuela vietnam yemen zambia zimbabwe europe asia africa
    eurasia caucasus balkans crimea donbas kashmir karabakh nakhchivan
    baku yerevan tbilisi tehran moscow ankara islamabad kyiv kiev minsk washington london paris
    berlin brussels beijing tokyo delhi jerusalem tel aviv belgrade sarajevo bratislava warsaw
    rome madrid vienna prague budapest bucharest sofia athens istanbul cairo riyadh doha dubai
    kabul baghdad damascus beirut amman tashkent astana almaty bishkek dushanbe ashgabat
    """)
)
MULTIWORD_PLACES = (
    "South Caucasus",
    "North Caucasus",
    "Bosnia and Herzegovina",
    "United States",
    "United Kingdom",
    "United Arab Emirates",
    "Saudi Arabia",
    "South Korea",
    "North Korea",
    "New Zealand",
    "South Africa",
    "Middle East",
    "Black Sea",
    "Caspian Sea",
    "Nagorno-Karabakh",
    "Tel Aviv",
    "New York",
    "New Delhi",
    "Hong Kong",
    "Sri Lanka",
    "Czech Republic",
    "Central Asia",
)
ORGS = frozenset(
    str.split("""
    nato un eu osce csto imf who wto opec fbi cia nsa pentagon kremlin congress senate parliament
    sipri iaea unesco unicef asean brics sco gcc icc icj interpol reuters ap afp bbc cnn
    """)
)
ORG_WORDS = frozenset(
    str.split("""
    ministry army navy force forces council agency company corporation corp inc ltd group bank
    university institute committee commission office department parliament party union
    association organization organisation industries command court assembly government
    """)
)
PRODUCTS = frozenset(
    str.split("""
    himars akinci bayraktar tb2 patriot javelin stinger iron dome pantsir spike nlos harop
    kargu hermes heron osa tor buk iskander polonez thunder
    """)
)
TITLES = (
    r"(?:Gen\.|General|Lt\.|Lieutenant|Col\.|Colonel|Maj\.|Major|Adm\.|Admiral|Capt\.|Captain"
    r"|Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.|Professor|President|Prime Minister|Minister|Sen\.|Senator"
    r"|Rep\.|Gov\.|Governor|Ambassador|Chief of Staff|Secretary|Chancellor|King|Queen|Pope"
    r"|Sergeant|Marshal|Commander|Director|Chairman|Spokesman|Spokeswoman|CEO|Mayor)"
)
DEMONYMS = frozenset(
    str.split("""
    azerbaijani armenian russian israeli turkish pakistani iranian georgian serbian slovak
    american british french german chinese indian european western eastern soviet post-soviet
    ukrainian european arab african asian nato-led
    """)
)
# Words that are capitalised only because they open a sentence or a heading.
FUNCTION_WORDS = frozenset(
    str.split("""
    the a an this that these those it its in on at by for from with of to and or but as if
    when while after before over under during since between through into about against
    however meanwhile moreover furthermore also then there their his her our we they he she
    i you my your all some many most several each every both other such no not one two three
    first second third last next new key initial recent continued active taken managing
    simultaneously beyond according neighboring neighbouring growing rising escalation
    regional emerging geopolitical air yet so because although though until what which who
    """)
)

TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z0-9][\w\-’'/]*[\w]|[A-Za-z0-9]")
DESIGNATION_RE = re.compile(
    r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*$|^[A-Z][a-z]*-[A-Z]{1,4}\d*$"
)
PERSON_RE = re.compile(
    rf"\b(?:{TITLES}\s+(?:of\s+(?:the\s+)?[A-Z]\w+\s+)?)+((?:[A-Z][a-zA-Z'’-]+\s+){{0,2}}[A-Z][a-zA-Z'’-]+)"
)
TITLE_WORDS = ("Dr", "Mr", "Mrs", "Ms", "Gen", "Prof", "Sen", "Rep", "Gov", "Lt", "Col")
NOT_ORG_ACRONYMS = frozenset(str.split("AI IT GDP MLRS UAV UAVS TV CEO PM AM OK ID PC HQ"))


_HAS_DIGIT = re.compile(r"\d").search


def _strip_possessive(tok: str) -> str:
    for suf in ("’s", "'s", "’", "'"):
        if tok.endswith(suf):
            return tok[: -len(suf)]
    return tok


def _is_capitalised(tok: str) -> bool:
    return tok[:1].isupper() or bool(DESIGNATION_RE.match(tok))


def _label(chunk: str) -> str:
    low = chunk.lower()
    words = low.split()
    if chunk in MULTIWORD_PLACES or low in PLACES:
        return "place"
    if any(DESIGNATION_RE.match(w) for w in chunk.split()) and not re.fullmatch(r"\d+", chunk):
        return "product"
    if low in ORGS or words[-1] in ORG_WORDS or words[0] in ORG_WORDS:
        return "organisation"
    if low in PRODUCTS or words[0] in PRODUCTS:
        return "product"
    if chunk.upper() in NOT_ORG_ACRONYMS:
        return "other"
    if chunk.replace(".", "").isupper() and 2 <= len(chunk) <= 6:
        return "organisation"
    if all(w in PLACES for w in words):
        return "place"
    return "other"


def find_entities(sentence: str) -> list[Entity]:
    """Entities in reading order, deduplicated by text."""
    found: dict[str, str] = {}
    person_spans: list[tuple[int, int]] = []
    for m in PERSON_RE.finditer(sentence):
        found[_strip_possessive(m.group(1))] = "person"
        person_spans.append((m.start(), m.end()))
    for place in MULTIWORD_PLACES:
        if place in sentence:
            found[place] = "place"
    chunk: list[str] = []
    tokens = list(TOKEN_RE.finditer(sentence))

    def flush() -> None:
        while chunk and chunk[0].lower() in FUNCTION_WORDS:
            chunk.pop(0)
        if chunk:
            text = " ".join(chunk)
            if text.lower() not in (t.lower() for t in TITLE_WORDS) and not any(
                text in k for k in found
            ):
                found[text] = _label(text)
        chunk.clear()

    for i, m in enumerate(tokens):
        raw = m.group(0)
        if raw[0].islower() and raw != "of" and not _HAS_DIGIT(raw):
            if chunk:
                flush()
            continue  # fast path: lowercase words only end a chunk
        if person_spans and any(s <= m.start() < e for s, e in person_spans):
            flush()
            continue
        tok = _strip_possessive(raw)
        gap = sentence[tokens[i - 1].end() : m.start()] if i else ""
        if chunk and gap.strip():
            flush()  # punctuation between tokens ends a chunk
        low = tok.lower()
        if (
            low == "of"
            and chunk
            and chunk[-1].lower() in ORG_WORDS
            and i + 1 < len(tokens)
            and tokens[i + 1].group(0)[:1].isupper()
        ):
            chunk.append(tok)  # "Ministry of Defense", "Bank of England"
            continue
        if _is_capitalised(tok) and low not in DEMONYMS and not re.fullmatch(r"[\d.,]+", tok):
            if i == 0 and low in FUNCTION_WORDS:
                continue
            chunk.append(tok)
            if tok != raw:
                flush()  # possessive ends a name: "Baku’s"
        else:
            flush()
    flush()
    out: list[Entity] = []
    for text, label in found.items():
        if text.lower() in FUNCTION_WORDS or len(text) < 2:
            continue
        # Drop single sentence-initial words that are not known names.
        if label == "other" and " " not in text and sentence.startswith(text):
            continue
        out.append(Entity(text=text, label=label))
    seen: set[str] = set()
    uniq = []
    out.sort(key=lambda e: (sentence.find(e.text), -len(e.text)))
    for e in out:
        if e.text not in seen:
            seen.add(e.text)
            uniq.append(e)
    return uniq
