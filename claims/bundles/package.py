"""The WACZ zip (WACZ 1.1.1): archive/, indexes/, pages/, the manifest, datapackage.json."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

from .records import WARC_FILENAME, cdxj_index

WACZ_VERSION = "1.1.1"
MANIFEST_PATH = "evidence/manifest.json"


@dataclass
class Page:
    url: str
    fetched_at: dt.datetime
    title: str


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _pages_jsonl(pages: list[Page]) -> bytes:
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": "Cited sources"}]
    lines += [
        {
            "url": page.url,
            "ts": _timestamp(page.fetched_at),
            "title": page.title or page.url,
        }
        for page in pages
    ]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()


def _resource(path: str, data: bytes) -> dict[str, object]:
    return {
        "name": path.rsplit("/", 1)[-1].lower(),
        "path": path,
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }


def write_wacz(
    *,
    warc: bytes,
    pages: list[Page],
    manifest: dict[str, object],
    title: str,
    software: str,
    created: dt.datetime,
) -> bytes:
    """The WACZ file's bytes. The WARC is stored uncompressed in the zip (it is gzipped)."""
    files = {
        f"archive/{WARC_FILENAME}": warc,
        "indexes/index.cdx": cdxj_index(warc),
        "pages/pages.jsonl": _pages_jsonl(pages),
        MANIFEST_PATH: json.dumps(manifest, ensure_ascii=False, indent=2).encode(),
    }
    package: dict[str, object] = {
        "profile": "data-package",
        "title": title,
        "resources": [_resource(path, data) for path, data in files.items()],
        "created": _timestamp(created),
        "wacz_version": WACZ_VERSION,
        "software": software,
    }
    if pages:
        package["mainPageURL"] = pages[0].url
        package["mainPageDate"] = _timestamp(pages[0].fetched_at)
    datapackage = json.dumps(package, indent=2).encode()
    digest = json.dumps(
        {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(datapackage).hexdigest()},
        indent=2,
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path, data in files.items():
            stored = path.startswith("archive/")
            archive.writestr(
                zipfile.ZipInfo(path, created.timetuple()[:6]),
                data,
                compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
            )
        for path, data in (("datapackage.json", datapackage), ("datapackage-digest.json", digest)):
            archive.writestr(
                zipfile.ZipInfo(path, created.timetuple()[:6]), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()
