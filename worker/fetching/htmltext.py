"""Main text, metadata and outbound links of an HTML page.

trafilatura finds the article among navigation, ads and comments; when it gives up
(very short or odd pages) a BeautifulSoup pass over <article>/<main> takes over. That pass
walks the tree once, never into a subtree it removed, so its cost is linear in the page
however deep the markup nests; it checks the document's time budget as it goes (a page
over the budget raises TooComplex, recorded as a failed fetch).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import trafilatura
from bs4 import BeautifulSoup, Tag
from lxml import html as lxml_html

from claims.canonical_url import canonicalize_url
from language.detect import normalize_language

from .budget import ExtractionBudget

logger = logging.getLogger(__name__)

# trafilatura's output tree: these elements hold one paragraph of text each.
_BLOCK_TAGS = frozenset({"head", "p", "item", "quote", "code", "row"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"comment|advert|\bad\b|\bads\b|banner|cookie|related|share|social|promo|newsletter|"
    r"subscribe|sidebar|footer|header|\bnav|menu|breadcrumb|most-read|popular",
    re.IGNORECASE,
)
_FALLBACK_BLOCKS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td"}
)


@dataclass
class HtmlParts:
    title: str = ""
    publisher: str = ""
    author: str = ""
    date: str = ""  # ISO date as trafilatura gives it
    text: str = ""
    links: list[str] = field(default_factory=list)
    language: str | None = None


def charset_of(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def decode_text(body: bytes, declared: str | None, *, sniff_meta: bool = False) -> str:
    """Decode with the declared charset when it fits, else detect it.

    A declared charset that fails to decode is a lie (common with old CMSs): the bytes win.
    """
    candidates = [declared] if declared else []
    if sniff_meta:
        match = _META_CHARSET.search(body[:4096])
        if match:
            candidates.append(match.group(1).decode("ascii", "ignore"))
    if body.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    candidates.append("utf-8")
    for charset in candidates:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        return body.decode(best.encoding, errors="replace")
    return body.decode("cp1252", errors="replace")


def clean_paragraph(text: str) -> str:
    return " ".join(text.split())


def _canonical(url: str) -> str:
    """The canonical URL, or "" for one with an invalid port (a link we will not follow)."""
    try:
        return canonicalize_url(url)
    except ValueError:
        return ""


def outbound_links(targets: list[str], page_url: str) -> list[str]:
    """Absolute, canonical, de-duplicated http(s) links, without the page itself."""
    own = _canonical(page_url) if page_url else ""
    seen: dict[str, None] = {}
    for target in targets:
        target = (target or "").strip()
        if not target or target.startswith("#"):
            continue
        try:
            absolute = urljoin(page_url, target) if page_url else target
            if urlsplit(absolute).scheme.lower() not in ("http", "https"):
                continue
        except ValueError:  # a link urlsplit cannot read
            continue
        canonical = _canonical(absolute)
        if canonical and canonical != own:
            seen.setdefault(canonical, None)
    return list(seen)


def _declared_language(markup: str) -> str | None:
    try:
        tree = lxml_html.fromstring(markup[:200_000])
    except (ValueError, lxml_html.etree.ParserError):
        return None
    root = tree.getroottree().getroot()
    for value in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        *root.xpath(
            "//meta[translate(@http-equiv,'CONTENTLAG','contentlag')='content-language']/@content"
        ),
        *root.xpath("//meta[@property='og:locale']/@content"),
    ):
        language = normalize_language(value)
        if language:
            return language
    return None


def _with_trafilatura(markup: str, url: str) -> HtmlParts | None:
    try:
        document = trafilatura.bare_extraction(
            markup,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_links=True,
            include_tables=True,
        )
    except Exception:  # trafilatura raises odd things on odd markup
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        return None
    if document is None or document.body is None:
        return None
    body = document.body
    links = [ref.get("target", "") for ref in body.iter("ref")]
    paragraphs = []
    for element in body.iter():
        if element.tag not in _BLOCK_TAGS:
            continue
        if any(parent.tag in _BLOCK_TAGS for parent in element.iterancestors()):
            continue  # its text is in the enclosing block already
        paragraph = clean_paragraph("".join(element.itertext()))
        if paragraph:
            paragraphs.append(paragraph)
    text = "\n".join(paragraphs)
    if not text.strip():
        return None
    return HtmlParts(
        title=document.title or "",
        publisher=document.sitename or "",
        author=document.author or "",
        date=document.date or "",
        text=text,
        links=links,
    )


_DROPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "form",
        "nav",
        "header",
        "footer",
        "aside",
        "button",
    }
)
_NEVER_BOILERPLATE = frozenset({"html", "body", "article", "main"})
_CHECK_EVERY = 256  # elements between two looks at the budget


def _is_boilerplate(tag: Tag) -> bool:
    if tag.name in _DROPPED_TAGS:
        return True
    if tag.name in _NEVER_BOILERPLATE:
        return False
    marks = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(marks.strip() and _BOILERPLATE.search(marks))


def _prune(root: Tag, budget: ExtractionBudget) -> None:
    """Removes scripts, navigation and boilerplate blocks: one walk, never into a removed
    subtree, so the cost is linear in the page however deep it nests."""
    stack, seen = [root], 0
    while stack:
        tag = stack.pop()
        for child in list(tag.children):
            if not isinstance(child, Tag):
                continue
            seen += 1
            if seen % _CHECK_EVERY == 0:
                budget.check()
            if _is_boilerplate(child):
                child.decompose()
            else:
                stack.append(child)


def _outer_blocks(container: Tag, budget: ExtractionBudget) -> list[str]:
    """The text of each outermost paragraph-like block, in document order (linear)."""
    paragraphs: list[str] = []
    stack, seen = [container], 0
    while stack:
        tag = stack.pop()
        seen += 1
        if seen % _CHECK_EVERY == 0:
            budget.check()
        if tag is not container and tag.name in _FALLBACK_BLOCKS:
            paragraph = clean_paragraph(tag.get_text(" "))
            if paragraph:
                paragraphs.append(paragraph)
            continue  # its inner blocks are in its text already
        stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))
    return paragraphs


def _with_soup(markup: str, budget: ExtractionBudget) -> HtmlParts:
    soup = BeautifulSoup(markup, "lxml")
    budget.check()
    title = ""
    og_title = soup.find("meta", attrs={"property": "og:title"})
    if og_title and og_title.get("content"):
        title = str(og_title["content"])
    elif soup.title and soup.title.string:
        title = str(soup.title.string)
    site = soup.find("meta", attrs={"property": "og:site_name"})
    author = soup.find("meta", attrs={"name": "author"})
    _prune(soup, budget)
    container = soup.find("article") or soup.find("main") or soup.body or soup
    paragraphs = _outer_blocks(container, budget)
    if not paragraphs:
        paragraphs = [p for p in map(clean_paragraph, container.get_text("\n").split("\n")) if p]
    return HtmlParts(
        title=clean_paragraph(title),
        publisher=str(site.get("content", "")) if site else "",
        author=str(author.get("content", "")) if author else "",
        text="\n".join(paragraphs),
        links=[str(a.get("href", "")) for a in container.find_all("a", href=True)],
    )


def extract_html(
    body: bytes, content_type: str, url: str, budget: ExtractionBudget | None = None
) -> HtmlParts:
    """Raises TooComplex when reading the page takes longer than its budget."""
    budget = budget or ExtractionBudget()
    markup = _XML_DECLARATION.sub("", decode_text(body, charset_of(content_type), sniff_meta=True))
    parts = _with_trafilatura(markup, url)
    budget.check()
    parts = parts or _with_soup(markup, budget)
    budget.check()
    parts.links = outbound_links(parts.links, url)
    parts.language = _declared_language(markup)
    return parts
