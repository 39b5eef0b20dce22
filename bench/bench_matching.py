"""Benchmark: claim matching at ingest against 100,000 stored claims on PostgreSQL.

    .venv/bin/python bench/bench_matching.py [--claims 100000] [--factchecks 5000] [--queries 300]

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/factcheck_bench_matching,
dropped, re-created and migrated per run). No worker, no broker, no network.

Stores --claims synthetic procurement and economy claims (100 per article; 60 countries,
80 systems, figures, years; matching keys computed as ingestion does) and --factchecks
fact-checks, ANALYZEs, then matches --queries new claims one at a time with
claims.services.matching.claims_match (what ingestion runs): half re-state a stored claim
(reordered, another language, rounded), half are new. Prints wall-clock ms per claim
(median, p95, max), the candidates the full-text index gave and the share of re-statements
whose stored claim came back as the top match.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck_bench_matching")

import harness  # noqa: E402 - needs the path above


def _words(spaced: str) -> list[str]:
    return spaced.split()


COUNTRIES = _words(
    "Azerbaijan Armenia Serbia India Israel Turkey Russia Georgia Greece France Pakistan Poland "
    "Ukraine Hungary Romania Bulgaria Croatia Kazakhstan Uzbekistan Egypt Morocco Algeria "
    "Nigeria Brazil Chile Peru Indonesia Vietnam Thailand Malaysia Philippines Japan Germany "
    "Italy Spain Portugal Norway Sweden Finland Denmark Netherlands Belgium Austria Czechia "
    "Slovakia Slovenia Estonia Latvia Lithuania Belarus Moldova Jordan Qatar Kuwait Oman "
    "Bahrain Iraq Iran Syria Lebanon"
)
SYSTEMS = [
    f"{name}-{n}"
    for name in ("Nora B", "JF", "S", "Su", "Mi", "T", "K", "F", "Tor M", "FK")
    for n in (2, 3, 17, 25, 35, 52, 90, 300, 400)
][:80]
UNITS = ("howitzers", "fighter jets", "tanks", "drones", "helicopters", "air defence systems")
SERBIAN = {"howitzers": "haubica", "fighter jets": "lovaca", "tanks": "tenkova"}


def stored_claim(rng: random.Random) -> tuple[str, dict]:
    buyer, seller = rng.sample(COUNTRIES, 2)
    facts = {
        "buyer": buyer,
        "seller": seller,
        "n": rng.choice((4, 6, 8, 12, 16, 18, 20, 24, 36, 48, 60, 84, 100, 120, 150)),
        "system": rng.choice(SYSTEMS),
        "unit": rng.choice(UNITS),
        "year": rng.randint(2005, 2026),
        "value": round(rng.uniform(0.1, 9.9), 1),
    }
    kind = rng.random()
    if kind < 0.6:
        text = (
            f"{buyer} bought {facts['n']} {facts['system']} {facts['unit']} from {seller} "
            f"in {facts['year']}."
        )
    elif kind < 0.8:
        text = (
            f"{buyer}'s defence budget rose to ${facts['value']} billion in {facts['year']}, "
            f"according to the ministry."
        )
    else:
        text = f"{buyer}'s GDP grew by {facts['value']}% in {facts['year']}."
    facts["kind"] = "deal" if kind < 0.6 else "budget" if kind < 0.8 else "gdp"
    return text, facts


def restatement(facts: dict, rng: random.Random) -> str:
    if facts["kind"] == "deal":
        if facts["unit"] in SERBIAN and rng.random() < 0.5:
            return (
                f"{facts['seller']} je {facts['year']}. isporučila {facts['n']} "
                f"{SERBIAN[facts['unit']]} {facts['system']} zemlji {facts['buyer']}."
            )
        return (
            f"In {facts['year']} {facts['seller']} sold {facts['n']} {facts['system']} "
            f"{facts['unit']} to {facts['buyer']}."
        )
    if facts["kind"] == "budget":
        return (
            f"In {facts['year']} {facts['buyer']} spent about {facts['value']} billion dollars "
            "on defence."
        )
    return f"The economy of {facts['buyer']} expanded {facts['value']} percent in {facts['year']}."


def populate(n_claims: int, n_factchecks: int, rng: random.Random) -> list[tuple[int, dict]]:
    from django.db import connection

    from claims.models import Article, Claim, FactCheck
    from claims.services.factchecks import factcheck_key
    from claims.services.matching import claim_match_keys

    stored: list[tuple[int, dict]] = []
    statuses = (
        [Claim.Status.PENDING] * 5
        + [Claim.Status.NEEDS_REVIEW] * 3
        + [
            Claim.Status.VERIFIED,
            Claim.Status.DISPUTED,
        ]
    )
    started = time.perf_counter()
    for a in range(n_claims // 100):
        article = Article.objects.create(title=f"Article {a}", text="x", content_hash=f"h{a}")
        rows, facts = [], []
        for i in range(100):
            text, fact = stored_claim(rng)
            rows.append(
                Claim(
                    article=article,
                    text=text,
                    start=i,
                    end=i + 1,
                    score=0.8,
                    status=rng.choice(statuses),
                    match_keys=claim_match_keys(text),
                )
            )
            facts.append(fact)
        created = Claim.objects.bulk_create(rows)
        stored += [(c.pk, f) for c, f in zip(created, facts, strict=True)]
    factchecks = []
    for i in range(n_factchecks):
        text, _ = stored_claim(rng)
        url = f"https://factcheck.example/{i}"
        factchecks.append(
            FactCheck(
                claim_text=text,
                url=url,
                rating=rng.choice(("True", "False", "Misleading")),
                key=factcheck_key(url, text),
                match_keys=claim_match_keys(text),
            )
        )
    FactCheck.objects.bulk_create(factchecks, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"stored {n_claims} claims, {n_factchecks} fact-checks in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)  # fmt: skip
    return stored


def measure(stored: list[tuple[int, dict]], n_queries: int, rng: random.Random) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from claims.models import Article, Claim
    from claims.services.matching import claim_match_keys, claims_match

    article = Article.objects.create(title="new", text="x", content_hash="new")
    targets = rng.sample(stored, n_queries // 2)
    texts = [(restatement(f, rng), pk) for pk, f in targets]
    texts += [(stored_claim(rng)[0], None) for _ in range(n_queries - len(texts))]
    rng.shuffle(texts)
    claims = Claim.objects.bulk_create(
        [
            Claim(article=article, text=t, start=i, end=i + 1, match_keys=claim_match_keys(t))
            for i, (t, _) in enumerate(texts)
        ]
    )
    claims_match(claims=claims[:5])  # warm the caches of the word tables
    timings, sql_ms, found, targets_seen = [], [], 0, 0
    # As ingestion runs it: inside the article's transaction, for claims just created.
    with transaction.atomic():
        for claim, (_, target) in zip(claims[5:], texts[5:], strict=True):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                matches = claims_match(claims=[claim], new=True)
                timings.append((time.perf_counter() - started) * 1000)
            sql_ms.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            if target is not None and matches and matches[0].matched_claim_id == target:
                found += 1
                targets_seen += 1
            elif target is not None:
                targets_seen += 1
    timings.sort()
    return {
        "queries": len(timings),
        "ms_per_claim_median": round(statistics.median(timings), 1),
        "ms_per_claim_p95": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "ms_per_claim_max": round(timings[-1], 1),
        "sql_ms_median": round(statistics.median(sql_ms), 1),
        "restatements_top_match": f"{found}/{targets_seen}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--factchecks", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    harness.fresh_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    stored = populate(args.claims, args.factchecks, rng)
    result = {"machine": harness.machine(), "claims": args.claims, "factchecks": args.factchecks}
    result.update(measure(stored, args.queries, rng))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
