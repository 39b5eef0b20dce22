"""python manage.py factchecks import FILE_OR_URL [--json]

Reads published fact-checks (schema.org ClaimReview as JSON-LD in a page or a file, a list
or a DataFeed; or the Fact Check Tools API's JSON) and stores them as FactCheck records,
matched to the stored claims. A URL is fetched through the safe fetcher (worker.fetching),
which is why the command lives in worker/. With --json an error is JSON too
({"error", "code"}).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from claims.management.json_commands import JsonCommand
from claims.services.factchecks import factchecks_import
from language.claimreview import ClaimReviewError, parse_reviews
from worker.fetching import FetchError, fetch

MAX_FILE_BYTES = 50 * 1024 * 1024
_MEDIA_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "application/json", "application/ld+json"}
)


class Command(JsonCommand):
    help = "Import published fact-checks (ClaimReview) from a file or a URL."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        importing = sub.add_parser("import", help="import fact-checks from a file or a URL")
        importing.add_argument("source", help="a path or an http(s) URL")
        importing.add_argument(
            "--json", dest="as_json", action="store_true", help="print the result as JSON"
        )

    def handle(self, *args, action: str, source: str, as_json: bool, **options):
        data = self._read(source)
        try:
            reviews = parse_reviews(data)
        except ClaimReviewError as exc:
            raise CommandError(f"{source}: {exc}") from exc
        result = {"source": source, "found": len(reviews), **factchecks_import(reviews=reviews)}
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"{result['found']} fact-checks in {source}: {result['created']} new, "
            f"{result['updated']} updated; {result['matched_claims']} claim matches"
        )

    def _read(self, source: str) -> bytes:
        if source.startswith(("http://", "https://")):
            try:
                return fetch(source, accept_types=_MEDIA_TYPES).body
            except FetchError as exc:
                raise CommandError(f"Could not fetch {source}: {exc.reason}") from exc
        path = Path(source)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{source} is larger than {MAX_FILE_BYTES // 2**20} MB")
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(f"{source}: no such file") from exc
        except IsADirectoryError as exc:
            raise CommandError(f"{source} is a directory") from exc
        except OSError as exc:
            raise CommandError(f"cannot read {source}: {exc.strerror or exc}") from exc
