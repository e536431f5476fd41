"""PII detection on its own: the cheap gates never hide a finding."""

from __future__ import annotations

import pytest

from vigie.analysis.pii import EMAIL_RE, _digit_bounds, detect_pii, detect_pii_all
from vigie.analysis.schemas import AnalyserRef, PiiResult
from vigie.analysis.text import BATCH_SEPARATOR, fold, prepare


@pytest.mark.parametrize(
    ("text", "emails"),
    [
        ("écrivez à first.last+tag@sub.example.org svp", ["f***@sub.example.org"]),
        ("a@b.co", ["a***@b.co"]),
        ("@user. merci", []),  # the gate passes, the address regex finds nothing
        ("x @b.co", []),  # no local part
        ("@user @other: no mail here", []),
        ("deux: a@x.fr, b@y.com", ["a***@x.fr", "b***@y.com"]),
    ],
)
def test_emails_are_the_address_regex_matches(text: str, emails: list[str]) -> None:
    found = [f.masked for f in detect_pii(prepare(text)).findings if f.kind == "email"]
    assert found == emails
    assert len(found) == len(EMAIL_RE.findall(text))


def test_to_dict_has_the_same_keys_with_and_without_findings() -> None:
    ref = AnalyserRef("vigie-patterns", "1")
    empty = PiiResult([], ref).to_dict()
    found = detect_pii(prepare("mail jean@example.fr"))
    found.analyser = ref
    full = found.to_dict()
    assert list(empty) == list(full) == ["present", "kinds", "findings", "analyser"]
    assert empty == {"present": False, "kinds": [], "findings": [], "analyser": ref.to_dict()}
    assert full["present"] is True and full["kinds"] == ["email"] and full["analyser"] == ref.to_dict()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Livrez au 12 rue de la Paix, 75002 Paris", True),
        ("I live at 221 Baker Street, London", True),
        ("on est en cours, rue bondée, no way", False),  # street words, no house number
        ("Livrez au ¹² rue de la Paix", True),  # no decimal digit in the text, but folding makes one
    ],
)
def test_addresses_need_a_house_number(text: str, found: bool) -> None:
    kinds = [f.kind for f in detect_pii(prepare(text)).findings]
    assert ("address" in kinds) is found


NUMBER_TEXTS = [
    "",
    "rappelez-moi au 06 12 34 56 78 svp",
    "carte 4970 1012 3456 7890, expire 12/27",
    "IBAN FR76 3000 6000 0112 3456 7890 189",
    "né en 1987, 2 enfants",  # two digits, no number
    "pas un seul chiffre ici, même accentué : où, ½ ¹²",
    "٠٦ ١٢ ٣٤ ٥٦ ٧٨ (Arabic-Indic digits)",
    "０６１２３４５６７８ (fullwidth digits)",
    "mix ٠٦ 12 ３４ 56 78 ’quotes’ 😀",
    "a lone surrogate \ud800 then 06 12 34 56 78",
    "a record separator \x1e inside 06 12 34 56 78",  # the batch separator: the batch falls back
    "12 rue de la Paix, 75002 Paris",
    "Livrez au ¹² rue de la Paix",  # no decimal digit, but folding makes one
    "Livrez au ①② rue de la Paix",
    "Livrez à l'hôtel, rue de la Paix",  # a street word, no digit: the address patterns are skipped
    "a NUL \x00 inside 06 12 34 56 78",
]


def test_no_decimal_digit_before_u0660_but_ascii_ones() -> None:
    # The batch gate counts ASCII digits and the lead bytes of characters from U+0100 on (and U+0080-U+00BF).
    decimals = [chr(c) for c in range(0x110000) if chr(c).isdecimal()]
    assert all(c.isascii() or ord(c) >= 0x660 for c in decimals)
    assert all(c.encode("utf-8")[0] >= 0xC4 for c in decimals if not c.isascii())


def test_folding_makes_no_digit_from_ascii_and_accented_letters() -> None:
    # Characters the batch gate does not count: ASCII but digits, and U+00C0-U+00FF (UTF-8 lead byte 0xC3).
    uncounted = [chr(c) for c in range(0x100) if not (0x30 <= c <= 0x39 or 0x80 <= c < 0xC0)]
    assert all(chr(c).encode("utf-8")[0] == 0xC3 for c in range(0xC0, 0x100))
    assert not any(ch.isdecimal() for ch in fold("".join(uncounted)))
    assert not any(ch.isdecimal() for c in uncounted for ch in fold(c))
    assert fold("¹²½①") == "12121"  # counted ones do


def test_digit_bounds_never_hide_a_number_or_an_address() -> None:
    texts = [text for text in NUMBER_TEXTS if BATCH_SEPARATOR not in text]
    bounds = _digit_bounds(texts)
    assert bounds is not None
    for text, bound in zip(texts, bounds, strict=True):
        assert bound >= sum(c.isdecimal() for c in text), text
        if any(c.isdecimal() for c in fold(text)):
            assert bound > 0, text
    by_text = dict(zip(texts, bounds, strict=True))
    assert by_text[""] == 0 and by_text["Livrez à l'hôtel, rue de la Paix"] == 0  # the patterns are skipped
    assert by_text["Livrez au ¹² rue de la Paix"] > 0  # folding makes digits
    assert _digit_bounds(NUMBER_TEXTS) is None  # a text holds the separator


@pytest.mark.parametrize(
    "batch", [NUMBER_TEXTS, NUMBER_TEXTS[:10] + NUMBER_TEXTS[11:], NUMBER_TEXTS[1:3], []]
)
def test_detect_pii_all_gives_detect_pii_results(batch: list[str]) -> None:
    docs = [prepare(text) for text in batch]
    assert detect_pii_all(docs) == [detect_pii(doc) for doc in docs]
    assert any(r.findings for r in detect_pii_all(docs)) == bool(batch)
