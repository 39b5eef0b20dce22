"""Search providers behind one small interface; see registry.get_providers and search_all."""

from .base import HttpGetJson, Provider, SearchError, SearchHit
from .registry import SearchResults, get_providers, search_all

__all__ = [
    "HttpGetJson",
    "Provider",
    "SearchError",
    "SearchHit",
    "SearchResults",
    "get_providers",
    "search_all",
]
