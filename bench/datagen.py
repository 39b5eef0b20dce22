"""Synthetic reviewer-UI data in PostgreSQL, written with COPY in batches.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench_ui \
        .venv/bin/python bench/datagen.py --claims 100000

Empties every table of the claims app, then writes (for --claims N, defaults in brackets):

- N/100 articles of 100 claims each [1,000], every article ~150 sentences (~19 kB of text);
- N claims over those sentences, with statuses, scores, features, assignees and one
  history row each (two for reviewed claims);
- 20,000 sources on 2,000 domains, 97 % fetched: one snapshot each (a second, older one
  for every fifth), a language (en, sr, tr, ru, de, uk) and ~2 kB of text;
- 5 evidence rows per claim on average [500,000] on distinct sources, with quote offsets
  and stances (none for pending claims, 5 or 6 for the others);
- a review for each verified / disputed / unverifiable claim citing two of its evidence;
- timeline events (extracted, research done, reviewed) and research candidates (one per
  evidence, plus a failed one for every third claim, pending ones while researching).

Deterministic for a given --seed. Used by bench/bench_ui.py; importable as `generate()`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import time
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import harness  # the bench folder is the script's own

ROOT = harness.ROOT
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/factcheck_bench_ui"

CLAIMS_PER_ARTICLE = 100
SENTENCES_PER_ARTICLE = 150
SOURCES = 20_000
DOMAINS = 2_000
EVIDENCE_PER_CLAIM = 5
BATCH = 20_000
LANGUAGES = ("en", "en", "en", "sr", "tr", "ru", "de", "uk")
BENCH_USER = "bench-rita"
OTHER_REVIEWERS = ("bench-otto", "bench-ana", "bench-ivo")

# Claim statuses and their share of claims.
STATUS_MIX = (
    ("needs_review", 0.40),
    ("needs_rereview", 0.05),
    ("verified", 0.22),
    ("disputed", 0.10),
    ("unverifiable", 0.05),
    ("researching", 0.08),
    ("pending", 0.10),
)
REVIEWED = ("verified", "disputed", "unverifiable")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WORDS = _words(
    "ministry army budget contract howitzers billion million exports imports tonnes percent "
    "report agency minister parliament election turnout growth inflation deficit pipeline "
    "gas oil grain harvest refugees border troops drones missiles units deliveries sanctions "
    "tariff trade court ruling census population hospital vaccine doses schools teachers "
    "salary pension reform bank loan bonds rate unemployment factory railway bridge port"
)
NAMES = _words(
    "Serbia Azerbaijan Turkey Armenia Georgia Ukraine Russia Germany France Hungary Romania "
    "Bulgaria Greece Croatia Bosnia Montenegro Kosovo Albania Moldova Poland Belgrade Baku "
    "Ankara Yerevan Tbilisi Kyiv Moscow Berlin Paris Budapest"
)


@dataclass
class Summary:
    claims: int = 0
    articles: int = 0
    sentences: int = 0
    sources: int = 0
    snapshots: int = 0
    evidence: int = 0
    reviews: int = 0
    events: int = 0
    candidates: int = 0
    history: int = 0
    seconds: float = 0.0
    sample: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def setup_django(database_url: str | None = None) -> None:
    harness.configure(
        database=DEFAULT_DATABASE_URL, broker="redis://127.0.0.1:6379/14", data_dir="bench-ui"
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    harness.setup_django(migrate=False)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- Writing ----------------------------------------------------------------------------------


def _copy(table: str, rows: Iterable[dict]) -> int:
    """COPY rows (dicts, the same keys in each) into a table in batches; returns the count."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    n = 0
    batch: list[dict] = []

    def flush() -> None:
        cols = ", ".join(f'"{c}"' for c in batch[0])
        with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in batch:
                copy.write_row(tuple(row.values()))
        batch.clear()

    for row in rows:
        batch.append(row)
        n += 1
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return n


def _reset_sequences(tables: Iterable[str]) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for table in tables:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
            )


def _empty_claims_tables() -> list[str]:
    from django.apps import apps
    from django.db import connection

    tables = [m._meta.db_table for m in apps.get_app_config("claims").get_models()]
    tables += [
        f.remote_field.through._meta.db_table
        for m in apps.get_app_config("claims").get_models()
        for f in m._meta.local_many_to_many
    ]
    existing = set(connection.introspection.table_names())
    tables = sorted({t for t in tables if t in existing})
    with connection.cursor() as cur:
        cur.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    return tables


