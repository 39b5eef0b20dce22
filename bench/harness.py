"""What the benchmark scripts share: the machine they ran on, a fresh PostgreSQL database."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from urllib.parse import urlsplit


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


def fresh_database(url: str) -> None:
    """Drops the database of a postgres:// URL (ending its sessions) and creates it empty."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
