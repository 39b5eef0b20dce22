"""Loopback fake of an OpenAI-compatible chat-completions endpoint (Ollama, llama.cpp, vLLM).

POST /v1/chat/completions answers in the API's shape; each request takes the next scripted
reply, else the default one. Use the `llm_api` fixture:

    llm_api.reply({"label": "supports", "quote": "...", "reason": "..."})  # JSON content
    llm_api.reply("not json at all")                                       # raw content
    llm_api.hang()            # the next request gets no answer until the test ends
    llm_api.redirect()        # the next request is answered with a 307
    settings.FACTCHECK_LLM_URL = llm_api.url    # the /v1 base URL

Requests are recorded (headers and decoded JSON body) in llm_api.requests.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.loopback import serving

HANG = object()
REDIRECT = object()


@dataclass
class ChatRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def user_message(self) -> str:
        return next(m["content"] for m in self.body["messages"] if m["role"] == "user")


@dataclass
class FakeChatAPI:
    base_url: str = ""
    script: list[Any] = field(default_factory=list)
    default: Any = None  # None: HTTP 500
    requests: list[ChatRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    released: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"{self.base_url}/v1"

    def reply(self, content: dict[str, Any] | str, *, times: int = 1) -> None:
        """The next `times` requests get this message content (a dict is sent as JSON)."""
        text = content if isinstance(content, str) else json.dumps(content)
        self.script.extend([text] * times)

    def hang(self) -> None:
        """The next request gets no answer until the test ends."""
        self.script.append(HANG)

    def redirect(self) -> None:
        """The next request is redirected (HTTP 307) to the same endpoint."""
        self.script.append(REDIRECT)

    def next_reply(self) -> Any:
        with self.lock:
            return self.script.pop(0) if self.script else self.default


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    api: FakeChatAPI

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            self._send(400, b'{"error": {"message": "body is not JSON"}}')
            return
        with self.api.lock:
            self.api.requests.append(
                ChatRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
        if self.path != "/v1/chat/completions":
            self._send(404, b'{"error": {"message": "not found"}}')
            return
        content = self.api.next_reply()
        if content is HANG:
            self.api.released.wait(timeout=30)
            return
        if content is REDIRECT:
            self.send_response(307)
            self.send_header("Location", "/v1/chat/completions")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if content is None:
            self._send(500, b'{"error": {"message": "model not loaded"}}')
            return
        answer = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }
        self._send(200, json.dumps(answer).encode())


@pytest.fixture
def llm_api() -> Iterator[FakeChatAPI]:
    """A fresh loopback chat-completions endpoint; stopped (and any hung request freed) after."""
    api = FakeChatAPI()
    handler = type("Handler", (_Handler,), {"api": api})
    with serving(handler, name="fake-chat-api") as api.base_url:
        try:
            yield api
        finally:
            api.released.set()  # frees any request the test left hanging
