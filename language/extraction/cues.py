"""Lexical cues for check-worthiness: hedging, opinion, attribution, concrete events."""

from __future__ import annotations

import re

HEDGES = str.split(
    "may might could would likely unlikely possibly potentially perhaps probably seems seem "
    "appears appear suggests suggest arguably presumably apparently"
)
OPINION = str.split(
    "reflects reflect signals signal aims aim underscores underscore highlights highlight "
    "demonstrates demonstrate embodies redefines redefine reshaping reshape fits symbolizes "
    "means implies imply believe believes think feel feels hope should must ought essence "
    "ambition commitment effort importance crucial vital significant strategic broader "
    "trajectory trend posture risks risk likelihood temptation compelled allows allow "
    "enhances enhance elevated shifts intensifies intensifying raises narrows "
    "opportunity threat threats challenge landscape balance evolving potential scenarios "
    "scenario reliance presents implications"
)
ABSTRACT_OPENERS = re.compile(
    r"^(?:this|these|that|those|it|such)\s+(?:trajectory|approach|policy|process|trend|"
    r"framework|evolution|collaboration|moves?|shift|strategy|dual-track|development|"
    r"scenarios?|could|would|may|might|not|is|was)\b|^(?:in essence|taken together|however|"
    r"managing|in this (?:article|discussion)|this article|we (?:examine|explore|discuss))",
    re.I,
)
ATTRIBUTION = re.compile(
    r"\b(?:according to|said|says|told|stated|announced|reported|confirmed|claimed|"
    r"estimated|data (?:show|shows|showed|indicating|indicate)|figures (?:show|showed)|"
    r"statement|spokes(?:man|woman|person)|ministry said|officials? said|report(?:ed)? by|"
    r"cited|quoted)\b",
    re.I,
)
EVENT_VERBS = str.split(
    "purchased bought acquired attended appointed named resigned dismissed signed visited "
    "visit hosted held met launched deployed "
    "delivered received ordered sold shared conducted attacked killed arrested elected "
    "approved passed announced opened closed built established completed joined withdrew "
    "invaded captured fired struck voted won lost raised cut increased decreased rose fell "
    "operates operated produced exported imported agreed included toured showcased "
    "purchase acquisition procurement deal contract agreement summit talks exercise "
    "exercises visit treaty deployment delivery sale order"
)
COMPARISON = re.compile(
    r"\b(?:than|compared|surpass\w*|exceed\w*|outnumber\w*|largest|biggest|highest|lowest|"
    r"smallest|most|least|one of the (?:few|largest|biggest)|double[ds]?|tripled?|"
    r"twice|half as|more|fewer|higher|lower|larger|greater)\b",
    re.I,
)
META = re.compile(
    r"\b(?:this (?:article|analysis|paper|report|piece) (?:explores|examines|discusses|argues)"
    r"|in this (?:article|discussion|analysis|paper)|we (?:examine|explore|discuss|argue))\b",
    re.I,
)
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|we|we're|we've|us|our|my|me|you|your)\b")
WORD_RE = re.compile(r"[a-z]+(?:['’][a-z]+)?")

HEDGE_SET = frozenset(HEDGES)
OPINION_SET = frozenset(OPINION)
EVENT_SET = frozenset(EVENT_VERBS)


def cue_hits(text: str) -> dict[str, list[str]]:
    """Cue words found in `text`, by cue type."""
    words = WORD_RE.findall(text.lower())
    hits: dict[str, list[str]] = {
        "hedging": [w for w in words if w in HEDGE_SET],
        "opinion": [w for w in words if w in OPINION_SET],
        "event": [w for w in words if w in EVENT_SET],
        "attribution": [m.group(0).lower() for m in ATTRIBUTION.finditer(text)],
        "comparison": [m.group(0).lower() for m in COMPARISON.finditer(text)],
        "first_person": [m.group(0) for m in FIRST_PERSON.finditer(text)],
    }
    hits["meta"] = [m.group(0).lower() for m in META.finditer(text)]
    opener = ABSTRACT_OPENERS.match(text.strip())
    hits["abstract_opener"] = [opener.group(0).lower()] if opener else []
    return hits
