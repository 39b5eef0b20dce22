"""Benchmark: client CPU of the per-source statements and of reading one page, side by side.

    .venv/bin/python bench/bench_hot_path.py [--rounds 3] [--n 400]

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/factcheck_bench_hot,
dropped and re-created per run). No worker, no broker.

1. The same statement built by the ORM and by claims/sql (plain SQL), N times each, in
   alternating rounds: process CPU per statement (PostgreSQL's own CPU not included).
2. read_document over bench_discovery's pages and claims, alternating: the lexical model
   with the word-stem cache and with the uncached stemmer (`stem.__wrapped__`), then the
   shipped model with the sentence encoder (its vector cache emptied each round, the claim's
   vector computed once per claim as in a worker): CPU per page.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import harness

harness.configure(
    database="postgres://postgres@127.0.0.1:5432/factcheck_bench_hot", data_dir="bench-hot"
)

import bench_discovery  # noqa: E402 - after the environment above


def per_call_ms(fn, n: int) -> float:
    started = time.process_time()
    for i in range(n):
        fn(i)
    return (time.process_time() - started) / n * 1000


def statements(rounds: int, n: int) -> dict[str, dict[str, list[float]]]:
    from django.utils import timezone

    from claims import sql
    from claims.models import Claim, ClaimEvent, ResearchCandidate, Source
    from claims.selectors.sources import candidates_to_score
    from claims.services.articles import article_ingest_text

    claim = article_ingest_text(
        text=f"Buses\n\n{bench_discovery.claim_text(0)}\n", links=[], research=False
    ).claims.first()
    pending = {"claim": claim.pk, "state": ResearchCandidate.State.PENDING}
    source = Source.objects.create(url="https://a.example/x", domain="a.example")
    ResearchCandidate.objects.create(claim=claim, source=source, found_via="search")
    cases = {
        "the score task's candidates, claims and source": (
            lambda i: list(
                ResearchCandidate.objects.filter(source_id=source.pk, claim_id__in=[claim.pk])
                .order_by()
                .select_related("claim", "source")
            ),
            lambda i: candidates_to_score(source.pk, [claim.pk]),
        ),
        "insert a timeline event": (
            lambda i: ClaimEvent.objects.create(claim=claim, kind="evidence_found", message="m"),
            lambda i: sql.insert_row(
                ClaimEvent, {"claim": claim.pk, "kind": "evidence_found", "message": "m"}
            ),
        ),
        "update a candidate": (
            lambda i: ResearchCandidate.objects.filter(claim_id=claim.pk, source_id=i).update(
                state="done", error="", updated_at=timezone.now()
            ),
            lambda i: sql.update_rows(
                ResearchCandidate,
                {"claim": claim.pk, "source": i},
                {"state": "done", "error": "", "updated_at": timezone.now()},
            ),
        ),
        "is a candidate pending": (
            lambda i: ResearchCandidate.objects.filter(**pending).exists(),
            lambda i: sql.first_row(ResearchCandidate, ("id",), pending) is not None,
        ),
        "a claim's status": (
            lambda i: Claim.objects.filter(pk=claim.pk).values_list("status").first(),
            lambda i: sql.first_row(Claim, ("status",), {"id": claim.pk}),
        ),
    }
    out: dict[str, dict[str, list[float]]] = {}
    for _ in range(rounds):
        for name, (orm, plain) in cases.items():
            figures = out.setdefault(name, {"orm_ms": [], "plain_sql_ms": []})
            figures["orm_ms"].append(round(per_call_ms(orm, n), 3))
            figures["plain_sql_ms"].append(round(per_call_ms(plain, n), 3))
    return out


def reading(rounds: int) -> dict[str, list[float]]:
    from language import passages
    from language.embeddings import bundled_encoder
    from language.extraction import extract_article
    from language.reading import read_document
    from language.stance import use_sentence_encoder
    from worker.fetching import extract_document

    plan = bench_discovery.source_plan(400, 100)
    claims = {}
    for claim_index, _, _ in plan:
        if claim_index not in claims:
            text = bench_discovery.claim_text(claim_index)
            found = extract_article(f"Buses\n\n{text}\n").claims
            claim = next(c for c in found if "electric buses" in c.text)
            claims[claim_index] = (claim.text, claim.features())
    pages = [
        (
            claim_index,
            extract_document(
                bench_discovery.page_html(claim_index, number),
                "text/html; charset=utf-8",
                url.format(port=80),
            ).text,
        )
        for claim_index, number, url in plan
    ]
    cached, uncached = passages.stem, passages.stem.__wrapped__

    def run() -> float:
        started = time.process_time()
        for claim_index, text in pages:
            read_document(*claims[claim_index], text)
        return round((time.process_time() - started) / len(pages) * 1000, 2)

    encoder = bundled_encoder()  # loaded (and its weights checked) before anything is timed
    out: dict[str, list[float]] = {
        "uncached_stems_ms": [],
        "cached_stems_ms": [],
        "with_sentence_encoder_ms": [],
    }
    try:
        for _ in range(rounds):
            use_sentence_encoder(False)
            passages.stem = uncached
            out["uncached_stems_ms"].append(run())
            passages.stem = cached
            cached.cache_clear()  # each round starts cold, as a fresh worker does
            out["cached_stems_ms"].append(run())
            use_sentence_encoder(True)
            cached.cache_clear()
            encoder._cached.cache_clear()
            out["with_sentence_encoder_ms"].append(run())
    finally:
        passages.stem = cached
        use_sentence_encoder(True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--n", type=int, default=400, help="statements per case and round")
    args = parser.parse_args()
    harness.fresh_database(os.environ["DATABASE_URL"])
    harness.setup_django()
    figures = {
        "statement_cpu_per_call": statements(args.rounds, args.n),
        "read_document_cpu_per_page": reading(args.rounds),
        "machine": harness.machine(),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