def _users() -> tuple[object, list[object]]:
    from django.contrib.auth.models import Group, User

    from claims.roles import REVIEWERS, ensure_roles

    ensure_roles()
    group = Group.objects.get(name=REVIEWERS)
    users = []
    for name in (BENCH_USER, *OTHER_REVIEWERS):
        user, created = User.objects.get_or_create(username=name)
        if created:
            user.set_password("pw-" + name)
            user.save()
        user.groups.add(group)
        users.append(user)
    return users[0], users[1:]


# --- Content ----------------------------------------------------------------------------------


def _sentence(rng: random.Random, index: int) -> str:
    a, b = rng.sample(NAMES, 2)
    w = rng.sample(WORDS, 6)
    number = rng.choice((rng.randint(2, 999), rng.randint(1_000, 90_000)))
    year = rng.randint(2015, 2025)
    return (
        f"{a} {w[0]} {number} {w[1]} {w[2]} to {b} in {year}, the {w[3]} said about "
        f"the {w[4]} and {w[5]} (item {index})."
    )


def _snapshot_text(rng: random.Random, n_sentences: int = 16) -> str:
    return " ".join(_sentence(rng, i) for i in range(n_sentences))


def _articles(rng, n_articles, claims, now, assignees, out) -> None:  # noqa: C901
    """Articles, their sentences, claims on two of every three sentences, claim history."""
    status_names = [s for s, _ in STATUS_MIX]
    status_weights = [w for _, w in STATUS_MIX]
    claim_id = sentence_id = 0
    for a in range(1, n_articles + 1):
        created = now - dt.timedelta(minutes=10 * (n_articles - a))
        parts, pos, sentences_here = [], 0, []
        for i in range(SENTENCES_PER_ARTICLE):
            text = _sentence(rng, i)
            sentences_here.append((i, pos, pos + len(text), text))
            parts.append(text)
            pos += len(text) + 1
        out["claims_article"].append(
            {
                "id": a,
                "url": f"https://news{a % 97}.example/story/{a}",
                "title": f"Story {a}: {rng.choice(NAMES)} {rng.choice(WORDS)}",
                "publisher": f"Publisher {a % 41}",
                "published_date": created.date(),
                "text": " ".join(parts),
                "content_hash": f"{a:064x}",
                "links": "[]",
                "status": "ready",
                "failure_reason": "",
                "created_at": created,
                "is_published": False,
                "author": "",
            }
        )
        made = 0
        for i, start, end, text in sentences_here:
            sentence_id += 1
            is_claim = made < CLAIMS_PER_ARTICLE and i % 3 != 2 and claim_id < claims
            score = round(rng.uniform(0.35, 0.99) if is_claim else rng.random() / 3, 3)
            out["claims_sentence"].append(
                {
                    "id": sentence_id,
                    "article_id": a,
                    "index": i,
                    "start": start,
                    "end": end,
                    "text": text,
                    "score": score,
                    "reasons": "[]",
                    "is_heading": False,
                }
            )
            if not is_claim:
                continue
            made += 1
            claim_id += 1
            status = rng.choices(status_names, status_weights)[0]
            roll = rng.random()
            assignee = None
            if roll < 0.1:
                assignee = assignees[0]
            elif roll < 0.3:
                assignee = rng.choice(assignees[1:])
            claim = {
                "id": claim_id,
                "article_id": a,
                "sentence_id": sentence_id,
                "text": text,
                "start": start,
                "end": end,
                "score": score,
                "reasons": "[]",
                "kind": "quantity",
                "features": json.dumps({"quantities": [text.split()[2]]}),
                "origin": "extracted",
                "status": status,
                "assignee_id": assignee,
                "version": 2 if status in REVIEWED else 1,
                "is_published": False,
                "research_started_at": created if status == "researching" else None,
                "created_at": created,
            }
            out["claims_claim"].append({**claim, "updated_at": created})
            out["status"][claim_id] = status
            history = {
                **claim,
                "status": "pending",
                "version": 1,
                "assignee_id": None,
                "research_started_at": None,
                "history_date": created,
                "history_type": "+",
                "history_user_id": None,
            }
            out["claims_historicalclaim"].append(history)
            if status in REVIEWED:
                out["claims_historicalclaim"].append(
                    {
                        **claim,
                        "history_date": created + dt.timedelta(hours=2),
                        "history_type": "~",
                        "history_user_id": assignees[1],
                    }
                )


