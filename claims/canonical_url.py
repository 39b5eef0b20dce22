"""One canonical spelling per source URL, so a source is fetched once however many claims cite it.

Pure Python (no Django): the domain app and the fetch workers both import it.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

try:  # UTS #46 mapping (what browsers do); the stdlib codec only knows IDNA 2003.
    import idna as _idna
except ImportError:  # pragma: no cover - idna ships with requests
    _idna = None

__all__ = ["TRACKING_PARAMS", "TRACKING_PREFIXES", "InvalidPort", "canonicalize_url"]

DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that only say who sent the reader, never which document they get.
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs", "ga_")
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_conv",
        "vero_id",
        "wickedid",
        "rb_clickid",
        "s_cid",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "ncid",
        "sr_share",
        "spm",
        "share",
        "smid",
        "at_medium",
        "at_campaign",
        "ocid",
    }
)

# Characters left as they are in a path; everything else is percent-encoded once.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "/?:@!$'()*+,;=-._~%"
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


class InvalidPort(ValueError):
    """The address names a port no server can listen on (not 1-65535, or not a number)."""


def _port(parts) -> int | None:
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidPort(
            f"invalid port in {parts.netloc!r}: use a number from 1 to 65535"
        ) from exc
    if port == 0:
        raise InvalidPort(f"invalid port in {parts.netloc!r}: use a number from 1 to 65535")
    return port


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _normalize_percent(match: re.Match[str]) -> str:
    # %7E and %7e both mean "~": decode unreserved characters, upper-case the rest.
    char = chr(int(match.group(0)[1:], 16))
    return char if char in _UNRESERVED else match.group(0).upper()


def _encode_host(host: str) -> str:
    host = host.rstrip(".").lower()
    if not host or host.isascii():
        return host
    if _idna is not None:
        try:
            return _idna.encode(host, uts46=True).decode("ascii")
        except _idna.IDNAError:
            pass
    return host.encode("idna").decode("ascii")


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on whole segments."""
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
            continue
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
            continue
        output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") else "/" + result


def _normalize_path(path: str) -> str:
    if not path:
        return "/"
    path = quote(path, safe=_PATH_SAFE)
    path = _PERCENT.sub(_normalize_percent, path)
    return _remove_dot_segments(path)


def _normalize_query_items(query: str) -> list[str]:
    # Items stay as written ("a" and "a=" differ for some servers); only their
    # percent-encoding is normalised and tracking parameters are dropped.
    items = []
    for item in query.split("&"):
        if not item:
            continue
        name = unquote_plus(item.split("=", 1)[0])
        if _is_tracking(name):
            continue
        item = quote(item, safe=_QUERY_SAFE)
        items.append(_PERCENT.sub(_normalize_percent, item))
    return items


def canonicalize_url(url: str) -> str:
    """Return the canonical form of an http(s) URL.

    Lower-cases scheme and host, IDNA-encodes the host, drops the default port, the
    fragment, user info and tracking parameters, sorts the remaining query parameters,
    removes dot segments and turns an empty path into "/". Other schemes come back
    stripped of surrounding whitespace only. An invalid port raises InvalidPort (a
    ValueError): dropping it would name another address.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return url
    host = _encode_host(parts.hostname or "")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = _port(parts)
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"

    query = "&".join(sorted(_normalize_query_items(parts.query)))
    path = _normalize_path(parts.path)
    return urlunsplit((scheme, netloc, path, query, ""))
