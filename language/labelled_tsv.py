"""The labelled TSV files evaluations read: a header row, tab-separated, no quoting."""

from __future__ import annotations

import csv


class EvaluationError(ValueError):
    """The labelled file cannot be read; the message names the file and line."""


def read_tsv(path: str, header: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank row after the header; EvaluationError when the
    file cannot be read or its header is not `header` (compared lower-cased, trimmed)."""
    names = "<TAB>".join(header)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            lines = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    except FileNotFoundError as exc:
        raise EvaluationError(f"{path}: no such file") from exc
    except OSError as exc:
        raise EvaluationError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise EvaluationError(f"{path} is not UTF-8 text") from exc
    except csv.Error as exc:
        raise EvaluationError(f"{path}: not a TSV file: {exc}") from exc
    if not lines:
        raise EvaluationError(f"{path} is empty: expected a header {names}")
    if tuple(h.strip().lower() for h in lines[0]) != header:
        raise EvaluationError(f"{path}:1: header must be {names}, got {lines[0]!r}")
    return [
        (lineno, cells)
        for lineno, cells in enumerate(lines[1:], start=2)
        if cells and any(c.strip() for c in cells)
    ]
