"""WARC records of a bundle, written with warcio, and their CDXJ index (cdxj-indexer)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from cdxj_indexer.main import write_cdx_index
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_FILENAME = "data.warc.gz"
# The stored body is decoded (no gzip, no chunks): these headers would misdescribe it.
_DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass
class WebCapture:
    """One fetched snapshot: what its request and response records need."""

    url: str
    fetched_at: dt.datetime
    status: int
    reason: str
    request_headers: list[tuple[str, str]]
    response_headers: list[tuple[str, str]]
    body: bytes
    ip_address: str = ""


@dataclass
class StoredResource:
    """A resource record: a library document's bytes, or the bundle's manifest."""

    uri: str
    created_at: dt.datetime
    content_type: str
    body: bytes
    extra_headers: dict[str, str] = field(default_factory=dict)


def _warc_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _write_capture(writer: WARCWriter, capture: WebCapture) -> None:
    headers = [(k, v) for k, v in capture.response_headers if k.lower() not in _DROPPED_HEADERS]
    headers.append(("Content-Length", str(len(capture.body))))
    status_line = f"{capture.status} {capture.reason or 'OK'}".strip()
    warc_headers = {"WARC-Date": _warc_date(capture.fetched_at)}
    if capture.ip_address:
        warc_headers["WARC-IP-Address"] = capture.ip_address
    response = writer.create_warc_record(
        capture.url,
        "response",
        payload=io.BytesIO(capture.body),
        length=len(capture.body),
        warc_headers_dict=warc_headers,
        http_headers=StatusAndHeaders(status_line, headers, protocol="HTTP/1.1"),
    )
    request_headers = capture.request_headers or [("Host", urlsplit(capture.url).netloc)]
    request = writer.create_warc_record(
        capture.url,
        "request",
        payload=io.BytesIO(b""),
        length=0,
        warc_headers_dict={
            "WARC-Date": _warc_date(capture.fetched_at),
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
        },
        http_headers=StatusAndHeaders(
            f"GET {_request_target(capture.url)} HTTP/1.1",
            request_headers,
            is_http_request=True,
        ),
    )
    writer.write_record(response)
    writer.write_record(request)


def _write_resource(writer: WARCWriter, resource: StoredResource) -> None:
    record = writer.create_warc_record(
        resource.uri,
        "resource",
        payload=io.BytesIO(resource.body),
        length=len(resource.body),
        warc_content_type=resource.content_type,
        warc_headers_dict={"WARC-Date": _warc_date(resource.created_at), **resource.extra_headers},
    )
    writer.write_record(record)


def write_warc(
    captures: list[WebCapture], resources: list[StoredResource], *, software: str
) -> bytes:
    """A gzipped WARC file: a warcinfo record, then every capture and resource."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(
        writer.create_warcinfo_record(
            WARC_FILENAME, {"software": software, "format": "WARC File Format 1.1"}
        )
    )
    for capture in captures:
        _write_capture(writer, capture)
    for resource in resources:
        _write_resource(writer, resource)
    return out.getvalue()


def cdxj_index(warc: bytes) -> bytes:
    """The sorted CDXJ index of a WARC file, its records named as in the WACZ."""
    out = io.StringIO()
    write_cdx_index(out, [io.BytesIO(warc)], {"sort": True, "filename": WARC_FILENAME})
    return out.getvalue().encode("utf-8")
