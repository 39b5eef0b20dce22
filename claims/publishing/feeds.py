"""The Atom feed of published fact-checks, beside the ClaimReview JSON feed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.selectors import public as selectors
from claims.selectors.public import PublishedClaim

FEED_ARTICLES = 50  # newest published articles whose fact-checks the feed carries


class FactcheckAtomFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def title(self) -> str:
        return f"{settings.FACTCHECK_PUBLISHER_NAME}: fact-checks"

    def link(self) -> str:
        return reverse("publishing:index")

    def subtitle(self) -> str:
        return "Claims checked, their ratings, rationales and sources."

    def items(self) -> list[tuple[object, PublishedClaim]]:
        entries = []
        for article in selectors.published_articles()[:FEED_ARTICLES]:
            entries += [(article, item) for item in selectors.published_claims(article=article)]
        return entries

    def item_title(self, entry) -> str:
        _article, item = entry
        return f"{item.rating_label}: {item.text}"

    def item_description(self, entry) -> str:
        _article, item = entry
        return item.review.rationale

    def item_link(self, entry) -> str:
        article, item = entry
        return reverse("publishing:article", kwargs={"pk": article.pk}) + f"#{item.anchor}"

    def item_guid(self, entry) -> str:
        _article, item = entry
        return f"claimreview-{item.claim.pk}-{item.review.pk}"

    def item_pubdate(self, entry):
        article, item = entry
        return article.published_at or item.review.created_at

    def item_updateddate(self, entry):
        _article, item = entry
        return item.review.created_at

    def item_author_name(self, entry) -> str:
        return settings.FACTCHECK_PUBLISHER_NAME
