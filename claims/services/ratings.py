"""The newsroom's default rating scale, seeded once; editors change it in the admin."""

from __future__ import annotations

from typing import Any

DEFAULT_SCALE = (
    # label, verdict, rating value, default for the verdict, description
    ("True", "verified", 5, True, "Accurate, nothing significant missing."),
    ("Mostly true", "verified", 4, False, "Accurate but needs clarification or context."),
    ("Mixed", "disputed", 3, False, "Partly accurate, partly not."),
    ("Misleading", "disputed", 2, False, "Accurate elements, but gives a false impression."),
    ("False", "disputed", 1, True, "Not accurate."),
    ("Unverifiable", "unverifiable", None, True, "No source we could read settles it."),
)


def rating_scale_seed(rating_model: Any = None) -> int:
    """Creates the default scale when there is no scale at all; returns how many were made.

    rating_model lets a data migration pass its historical model.
    """
    if rating_model is None:
        from claims.models import Rating as rating_model
    if rating_model.objects.exists():
        return 0
    rating_model.objects.bulk_create(
        [
            rating_model(
                label=label,
                verdict=verdict,
                rating_value=value,
                is_default=default,
                description=description,
                position=position,
            )
            for position, (label, verdict, value, default, description) in enumerate(DEFAULT_SCALE)
        ]
    )
    return len(DEFAULT_SCALE)
