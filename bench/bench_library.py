"""Benchmark: library search over 10,000 documents (~100,000 passages), per claim.

    .venv/bin/python bench/bench_library.py --engine postgres [--documents 10000] [--reuse]
    .venv/bin/python bench/bench_library.py --engine sqlite   [--documents 10000] [--reuse]

1. Builds --documents synthetic documents (seed 42) of 16 paragraphs (about ten passages)
   from the sentences of the seed article and tests/data/extraction_news_*.txt, numbers
   re-drawn, each paragraph with a made-up designation ("XK-412B"), one in eight documents French
   (the article's sentences are English; the French ones are a fixed set below), and adds
   them through the real service (`library_add_files`: read, cut, index). PostgreSQL:
   a fresh database factcheck_bench_library; SQLite: var/bench-library/db.sqlite3.
   --reuse keeps an existing library of the right size.
2. PostgreSQL: ANALYZE the passages (autovacuum would), so the search knows which words
   are everywhere. Times, per claim, what the `library` provider does for it: every query of
   language.queries.build_queries through library_search(limit=5). The claims are those
   extracted from tests/data/extraction_news_*.txt and the seed article.

Prints one JSON line: passages, ingest seconds, median / p95 / max ms per claim.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

import harness  # the bench folder is the script's own

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = "postgres://postgres@127.0.0.1:5432/factcheck_bench_library"
FRENCH = [
    "Le ministère de la Défense a confirmé la livraison de 48 obusiers automoteurs à l'armée.",
    "Selon le rapport annuel, les dépenses militaires ont augmenté de 18 % en 2025.",
    "La coopération avec la Serbie comprend la formation des équipages et des munitions.",
    "Les systèmes de défense aérienne ont été modernisés dans le cadre d'un contrat pluriannuel.",
    "Le gouvernement a annoncé un nouveau programme de drones d'attaque pour les brigades.",
    "Les exercices conjoints ont eu lieu près de la frontière au mois de septembre.",
]


def configure(engine: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    if engine == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
        os.environ["FACTCHECK_DATA_DIR"] = str(ROOT / "var" / "bench")
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["FACTCHECK_DATA_DIR"] = str(ROOT / "var" / "bench-library")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def sentence_pool() -> list[str]:
    from language.extraction.segmentation import segment

    texts = [(ROOT / "claims" / "demo" / "article.txt").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data").glob("*.txt"))]
    return [
        " ".join(s.text.split())
        for text in texts
        for s in segment(text)
        if not (s.is_heading or s.is_furniture) and len(s.text.split()) >= 6
    ]


def make_documents(n: int, seed: int = 42) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    pool = sentence_pool()
    letters = "ABCDEFGHKLMNPRSTVXZ"
    documents = []
    for index in range(n):
        french = index % 8 == 7
        paragraphs = [f"Report {index}"]
        for _ in range(16):
            sentences = [
                re.sub(
                    r"\d+",
                    lambda m: str(rng.randint(2, 999)),
                    rng.choice(FRENCH if french else pool),
                )
                for _ in range(rng.randint(3, 5))
            ]
            designation = (
                f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randint(10, 999)}"
                f"{rng.choice(letters)}"
            )
            paragraphs.append(" ".join(sentences) + f" ({designation})")
        documents.append((f"doc-{index:05d}.txt", "\n\n".join(paragraphs).encode()))
    return documents


def claim_texts() -> list[tuple[str, str, dict]]:
    from language.extraction import extract_article

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data").glob("*.txt"))]
    texts.append((ROOT / "claims" / "demo" / "article.txt").read_text(encoding="utf-8"))
    claims = []
    for text in texts:
        for claim in extract_article(text).claims:
            claims.append((claim.text, claim.kind, claim.features()))
    return claims


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["postgres", "sqlite"], required=True)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    configure(args.engine)
    if args.engine == "postgres" and not args.reuse:
        harness.fresh_database(PG_URL)
    if args.engine == "sqlite" and not args.reuse:
        (ROOT / "var" / "bench-library" / "db.sqlite3").unlink(missing_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    from claims.models import Document, Passage
    from claims.selectors.library import library_search
    from claims.services.library import library_add_files
    from language.queries import build_queries

    call_command("migrate", verbosity=0)
    ingest_seconds = None
    if Document.objects.count() != args.documents:
        documents = make_documents(args.documents)
        started = time.perf_counter()
        report = library_add_files(files=documents, collection="bench")
        ingest_seconds = round(time.perf_counter() - started, 1)
        assert report.failed == 0, report.errors[:3]

    if args.engine == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:  # what autovacuum does after a large import
            cursor.execute("ANALYZE claims_passage")
    claims = claim_texts()
    for text, kind, features in claims[:3]:  # warm-up: caches, lazy tables
        for query in build_queries(text, kind, features):
            library_search(query, limit=5)
    per_claim = []
    found = 0
    for text, kind, features in claims:
        started = time.perf_counter()
        hits = 0
        for query in build_queries(text, kind, features):
            hits += len(library_search(query, limit=5))
        per_claim.append((time.perf_counter() - started) * 1000)
        found += hits > 0
    per_claim.sort()
    print(
        json.dumps(
            {
                "engine": args.engine,
                "documents": Document.objects.count(),
                "passages": Passage.objects.count(),
                "ingest_seconds": ingest_seconds,
                "claims": len(claims),
                "claims_with_hits": found,
                "ms_per_claim_median": round(statistics.median(per_claim), 1),
                "ms_per_claim_p95": round(per_claim[int(len(per_claim) * 0.95) - 1], 1),
                "ms_per_claim_max": round(per_claim[-1], 1),
                **harness.machine(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