def _sources(rng, now, out) -> tuple[dict[int, int | None], dict[int, str]]:
    """Sources, 3 % failed; one snapshot each (two for every fifth) with a language."""
    latest: dict[int, int | None] = {}
    texts: dict[int, str] = {}
    snapshot_id = 0
    body = zlib.compress(b"<html><body>bench</body></html>")
    for s in range(1, SOURCES + 1):
        domain = f"site{s % DOMAINS}.example"
        failed = rng.random() < 0.03
        fetched_at = now - dt.timedelta(hours=rng.randint(1, 2_000))
        url = f"https://{domain}/a/{s}"
        out["claims_source"].append(
            {
                "id": s,
                "url": url,
                "domain": domain,
                "title": f"Source page {s}",
                "publisher": f"Site {s % DOMAINS}",
                "status": "failed" if failed else "ok",
                "failure_reason": "HTTP 404" if failed else "",
                "last_checked_at": fetched_at,
                "next_check_at": fetched_at + dt.timedelta(days=7),
                "etag": "",
                "last_modified": "",
                "created_at": fetched_at,
            }
        )
        latest[s] = None
        if failed:
            continue
        versions = 2 if s % 5 == 0 else 1
        for v in range(versions):
            snapshot_id += 1
            text = _snapshot_text(rng)
            at = fetched_at - dt.timedelta(days=30 * (versions - 1 - v))
            out["claims_snapshot"].append(
                {
                    "id": snapshot_id,
                    "source_id": s,
                    "fetched_at": at,
                    "http_status": 200,
                    "final_url": url,
                    "content_type": "text/html",
                    "headers": "{}",
                    "content_hash": f"{snapshot_id:064x}",
                    "title": f"Source page {s}",
                    "publisher": f"Site {s % DOMAINS}",
                    "published_date": at.date(),
                    "language": rng.choice(LANGUAGES),
                    "text": text,
                    "raw_body": body,
                }
            )
            latest[s] = snapshot_id
            texts[s] = text
    return latest, texts


