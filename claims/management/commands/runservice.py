"""Runs the web server, a Celery worker and Celery beat together until Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from factcheck.datadir import prepare_data_dir


def worker_commands(
    *, concurrency: int = 2, fetch_concurrency: int = 16, fetch_processes: int = 2
) -> dict[str, list[str]]:
    """The Celery workers the service runs, by name (bench/ starts exactly these).

    Fetching waits on the network, so fetchers are threads pools. Their threads are split
    over a few processes: extraction holds one process's interpreter lock, and each of the
    dozen database and Redis round trips of a fetch waits for it again (two processes of 8
    threads read about 8% more sources per second than one of 16 on 2 cores, median of four
    paired runs in bench/README.md).
    """
    celery = [sys.executable, "-m", "celery", "-A", "factcheck"]
    commands = {
        "worker": [
            *celery,
            *["worker", "--loglevel", "INFO", "-n", "worker@%h"],
            *["-Q", "default,discover,score,recheck", "--concurrency", str(concurrency)],
        ],
    }
    processes = max(1, min(fetch_processes, fetch_concurrency))
    for n in range(1, processes + 1):
        name = "fetcher" if processes == 1 else f"fetcher{n}"
        threads = fetch_concurrency // processes + (n <= fetch_concurrency % processes)
        commands[name] = [
            *celery,
            *["worker", "--loglevel", "INFO", "-n", f"{name}@%h", "--pool", "threads"],
            *["-Q", "fetch", "--concurrency", str(threads)],
        ]
    return commands


class Command(BaseCommand):
    help = "Start web (gunicorn), Celery workers and Celery beat; Ctrl-C stops them all."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.FACTCHECK_HOST)
        parser.add_argument("--port", type=int, default=settings.FACTCHECK_PORT)
        parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
        parser.add_argument(
            "--fetch-concurrency",
            type=int,
            default=16,
            help="threads fetching sources, in all fetcher processes together",
        )
        parser.add_argument(
            "--fetch-processes", type=int, default=2, help="fetcher processes (threads pools)"
        )

    def handle(
        self,
        *args,
        host: str,
        port: int,
        concurrency: int,
        fetch_concurrency: int,
        fetch_processes: int,
        **options,
    ):
        prepare_data_dir()
        python = sys.executable
        data_dir = settings.DATA_DIR
        commands = {
            "web": [
                *[python, "-m", "gunicorn", "factcheck.wsgi:application"],
                *["--bind", f"{host}:{port}", "--workers", "2", "--threads", "4"],
                *["--access-logfile", "-"],
            ],
            **worker_commands(
                concurrency=concurrency,
                fetch_concurrency=fetch_concurrency,
                fetch_processes=fetch_processes,
            ),
            "beat": [
                *[python, "-m", "celery", "-A", "factcheck"],
                *["beat", "--loglevel", "INFO", "--pidfile", str(data_dir / "beat.pid")],
            ],
        }
        procs: dict[str, subprocess.Popen] = {}
        stopping = False

        def stop(signum=None, frame=None):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # Children get their own process group so one Ctrl-C is handled here, once.
        for name, cmd in commands.items():
            procs[name] = subprocess.Popen(cmd, start_new_session=True)
        self.stdout.write(
            self.style.SUCCESS(f"Fact-check service running at http://{host}:{port}/")
        )
        self.stdout.write("Press Ctrl-C to stop.")
        exit_code = 0
        try:
            while not stopping:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with {proc.returncode}; stopping.")
                        exit_code = proc.returncode or 1
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            self.stdout.write("Stopping web, worker and beat ...")
            for proc in procs.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 20
            for proc in procs.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            self.stdout.write("Stopped.")
        if exit_code:
            sys.exit(exit_code)
