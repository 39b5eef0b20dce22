"""A library file as text by page: PDF, HTML, DOCX, plain text and Markdown.

read_file() picks the format from the file name (and the bytes, for a PDF or HTML file with
the wrong extension). Pages keep their number: a PDF's pages, a DOCX's page breaks, a text
file's form feeds; an HTML page is one page. Pure Python.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from language.detect import guess_language

from .extract import ExtractionError, extract_document, read_pdf_pages
from .htmltext import clean_paragraph, decode_text

FORMATS = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "text/plain",
    "markdown": "text/markdown",
}
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


class UnsupportedFormat(ExtractionError):
    """The file is not one of the library's formats."""


@dataclass
class LibraryText:
    title: str
    pages: list[str]  # text of each page, page 1 first
    language: str
    kind: str  # pdf, html, docx, text, markdown

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def format_of(filename: str, data: bytes) -> str | None:
    """The library format of a file, or None when the library cannot read it."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    kind = FORMATS.get(PurePath(filename).suffix.lower())
    if kind is None and data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return kind


def _is_page_break(element) -> bool:
    if element.tag == f"{_WORD_NS}lastRenderedPageBreak":
        return True
    return element.tag == f"{_WORD_NS}br" and element.get(f"{_WORD_NS}type") == "page"


def _from_docx(data: bytes) -> list[str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(f"unreadable DOCX: {exc}") from exc
    pages: list[list[str]] = [[]]
    for paragraph in document.paragraphs:
        # Text and page breaks in document order: a break inside a paragraph splits it.
        pieces: list[str] = []
        for element in paragraph._p.iter():
            if element.tag == f"{_WORD_NS}t" and element.text:
                pieces.append(element.text)
            elif element.tag == f"{_WORD_NS}tab":
                pieces.append(" ")
            elif _is_page_break(element):
                text = clean_paragraph("".join(pieces))
                if text:
                    pages[-1].append(text)
                pieces = []
                if pages[-1]:
                    pages.append([])
        text = clean_paragraph("".join(pieces))
        if text:
            pages[-1].append(text)
    for table in document.tables:
        for row in table.rows:
            cells = [clean_paragraph(cell.text) for cell in row.cells]
            line = " | ".join(dict.fromkeys(c for c in cells if c))
            if line:
                pages[-1].append(line)
    return ["\n".join(page) for page in pages]


def _markdown_line(line: str) -> str:
    line = _MD_HEADING.sub("", line)
    line = _MD_LIST.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    return _MD_EMPHASIS.sub(r"\2", line)


def _from_text(data: bytes, *, markdown: bool) -> list[str]:
    text = decode_text(data, None).replace("\r\n", "\n")
    pages = []
    for page in text.split("\f"):
        paragraphs = []
        for block in re.split(r"\n\s*\n", page):
            lines = [_markdown_line(line) if markdown else line for line in block.split("\n")]
            paragraph = clean_paragraph(" ".join(lines))
            if paragraph:
                paragraphs.append(paragraph)
        pages.append("\n".join(paragraphs))
    while len(pages) > 1 and not pages[-1]:
        pages.pop()
    return pages


def read_file(filename: str, data: bytes) -> LibraryText:
    """The text of a library file by page, its title and language.

    Raises UnsupportedFormat for other files and ExtractionError for unreadable ones.
    """
    kind = format_of(filename, data)
    if kind is None:
        raise UnsupportedFormat(f"unsupported file type {PurePath(filename).suffix or '(none)'}")
    title = ""
    if kind == "pdf":
        title, pages = read_pdf_pages(data)
    elif kind == "html":
        document = extract_document(data, "text/html", "")
        title, pages = document.title, [document.text]
    elif kind == "docx":
        pages = _from_docx(data)
    else:
        pages = _from_text(data, markdown=kind == "markdown")
    if not any(page.strip() for page in pages):
        raise ExtractionError("no text found (a scanned PDF needs OCR first)")
    if not title:
        first = next(line for page in pages for line in page.split("\n") if line.strip())
        title = first[:200]
    language = guess_language("\n".join(pages)) or ""
    return LibraryText(title=title[:500], pages=pages, language=language, kind=kind)
