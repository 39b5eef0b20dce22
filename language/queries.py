"""Search queries for one claim, built from its stored features. Deterministic, no I/O.

A few different queries find different sources: names and units (news and encyclopedias), a
quoted designation with the figure (reports that give the number), the key terms, and the
claim's own opening words (existing fact-checks are indexed by claim wording).
"""

from __future__ import annotations

import re
from typing import Any

from language.quantities import format_number
from language.tokens import STOPWORDS, generic_units, stem

# Words that carry the article's analysis rather than the checkable fact.
_WEAK = frozenset(
    {
        "significant", "step", "effort", "aimed", "aim", "enhancing", "enhance", "reflects",
        "reflect", "trajectory", "confirmed", "indicating", "indicate", "major", "country",
        "capabilities", "capability", "ambition", "various", "several", "key", "important",
        "growing", "recent", "recently", "marks", "parallel", "advanced", "establish", "such",
        "partners", "surpassing", "data", "official", "reported", "reportedly", "part", "least",
        "especially", "faces", "focused", "securing", "included",
    }
)  # fmt: skip
# Durations ("over the last two years") are context, not a figure worth searching for.
_TIME_UNITS = frozenset({"years", "year", "months", "month", "days", "day", "weeks", "hours"})
_WORD_RE = re.compile(r"[^\W_]+(?:[-–][^\W_]+)*(?:['’][^\W_]+)?")


def build_queries(
    text: str, kind: str, features: dict[str, Any], max_queries: int = 4
) -> list[str]:
    """Up to `max_queries` distinct queries, most specific first."""
    features = features or {}
    entities = _entities(text, features)
    quantities = [
        q
        for q in features.get("quantities") or []
        if q.get("value") is not None and str(q.get("unit") or "").lower() not in _TIME_UNITS
    ]
    years = _years(text, features)
    units = [_unit_phrase(text, str(q.get("unit") or "")) for q in quantities]
    units = [u for u in units if u]
    # What a percentage is of: "15–20% annual increase in defense spending".
    subjects = [_subject_after(text, q) for q in quantities if q.get("unit") == "%"]
    units += [s for s in subjects if s]

    candidates: list[str] = []
    # 1. Names and what is counted, in the claim's order.
    candidates.append(_join_in_order(text, entities + units))
    # 2. The designation quoted, with the claim's figure.
    if quantities:
        q = quantities[0]
        designation = _designation(text, entities, q)
        figure = _figure(q)
        unit = (_subject_after(text, q) if q.get("unit") == "%" else units[0]) if units else ""
        if designation and unit.lower().startswith(designation.lower()):
            unit = unit[len(designation) :].strip()
        quoted = f'"{designation}"' if designation and _quotable(designation) else designation
        candidates.append(" ".join(p for p in (quoted, figure, unit) if p))
    elif len(entities) >= 2:
        candidates.append(" ".join(f'"{e}"' if _quotable(e) else e for e in entities[:3]))
    # 3. Key terms with figures and years.
    candidates.append(" ".join(_key_terms(text, entities, quantities, years)))
    # 4. Names with years, else the claim's own opening words.
    if years and entities:
        candidates.append(" ".join(entities[:3] + years[:2]))
    candidates.append(_opening(text))

    out: list[str] = []
    seen: set[frozenset[str]] = set()
    for query in candidates:
        query = " ".join(query.split())
        key = frozenset(w.lower().strip('"') for w in query.split())
        if len(key) < 2 or key in seen:
            continue  # one word finds everything; same words in another order find the same
        seen.add(key)
        out.append(query)
        if len(out) >= max_queries:
            break
    if not out and text.strip():
        out.append(" ".join(text.split()[:10]))
    return out


