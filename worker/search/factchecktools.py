"""Google Fact Check Tools claims:search. Hits are existing fact-checks, one per ClaimReview."""

from __future__ import annotations

from .base import Provider, SearchError, SearchHit, is_web_url

DEFAULT_URL = "https://factchecktools.googleapis.com/v1alpha1/claims:search"


class FactCheckToolsProvider(Provider):
    name = "factchecktools"

    def __init__(self, api_key: str, url: str = DEFAULT_URL, **kwargs) -> None:
        super().__init__(**kwargs)
        self.api_key = api_key
        self.url = url

    def search(self, query: str, limit: int) -> list[SearchHit]:
        params = {"query": query, "pageSize": max(1, limit), "key": self.api_key}
        data = self.get_json(self.url, params)
        if not isinstance(data, dict):
            raise SearchError("unexpected Fact Check Tools answer")
        if isinstance(data.get("error"), dict):
            raise SearchError(f"Fact Check Tools error: {data['error'].get('message', '')}")
        claims = data.get("claims", [])  # no matches: the API answers {}
        if not isinstance(claims, list):
            raise SearchError("unexpected Fact Check Tools answer: 'claims' is not a list")
        hits: list[SearchHit] = []
        for claim in claims:
            if not isinstance(claim, dict):
                continue
            for review in claim.get("claimReview") or []:
                if len(hits) >= limit:
                    return hits
                if not isinstance(review, dict) or not is_web_url(review.get("url")):
                    continue
                hits.append(self._hit(query, claim, review, rank=len(hits) + 1))
        return hits

    def _hit(self, query: str, claim: dict, review: dict, rank: int) -> SearchHit:
        publisher = review.get("publisher") or {}
        info = {
            "rating": str(review.get("textualRating") or ""),
            "publisher_name": str(publisher.get("name") or ""),
            "publisher_site": str(publisher.get("site") or ""),
            "review_url": review["url"].strip(),
            "review_title": str(review.get("title") or ""),
            "review_date": str(review.get("reviewDate") or ""),
            "claimant": str(claim.get("claimant") or ""),
            "claim_text": str(claim.get("text") or ""),
            "claim_date": str(claim.get("claimDate") or ""),
            "language": str(review.get("languageCode") or ""),
        }
        who = info["publisher_name"] or info["publisher_site"] or "a fact-checker"
        snippet = f"{who} rated “{info['claim_text']}”"
        if info["claimant"]:
            snippet += f" ({info['claimant']})"
        snippet += f": {info['rating'] or 'no rating'}"
        return SearchHit(
            url=info["review_url"],
            title=info["review_title"] or info["claim_text"],
            snippet=snippet,
            provider=self.name,
            rank=rank,
            is_factcheck=True,
            factcheck=info,
            query=query,
            published=info["review_date"],
            language=info["language"],
        )