def _research(rng, now, assignees, statuses, latest, texts, out) -> None:
    """Evidence, candidates, reviews citing evidence, timeline events, per claim."""
    stances = ("supports", "contradicts", "mentions")
    ids = dict.fromkeys(("ev", "cand", "review", "cite", "event"), 0)

    def next_id(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    created = now - dt.timedelta(days=1)
    for c, status in statuses.items():
        # Pending claims have no sources yet; the others 5 or 6 (5 on average over all claims).
        n_evidence = 0 if status == "pending" else EVIDENCE_PER_CLAIM + (c % 9 < 5)
        sources = rng.sample(range(1, SOURCES + 1), n_evidence + 1)
        cited = []
        for s in sources[:n_evidence]:
            text = texts.get(s, "")
            lo = rng.randint(0, max(0, len(text) - 200)) if text else None
            quote = text[lo : lo + 180] if text else ""
            stance = rng.choices(stances, (0.45, 0.15, 0.40))[0]
            ev = next_id("ev")
            cited.append(ev)
            out["claims_evidence"].append(
                {
                    "id": ev,
                    "claim_id": c,
                    "source_id": s,
                    "snapshot_id": latest[s],
                    "quote": quote,
                    "quote_start": lo,
                    "quote_end": None if lo is None else lo + len(quote),
                    "relevance": round(rng.random(), 3),
                    "stance": stance,
                    "reason": f"{stance}: same number and place",
                    "found_via": "search",
                    "provider": "searxng",
                    "factcheck": "{}",
                    "added_by_id": None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            pending = status == "researching" and rng.random() < 0.5
            out["claims_researchcandidate"].append(
                _candidate(next_id("cand"), c, s, "pending" if pending else "done", "", created)
            )
        if status != "pending" and (c % 3 == 0 or status == "researching"):
            out["claims_researchcandidate"].append(
                _candidate(
                    next_id("cand"), c, sources[-1], "failed", "HTTP 403 from the server", created
                )
            )
        out["claims_claimevent"].append(
            _event(next_id("event"), c, "extracted", None, "Extracted", {}, created)
        )
        if status not in ("pending", "researching"):
            message = f"Research done: {EVIDENCE_PER_CLAIM} source(s) with evidence"
            at = created + dt.timedelta(minutes=5)
            out["claims_claimevent"].append(
                _event(next_id("event"), c, "research_done", None, message, {}, at)
            )
        if status in REVIEWED:
            review = next_id("review")
            at = created + dt.timedelta(hours=2)
            out["claims_review"].append(
                {
                    "id": review,
                    "claim_id": c,
                    "reviewer_id": assignees[1],
                    "verdict": status,
                    "rationale": "The cited reports agree.",
                    "claim_version": 1,
                    "created_at": at,
                }
            )
            for ev in cited[:2]:
                out["claims_review_evidence"].append(
                    {"id": next_id("cite"), "review_id": review, "evidence_id": ev}
                )
            out["claims_claimevent"].append(
                _event(
                    next_id("event"),
                    c,
                    "reviewed",
                    assignees[1],
                    f"Marked {status}",
                    {"review": review},
                    at,
                )
            )


def _candidate(pk, claim, source, state, error, at) -> dict:
    return {
        "id": pk,
        "claim_id": claim,
        "source_id": source,
        "found_via": "search",
        "provider": "searxng",
        "factcheck": "{}",
        "state": state,
        "error": error,
        "created_at": at,
        "updated_at": at,
    }


def _event(pk, claim, kind, actor, message, data, at) -> dict:
    return {
        "id": pk,
        "claim_id": claim,
        "kind": kind,
        "actor_id": actor,
        "message": message,
        "data": json.dumps(data),
        "created_at": at,
    }


def generate(*, claims: int = 100_000, seed: int = 1, log=print) -> Summary:
    """Writes the data set; returns what was written and a few ids to benchmark with."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    started = time.perf_counter()
    rng = random.Random(seed)
    now = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
    n_articles = max(1, -(-claims // CLAIMS_PER_ARTICLE))
    tables = _empty_claims_tables()
    User.objects.filter(username__startswith="bench-").delete()
    me, others = _users()
    assignees = [me.pk] + [u.pk for u in others]
    written: dict[str, int] = {}

    def flush(out: dict, *names: str) -> None:
        for name in names:
            written[name] = _copy(name, out.pop(name))
        log(f"{', '.join(names)}: {time.perf_counter() - started:.1f}s")

    with transaction.atomic():
        out: dict = defaultdict(list)
        out["status"] = {}
        _articles(rng, n_articles, claims, now, assignees, out)
        statuses = out.pop("status")
        names = ("claims_article", "claims_sentence", "claims_claim", "claims_historicalclaim")
        flush(out, *names)
        latest, texts = _sources(rng, now, out)
        flush(out, "claims_source", "claims_snapshot")
        _research(rng, now, assignees, statuses, latest, texts, out)
        names = (
            "claims_evidence",
            "claims_researchcandidate",
            "claims_review",
            "claims_review_evidence",
            "claims_claimevent",
        )
        flush(out, *names)
        _reset_sequences(tables)

    connection.close()
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = True
    with raw.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    connection.close()
    reviewed = [c for c, s in statuses.items() if s in REVIEWED]
    researching = [c for c, s in statuses.items() if s == "researching"]
    summary = Summary(
        claims=written["claims_claim"],
        articles=written["claims_article"],
        sentences=written["claims_sentence"],
        sources=written["claims_source"],
        snapshots=written["claims_snapshot"],
        evidence=written["claims_evidence"],
        reviews=written["claims_review"],
        events=written["claims_claimevent"],
        candidates=written["claims_researchcandidate"],
        history=written["claims_historicalclaim"],
        seconds=round(time.perf_counter() - started, 1),
        sample={
            "user": BENCH_USER,
            "articles": rng.sample(range(1, n_articles + 1), min(30, n_articles)),
            "reviewed_claims": rng.sample(reviewed, min(30, len(reviewed))),
            "researching_claims": rng.sample(researching, min(30, len(researching))),
        },
    )
    log(f"done in {summary.seconds}s")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    harness.ensure_database(url)
    setup_django(url)
    migrate()
    summary = generate(claims=args.claims, seed=args.seed, log=lambda m: print(m, flush=True))
    out = summary.as_dict()
    out.pop("sample")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
