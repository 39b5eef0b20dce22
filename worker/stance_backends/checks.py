"""`manage.py check`: a stance back-end that is named but cannot run is said at start-up.

Unknown names are errors; an nli or llm back-end missing its model folder or endpoint is a
warning (the workers would give the built-in hints all the same).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks

from .base import BACKEND_NAMES, LLM, NLI


@checks.register()
def stance_backend_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    name = settings.FACTCHECK_STANCE_BACKEND
    if name not in BACKEND_NAMES:
        return [
            checks.Error(
                f"FACTCHECK_STANCE_BACKEND={name!r} is not one of {', '.join(BACKEND_NAMES)}",
                id="worker.E001",
            )
        ]
    found: list[checks.CheckMessage] = []
    if name == NLI:
        folder = Path(settings.FACTCHECK_NLI_MODEL_DIR or ".")
        missing = [f for f in ("model.onnx", "tokenizer.json") if not (folder / f).is_file()]
        if not settings.FACTCHECK_NLI_MODEL_DIR or missing:
            found.append(
                checks.Warning(
                    "FACTCHECK_STANCE_BACKEND=nli but FACTCHECK_NLI_MODEL_DIR "
                    f"({settings.FACTCHECK_NLI_MODEL_DIR or 'unset'}) lacks "
                    f"{', '.join(missing)}: the built-in scorer will give every hint",
                    id="worker.W001",
                )
            )
    if name == LLM and not (settings.FACTCHECK_LLM_URL and settings.FACTCHECK_LLM_MODEL):
        found.append(
            checks.Warning(
                "FACTCHECK_STANCE_BACKEND=llm needs FACTCHECK_LLM_URL and FACTCHECK_LLM_MODEL: "
                "the built-in scorer will give every hint",
                id="worker.W002",
            )
        )
    return found
