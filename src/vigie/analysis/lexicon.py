"""Loading the word lists shipped in ``vigie/analysis/data`` (tab-separated, ``#`` comments)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from vigie.analysis.text import fold


@cache
def read_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a data file as tuples of stripped fields; blank and comment lines skipped."""
    text = resources.files("vigie.analysis").joinpath("data", name).read_text(encoding="utf-8")
    rows: list[tuple[str, ...]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = tuple(part.strip() for part in line.split("\t"))
        if not fields[0]:
            raise ValueError(f"{name}:{number}: empty first field")
        rows.append(fields)
    return tuple(rows)


def valence_table(name: str) -> dict[str, float]:
    """``word -> valence`` from a two-column file (words folded, zero valences dropped)."""
    table: dict[str, float] = {}
    for number, row in enumerate(read_rows(name), start=1):
        if len(row) != 2:
            raise ValueError(f"{name}: row {number} must have 2 tab-separated fields, got {len(row)}")
        value = float(row[1])
        if value != 0.0:
            table[fold(row[0])] = value
    return table
