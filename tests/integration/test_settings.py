"""Settings: production passes Django's deploy checks; the embedded defaults need no server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests allow sync ORM calls under Playwright's loop; production never does.
    env = {k: v for k, v in env.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "FACTCHECK_HTTPS": "1",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "factcheck.example.org",
        "FACTCHECK_DATA_DIR": str(tmp_path),
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_embedded_defaults_use_sqlite_and_the_filesystem_broker_under_the_data_dir(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env["FACTCHECK_DATA_DIR"] = str(tmp_path)
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE']); print(s.DATABASES['default']['NAME']); "
        "print(s.DATABASES['default']['OPTIONS']['transaction_mode']); "
        "print(s.CELERY_BROKER_URL); print(s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'])"
    )
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    engine, name, mode, broker, folder = result.stdout.split()[-5:]
    assert engine == "django.db.backends.sqlite3"
    assert name.startswith(str(tmp_path))
    assert mode == "IMMEDIATE"
    assert broker == "filesystem://localhost/"  # a host: no kombu "No hostname" warning
    assert folder.startswith(str(tmp_path))
    assert list(tmp_path.iterdir()) == []  # reading settings wrote nothing


def test_importing_settings_creates_nothing_in_an_empty_data_dir(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.pop("CELERY_BROKER_URL", None)  # the filesystem broker: the case that made folders
    env["FACTCHECK_DATA_DIR"] = str(tmp_path / "data")
    (tmp_path / "data").mkdir()
    code = (
        "import django, factcheck.settings as s; django.setup(); "
        "import factcheck.celery, factcheck.urls; print(repr(s.SECRET_KEY))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "factcheck.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "''"  # no key yet, and none invented
    assert list((tmp_path / "data").iterdir()) == []


def test_the_web_entry_point_names_the_fix_when_there_is_no_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY"}}
    env["FACTCHECK_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", "import factcheck.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "No SECRET_KEY" in result.stderr and "manage.py bootstrap" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_bootstrap_creates_the_data_dir_secret_key_and_broker_folders(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.pop("SECRET_KEY", None)
    data = tmp_path / "fresh"
    env["FACTCHECK_DATA_DIR"] = str(data)
    result = run_manage("bootstrap", "--no-demo", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    key = (data / "secret_key").read_text()
    assert len(key) >= 50
    assert (data / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only
    assert all((data / "broker" / name).is_dir() for name in ("queue", "processed", "control"))
    assert (data / "db.sqlite3").exists()  # and migrated into it
    again = run_manage("bootstrap", "--no-demo", env=env)
    assert again.returncode == 0, again.stderr
    assert (data / "secret_key").read_text() == key  # kept, never replaced


def test_sqlite_runs_in_wal_mode_for_several_processes(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env["FACTCHECK_DATA_DIR"] = str(tmp_path)
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])"
    )
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    mode, timeout = result.stdout.split()[-2:]
    assert mode == "wal"
    assert int(timeout) >= 20000
