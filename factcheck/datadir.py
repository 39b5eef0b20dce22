"""The files an installation keeps under FACTCHECK_DATA_DIR, created on purpose.

Importing settings only reads. `manage.py bootstrap` and `manage.py runservice` call
`prepare_data_dir()`: the data folder, the secret key (when SECRET_KEY is not set), the
filesystem broker's folders and the static folder. The web entry points call
`require_secret_key()` so a missing key stops them at start with the fix in the message,
instead of failing the first request that signs a cookie.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BROKER_FOLDERS = ("queue", "processed", "control")


def _secret_key_set() -> bool:
    try:
        return bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django's answer to an empty key
        return False


def prepare_data_dir() -> list[str]:
    """Creates what is missing; returns what it created (paths), for the command's output."""
    created: list[str] = []

    def mkdir(path) -> None:
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            created.append(str(path))

    mkdir(settings.DATA_DIR)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for name in BROKER_FOLDERS:
            mkdir(settings.FACTCHECK_BROKER_DIR / name)
    mkdir(settings.STATIC_ROOT)
    if not _secret_key_set():
        path = settings.SECRET_KEY_FILE
        # O_EXCL: two processes bootstrapping at once keep one key, never overwrite it.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(64))
            created.append(str(path))
        # This process read settings before the key existed.
        settings.SECRET_KEY = path.read_text().strip()
    return created


def require_secret_key() -> None:
    """Raises ImproperlyConfigured naming the fix when there is no key to sign with."""
    if not _secret_key_set():
        raise ImproperlyConfigured(
            f"No SECRET_KEY: set the SECRET_KEY environment variable, or run "
            f"`manage.py bootstrap` once to create {settings.SECRET_KEY_FILE}."
        )
