"""python manage.py ingest SOURCE [--title T] [--no-discover] [--wait] [--json] [--strict]"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from claims.management.json_commands import JsonCommand, ReportedFailure
from claims.selectors.article import ArticleProgress, article_progress
from claims.selectors.reports import article_report
from claims.services.articles import article_ingest_text, decode_article_bytes
from worker.fetching import FetchError
from worker.ingest import ingest_url_now


class Command(JsonCommand):
    help = "Ingest an article from a file, a URL or '-' (stdin): store it and extract its claims."

    def add_arguments(self, parser):
        parser.add_argument("source", help="a path, an http(s) URL, or - for standard input")
        parser.add_argument("--title", default="")
        parser.add_argument(
            "--no-discover", action="store_true", help="do not queue source discovery"
        )
        parser.add_argument(
            "--wait", action="store_true", help="wait until discovery has finished (needs a worker)"
        )
        parser.add_argument("--timeout", type=float, default=600.0, help="seconds --wait waits")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print the result as JSON"
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="exit non-zero when research had problems (a search provider failed)",
        )

    def handle(
        self,
        *args,
        source: str,
        title: str,
        no_discover: bool,
        wait: bool,
        timeout: float,
        as_json: bool,
        strict: bool = False,
        **options,
    ):
        research = not no_discover
        try:
            if source.startswith(("http://", "https://")):
                article = ingest_url_now(source, title=title, research=research)
            else:
                data = self._read(source)
                article = article_ingest_text(
                    text=decode_article_bytes(data), title=title, research=research
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except FetchError as exc:
            raise CommandError(f"Could not fetch {source}: {exc.reason}") from exc

        if wait and research:
            deadline = time.monotonic() + timeout
            show = sys.stderr.isatty()
            while article_progress(article=article).researching and time.monotonic() < deadline:
                if show:
                    sys.stderr.write("\r" + progress_line(article_progress(article=article)))
                    sys.stderr.flush()
                time.sleep(0.5)
            if show:
                sys.stderr.write("\r" + progress_line(article_progress(article=article)) + "\n")
            if article_progress(article=article).researching:
                raise CommandError(
                    f"Discovery did not finish within {timeout:.0f}s; is a worker running? "
                    f"(article {article.pk} is stored)"
                )
        report = article_report(article)
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self._print(article, report)
        if strict and report["warnings"]:
            raise ReportedFailure(
                f"Research had problems ({len(report['warnings'])} warning(s)); "
                f"article {article.pk} is stored.",
                returncode=2,
            )

    def _print(self, article, report: dict) -> None:
        self.stdout.write(f"Article {article.pk}: {article.title}")
        for claim in report["claims"]:
            head = f"  [{claim['score']:.2f}] {claim['kind']:<11} {claim['status']:<13}"
            self.stdout.write(f"{head} {claim['text']}")
            for item in claim["evidence"]:
                stance = item["stance"] or "unread"
                self.stdout.write(f"      {stance:<11} {item['url']}  {item['reason']}")
        self.stdout.write(f"{len(report['claims'])} claim(s).")
        for warning in report["warnings"]:
            claims = ", ".join(str(i) for i in warning["claims"])
            self.stderr.write(
                f"Warning: search unavailable: {warning['provider']} — {warning['error']} "
                f"(claims {claims})"
            )

    def _read(self, source: str) -> bytes:
        if source == "-":
            return sys.stdin.buffer.read()
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"No such file: {source}")
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {source}: {exc}") from exc


def progress_line(progress: ArticleProgress, width: int = 30) -> str:
    """[#########.........] 12/22 claims researched, 30/45 sources fetched"""
    filled = int(width * progress.researched / (progress.claims or 1))
    return (
        f"[{'#' * filled}{'.' * (width - filled)}] "
        f"{progress.researched}/{progress.claims} claims researched, "
        f"{progress.sources_fetched}/{progress.sources} sources fetched"
    )
