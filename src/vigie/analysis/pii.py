"""Personal data in a message: e-mail, phone (French and international), payment card (Luhn-checked),
IBAN (mod-97 checked) and postal address. Findings carry a masked value, never the data itself.

Each detector first runs a cheap test (an ``@``, enough digits, a street word) so that ordinary
messages cost a couple of string scans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vigie.analysis.schemas import PiiFinding, PiiKind, PiiResult
from vigie.analysis.text import BATCH_SEPARATOR, Document, joins_apart

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
# Implied by EMAIL_RE; starting with the "@" lets the scan jump from one "@" to the next ("@user" is common).
EMAIL_GATE = re.compile(r"@[\w-]+\.")
MANY_DIGITS = re.compile(r"\d[\d\s.()/-]{7,}\d")
FR_PHONE_RE = re.compile(r"(?<![\w+])(?:(?:\+|00)33[\s.-]?\(?0?\)?[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
INTL_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?!\d)")
CARD_RE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
IBAN_RE = re.compile(r"\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}\b")
IBAN_LENGTHS = {
    "FR": 27, "DE": 22, "BE": 16, "ES": 24, "IT": 27, "NL": 18, "LU": 20, "CH": 21, "GB": 22, "PT": 25,
    "IE": 22, "AT": 20, "MC": 27, "PL": 28, "SE": 24, "DK": 18, "FI": 18, "NO": 15, "GR": 27, "CZ": 24,
}  # fmt: skip
STREET_WORDS = frozenset(
    "rue avenue av boulevard bd place chemin allee impasse route quai cours square faubourg residence lotissement "
    "street st road rd lane ln drive dr court ct way ave blvd".split()
)
FR_ADDRESS_RE = re.compile(
    r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.?|boulevard|bd|place|chemin|allee|impasse|route|quai|cours|"
    r"square|faubourg|residence|lotissement)\s+(?:(?:de|du|des|la|le|l'|d')\s*)*[a-z][\w'-]+(?:\s+[a-z][\w'-]+){0,3}"
    r"(?:,?\s+\d{5}(?:\s+[a-z][\w-]+)?)?"
)
EN_ADDRESS_RE = re.compile(
    r"\b\d{1,5}\s+(?:[A-Za-z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Court|Ct|Way|Blvd|"
    r"Boulevard)\b\.?(?:,?\s+[A-Z][a-z]+)?",
    re.IGNORECASE,
)
# Both address patterns start with a house number; they scan slowly (no first character to look for),
# so a text without any digit skips them.
DIGIT = re.compile(r"\d")
# MANY_DIGITS and the address patterns scan a text several times slower than its bytes are counted, and
# need decimal digits (two; one in the text or its folding), which most messages do not have. Decimal digits
# are ASCII digits or characters from U+0660 on; folding also turns some characters from U+0080 on into
# digits ("²", "½", "①"), but none of U+00C0-U+00FF (accented letters). In UTF-8, all of these start with
# an ASCII digit or a byte 0xC2 or 0xC4-0xFF: with every other byte deleted (but the batch separator),
# each text keeps at least one byte per such character.
_NOT_DIGIT_LEADS = bytes(
    b for b in range(256) if not (0x30 <= b <= 0x39 or b == 0xC2 or b >= 0xC4 or b == ord(BATCH_SEPARATOR))
)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum of a string of digits (payment cards)."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def iban_valid(value: str) -> bool:
    """ISO 13616 check: known length for the country when listed, and mod-97 remainder of 1."""
    compact = value.replace(" ", "").upper()
    if not (15 <= len(compact) <= 34) or not compact.isalnum():
        return False
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _mask(value: str, keep: int = 2) -> str:
    chars = [c for c in value if not c.isspace()]
    if len(chars) <= keep * 2:
        return "*" * len(chars)
    return "".join(chars[:keep]) + "*" * (len(chars) - 2 * keep) + "".join(chars[-keep:])


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if local else "***@" + domain


def _digit_bounds(texts: Sequence[str]) -> list[int] | None:
    """For each text, a count at least its number of decimal digits and at least one when folding it can
    give a digit, for the whole batch with one UTF-8 encoding and one byte deletion; None when a text
    holds the separator."""
    joined = BATCH_SEPARATOR.join(texts)
    if not joins_apart(joined, len(texts)):
        return None
    kept = joined.encode("utf-8", "surrogatepass").translate(None, _NOT_DIGIT_LEADS)
    return list(map(len, kept.split(BATCH_SEPARATOR.encode("ascii"))))


def detect_pii_all(docs: Sequence[Document]) -> list[PiiResult]:
    """``detect_pii`` of every document; texts without the digits a number or an address needs skip them."""
    bounds = _digit_bounds([doc.text for doc in docs]) if docs else None
    if bounds is None:
        return [detect_pii(doc) for doc in docs]
    return [
        _detect(doc, bound >= 2 and MANY_DIGITS.search(doc.text) is not None, bound > 0)
        for doc, bound in zip(docs, bounds, strict=True)
    ]


def detect_pii(doc: Document) -> PiiResult:
    return _detect(doc, MANY_DIGITS.search(doc.text) is not None, True)


def _detect(doc: Document, maybe_number: bool, may_have_address: bool) -> PiiResult:
    """The findings in ``doc``: ``maybe_number`` says whether MANY_DIGITS matches its text, and
    ``may_have_address`` is False when neither the text nor its folding has a digit."""
    text = doc.text
    maybe_email = "@" in text and EMAIL_GATE.search(text) is not None
    maybe_address = may_have_address and not STREET_WORDS.isdisjoint(doc.token_set)
    if not (maybe_email or maybe_number or maybe_address):
        return PiiResult([])
    findings: list[PiiFinding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: PiiKind, start: int, end: int, masked: str) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        findings.append(PiiFinding(kind=kind.value, start=start, end=end, masked=masked))

    if maybe_email:
        for match in EMAIL_RE.finditer(text):
            add(PiiKind.EMAIL, match.start(), match.end(), _mask_email(match.group(0)))
    if maybe_number:
        for match in IBAN_RE.finditer(text):
            if iban_valid(match.group(0)):
                add(PiiKind.IBAN, match.start(), match.end(), _mask(match.group(0), 4))
        for match in CARD_RE.finditer(text):
            digits = re.sub(r"\D", "", match.group(0))
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                add(PiiKind.CARD, match.start(), match.end(), _mask(digits, 2))
        for regex in (FR_PHONE_RE, INTL_PHONE_RE):
            for match in regex.finditer(text):
                digits = re.sub(r"\D", "", match.group(0))
                if 8 <= len(digits) <= 15:
                    add(PiiKind.PHONE, match.start(), match.end(), _mask(digits, 2))
    if maybe_address:
        for regex, source in ((FR_ADDRESS_RE, doc.folded), (EN_ADDRESS_RE, text)):
            if DIGIT.search(source) is None:
                continue
            for match in regex.finditer(source):
                add(PiiKind.ADDRESS, match.start(), match.end(), _mask(match.group(0), 3))
    findings.sort(key=lambda f: f.start)
    return PiiResult(findings=findings)
