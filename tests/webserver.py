"""A small web on loopback for fetch, extraction and re-check tests.

`web` (function-scoped) hands out one threaded HTTP server on 127.0.0.1 (started once per
session as `web_server`) with its run-time pages reset and its request log emptied:

    def test_article(web):
        result = fetch(web.url("/news/article.html"), allow_private=True, domain_delay=0)
        web.set_page("/news/article.html", "<html>...</html>", headers={"ETag": '"v2"'})
        assert web.requests_for("/news/article.html")[0].headers["user-agent"]

Static pages answer If-None-Match / If-Modified-Since with 304. Hostile endpoints:
/slow/drip, /slow/headers, /slow/wait, /huge, /huge-declared, /bomb.html, /redirect/*,
/image.png, /gone (410), /error (500), /unavailable (503), anything unknown (404).
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

import pytest

__all__ = ["WebServer", "build_pdf", "web", "web_server"]

ROBOTS_TXT = """User-agent: *
Disallow: /private/

User-agent: GreedyBot
Disallow: /
"""

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ministry confirms 48 new buses for Novi Sad | The Daily Ledger</title>
  <meta property="og:site_name" content="The Daily Ledger">
  <meta property="og:title" content="Ministry confirms 48 new buses for Novi Sad">
  <meta name="author" content="Jelena Petrović">
  <meta property="article:published_time" content="2024-03-14T09:30:00+01:00">
  <link rel="canonical" href="/news/article.html">
  <script>window.dataLayer = []; function track(){ return "<p>not text</p>"; }</script>
  <style>.ad { display: block } body { font-family: serif }</style>
</head>
<body>
  <header class="site-header">
    <nav class="main-nav">
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/politics/">Politics</a></li>
        <li><a href="/business/">Business</a></li>
        <li><a href="/sport/">Sport</a></li>
        <li><a href="https://shop.example.net/subscribe?utm_source=nav">Subscribe now</a></li>
      </ul>
    </nav>
    <div class="ad banner">ADVERTISEMENT: Buy the best mattress in the region today only</div>
  </header>
  <main>
    <article class="story">
      <h1>Ministry confirms 48 new buses for Novi Sad</h1>
      <p class="byline">By Jelena Petrović, 14 March 2024</p>
      <p>The transport ministry confirmed on Thursday that 48 new electric buses will be
      delivered to the city of Novi Sad by the end of the year, according to a
      <a href="https://gov.example.org/press/2024/buses?utm_source=twitter&amp;id=7#top">statement
      published on its website</a>.</p>
      <p>The contract, worth 21.5 million euros, was signed with a consortium led by a
      regional manufacturer. Officials said the first 12 vehicles would arrive in June,
      and the remaining 36 before December.</p>
      <p>City councillors had previously claimed that only 36 buses were planned. The
      <a href="/reports/council-minutes.pdf">minutes of the council meeting</a> show a
      debate over the figure, which opposition members called misleading.</p>
      <p>An independent audit by the
      <a href="https://audit.example.com/reports/2023?fbclid=abc">state audit office</a>
      found no irregularities in the tender procedure, the ministry said in its statement.</p>
    </article>
    <section class="comments" id="comments">
      <h2>Comments (3)</h2>
      <div class="comment"><p>Troll99: This is all lies, they never deliver anything!!!</p></div>
      <div class="comment"><p>Anon: first!</p></div>
      <div class="comment"><p>Marko: Where can I read the contract?</p></div>
    </section>
    <aside class="related">
      <h3>Most read</h3>
      <ul>
        <li><a href="/sport/derby">Derby ends in a draw after late penalty</a></li>
        <li><a href="/life/recipes">Ten recipes for the weekend</a></li>
      </ul>
    </aside>
  </main>
  <footer class="site-footer">
    <p>Copyright 2024 The Daily Ledger. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a> <a href="/cookies">Cookie settings</a>
  </footer>
</body>
</html>
"""

SERBIAN_HTML = """<!DOCTYPE html>
<html lang="sr-Latn">
<head><meta charset="utf-8"><title>Ministarstvo potvrdilo 48 novih autobusa</title>
<meta property="og:site_name" content="Dnevni list"></head>
<body>
<nav><a href="/">Početna</a> <a href="/politika/">Politika</a></nav>
<article>
<h1>Ministarstvo potvrdilo 48 novih autobusa</h1>
<p>Ministarstvo saobraćaja potvrdilo je u četvrtak da će 48 novih električnih autobusa
biti isporučeno Novom Sadu do kraja godine, prema saopštenju objavljenom na sajtu.</p>
<p>Ugovor vredan 21,5 miliona evra potpisan je sa konzorcijumom koji predvodi regionalni
proizvođač. Prvih 12 vozila stiže u junu, a preostalih 36 pre decembra.</p>
<p>Gradski odbornici su ranije tvrdili da je planirano samo 36 autobusa, što je izazvalo
raspravu na sednici skupštine grada.</p>
</article>
<footer>Sva prava zadržana.</footer>
</body></html>
"""

