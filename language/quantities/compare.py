"""How two figures compare: as intervals in the base unit of their kind. Pure Python."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from language.quantities.parse import Change, NumberMention


def format_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def readable_number(value: float) -> str:
    """'500 million', '1.5 billion', '48', '4.2': a figure as a reviewer reads it."""
    for factor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= factor:
            return f"{format_number(round(value / factor, 2))} {word}"
    return format_number(value)


def interval(value: float, upper: float | None, bound: str) -> tuple[float, float]:
    """The values a figure allows: a range as given; "at least 600" is [600, inf); "about
    70" is 70 +- 10%; a plain figure allows rounding (1.2 million vs 1,203,000)."""
    if upper is not None:
        return (min(value, upper), max(value, upper))
    if bound == "min":
        return (value, math.inf)
    if bound == "max":
        return (-math.inf, value)
    if bound == "about":
        return (value * 0.9, value * 1.1) if value >= 0 else (value * 1.1, value * 0.9)
    tol = abs(value) * 0.005
    return (value - tol, value + tol)


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def figure_interval(n: NumberMention) -> tuple[float, float]:
    return interval(n.base, n.base_upper, n.bound)


def comparable(a: NumberMention, b: NumberMention) -> bool:
    """Same kind of figure: a count with a count, money in one currency, length with length."""
    if a.kind != b.kind:
        return False
    return a.kind != "money" or a.currency == b.currency


def same_figure(a: NumberMention, b: NumberMention) -> bool:
    """The same number and range, rounding aside."""
    same_upper = (a.base_upper is None and b.base_upper is None) or (
        a.base_upper is not None
        and b.base_upper is not None
        and abs(a.base_upper - b.base_upper) <= abs(b.base_upper) * 0.005
    )
    return abs(a.base - b.base) <= abs(b.base) * 0.005 and same_upper


def changes_agree(a: Change, b: Change, tolerance: float = 0.1) -> bool:
    """Two changes by about the same ratio (tripled vs x2.9); ratios <= 0 never agree."""
    if a.ratio <= 0 or b.ratio <= 0:
        return False
    return abs(math.log(a.ratio / b.ratio)) <= math.log(1 + tolerance)