def _entities(text: str, features: dict[str, Any]) -> list[str]:
    names = [str(e.get("text") or "").strip() for e in features.get("entities") or []]
    names = [n for n in dict.fromkeys(names) if n]
    if not names:  # no features: capitalised runs and designations, not sentence-initial
        found = re.findall(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", text)
        names = [f for f in dict.fromkeys(found) if f.lower() not in STOPWORDS]
    return sorted(names, key=lambda n: _position(text, n))


def _position(text: str, phrase: str) -> int:
    pos = text.lower().find(phrase.lower())
    return pos if pos >= 0 else len(text)


def _years(text: str, features: dict[str, Any]) -> list[str]:
    found = [y for d in features.get("dates") or [] for y in re.findall(r"\b(?:19|20)\d\d\b", d)]
    found += re.findall(r"\b(?:19|20)\d\d\b", text)
    return list(dict.fromkeys(found))


def _unit_phrase(text: str, unit: str) -> str:
    """The unit as the claim writes it; a generic one keeps its adjective (guided systems)."""
    if not unit or unit == "%":
        return ""
    words = _WORD_RE.findall(text)
    first = unit.split()[0].lower()
    for i, w in enumerate(words):
        if w.lower() == first:
            phrase = " ".join(words[i : i + len(unit.split())])
            generic = stem(unit.lower()) in generic_units()
            if generic and i and words[i - 1].lower() not in STOPWORDS:
                return f"{words[i - 1]} {phrase}"
            return phrase
    return unit


def _figure(q: dict[str, Any]) -> str:
    figure = format_number(float(q["value"])).replace(",", "")
    if q.get("upper") is not None:
        figure += "-" + format_number(float(q["upper"])).replace(",", "")
    return figure + ("%" if q.get("unit") == "%" else "")


def _designation(text: str, entities: list[str], q: dict[str, Any]) -> str:
    """The name nearest the figure, preferring designations (Nora B-52NG, Barak-MX)."""
    if not entities:
        return ""
    anchor = _position(text, str(q.get("text") or format_number(float(q["value"]))))
    if q.get("unit") == "%":  # a percentage is rarely about a name far from it
        entities = [e for e in entities if abs(_position(text, e) - anchor) <= 30]
        if not entities:
            return ""

    def rank(name: str) -> tuple[int, int]:
        designation = bool(re.search(r"\d|-|[A-Z]{2,}", name))
        return (0 if designation else 1, abs(_position(text, name) - anchor))

    return min(entities, key=rank)


def _quotable(name: str) -> bool:
    # Quote multi-part names; a quoted single acronym only narrows the search for nothing.
    return " " in name or "-" in name


def _join_in_order(text: str, phrases: list[str]) -> str:
    ordered = sorted(dict.fromkeys(phrases), key=lambda p: _position(text, p))
    out: list[str] = []
    for phrase in ordered:
        words = [w for w in phrase.split() if w.lower() not in {o.lower() for o in out}]
        out.extend(words)
    return " ".join(out)


def _key_terms(
    text: str, entities: list[str], quantities: list[dict[str, Any]], years: list[str]
) -> list[str]:
    """Entities, figures and the strongest content words, in the claim's order."""
    picked: list[tuple[int, str]] = [(_position(text, e), e) for e in entities[:4]]
    covered = {w.lower() for e in entities for w in _WORD_RE.findall(e)}
    for q in quantities[:2]:
        picked.append((_position(text, str(q.get("text") or "")), _figure(q)))
    scored: list[tuple[float, int, str]] = []
    for m in _WORD_RE.finditer(text):
        word = m.group().rstrip("’'s") if m.group().endswith(("’s", "'s")) else m.group()
        low = word.lower()
        if low in STOPWORDS or low in _WEAK or low in covered or len(low) < 3:
            continue
        if any(c.isdigit() for c in low) and not any(c.isalpha() for c in low):
            continue  # numbers come from the features, years separately
        score = 1.0 + (1.0 if len(low) >= 7 else 0.0) + (2.0 if word[0].isupper() else 0.0)
        scored.append((-score, m.start(), word))
        covered.add(low)
    for _, pos, word in sorted(scored)[:5]:
        picked.append((pos, word))
    picked.sort()
    terms = [w for _, w in picked if w]
    terms += [y for y in years[:1] if y not in terms]
    return list(dict.fromkeys(terms))


def _subject_after(text: str, q: dict[str, Any], limit: int = 4) -> str:
    """Content words right after a figure, up to the clause end."""
    anchor = str(q.get("text") or "")
    pos = text.find(anchor) if anchor else -1
    if pos < 0:
        return ""
    tail = re.split(r"[,;:(—]", text[pos + len(anchor) :], maxsplit=1)[0]
    words = [w for w in _WORD_RE.findall(tail) if w.lower() not in STOPWORDS]
    return " ".join(words[:limit])


def _opening(text: str, limit: int = 12) -> str:
    """The claim's first substantial clause, as fact-checks quote claims."""
    clauses = [c.strip() for c in re.split(r"[,;:(—]|\s[–-]\s", text.strip())]
    # Skip introductory phrases ("In parallel", "Over the last two years").
    intro = re.compile(r"(?i)^(?:in|over|at|through|during|after|before|since|for|with|by|on)\b")
    substantial = [c for c in clauses if len(c.split()) >= 5 and not intro.match(c)]
    clause = substantial[0] if substantial else clauses[0]
    return " ".join(clause.split()[:limit]).rstrip(".")
