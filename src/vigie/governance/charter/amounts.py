"""Money amounts and percentages in French and English, in the formats people really type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigie.governance.findings import Amount, Unit

_NUM = (
    r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?"  # 1 234,56
    r"|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?"  # 1,234.56
    r"|\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?"  # 1.234,56
    r"|\d+(?:[.,]\d{1,2})?)"  # 80 / 80,50 / 80.5
)

_WORD_VALUES: dict[str, int] = {
    # French
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "cent": 100, "mille": 1000,
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "thousand": 1000,
}  # fmt: skip
_UNITS_FR = "un|deux|trois|quatre|cinq|six|sept|huit|neuf"
_UNITS_EN = "one|two|three|four|five|six|seven|eight|nine"
_WORDNUM = (
    r"(?:(?:vingt|trente|quarante|cinquante|soixante)(?:[- ](?:et[- ])?(?:" + _UNITS_FR + r"))?"
    r"|(?:twenty|thirty|forty|fifty|sixty)(?:[- ](?:" + _UNITS_EN + r"))?"
    r"|a hundred|one hundred|cent|mille|a thousand|one thousand|hundred|thousand"
    r"|dix|onze|douze|treize|quatorze|quinze|seize|deux|trois|quatre|cinq|six|sept|huit|neuf"
    r"|ten|eleven|twelve|fifteen|two|three|four|five|seven|eight|nine)"
)
WORDNUM = _WORDNUM

_EUR_SUFFIX = r"(?:€|eur\b|euros?\b)"
_USD_SUFFIX = r"(?:\$|usd\b|dollars?\b)"
_GBP_SUFFIX = r"(?:£|gbp\b|pounds?\b|livres? sterling\b)"
_PCT_SUFFIX = r"(?:%|pour ?cents?\b|percent\b|per cent\b)"

_SUFFIXES: tuple[tuple[Unit, str], ...] = (
    (Unit.EUR, _EUR_SUFFIX),
    (Unit.USD, _USD_SUFFIX),
    (Unit.GBP, _GBP_SUFFIX),
    (Unit.PERCENT, _PCT_SUFFIX),
)
_PREFIXES: tuple[tuple[Unit, str], ...] = (
    (Unit.EUR, r"(?:€|\bEUR)"),
    (Unit.USD, r"(?:US ?\$|\$|\bUSD)"),
    (Unit.GBP, r"(?:£|\bGBP)"),
)


def _build() -> re.Pattern[str]:
    parts: list[str] = []
    for unit, suffix in _SUFFIXES:
        parts.append(rf"(?P<n_{unit.name}>(?<![\w.,]){_NUM})[ \u00a0\u202f]?(?:-?[ \u00a0\u202f]?)?{suffix}")
        parts.append(rf"(?P<w_{unit.name}>\b{_WORDNUM}) {suffix}")
    for unit, prefix in _PREFIXES:
        parts.append(rf"{prefix}[ \u00a0\u202f]?(?P<p_{unit.name}>{_NUM})(?![\d])")
    return re.compile("|".join(parts), re.IGNORECASE)


_AMOUNT_RE = _build()


@dataclass(frozen=True)
class AmountMatch:
    start: int
    end: int
    amount: Amount


def parse_number(raw: str) -> float:
    """``1 234,56`` → 1234.56; ``1,234.56`` → 1234.56; ``80,50`` → 80.5; ``1.234`` → 1234."""
    s = re.sub(r"[ \u00a0\u202f]", "", raw)
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        head, _, tail = s.rpartition(",")
        s = (
            s.replace(",", "")
            if len(tail) == 3 and "," not in head and len(head) <= 3
            else head.replace(",", "") + "." + tail
        )
    elif "." in s:
        head, _, tail = s.rpartition(".")
        if len(tail) == 3 and len(head.split(".")[0]) <= 3:
            s = s.replace(".", "")
    return float(s)


def parse_word_number(raw: str) -> float:
    words = re.split(r"[- ]+", raw.lower())
    total = 0
    for w in words:
        if w in ("et", "a"):
            continue
        value = _WORD_VALUES.get(w)
        if value is None:
            continue
        if value in (100, 1000):
            total = (total or 1) * value
        else:
            total += value
    return float(total)


def find_amounts(text: str) -> list[AmountMatch]:
    out: list[AmountMatch] = []
    for m in _AMOUNT_RE.finditer(text):
        for name, value in m.groupdict().items():
            if value is None:
                continue
            kind, unit_name = name.split("_", 1)
            number = parse_word_number(value) if kind == "w" else parse_number(value)
            out.append(AmountMatch(m.start(), m.end(), Amount(number, Unit[unit_name])))
            break
    return out
