"""Template helpers of the reviewer UI.

Everything here treats article and source text as untrusted: each piece of text is
escaped on its own and only our own markup is put around it. Nothing unescaped is ever
marked safe.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# --- Claims highlighted inside the article text ---------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A run of article text covered by the same claims (and promotable sentence)."""

    start: int
    end: int
    claims: tuple  # claims covering the run, best first
    sentence: object | None  # a promotable sentence covering the run
    closes_sentence: bool  # the run ends where that sentence ends


def article_segments(text: str, claims: Sequence, promotable: Sequence = ()) -> list[Segment]:
    """Cuts the text at every claim and promotable sentence boundary (a sweep, O(n log n)).

    Overlapping claims (a list sentence split into several atomic claims) share the runs
    they overlap on.
    """
    length = len(text)
    cuts = {0, length}
    for item in (*claims, *promotable):
        cuts.add(max(0, min(item.start, length)))
        cuts.add(max(0, min(item.end, length)))
    points = sorted(cuts)
    starts: dict[int, list] = {}
    for claim in claims:
        if claim.end > claim.start:
            starts.setdefault(claim.start, []).append(claim)
    sentence_at = {s.start: s for s in promotable if s.end > s.start}
    active: list = []
    sentence = None
    segments: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        active = [c for c in active if c.end > a]
        active.extend(starts.get(a, ()))
        if sentence is not None and sentence.end <= a:
            sentence = None
        if a in sentence_at:
            sentence = sentence_at[a]
        covering = tuple(sorted(active, key=lambda c: (-c.score, c.pk)))
        seg_sentence = None if covering else sentence
        closes = seg_sentence is not None and seg_sentence.end == b
        previous = segments[-1] if segments else None
        if (
            previous is not None
            and previous.claims == covering
            and previous.sentence is seg_sentence
            and not previous.closes_sentence
        ):
            segments[-1] = Segment(previous.start, b, covering, seg_sentence, closes)
        else:
            segments.append(Segment(a, b, covering, seg_sentence, closes))
    return segments


def promotable_sentences(claims: Iterable, sentences: Iterable) -> list:
    """Sentences that no claim overlaps, except headings and page furniture."""
    merged: list[list[int]] = []  # the union of claim spans, sorted and disjoint
    for start, end in sorted((c.start, c.end) for c in claims if c.end > c.start):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    starts = [span[0] for span in merged]
    result = []
    for sentence in sentences:
        if sentence.is_heading or sentence.end <= sentence.start:
            continue
        i = bisect.bisect_left(starts, sentence.end)  # spans starting before the sentence ends
        if i and merged[i - 1][1] > sentence.start:
            continue
        result.append(sentence)
    return result


@register.simple_tag
def highlighted_article(article, claims, sentences, can_promote: bool = False) -> SafeString:
    """The article text with each claim as a link coloured by status.

    Sentences that are not claims get a "promote" button (a submit button of the form that
    wraps the text) for reviewers.
    """
    text = article.text
    promotable = promotable_sentences(claims, sentences) if can_promote else []
    parts: list[str] = []
    for seg in article_segments(text, claims, promotable):
        chunk = text[seg.start : seg.end]
        if seg.claims:
            best = seg.claims[0]
            classes = f"hl st-{best.status}" + (" hl-multi" if len(seg.claims) > 1 else "")
            title = f"{best.get_status_display()} · check-worthiness {best.score:.2f}"
            if len(seg.claims) > 1:
                title += f" · {len(seg.claims)} claims overlap here"
            if getattr(best, "checked_before", False):
                classes += " hl-checked"
                title += " · checked before"
            parts.append(
                format_html(
                    '<a class="{}" href="{}" data-claim="{}" title="{}">{}</a>',
                    classes,
                    reverse("claim_detail", args=[best.pk]),
                    best.pk,
                    title,
                    chunk,
                )
            )
        elif seg.sentence is not None:
            parts.append(format_html('<span class="sent">{}</span>', chunk))
            if seg.closes_sentence:
                parts.append(
                    format_html(
                        '<button type="submit" class="promote" name="sentence" value="{}" '
                        'title="Promote this sentence to a claim (score {})" '
                        'aria-label="Promote to a claim: {}">+</button>',
                        seg.sentence.pk,
                        f"{seg.sentence.score:.2f}",
                        chunk[:80],
                    )
                )
        else:
            parts.append(escape(chunk))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part escaped above


