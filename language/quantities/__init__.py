"""Quantities: the one parser of figures in the language layer, and how two figures compare.

- `parse`: figures (value, range, qualifier, scale, unit, kind, subject, owner) and changes
  (tripled, rose from X to Y, fell by Z%) in a text of any language this beat reads.
- `numbers`: number words to digits (text2num and a data file), `units`: pint conversion.
- `compare`: intervals and agreement of two figures or two changes.
"""

from language.quantities.compare import (
    changes_agree,
    comparable,
    format_number,
    interval,
    overlaps,
    readable_number,
    same_figure,
)
from language.quantities.lexicon import currency_codes
from language.quantities.parse import Change, Figures, NumberMention, find_figures, find_numbers

CURRENCY_CODES = currency_codes()

__all__ = [
    "CURRENCY_CODES",
    "Change",
    "Figures",
    "NumberMention",
    "changes_agree",
    "comparable",
    "find_figures",
    "find_numbers",
    "format_number",
    "interval",
    "overlaps",
    "readable_number",
    "same_figure",
]