# Declares UTF-8 but is Windows-1251 Cyrillic: the charset must be detected.
WRONG_CHARSET_TEXT = (
    "Министерство подтвердило поставку 48 новых автобусов в Нови-Сад до конца года. "
    "Контракт стоимостью 21,5 миллиона евро подписан с региональным производителем. "
    "Первые 12 машин прибудут в июне, остальные 36 до декабря."
)

NOTES_TEXT = (
    "Council minutes, 12 February 2024.\n\n"
    "Item 4: public transport. The councillors discussed the delivery of 36 buses.\n"
    "Objection noted by the opposition: the ministry figure is 48.\n"
)

PDF_TEXT_LINES = (
    "Audit report 2023",
    "The state audit office found no irregularities in the tender.",
    "Contract value: 21.5 million euros for 48 buses.",
)

TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e226059b0000000049454e44ae426082"
)


def build_pdf(lines: tuple[str, ...] = PDF_TEXT_LINES, title: str = "Audit report 2023") -> bytes:
    """A minimal valid PDF with real text (Helvetica), an Info dictionary and a URI link."""
    text_ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text_ops.append(f"({escaped}) Tj T*")
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R /Annots [7 0 R] >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + title.encode("latin-1") + b") /Author (State Audit Office) "
        b"/CreationDate (D:20240301120000Z) >>",
        b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 714] /Border [0 0 0] "
        b"/A << /S /URI /URI (https://audit.example.com/full-report?utm_medium=pdf) >> >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


@dataclass
class Page:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    last_modified: float = 0.0


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    client: str
    at: float


def _page(body: str | bytes, status: int = 200, headers: dict[str, str] | None = None) -> Page:
    data = body.encode("utf-8") if isinstance(body, str) else body
    headers = dict(headers or {})
    headers.setdefault("Content-Type", "text/html; charset=utf-8")
    etag = headers.pop("ETag", "") or f'"{hashlib.sha1(data).hexdigest()[:16]}"'
    return Page(data, status, headers, etag, time.time() - 3600)


def _default_pages() -> dict[str, Page]:
    plain = {"Content-Type": "text/plain; charset=utf-8"}
    return {
        "/robots.txt": _page(ROBOTS_TXT, headers=plain),
        "/news/article.html": _page(ARTICLE_HTML),
        "/news/serbian.html": _page(SERBIAN_HTML),
        "/news/xhtml.html": _page(
            ARTICLE_HTML.replace("<html lang", '<html xmlns="http://www.w3.org/1999/xhtml" lang'),
            headers={"Content-Type": "application/xhtml+xml"},
        ),
        "/news/wrong-charset.html": _page(
            "<html><head><title>Автобусы</title></head><body><article><p>"
            + WRONG_CHARSET_TEXT
            + "</p></article></body></html>",
            headers={"Content-Type": "text/html; charset=utf-8"},
        ),
        "/notes.txt": _page(NOTES_TEXT, headers=plain),
        "/reports/audit.pdf": _page(build_pdf(), headers={"Content-Type": "application/pdf"}),
        "/no-type": _page(ARTICLE_HTML, headers={"Content-Type": ""}),
        "/image.png": _page(TINY_PNG, headers={"Content-Type": "image/png"}),
        "/private/secret.html": _page(ARTICLE_HTML),
        "/gone": _page("<html><body>gone</body></html>", status=410),
        "/error": _page("<html><body>boom</body></html>", status=500),
        "/unavailable": _page("<html><body>later</body></html>", status=503),
    }


def _fix_wrong_charset(pages: dict[str, Page]) -> None:
    page = pages["/news/wrong-charset.html"]
    page.body = page.body.decode("utf-8").encode("cp1251")


