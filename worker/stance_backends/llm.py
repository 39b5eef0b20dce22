"""Any OpenAI-compatible chat endpoint (Ollama, llama.cpp server, vLLM...) as a stance back-end.

Each pair is one chat completion asking for JSON {label, quote, reason}. An answer counts
only when its label is one of ours and its quote occurs in the passage (whitespace
normalised): a model that cannot point at the words it relies on gives no hint. Calls go
through worker.fetching.fetch (address checks, size and time bounds); the endpoint is the
operator's, so a private or loopback address is allowed for it only when
FACTCHECK_LLM_ALLOW_PRIVATE says so. Each call spends one of the article's
FACTCHECK_LLM_BUDGET; past it, or past the source's deadline, pairs get no answer.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from language.stance import Stance
from worker.fetching import FetchError, fetch
from worker.fetching.addresses import default_policy

from .base import LABELS, LLM, BackendError, Pair

logger = logging.getLogger(__name__)

MAX_BYTES = 1024 * 1024
SOURCE_DEADLINE = 45.0  # seconds for all the calls of one source (the score task has 60)
MAX_PASSAGE_CHARS = 4000
JSON_TYPES = frozenset({"application/json", "text/plain"})
SYSTEM_PROMPT = (
    "You judge whether a source passage supports, contradicts or merely mentions a claim. "
    "Answer with one JSON object and nothing else: "
    '{"label": "supports" | "contradicts" | "mentions", '
    '"quote": "the exact words of the passage your judgement rests on", '
    '"reason": "one short sentence"}. '
    "supports: the passage states the claim is true. contradicts: the passage states "
    "something that cannot be true together with the claim (another figure for the same "
    "thing, a denial). mentions: anything else, including the same topic without the claim. "
    "The quote must be copied word for word from the passage."
)

Budget = Callable[[Pair], bool]  # True: a call may be made for this pair (and is counted)
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def _unlimited(_pair: Pair) -> bool:
    return True


def chat_url(url: str) -> str:
    """The chat-completions endpoint of a base URL ("http://host:11434/v1") or itself."""
    url = url.strip()
    if url.rstrip("/").endswith("/chat/completions"):
        return url
    return url.rstrip("/") + "/chat/completions"


def _normalised(text: str) -> str:
    return " ".join(text.split())


def parse_answer(content: str, passage: str) -> Stance:
    """The stance in a model's answer text; BackendError when it is not a grounded answer."""
    fenced = _FENCE.match(content)
    text = fenced.group(1) if fenced else content
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BackendError(f"answer is not JSON: {_excerpt(content)}") from exc
    if not isinstance(data, dict):
        raise BackendError(f"answer is not a JSON object: {_excerpt(content)}")
    label = str(data.get("label") or "").strip().lower()
    quote = data.get("quote")
    reason = data.get("reason")
    if label not in LABELS:
        raise BackendError(f"unknown label {label!r}")
    if not isinstance(quote, str) or not _normalised(quote):
        raise BackendError("answer has no quote")
    if _normalised(quote) not in _normalised(passage):
        raise BackendError(f"quote is not in the passage: {_excerpt(quote)}")
    reason_text = _normalised(reason) if isinstance(reason, str) else ""
    line = f"{reason_text} — “{_normalised(quote)}”" if reason_text else f"“{_normalised(quote)}”"
    return Stance(label, _excerpt(f"language model: {line}", 480), 0.5)


def _excerpt(text: str, size: int = 160) -> str:
    text = _normalised(text) or "(empty)"
    return text if len(text) <= size else text[: size - 1] + "…"


class LlmBackend:
    name = LLM
    quantities_override = False

    def __init__(
        self,
        *,
        url: str,
        model: str,
        api_key: str = "",
        timeout: float = 20.0,
        allow_private: bool = False,
        budget: Budget = _unlimited,
        source_deadline: float = SOURCE_DEADLINE,
    ) -> None:
        self.url = url
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.allow_private = allow_private
        self.budget = budget
        self.source_deadline = source_deadline

    def judge(self, pairs: Sequence[Pair]) -> list[Stance | None]:
        if not self.url or not self.model:
            raise BackendError("FACTCHECK_LLM_URL and FACTCHECK_LLM_MODEL must both be set")
        ends = time.monotonic() + self.source_deadline
        answers: list[Stance | None] = []
        for pair in pairs:
            remaining = ends - time.monotonic()
            if remaining <= 1.0:
                logger.info("LLM stance: source deadline reached, built-in hints for the rest")
                answers.append(None)
                continue
            if not self.budget(pair):
                logger.info("LLM stance: budget spent (article of claim %s)", pair.claim_id)
                answers.append(None)
                continue
            try:
                answers.append(self.ask(pair, min(self.timeout, remaining)))
            except BackendError as exc:
                logger.warning("LLM stance answer discarded: %s", exc)
                answers.append(None)
        return answers

    def ask(self, pair: Pair, timeout: float) -> Stance:
        """One chat completion for the pair, parsed and checked."""
        passage = pair.passage[:MAX_PASSAGE_CHARS]
        body = {
            "model": self.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"Claim: {pair.claim_text}\n\nPassage: {passage}"},
            ],
        }
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        try:
            result = fetch(
                chat_url(self.url),
                data=json.dumps(body).encode("utf-8"),
                headers=headers,
                timeout=timeout,
                deadline=timeout,
                max_bytes=MAX_BYTES,
                check_robots=False,
                domain_delay=0,
                accept_types=JSON_TYPES,
                is_allowed_address=default_policy(self.allow_private),
            )
        except FetchError as exc:
            raise BackendError(f"chat endpoint: {exc.reason}") from exc
        return parse_answer(_content(result.body), passage)


def _content(body: bytes) -> str:
    """choices[0].message.content of a chat-completions answer."""
    try:
        data: Any = json.loads(body.decode("utf-8", errors="replace"))
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise BackendError(
            f"not a chat completion: {_excerpt(body.decode(errors='replace'))}"
        ) from exc
    if not isinstance(content, str):
        raise BackendError("chat completion has no text content")
    return content
