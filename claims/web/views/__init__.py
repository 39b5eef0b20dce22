"""Views of the reviewer UI, one module per page family."""

from .articles import (
    article_detail,
    article_progress_partial,
    article_promote,
    article_research_retry,
    article_submit,
    home,
)
from .claim_sources import (
    claim_add_by_hand,
    claim_research_retry,
    claim_source_archive,
    claim_source_retry,
)
from .claims import (
    claim_add_sources,
    claim_assign,
    claim_detail,
    claim_edit,
    claim_evidence,
    claim_verdict,
)
from .health import healthz
from .matches import claim_match_cite_view, claim_match_dismiss_view
from .queue import queue
from .sources import snapshot_detail, source_detail

__all__ = [
    "article_detail",
    "article_progress_partial",
    "article_promote",
    "article_research_retry",
    "article_submit",
    "claim_add_by_hand",
    "claim_add_sources",
    "claim_assign",
    "claim_detail",
    "claim_edit",
    "claim_evidence",
    "claim_match_cite_view",
    "claim_match_dismiss_view",
    "claim_research_retry",
    "claim_source_archive",
    "claim_source_retry",
    "claim_verdict",
    "healthz",
    "home",
    "queue",
    "snapshot_detail",
    "source_detail",
]