class WebServer:
    """The loopback server; see the module docstring."""

    GZIP_BOMB_SIZE = 64 * 1024 * 1024  # decompressed bytes behind /bomb.html

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        """host: a loopback address, "127.0.0.1" or "::1"; never anything routable.
        tls: a server context to speak HTTPS with (its certificate names the test hosts)."""
        self.host = host
        self.scheme = "https" if tls else "http"
        self._lock = threading.Lock()
        self.pages: dict[str, Page] = {}
        self.log: list[RecordedRequest] = []
        self._bomb: bytes | None = None
        self.reset()
        handler = type("Handler", (_Handler,), {"web": self})
        self.httpd = _QuietServer((host, 0), handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            # The handshake runs in the handler's thread, so a client refusing the
            # certificate cannot stall the accept loop.
            self.httpd.socket = tls.wrap_socket(
                self.httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # -- lifecycle
    def start(self) -> WebServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self) -> None:
        """Default pages back, request log emptied."""
        with self._lock:
            self.pages = _default_pages()
            _fix_wrong_charset(self.pages)
            self.log = []

    # -- addresses
    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    # -- run-time content
    def set_page(
        self,
        path: str,
        body: str | bytes,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve body at path from now on. An ETag is derived from the body unless
        headers give one; Last-Modified is the time of this call."""
        page = _page(body, status, headers)
        page.last_modified = time.time()
        with self._lock:
            self.pages[path] = page

    def page(self, path: str) -> Page | None:
        with self._lock:
            return self.pages.get(path)

    # -- request log
    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.log.append(request)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self.log)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if urlsplit(r.path).path == path]

    # -- hostile bodies
    def gzip_bomb(self) -> bytes:
        if self._bomb is None:
            compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            block = b"<p>" + b"A" * 1021
            parts = [compressor.compress(block * 1024) for _ in range(self.GZIP_BOMB_SIZE // 2**20)]
            parts.append(compressor.flush())
            self._bomb = b"".join(parts)
        return self._bomb


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on hostile endpoints is the point of those tests


class _Handler(http.server.BaseHTTPRequestHandler):
    web: WebServer
    protocol_version = "HTTP/1.1"  # keep-alive, like real servers
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between small writes

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the request log is self.web.log

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        self.web.record(
            RecordedRequest(
                "GET",
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.client_address[0],
                time.monotonic(),
            )
        )
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        try:
            if path.startswith("/redirect/"):
                return self._redirect(path, query)
            if path.startswith("/slow/"):
                return self._slow(path, query)
            if path == "/huge":
                return self._huge()
            if path == "/huge-declared":
                return self._send(200, b"x" * 10, {"Content-Length": str(200 * 2**20)}, raw=True)
            if path == "/bomb.html":
                body = self.web.gzip_bomb()
                return self._send(
                    200, body, {"Content-Type": "text/html", "Content-Encoding": "gzip"}
                )
            if path == "/gzip.html":
                body = gzip.compress(ARTICLE_HTML.encode("utf-8"))
                return self._send(
                    200,
                    body,
                    {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
                )
            page = self.web.page(path)
            if page is None:
                return self._send(404, b"<html><body>Not found</body></html>", {})
            return self._static(page)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True

    # -- responses
    def _send(self, status: int, body: bytes, headers: dict[str, str], raw: bool = False) -> None:
        self.send_response(status)
        headers = dict(headers)
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        if not raw:
            headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            if value:
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        if raw:
            self.close_connection = True

    def _static(self, page: Page) -> None:
        last_modified = formatdate(page.last_modified, usegmt=True)
        headers = {**page.headers, "ETag": page.etag, "Last-Modified": last_modified}
        if page.status == 200 and self._not_modified(page):
            self.send_response(304)
            self.send_header("ETag", page.etag)
            self.send_header("Last-Modified", last_modified)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(page.status, page.body, headers)

    def _not_modified(self, page: Page) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return page.etag in [tag.strip() for tag in if_none_match.split(",")]
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return int(page.last_modified) <= since
        return False

    def _redirect(self, path: str, query: dict[str, str]) -> None:
        name = path.removeprefix("/redirect/")
        target = "/news/article.html"
        status = 302
        if name in ("301", "302", "303", "307", "308"):
            status = int(name)
        elif name.startswith("chain/"):  # /redirect/chain/N: N hops, then the article
            hops = int(name.split("/")[1])
            target = f"/redirect/chain/{hops - 1}" if hops > 1 else target
            status = 301 if hops % 2 else 307
        elif name == "loop":
            target = "/redirect/loop-b"
        elif name == "loop-b":
            target = "/redirect/loop"
        elif name == "to-blocked":  # another loopback address, same port
            target = f"http://127.0.0.2:{self.web.port}/news/article.html"
        elif name == "to-file":
            target = "file:///etc/passwd"
        elif name == "relative":
            target = "../news/article.html?utm_source=redirect#section"
        elif name == "to":
            target = query.get("url", target)
        self._send(status, b"", {"Location": target})

    def _slow(self, path: str, query: dict[str, str]) -> None:
        interval = float(query.get("interval", "0.2"))
        if path == "/slow/wait":  # answers whole, after a pause
            time.sleep(float(query.get("seconds", "0.2")))
            return self._static(self.web.page("/news/article.html"))  # type: ignore[arg-type]
        if path == "/slow/headers":  # never finishes its headers
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for index in range(600):
                self.wfile.write(b"X-Drip-%d: 1\r\n" % index)
                self.wfile.flush()
                time.sleep(interval)
            self.close_connection = True
            return None
        # /slow/drip: valid headers, then one byte per interval, for ever (10 min cap)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<html><body><p>")
        for _ in range(int(600 / max(interval, 0.001))):
            self.wfile.write(b"a")
            self.wfile.flush()
            time.sleep(interval)
        self.close_connection = True
        return None

    def _huge(self) -> None:
        # 200 MB, no Content-Length: only the client's own limit stops it.
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        block = b"<p>" + b"x" * (64 * 1024 - 3)
        for _ in range(200 * 16):
            self.wfile.write(block)
        self.close_connection = True


@pytest.fixture(scope="session")
def web_server():
    """The session's loopback web server (prefer `web`, which resets it per test)."""
    server = WebServer().start()
    yield server
    server.stop()


@pytest.fixture
def web(web_server: WebServer):
    """The loopback web server with default pages and an empty request log."""
    web_server.reset()
    yield web_server
    web_server.reset()
