"""What the benchmark scripts share: the environment and Django set-up, the benchmark
database and broker, page servers in their own process, CPU accounting and the machine
the figures were taken on."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import multiprocessing
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


# --- Environment and Django -------------------------------------------------------------------


def configure(*, database: str, broker: str = "", data_dir: str, **forced: str) -> None:
    """The process environment a benchmark runs in, before Django reads its settings.

    database, broker, data_dir: defaults (DATABASE_URL, CELERY_BROKER_URL and
    FACTCHECK_DATA_DIR win when set); forced: settings every run needs (always set).
    """
    for path in (str(ROOT), str(ROOT / "bench")):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DATABASE_URL", database)
    if broker:
        os.environ.setdefault("CELERY_BROKER_URL", broker)
    os.environ.setdefault("FACTCHECK_DATA_DIR", str(ROOT / "var" / data_dir))
    os.environ.update(forced)


def setup_django(*, migrate: bool = True) -> None:
    """django.setup(), the data folder bootstrap would make, and the tables."""
    import django

    django.setup()
    from django.core.management import call_command

    from factcheck.datadir import prepare_data_dir

    prepare_data_dir()
    if migrate:
        call_command("migrate", verbosity=0)


# --- Database and broker ------------------------------------------------------------------------


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path.lstrip("/"), parts._replace(path="/postgres").geturl()


def fresh_database(url: str) -> None:
    """Drops the database of a postgres:// URL (ending its sessions) and creates it empty."""
    import psycopg

    name, admin = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_database(url: str) -> None:
    """Creates the database of a postgres:// URL when missing."""
    import psycopg

    name, admin = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def flush_broker(url: str) -> None:
    """Empties the Redis database of a redis:// broker URL."""
    import redis

    redis.Redis.from_url(url).flushdb()


def purge_queues(names: Iterable[str]) -> None:
    """Empties the named queues of the configured broker."""
    from factcheck.celery import app

    with app.connection_for_write() as conn:
        for name in names:
            with contextlib.suppress(Exception):  # never declared: nothing to purge
                conn.default_channel.queue_purge(name)


def wait_until(predicate: Callable[[], object], timeout: float, interval: float = 0.05) -> float:
    """Seconds until predicate() was true; SystemExit after timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    raise SystemExit(f"not done within {timeout:g} s")


# --- Page servers -----------------------------------------------------------------------------


class PageServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


class Handler(http.server.BaseHTTPRequestHandler):
    """Base of the benchmarks' handlers: HTTP/1.1 keep-alive, quiet, `send(status, body)`."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html", **headers) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)


def _serve(handler: type, attrs: dict, hosts: list[str], port_out) -> None:
    handler = type(handler.__name__, (handler,), attrs)
    first = PageServer((hosts[0], 0), handler)
    port = first.server_address[1]
    servers = [first] + [PageServer((host, port), handler) for host in hosts[1:]]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    port_out.put(port)
    threading.Event().wait()


def start_pages(
    handler: type, hosts: Iterable[str] = ("127.0.0.1",), **attrs
) -> tuple[multiprocessing.Process, int]:
    """Serves `handler` (a module-level Handler subclass; `attrs` set on it) on every host,
    all on one port, in a process of its own so that serving takes no CPU from the process
    measured. Returns the process (terminate() it) and the port."""
    ctx = multiprocessing.get_context("spawn")
    port_out = ctx.Queue()
    process = ctx.Process(target=_serve, args=(handler, attrs, list(hosts), port_out), daemon=True)
    process.start()
    return process, port_out.get(timeout=30)


# --- CPU accounting and the machine --------------------------------------------------------


def machine() -> dict:
    """CPU count and model, Python version and date, for the figures' record."""
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            (line.split(":", 1)[1].strip() for line in out.splitlines() if "Model name" in line),
            "",
        )
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "date": dt.date.today().isoformat(),
    }


def machine_busy() -> float:
    """Core-seconds the whole machine has spent not idle (every process on it)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU seconds of the processes (those still alive)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids.extend(int(k) for k in (task / "children").read_text().split())
    return kids


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants still alive."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        with contextlib.suppress(FileNotFoundError):
            todo.extend(children(current))
    return pids
