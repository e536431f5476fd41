"""PII detection on its own: the cheap gates never hide a finding."""

from __future__ import annotations

import pytest

from vigie.analysis.pii import EMAIL_RE, detect_pii
from vigie.analysis.schemas import AnalyserRef, PiiResult
from vigie.analysis.text import prepare


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
