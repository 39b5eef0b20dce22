"""extract_document(): what a fetched body says, as plain text plus metadata.

HTML goes through trafilatura (htmltext.py), PDF through pypdf, plain text through
charset detection. The text never carries markup: the scorer quotes it to reviewers.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass, field

from language.detect import guess_language

from .budget import ExtractionBudget
from .errors import ExtractionError, TooComplex
from .htmltext import charset_of, clean_paragraph, decode_text, extract_html, outbound_links

logger = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
TEXT_TYPES = frozenset({"text/plain"})
MAX_PDF_PAGES = 300  # beyond that a "source" is a book; its first pages will do

_TAG_LIKE = re.compile(r"</?[A-Za-z!][^<>]{0,200}>")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)


@dataclass
class Document:
    title: str = ""
    publisher: str = ""  # site name
    author: str = ""
    published_date: dt.date | None = None
    text: str = ""
    links: list[str] = field(default_factory=list)
    language: str | None = None
    kind: str = ""  # "html", "pdf" or "text"


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def strip_markup(text: str) -> str:
    """Remove anything tag-like that slipped through (e.g. escaped markup in a feed)."""
    return _TAG_LIKE.sub("", text)


def _from_html(body: bytes, content_type: str, url: str, budget: ExtractionBudget) -> Document:
    parts = extract_html(body, content_type, url, budget)
    text = strip_markup(parts.text)
    return Document(
        title=strip_markup(parts.title),
        publisher=parts.publisher,
        author=parts.author,
        published_date=_parse_date(parts.date),
        text=text,
        links=parts.links,
        language=parts.language or guess_language(text),
        kind="html",
    )


def _from_text(body: bytes, content_type: str, url: str) -> Document:
    text = decode_text(body, charset_of(content_type)).replace("\r\n", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    first_line = next((line.strip() for line in lines if line.strip()), "")
    return Document(
        title=first_line[:200],
        text=text,
        links=outbound_links(_URL_IN_TEXT.findall(text), url),
        language=guess_language(text),
        kind="text",
    )


def _from_pdf(body: bytes, url: str, budget: ExtractionBudget) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            reader.decrypt("")  # many "protected" PDFs only restrict printing
        pages = []
        link_targets = []
        for page in reader.pages[:MAX_PDF_PAGES]:
            budget.check()
            pages.append(page.extract_text() or "")
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A") or {}
                if action.get("/URI"):
                    link_targets.append(str(action["/URI"]))
        metadata = reader.metadata
    except TooComplex:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(f"unreadable PDF: {exc}") from exc

    paragraphs = []
    for page_text in pages:
        for block in re.split(r"\n\s*\n", page_text):
            paragraph = clean_paragraph(block)
            if paragraph:
                paragraphs.append(paragraph)
    text = "\n".join(paragraphs)
    title = author = ""
    published = None
    if metadata is not None:
        title = clean_paragraph(str(metadata.title or ""))
        author = clean_paragraph(str(metadata.author or ""))
        try:
            published = _parse_date(metadata.creation_date)
        except (ValueError, TypeError):
            published = None
    if not title and paragraphs:
        title = paragraphs[0][:200]
    return Document(
        title=title,
        author=author,
        published_date=published,
        text=text,
        links=outbound_links(link_targets + _URL_IN_TEXT.findall(text), url),
        language=guess_language(text),
        kind="pdf",
    )


def extract_document(
    body: bytes, content_type: str, url: str, *, seconds: float | None = None
) -> Document:
    """The main text and metadata of a fetched body.

    content_type is the Content-Type header (its charset is honoured when it fits the
    bytes); url resolves relative links. Raises ExtractionError for other types, and
    TooComplex (an ExtractionError) when reading takes longer than `seconds`
    (FACTCHECK_EXTRACT_SECONDS): the bound holds on any thread.
    """
    budget = ExtractionBudget(seconds)
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type in HTML_TYPES:
        return _from_html(body, content_type, url, budget)
    if media_type in PDF_TYPES:
        return _from_pdf(body, url, budget)
    if media_type in TEXT_TYPES:
        return _from_text(body, content_type, url)
    raise ExtractionError(f"cannot extract text from {media_type or 'unknown type'}")
