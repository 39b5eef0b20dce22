"""Split a sentence listing several named items under one predicate into atomic claims.

"The overhaul of various defense layers—including Pantsir-S1, S-300PMU2, ... and
armored vehicles equipped with SPIKE NLOS missiles—demonstrates Azerbaijan's ..."
becomes one item per listed system, each with readable standalone text built
from the words before the list and the offsets of the item in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entities import DEMONYMS, DESIGNATION_RE, find_entities

TRIGGER_RE = re.compile(r"\b(?:including|includes|include|such as|notably|among them)\b\s*|:\s+")
LIST_END_RE = re.compile(r"[—–;)(]|\s-\s|\.\s|\.$")
SPLIT_RE = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
NP_STOP = frozenset(
    str.split("of the a an its their his her our this that these those and or various several many")
)
MIN_ITEMS = 3


@dataclass(frozen=True)
class Item:
    text: str  # standalone claim text
    start: int  # offsets relative to the sentence
    end: int


def _noun_phrase_before(sentence: str, pos: int) -> str:
    """The head noun phrase ending at `pos`: 'various defense layers' -> 'defense layers'."""
    words = re.findall(r"[\w’'-]+", sentence[:pos])[-5:]
    head: list[str] = []
    for w in reversed(words):
        if w.lower() in NP_STOP:
            break
        head.insert(0, w)
    return " ".join(head[-3:])


def _names_something(item: str) -> bool:
    """True if the item holds a proper name or designation (not "several European countries")."""
    for w in re.findall(r"[\w’'-]+", item):
        if DESIGNATION_RE.match(w) or (w[:1].isupper() and w.lower() not in DEMONYMS):
            return True
    return False


def _owner(sentence: str, article_subject: str) -> str:
    for e in find_entities(sentence):
        if e.label in ("place", "organisation") and e.text in (article_subject or e.text):
            return e.text
    return article_subject


def decompose(sentence: str, article_subject: str = "") -> list[Item]:
    """Items of the first qualifying list in `sentence`, or [] if it is not a list claim."""
    for trig in TRIGGER_RE.finditer(sentence):
        list_start = trig.end()
        end_m = LIST_END_RE.search(sentence, list_start)
        list_end = end_m.start() if end_m else len(sentence)
        segment = sentence[list_start:list_end]
        parts: list[tuple[int, int]] = []
        pos = 0
        last = False
        for m in SPLIT_RE.finditer(segment):
            parts.append((pos, m.start()))
            pos = m.end()
            if re.search(r"\b(?:and|or)\b", m.group(0)):
                # The item after "and"/"or" closes the list; cut at its next comma.
                rest = re.search(r",", segment[pos:])
                parts.append((pos, pos + rest.start() if rest else len(segment)))
                last = True
                break
        if not last:
            parts.append((pos, len(segment)))
        items = [
            (list_start + s, list_start + e)
            for s, e in parts
            if segment[s:e].strip() and len(segment[s:e].split()) <= 8
        ]
        if len(items) < MIN_ITEMS:
            continue
        # Items must name things (capitalised words or designations), not abstractions.
        named = sum(1 for s, e in items if _names_something(sentence[s:e]))
        if named < MIN_ITEMS or named < len(items) - 1:
            continue
        trig_text = trig.group(0).strip().lower()
        before = sentence[: trig.start()].rstrip()
        parenthetical = before.endswith(("—", "–", "(", "-")) or trig_text == ":"
        if parenthetical:
            # Rebuild as "<Owner>'s <head noun phrase> include <item>".
            np_text = _noun_phrase_before(sentence, len(before.rstrip("—–(- ,")))
            owner = _owner(sentence, article_subject)
            subject = f"{owner}’s {np_text}" if owner and np_text else (np_text or owner)
            subject = subject[:1].upper() + subject[1:]
            verb = "include"
            template = f"{subject} {verb} {{}}."
        else:
            template = before + " " + trig.group(0).strip() + " {}."
        out = []
        for s, e in items:
            s2 = s
            while s2 < e and sentence[s2] in " ,":
                s2 += 1
            item_text = sentence[s2:e].strip(" ,")
            out.append(Item(template.format(item_text), s2, s2 + len(item_text)))
        return out
    return []
