"""`manage.py library add PATH... [--collection NAME] [--json]`: documents into the library.

PATH is a file or a folder (read recursively; hidden files are skipped); a .zip adds its
members. The command returns once its documents are stored and searchable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.services.library import AddReport, library_add_files


def files_under(paths: list[str], report: AddReport) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each file named or found under a folder; unreadable ones reported."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.parts[-1:])
            )
        elif path.is_file():
            found = [path]
        else:
            report.failed += 1
            report.errors.append({"filename": raw, "error": "no such file or folder"})
            continue
        for file in found:
            try:
                data = file.read_bytes()
            except OSError as exc:
                report.failed += 1
                report.errors.append({"filename": file.name, "error": exc.strerror or str(exc)})
                continue
            yield file.name, data


class Command(BaseCommand):
    help = "The document library. `library add PATH...` stores and indexes documents."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add files or folders (PDF, HTML, DOCX, text, Markdown)")
        add.add_argument("paths", nargs="+", metavar="PATH")
        add.add_argument("--collection", default="", help="the collection to add them to")
        add.add_argument("--json", action="store_true", help="print the outcome as JSON")

    def handle(self, *args, **options):
        if options["action"] != "add":
            raise CommandError(f"unknown action {options['action']!r}")
        unreadable = AddReport()
        report = library_add_files(
            files=files_under(options["paths"], unreadable), collection=options["collection"]
        )
        report.failed += unreadable.failed
        report.errors = unreadable.errors + report.errors
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            return
        for document in report.documents:
            self.stdout.write(
                f"{document.pk}\t{document.filename}\t{document.pages} page(s)\t"
                f"{document.language or '?'}\t{document.title}"
            )
        for error in report.errors:
            self.stderr.write(f"{error['filename']}: {error['error']}")
        self.stdout.write(f"added {report.added}, skipped {report.skipped}, failed {report.failed}")
