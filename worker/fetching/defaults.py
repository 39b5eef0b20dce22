"""Defaults for every fetch knob, from Django settings when they are configured.

The fetching code runs in tests and scripts without Django too, so each default has a
fallback and every knob is also a function parameter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FALLBACKS: dict[str, Any] = {
    "FACTCHECK_FETCH_ALLOW_PRIVATE": False,
    "FACTCHECK_FETCH_MAX_BYTES": 10 * 1024 * 1024,
    "FACTCHECK_FETCH_TIMEOUT": 10.0,
    "FACTCHECK_FETCH_DEADLINE": 30.0,
    "FACTCHECK_FETCH_DOMAIN_DELAY": 1.0,
    "FACTCHECK_FETCH_CA_BUNDLE": "",
    "FACTCHECK_EXTRACT_SECONDS": 10.0,
    "FACTCHECK_USER_AGENT": "FactcheckBot/1.0 (source tracking for fact-checkers)",
    "CELERY_BROKER_URL": "filesystem://",
    "DATA_DIR": Path("var"),
}


def setting(name: str, default: Any = None) -> Any:
    """settings.<name> if Django is configured, else our fallback."""
    fallback = FALLBACKS.get(name, default)
    try:
        from django.conf import settings

        return getattr(settings, name, fallback)
    except Exception:  # ImproperlyConfigured, or Django absent
        return fallback
