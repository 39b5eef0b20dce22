"""Benchmark: 400 distinct sources fetched, extracted and scored end to end by Celery.

    .venv/bin/python bench/bench_discovery.py [--sources 400] [--hosts 100] [--delay 0.2]

Environment (defaults shown; the database is dropped and created again on every run):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench_disc
    CELERY_BROKER_URL=redis://127.0.0.1:6379/11   (that Redis db is flushed on every run)

The outside world is a page server in its own process: --hosts ThreadingHTTPServers on
127.0.1.1, 127.0.1.2 ... (all of 127.0.0.0/8 is loopback on Linux), each answering every
page after --delay seconds (robots.txt at once). Spreading the pages over many hosts keeps
the per-domain politeness delay (FACTCHECK_FETCH_DOMAIN_DELAY, default 1 s, kept) from
dominating. Each page is a news page (navigation, ad, article, comments, related links)
with the numbers of the claim that links to it, some agreeing and some not.

Celery run: the workers runservice starts, with its own command lines (prefork `-Q
default,discover,score,recheck --concurrency 2`; two threads fetchers `-Q fetch --concurrency
8`), as subprocesses. One article per claim whose links are the claim's sources; research
is queued for every claim (discover task -> one fetch task per source -> snapshot,
passage, stance -> claim needs_review). Timed from queueing to every claim done and every
source read.

Baselines in the same run, on the same URLs and claims, no Celery, no database:
- threads: a pool of 16 threads doing requests.get + extract_document + read_document;
- scrapy: what a user would pick instead of us, a Scrapy spider (bench/scrapy_baseline.py,
  its own process) at the same concurrency (16) and per-domain delay (1 s, robots.txt
  obeyed), extracting with trafilatura and reading with the same scorer (read_document).

Prints the rates, their ratios, and the peak RSS (VmHWM) of every worker process.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import harness

ROOT = harness.ROOT
harness.configure(
    database="postgres://postgres@127.0.0.1:5432/factcheck_bench_disc",
    broker="redis://127.0.0.1:6379/11",
    data_dir="bench-disc",
    FACTCHECK_FETCH_ALLOW_PRIVATE="1",  # the pages are on loopback
    FACTCHECK_SEARCH_PROVIDERS="",  # sources come from the articles' links
)
# FACTCHECK_FETCH_DOMAIN_DELAY is left at its default (1 s per host).
DOMAIN_DELAY = 1.0  # its default, given to the Scrapy baseline too

FETCH_CONCURRENCY = 16  # runservice --fetch-concurrency default (threads, all fetchers)
FETCH_PROCESSES = 2  # runservice --fetch-processes default
WORKER_CONCURRENCY = 2  # runservice --concurrency default
SOURCES_PER_CLAIM = 10
HOST_PREFIX = "127.0.1."

CITIES = [
    "Novi Sad", "Nis", "Kragujevac", "Subotica", "Zrenjanin", "Pancevo", "Cacak", "Kraljevo",
    "Smederevo", "Leskovac", "Valjevo", "Krusevac", "Vranje", "Sabac", "Uzice", "Sombor",
    "Pozarevac", "Pirot", "Zajecar", "Kikinda",
]  # fmt: skip


# --- Claims and pages -----------------------------------------------------------------------


def claim_text(index: int) -> str:
    city = CITIES[index % len(CITIES)]
    buses = 20 + index
    return (
        f"The transport ministry confirmed that {buses} new electric buses will be delivered "
        f"to {city} by the end of {2024 + index % 3}, under a contract worth "
        f"{10 + index % 30}.5 million euros."
    )


def page_html(claim_index: int, number: int) -> bytes:
    """A news page about claim claim_index; every third one gives a different figure."""
    city = CITIES[claim_index % len(CITIES)]
    buses = 20 + claim_index
    given = buses if number % 3 else buses + 12
    year = 2024 + claim_index % 3
    value = 10 + claim_index % 30
    nav = "".join(
        f'<li><a href="/section/{k}">Section {k}</a></li>'
        for k in ("politics", "business", "sport", "culture", "world", "opinion")
    )
    comments = "".join(
        f'<div class="comment"><p>Reader{k}: comment number {k}, nobody believes them.</p></div>'
        for k in range(6)
    )
    related = "".join(
        f'<li><a href="/story/{claim_index}-{k}">Another story {k} from the region</a></li>'
        for k in range(8)
    )
    paragraphs = [
        f"The transport ministry said on Thursday that {given} new electric buses will be "
        f"delivered to {city} by the end of {year}, according to a statement published on "
        f"its website (report {claim_index}-{number}).",
        f"The contract, worth {value}.5 million euros, was signed with a consortium led by a "
        "regional manufacturer. Officials said the first vehicles would arrive in June.",
        "City councillors had previously said that fewer vehicles were planned. The minutes "
        "of the council meeting show a long debate over the figure.",
        "An independent audit by the state audit office found no irregularities in the "
        "tender procedure, the ministry said in its statement.",
        f"Local operators in {city} welcomed the decision and said depots would be "
        "upgraded with chargers during the summer months.",
    ]
    article = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Ministry: buses for {city} ({number}) | The Daily Ledger</title>"
        '<meta property="og:site_name" content="The Daily Ledger">'
        '<meta property="article:published_time" content="2024-03-14T09:30:00+01:00">'
        "<script>window.dataLayer = []; function track(){ return 1; }</script>"
        "<style>.ad { display: block } body { font-family: serif }</style></head><body>"
        f'<header><nav class="main-nav"><ul>{nav}</ul></nav>'
        '<div class="ad banner">ADVERTISEMENT: the best mattress in the region</div></header>'
        f'<main><article class="story"><h1>Ministry confirms buses for {city}</h1>'
        f'<p class="byline">By Jelena Petrovic, 14 March 2024</p>{article}</article>'
        f'<section class="comments"><h2>Comments</h2>{comments}</section>'
        f'<aside class="related"><h3>Most read</h3><ul>{related}</ul></aside></main>'
        '<footer class="site-footer"><p>Copyright 2024 The Daily Ledger.</p></footer>'
        "</body></html>"
    ).encode()


def source_plan(sources: int, hosts: int) -> list[tuple[int, int, str]]:
    """(claim index, page number, URL) per source; consecutive sources on distinct hosts."""
    plan = []
    for k in range(sources):
        claim_index, number = divmod(k, SOURCES_PER_CLAIM)
        host = f"{HOST_PREFIX}{k % hosts + 1}"
        plan.append((claim_index, number, f"http://{host}:{{port}}/news/{claim_index}/{number}"))
    return plan


# --- The page server (its own process) -------------------------------------------------------


class PagesHandler(harness.Handler):
    delay = 0.2  # start_pages sets it

    def do_GET(self):  # noqa: N802
        path = urlsplit(self.path).path
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        parts = path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "news" or not all(p.isdigit() for p in parts[1:]):
            return self.send(404, b"<html><body>Not found</body></html>")
        time.sleep(self.delay)  # the outside world's latency
        return self.send(200, page_html(int(parts[1]), int(parts[2])), "text/html; charset=utf-8")


def start_pages(hosts: int, delay: float):
    names = [f"{HOST_PREFIX}{n}" for n in range(1, hosts + 1)]
    return harness.start_pages(PagesHandler, names, delay=delay)


# --- Database and broker ---------------------------------------------------------------------


def seed(plan: list[tuple[int, int, str]], port: int) -> list:
    """One article per claim, its links the claim's sources. Returns the claims in order."""
    from claims.services.articles import article_ingest_text

    claims = []
    for claim_index in range(len(plan) // SOURCES_PER_CLAIM):
        links = [url.format(port=port) for c, _, url in plan if c == claim_index]
        text = claim_text(claim_index)
        article = article_ingest_text(
            text=f"Buses for the city\n\n{text}\n", links=links, research=False
        )
        claim = article.claims.get(text__contains="electric buses")
        claims.append(claim)
    return claims


# --- Worker processes -------------------------------------------------------------------------


def start_workers(log_dir: Path, fetchers: int) -> dict[str, subprocess.Popen]:
    from claims.management.commands.runservice import worker_commands
    from factcheck.celery import app

    procs = {}
    commands = worker_commands(
        concurrency=WORKER_CONCURRENCY,
        fetch_concurrency=FETCH_CONCURRENCY,
        fetch_processes=fetchers,
    )
    for name, command in commands.items():
        log = open(log_dir / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        procs[name] = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        names = {name.split("@", 1)[0] for reply in replies for name in reply}
        if set(commands) <= names:
            return procs
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise SystemExit(f"{name} exited with {proc.returncode}; see {log_dir}")
    raise SystemExit(f"workers not ready after 60 s; see {log_dir}")


def stop_workers(procs: dict[str, subprocess.Popen]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _status(pid: int) -> dict[str, str]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        out[key] = value.strip()
    return out


def peak_rss(procs: dict[str, subprocess.Popen]) -> dict[str, float]:
    """VmHWM in MB of each worker process and its children (prefork pool processes)."""
    peaks: dict[str, float] = {}
    for name, proc in procs.items():
        # Popen runs python directly, so proc.pid is the celery main process.
        todo = [(name, proc.pid)]
        while todo:
            label, pid = todo.pop()
            try:
                status = _status(pid)
                kids = harness.children(pid)
            except (FileNotFoundError, ProcessLookupError):
                continue
            peaks[f"{label}[{pid}]"] = round(int(status["VmHWM"].split()[0]) / 1024, 1)
            todo.extend((f"{name}-child", kid) for kid in kids)
    return peaks


def service_pids() -> dict[str, list[int]]:
    """PostgreSQL's and Redis's processes: they serve the Celery run too."""
    out: dict[str, list[int]] = {"postgresql": [], "redis": []}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if comm.startswith("postgres"):
            out["postgresql"].append(int(entry.name))
        elif comm.startswith("redis-server"):
            out["redis"].append(int(entry.name))
    return out


def worker_pids(procs: dict[str, subprocess.Popen]) -> dict[str, list[int]]:
    return {name: harness.process_tree(proc.pid) for name, proc in procs.items()}


# --- The two runs --------------------------------------------------------------------------------


def start_profilers(procs: dict[str, subprocess.Popen], out_dir: Path, mode: str) -> list:
    """py-spy (pip install py-spy) on each worker, raw collapsed stacks per process.

    mode "gil": samples of the thread holding the GIL (where the CPU goes); "idle": every
    thread, waiting or not (where the wall-clock time goes)."""
    spy = Path(sys.executable).parent / "py-spy"
    profilers = []
    for name, proc in procs.items():
        command = [str(spy), "record", "-p", str(proc.pid), f"--{mode}", "--subprocesses"]
        command += ["--format", "raw", "-r", "100", "-o", str(out_dir / f"{name}.pyspy.txt")]
        profilers.append(
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
    time.sleep(1.0)  # py-spy attaches
    return profilers


def stop_profilers(profilers: list) -> None:
    for profiler in profilers:
        profiler.send_signal(signal.SIGINT)
    for profiler in profilers:
        profiler.wait(timeout=60)


def run_celery(
    claims: list,
    sources: int,
    log_dir: Path,
    pages_pid: int,
    profile: str = "",
    fetchers: int = FETCH_PROCESSES,
) -> dict:
    from django.db import transaction
    from django.db.models import Count

    from claims.models import Claim, Evidence, Source
    from claims.services.research import claim_queue_research

    procs = start_workers(log_dir, fetchers)
    profilers = start_profilers(procs, log_dir, profile) if profile else []
    try:
        pids = worker_pids(procs)
        others = {**service_pids(), "page server": [pages_pid], "this script": [os.getpid()]}
        cpu_before = {name: harness.cpu_seconds(p) for name, p in pids.items()}
        other_before = {name: harness.cpu_seconds(p) for name, p in others.items()}
        busy_before = harness.machine_busy()
        started = time.monotonic()
        with transaction.atomic():
            for claim in claims:
                claim_queue_research(claim=claim)
        harness.wait_until(
            lambda: (
                not Claim.objects.filter(status__in=Claim.RESEARCH_STATUSES).exists()
                and Source.objects.count() == sources
                and not Source.objects.filter(status__in=Source.UNREAD_STATUSES).exists()
            ),
            timeout=600,
        )
        seconds = time.monotonic() - started
        busy = harness.machine_busy() - busy_before
        pids = worker_pids(procs)
        cpu = {
            name: round(harness.cpu_seconds(p) - cpu_before[name], 1) for name, p in pids.items()
        }
        # PostgreSQL forks a backend per connection: the workers' backends start in the run.
        others.update(service_pids())
        other_cpu = {
            name: round(harness.cpu_seconds(p) - other_before.get(name, 0.0), 1)
            for name, p in others.items()
        }
        peaks = peak_rss(procs)
    finally:
        stop_profilers(profilers)
        stop_workers(procs)
    by_status = dict(Source.objects.values_list("status").annotate(n=Count("id")))
    evidence = Evidence.objects.exclude(snapshot=None)
    stances = dict(evidence.values_list("stance").annotate(n=Count("id")))
    return {
        "seconds": round(seconds, 2),
        "sources_per_second": round(sources / seconds, 1),
        "sources_by_status": by_status,
        "evidence": evidence.count(),
        "stances": stances,
        "worker_cpu_seconds": cpu,
        "other_cpu_seconds": other_cpu,
        "machine_cpu_seconds": round(busy, 1),
        "peak_rss_mb": peaks,
    }


def run_baseline(claims: list, urls: list[tuple[int, str]]) -> dict:
    import requests

    from language.reading import read_document  # best_passages, then stance_hint
    from worker.fetching import extract_document

    by_index = {i: (c.text, c.features or {}) for i, c in enumerate(claims)}

    def one(item: tuple[int, str]) -> str | None:
        claim_index, url = item
        response = requests.get(url, timeout=10)
        response.raise_for_status()
        document = extract_document(response.content, response.headers.get("Content-Type", ""), url)
        text, features = by_index[claim_index]
        reading = read_document(text, features, document.text)
        return reading.stance.label if reading else None

    # As the workers do at start (worker/tasks/fetch.py): load the lazy tables first.
    one((0, urls[0][1]))
    cpu_before = time.process_time()
    busy_before = harness.machine_busy()
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(FETCH_CONCURRENCY) as pool:
        labels = list(pool.map(one, urls))
    seconds = time.monotonic() - started
    stances: dict[str, int] = {}
    for label in labels:
        stances[str(label)] = stances.get(str(label), 0) + 1
    return {
        "seconds": round(seconds, 2),
        "sources_per_second": round(len(urls) / seconds, 1),
        "stances": stances,
        "cpu_seconds": round(time.process_time() - cpu_before, 1),
        "machine_cpu_seconds": round(harness.machine_busy() - busy_before, 1),
    }


def run_scrapy(claims: list, urls: list[tuple[int, str]], log_dir: Path) -> dict:
    """The Scrapy baseline in its own process (bench/scrapy_baseline.py)."""
    jobs = [
        {"url": url, "claim": claims[c].text, "features": claims[c].features or {}}
        for c, url in urls
    ]
    path = log_dir / "scrapy_jobs.json"
    path.write_text(json.dumps(jobs))
    command = [sys.executable, str(ROOT / "bench" / "scrapy_baseline.py"), str(path)]
    command += ["--concurrency", str(FETCH_CONCURRENCY), "--domain-delay", str(DOMAIN_DELAY)]
    busy_before = harness.machine_busy()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    if done.returncode:
        raise SystemExit(f"scrapy baseline failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    # Includes the child's start (a few seconds of imports) outside its own timing.
    figures["machine_cpu_seconds_with_start"] = round(harness.machine_busy() - busy_before, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=400)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--delay", type=float, default=0.2, help="seconds before each page")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--fetcher-processes",
        type=int,
        default=FETCH_PROCESSES,
        help=f"split the {FETCH_CONCURRENCY} fetch threads over this many processes "
        f"(default {FETCH_PROCESSES}, as runservice)",
    )
    parser.add_argument(
        "--profile",
        choices=["gil", "idle"],
        help="py-spy the workers into $FACTCHECK_DATA_DIR/logs/*.pyspy.txt",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs, each baseline then Celery on a fresh database; prints every run and the "
        "medians (this shared machine's speed drifts between runs)",
    )
    args = parser.parse_args()
    if args.sources % SOURCES_PER_CLAIM:
        parser.error(f"--sources must be a multiple of {SOURCES_PER_CLAIM}")
    runs = [run_once(args) for _ in range(max(1, args.repeat))]
    if len(runs) == 1:
        print(json.dumps(runs[0], indent=2))
        return
    medians = {
        "celery_sources_per_second": statistics.median(
            r["celery"]["sources_per_second"] for r in runs
        ),
    }
    if not args.skip_baseline:
        medians["baseline_sources_per_second"] = statistics.median(
            r["baseline"]["sources_per_second"] for r in runs
        )
        medians["ratio_baseline_over_celery"] = statistics.median(
            r["ratio_baseline_over_celery"] for r in runs
        )
        medians["scrapy_sources_per_second"] = statistics.median(
            r["scrapy"]["sources_per_second"] for r in runs
        )
        medians["ratio_scrapy_over_celery"] = statistics.median(
            r["ratio_scrapy_over_celery"] for r in runs
        )
    print(json.dumps({"runs": runs, "median": medians}, indent=2))


def run_once(args: argparse.Namespace) -> dict:
    # Other work on the machine competes for the same cores: say how busy it was.
    load_before = [round(v, 2) for v in os.getloadavg()]
    log_dir = Path(os.environ["FACTCHECK_DATA_DIR"]) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    from django.db import connections

    connections.close_all()  # the database is dropped and created again
    harness.fresh_database(os.environ["DATABASE_URL"])
    harness.flush_broker(os.environ["CELERY_BROKER_URL"])
    harness.setup_django()
    pages, port = start_pages(args.hosts, args.delay)
    try:
        plan = source_plan(args.sources, args.hosts)
        claims = seed(plan, port)
        urls = [(c, url.format(port=port)) for c, _, url in plan]
        baseline = None if args.skip_baseline else run_baseline(claims, urls)
        scrapy = None if args.skip_baseline else run_scrapy(claims, urls, log_dir)
        celery = run_celery(
            claims,
            args.sources,
            log_dir,
            pages.pid,
            profile=args.profile,
            fetchers=args.fetcher_processes,
        )
    finally:
        pages.terminate()
    figures = {
        "sources": args.sources,
        "hosts": args.hosts,
        "delay": args.delay,
        "ideal_seconds": round(args.sources * args.delay / FETCH_CONCURRENCY, 2),
        "celery": celery,
        "baseline": baseline,
        "scrapy": scrapy,
        "machine": {**harness.machine(), "loadavg_before": load_before},
    }
    if baseline:
        figures["ratio_baseline_over_celery"] = round(
            baseline["sources_per_second"] / celery["sources_per_second"], 2
        )
    if scrapy:
        figures["ratio_scrapy_over_celery"] = round(
            scrapy["sources_per_second"] / celery["sources_per_second"], 2
        )
    return figures


if __name__ == "__main__":
    main()
