"""Loading the word lists shipped in ``vigie/analysis/data`` (tab-separated, ``#`` comments)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from importlib import resources

from vigie.analysis.text import fold

# A data row: its line number in the file (for error messages) and its stripped fields.
Row = tuple[int, tuple[str, ...]]


@cache
def read_rows(name: str) -> tuple[Row, ...]:
    """Rows of a data file with their line numbers; blank and comment lines skipped."""
    text = resources.files("vigie.analysis").joinpath("data", name).read_text(encoding="utf-8")
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = tuple(part.strip() for part in line.split("\t"))
        if not fields[0]:
            raise ValueError(f"{name}:{number}: empty first field")
        rows.append((number, fields))
    return tuple(rows)


def number_field(name: str, number: int, term: str, field: str, text: str) -> float:
    """The number in field ``field`` (``text``) of ``term``'s row, on line ``number`` of file ``name``."""
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{name}:{number} ({term!r}): {field} {text!r} is not a number") from None


def valence_table(name: str) -> dict[str, float]:
    """``word -> valence`` from a two-column file of ``vigie/analysis/data`` (words folded)."""
    return parse_valences(name, read_rows(name))


def parse_valences(name: str, rows: Sequence[Row]) -> dict[str, float]:
    """``word -> valence`` of ``rows`` (``read_rows`` of file ``name``): two fields, a non-zero number.

    A zero valence would do nothing (the lexicons only add valences), so it is refused rather than
    silently ignored: the row is a mistake, or a phrase waiting for its value.
    """
    table: dict[str, float] = {}
    for number, row in rows:
        if len(row) != 2:
            raise ValueError(f"{name}:{number}: give 2 tab-separated fields, got {len(row)}")
        value = number_field(name, number, row[0], "valence", row[1])
        if value == 0.0 or not math.isfinite(value):
            raise ValueError(
                f"{name}:{number} ({row[0]!r}): give a non-zero valence, or remove the row; got {row[1]!r}"
            )
        table[fold(row[0])] = value
    return table
