"""Benchmark: server time and query count of the reviewer pages on a large database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench_ui \
        .venv/bin/python bench/bench_ui.py [--scales 10000,100000] [--requests 30] [--reuse]

For each scale (number of claims) it creates and migrates the database when missing,
fills it with bench/datagen.py (100 claims per article, 20,000 sources, 5 evidence per
claim), signs a reviewer in with django.test.Client and requests every page below
--requests times (after 3 warm-up requests), rotating over 30 different articles or
claims where the page is per object. Server time is the wall time of Client.get in this
process: URL routing, middleware, session, queries over a local PostgreSQL socket,
template rendering. The query count of each page is taken in a separate pass with
CaptureQueriesContext. --reuse measures the data already in the database (one scale).

Prints one JSON line per page and scale, then a Markdown table of the figures. The
Python CPU column is this process's CPU time per request (median): the part of the server
time that does not depend on PostgreSQL or on other load on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import datagen  # noqa: E402 - needs the path above
import harness  # noqa: E402

WARMUP = 3
# Indexes proposed for the models (not in the migrations yet): --proposed-indexes creates
# them in the benchmark database only, to measure what they change.
PROPOSED_INDEXES = {
    "bench_claim_score_idx": "ON claims_claim (score DESC, id)",
    "bench_evidence_claim_stance_idx": "ON claims_evidence (claim_id, stance)",
}


def set_proposed_indexes(enabled: bool) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for name, definition in PROPOSED_INDEXES.items():
            if enabled:
                cur.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")
            else:
                cur.execute(f"DROP INDEX IF EXISTS {name}")
        if enabled:
            cur.execute("ANALYZE claims_claim")
            cur.execute("ANALYZE claims_evidence")


def _machine() -> str:
    info = harness.machine()
    return f"{info['nproc']} CPUs, {info['cpu']}, Python {info['python']}"


def _samples(user) -> dict[str, list[int]]:
    """30 articles, 30 reviewed claims and 30 researching claims, spread over the data."""
    from claims.models import Article, Claim

    def spread(ids: list[int], n: int = 30) -> list[int]:
        step = max(1, len(ids) // n)
        return ids[::step][:n]

    reviewed = ("verified", "disputed", "unverifiable")
    return {
        "newest_article": [Article.objects.order_by("-created_at").values_list("pk", flat=True)[0]],
        "articles": spread(list(Article.objects.order_by("pk").values_list("pk", flat=True))),
        "reviewed": spread(
            list(
                Claim.objects.filter(status__in=reviewed)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        ),
        "researching": spread(
            list(
                Claim.objects.filter(status="researching")
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        ),
    }


def _pages(samples: dict[str, list[int]]) -> dict[str, list[str]]:
    """Page name → the URLs to rotate over."""
    article = samples["newest_article"][0]  # the queue's article menu lists recent ones
    return {
        "queue (default filters)": ["/queue/"],
        "queue: any status, anyone": ["/queue/?status=all&assignee=any"],
        "queue: mine": ["/queue/?assignee=mine"],
        "queue: contradicted, with evidence": ["/queue/?stance=contradicts&has_evidence=yes"],
        "queue: score ≥ 0.9, anyone": ["/queue/?min_score=0.9&assignee=any"],
        "queue: without evidence": ["/queue/?has_evidence=no&status=all&assignee=any"],
        "queue: one article": [f"/queue/?article={article}&status=all&assignee=any"],
        "queue: page 100": ["/queue/?status=all&assignee=any&page=100"],
        "articles (page 1)": ["/"],
        "articles (page 20)": ["/?page=20"],
        "article page": [f"/articles/{pk}/" for pk in samples["articles"]],
        "article progress (polled)": [f"/articles/{pk}/progress" for pk in samples["articles"]],
        "claim page (reviewed)": [f"/claims/{pk}/" for pk in samples["reviewed"]],
        "claim page (researching)": [f"/claims/{pk}/" for pk in samples["researching"]],
        "evidence partial (polled)": [f"/claims/{pk}/evidence" for pk in samples["researching"]],
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def measure(client, urls: list[str], requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:WARMUP]:
        client.get(url)
    times, cpu = [], []
    for i in range(requests):
        url = urls[i % len(urls)]
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    counts = []
    slowest = ("", 0.0)
    for url in urls[:3]:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts.append(len(captured))
        for query in captured.captured_queries:
            if float(query["time"]) > slowest[1]:
                slowest = (query["sql"][:300], float(query["time"]))
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
        "python_cpu_median_ms": round(statistics.median(cpu), 1),
        "queries": max(counts),
        "queries_min": min(counts),
        "slowest_sql_ms": round(slowest[1] * 1000, 1),
        "slowest_sql": slowest[0],
    }


def run_scale(claims: int | None, requests: int, indexes: bool = False) -> dict[str, dict]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from claims.models import Claim, Evidence

    if claims is not None:
        datagen.generate(claims=claims, log=lambda m: print(f"  datagen: {m}", flush=True))
    set_proposed_indexes(indexes)
    connection.close()
    user = User.objects.get(username=datagen.BENCH_USER)
    client = Client()
    client.force_login(user)
    samples = _samples(user)
    n_claims, n_evidence = Claim.objects.count(), Evidence.objects.count()
    results = {}
    for name, urls in _pages(samples).items():
        figures = measure(client, urls, requests)
        figures.update(page=name, claims=n_claims, evidence=n_evidence)
        print(json.dumps(figures, ensure_ascii=False), flush=True)
        results[name] = figures
    return results


def table(runs: dict[int, dict[str, dict]]) -> str:
    scales = list(runs)
    head = "| page | " + " | ".join(
        f"{s:,} claims: median / p95 ms | queries" for s in scales
    ).replace(": median", " median")
    head += " | Python CPU ms (last scale)"
    lines = [head, "|---|" + "---:|---:|" * len(scales) + "---:|"]
    for page in runs[scales[0]]:
        cells = []
        for s in scales:
            f = runs[s][page]
            cells.append(f"{f['median_ms']} / {f['p95_ms']} | {f['queries']}")
        cells.append(str(runs[scales[-1]][page]["python_cpu_median_ms"]))
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10000,100000", help="claims per run, comma-separated")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="measure the data already there")
    parser.add_argument(
        "--proposed-indexes",
        action="store_true",
        help="create the indexes proposed for the models first (dropped otherwise)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", datagen.DEFAULT_DATABASE_URL)
    harness.ensure_database(url)
    datagen.setup_django(url)
    datagen.migrate()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"# {_machine()}, {dt.date.today().isoformat()}, load average {load}", flush=True)
    if args.proposed_indexes:
        print("# with the proposed indexes: " + "; ".join(PROPOSED_INDEXES.values()))
    runs: dict[int, dict[str, dict]] = {}
    if args.reuse:
        from claims.models import Claim

        runs[Claim.objects.count()] = run_scale(None, args.requests, args.proposed_indexes)
    else:
        for scale in (int(s) for s in args.scales.split(",")):
            print(f"## {scale:,} claims", flush=True)
            runs[scale] = run_scale(scale, args.requests, args.proposed_indexes)
    print()
    print(table(runs))
    print(f"\nload average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
