"""Published fact-checks read from schema.org ClaimReview or the Fact Check Tools API shape.

Pure Python (lxml for HTML pages). Accepted input:
- JSON-LD: one ClaimReview, a list of them, an @graph, or a DataFeed whose dataFeedElement
  items are ClaimReviews (the feed Google's Fact Check Markup Tool and aggregators export);
- an HTML page carrying any of those in <script type="application/ld+json"> blocks;
- the Fact Check Tools API answer: {"claims": [{"text", "claimant", "claimReview": [{
  "publisher": {"name", "site"}, "url", "title", "reviewDate", "textualRating",
  "languageCode"}]}]}.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html


class ClaimReviewError(ValueError):
    """Nothing usable in the input; the message says why."""


@dataclass(frozen=True)
class Review:
    claim_text: str
    url: str
    rating: str = ""
    publisher: str = ""
    publisher_site: str = ""
    claimant: str = ""
    review_date: str = ""  # ISO date as given (YYYY-MM-DD...)
    title: str = ""
    language: str = ""


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url") or ""
    if isinstance(value, list):
        value = next((_text(v) for v in value if _text(v)), "")
    return " ".join(str(value or "").split())


def _types(node: dict) -> set[str]:
    kind = node.get("@type") or ""
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def _from_claimreview(node: dict) -> Review | None:
    item = node.get("itemReviewed") if isinstance(node.get("itemReviewed"), dict) else {}
    claim_text = (
        _text(node.get("claimReviewed")) or _text(item.get("text")) or _text(item.get("name"))
    )
    url = _text(node.get("url"))
    if not claim_text:
        return None
    rating = node.get("reviewRating") if isinstance(node.get("reviewRating"), dict) else {}
    author = node.get("author") or node.get("publisher") or {}
    if isinstance(author, list):
        author = author[0] if author else {}
    if not isinstance(author, dict):
        author = {"name": str(author)}
    language = node.get("inLanguage") or item.get("inLanguage") or ""
    return Review(
        claim_text=claim_text,
        url=url,
        rating=_text(rating.get("alternateName")) or _text(rating.get("ratingValue")),
        publisher=_text(author.get("name")),
        publisher_site=_text(author.get("url")),
        claimant=_text(item.get("author")),
        review_date=_text(node.get("datePublished")),
        title=_text(node.get("headline")) or _text(node.get("name")),
        language=_text(language),
    )


def _from_api_claim(claim: dict) -> Iterator[Review]:
    text = _text(claim.get("text"))
    for review in claim.get("claimReview") or []:
        if not isinstance(review, dict) or not text:
            continue
        publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
        yield Review(
            claim_text=text,
            url=_text(review.get("url")),
            rating=_text(review.get("textualRating")),
            publisher=_text(publisher.get("name")),
            publisher_site=_text(publisher.get("site")),
            claimant=_text(claim.get("claimant")),
            review_date=_text(review.get("reviewDate")),
            title=_text(review.get("title")),
            language=_text(review.get("languageCode")),
        )


def _walk(node: Any, depth: int = 0) -> Iterator[Review]:
    if depth > 8:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("claims"), list):  # the Fact Check Tools API
        for claim in node["claims"]:
            if isinstance(claim, dict):
                yield from _from_api_claim(claim)
        return
    if "ClaimReview" in _types(node):
        review = _from_claimreview(node)
        if review is not None:
            yield review
        return
    for key in ("@graph", "dataFeedElement", "item", "mainEntity", "hasPart"):
        if key in node:
            yield from _walk(node[key], depth + 1)


def _json_ld_blocks(html: str) -> list[Any]:
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return []
    out = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            out.append(json.loads(script.text or ""))
        except json.JSONDecodeError:
            continue  # one broken block does not hide the others
    return out


def parse_reviews(data: bytes | str) -> list[Review]:
    """Every ClaimReview in a JSON document or an HTML page, in order, without duplicates."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    if not text.strip():
        raise ClaimReviewError("the input is empty")
    try:
        documents = [json.loads(text)]
    except json.JSONDecodeError:
        if "<" not in text:
            raise ClaimReviewError("neither JSON nor an HTML page") from None
        documents = _json_ld_blocks(text)
        if not documents:
            raise ClaimReviewError("the page has no JSON-LD (application/ld+json) block") from None
    reviews = list(dict.fromkeys(r for doc in documents for r in _walk(doc)))
    if not reviews:
        raise ClaimReviewError("no ClaimReview with a reviewed claim found")
    return reviews
