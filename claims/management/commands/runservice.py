"""Runs the web server, a Celery worker and Celery beat together until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start web (gunicorn), a Celery worker and Celery beat; Ctrl-C stops all three."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("FACTCHECK_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, host: str, port: int, concurrency: int, **options):
        python = sys.executable
        data_dir = settings.DATA_DIR
        commands = {
            "web": [
                python, "-m", "gunicorn", "factcheck.wsgi:application",
                "--bind", f"{host}:{port}", "--workers", "2", "--threads", "4",
                "--access-logfile", "-",
            ],
            "worker": [
                python, "-m", "celery", "-A", "factcheck", "worker",
                "--loglevel", "INFO", "--concurrency", str(concurrency),
                "-Q", "default,discovery,fetch,recheck", "-n", "worker@%h",
            ],
            "beat": [
                python, "-m", "celery", "-A", "factcheck", "beat", "--loglevel", "INFO",
                "--pidfile", str(data_dir / "beat.pid"),
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
        self.stdout.write(self.style.SUCCESS(f"Fact-check service running at http://{host}:{port}/"))
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
