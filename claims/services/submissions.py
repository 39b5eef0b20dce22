"""Submitting an article from the UI: a URL (fetched by the worker), pasted text or a file."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from claims.models import Article
from claims.services.articles import (
    article_submit_text,
    article_submit_url,
    decode_article_bytes,
)


def article_submit(
    *,
    created_by: AbstractBaseUser | None,
    url: str = "",
    text: str = "",
    data: bytes | None = None,
    title: str = "",
) -> Article:
    """One entry point for the three ways to give us an article."""
    if url:
        return article_submit_url(url=url, title=title, created_by=created_by)
    if data is not None:
        text = decode_article_bytes(data)
    return article_submit_text(text=text, title=title, created_by=created_by)
