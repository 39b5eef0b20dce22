"""Units of measure, converted with pint to one base unit per kind (metre, kilogram, second).

The registry is built from a small definition file (language/data/units.txt) on first use:
pint's own registry reads "a" as a year and "units" as luminance, and loads slowly.
"""

from __future__ import annotations

import functools

from language.tokens import DATA

KINDS = {"[length]": "length", "[mass]": "mass", "[time]": "duration"}


@functools.cache
def _registry():
    import pint  # a dependency of the language layer; loaded only when a unit is seen

    return pint.UnitRegistry(str(DATA / "units.txt"))


@functools.lru_cache(maxsize=4096)
def measure(word: str) -> tuple[str, float] | None:
    """(kind, factor to the base unit) for a unit word ("kilometres" -> ("length", 1000.0)),
    or None when the word is no unit of measure."""
    if not word or not word.isascii() or not word.isalpha():
        return None
    from pint.errors import PintError

    registry = _registry()
    try:
        quantity = registry.Quantity(1.0, word)
    except (PintError, AttributeError, ValueError, TypeError):
        return None
    kind = KINDS.get(str(quantity.dimensionality))
    if kind is None:
        return None
    return kind, float(quantity.to_base_units().magnitude)


BASE_UNITS = {"length": "m", "mass": "kg", "duration": "s"}
