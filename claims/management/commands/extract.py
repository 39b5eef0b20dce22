"""`manage.py extract FILE [--json]`: run claim extraction on a file, store nothing."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

from django.core.management.base import CommandError

from claims.management.json_commands import JsonCommand
from language.extraction import extract_article


def read_text(path: str) -> str:
    """UTF-8 text of FILE or stdin (`-`); other encodings are decoded best-effort."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()  # noqa: SIM115
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is not None:
                return str(best)
        except ImportError:
            pass
        return data.decode("utf-8", errors="replace")


class Command(JsonCommand):
    json_flag = "json"

    help = "Extract check-worthy claims from a text file (or - for stdin) without storing them."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a UTF-8 text file, or - for stdin")
        parser.add_argument("--json", action="store_true", help="print a JSON list of claims")
        parser.add_argument("--threshold", type=float, default=0.5)

    def handle(self, *args, **options):
        text = read_text(options["file"])
        if not 0.0 <= options["threshold"] <= 1.0:
            raise CommandError("--threshold must be between 0 and 1")
        result = extract_article(text, threshold=options["threshold"])
        rows = [
            {
                "text": c.text,
                "start": c.start,
                "end": c.end,
                "score": c.score,
                "kind": c.kind,
                "quantities": [asdict(q) for q in c.quantities],
                "entities": [asdict(e) for e in c.entities],
            }
            for c in result.claims
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write(f"No claims found ({len(result.sentences)} sentences scored).")
            return
        self.stdout.write(f"{len(rows)} claims from {len(result.sentences)} sentences:")
        for i, c in enumerate(result.claims, 1):
            self.stdout.write(f"{i:3d}. [{c.score:.2f} {c.kind:<11}] {c.start}-{c.end} {c.text}")