# --- Words and numbers of the claim highlighted in a quote ----------------------------------

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
_STOPWORD_TEXT = """a an the and or but of in on at to for from by with as is are was
    were be been being
    has have had this that these those it its into over under than then also which who whom
    whose what when where while will would could should may might can not no nor so such
    their there they them he she his her our we you your about after before between during
    more most less least other some any each both all only very said says per"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _number_key(token: str) -> str:
    return token.rstrip("%").replace(",", "")


def claim_terms(claim_text: str) -> tuple[set[str], set[str]]:
    """The words (lower case, 3+ letters, no stop words) and numbers of a claim."""
    words, numbers = set(), set()
    for match in _TOKEN.finditer(claim_text or ""):
        token = match.group(0)
        if token[0].isdigit():
            numbers.add(_number_key(token))
        elif len(token) >= 3 and token.lower() not in _STOPWORDS:
            words.add(token.lower())
    return words, numbers


def highlight_terms(text: str, words: set[str], numbers: set[str]) -> SafeString:
    """Escapes text piece by piece, wrapping the pieces that match a claim term in <mark>."""
    parts: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text or ""):
        token = match.group(0)
        is_number = token[0].isdigit()
        hit = _number_key(token) in numbers if is_number else token.lower() in words
        if not hit:
            continue
        parts.append(escape(text[pos : match.start()]))
        css = "m-num" if is_number else "m-word"
        parts.append(format_html('<mark class="{}">{}</mark>', css, token))
        pos = match.end()
    parts.append(escape((text or "")[pos:]))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part escaped above


@register.simple_tag
def highlight_quote(quote: str, claim_text: str) -> SafeString:
    words, numbers = claim_terms(claim_text)
    return highlight_terms(quote, words, numbers)


# --- Small presentational helpers ------------------------------------------------------------

BAR_ORDER = (
    "verified",
    "disputed",
    "unverifiable",
    "needs_rereview",
    "needs_review",
    "researching",
    "pending",
)


@register.simple_tag
def status_bar(article, width: int = 160, height: int = 12) -> SafeString:
    """Claim counts per status as a stacked SVG bar (attributes, no inline style: CSP)."""
    total = getattr(article, "n_claims", 0) or 0
    if not total:
        return format_html(
            '<svg class="bar" width="{}" height="{}" role="img" aria-label="No claims">'
            '<rect class="bar-empty" x="0" y="0" width="{}" height="{}"></rect></svg>',
            width,
            height,
            width,
            height,
        )
    rects = []
    labels = []
    x = 0.0
    for status in BAR_ORDER:
        n = getattr(article, f"n_{status}", 0) or 0
        if not n:
            continue
        w = width * n / total
        label = f"{status.replace('_', ' ')}: {n}"
        rects.append((f"{x:.2f}", f"{w:.2f}", height, f"st-{status}", label))
        labels.append(label)
        x += w
    body = format_html_join(
        "",
        '<rect x="{}" y="0" width="{}" height="{}" class="{}"><title>{}</title></rect>',
        rects,
    )
    return format_html(
        '<svg class="bar" width="{}" height="{}" role="img" aria-label="{}">{}</svg>',
        width,
        height,
        "; ".join(labels),
        body,
    )


@register.filter
def in_list(value: object, choices: str) -> bool:
    """{{ x|in_list:"a,b" }}: whether x is one of the comma-separated choices."""
    return str(value) in choices.split(",")


@register.filter
def domain_of(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url or "").hostname or "").removeprefix("www.")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def language_name(code: str) -> str:
    """The English name of a language code ("sr" → "Serbian"); the code itself if unknown."""
    from django.conf.locale import LANG_INFO

    code = (code or "").strip()
    key = code.lower().replace("_", "-")
    info = LANG_INFO.get(key) or LANG_INFO.get(key.split("-")[0]) or {}
    return info.get("name", code)


@register.simple_tag
def select_options(field) -> SafeString:
    """The <option>s of a bound choice field, built in one pass.

    Django renders each option through its own widget templates; for the queue's article
    menu (200 articles) that was a third of the page's time. Labels are escaped here.
    """
    value = field.value()
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (key, mark_safe(" selected") if str(key) in chosen else "", label)  # noqa: S308
            for key, label in field.field.choices
        ),
    )
