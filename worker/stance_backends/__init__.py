"""Stance back-ends behind one interface: builtin (default), nli (ONNX model), llm (chat API).

FACTCHECK_STANCE_BACKEND picks one; nli and llm fall back to builtin on any failure, and each
hint says which back-end gave it (Evidence.stance_backend).
"""

from .base import BACKEND_NAMES, BUILTIN, LLM, NLI, BackendError, Hint, Pair, StanceBackend
from .builtin import BuiltinBackend
from .llm import LlmBackend
from .nli import NliBackend
from .selection import article_budget, configured_backend, hint_pairs

__all__ = [
    "BACKEND_NAMES",
    "BUILTIN",
    "LLM",
    "NLI",
    "BackendError",
    "BuiltinBackend",
    "Hint",
    "LlmBackend",
    "NliBackend",
    "Pair",
    "StanceBackend",
    "article_budget",
    "configured_backend",
    "hint_pairs",
]
