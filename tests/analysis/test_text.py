"""Text preparation: the fast ASCII tokenisation gives exactly the regex's tokens."""

from __future__ import annotations

import pytest

from tests.conftest import dataset_dir
from vigie.analysis.text import ASCII_TOKEN_RE, TOKEN_RE, ascii_tokens, fold, prepare

EDGE_CASES = [
    "",
    "   ",
    "a",
    "snake_case __x__ a_b",
    "tabs\tnewlines\nreturns\r\x0b\x0c\x1c\x1d\x1e\x1f end",
    "punct!?.,;:'\"()[]{}<>/\\|@#$%^&*-+=~` all",
    "MiXeD CaSe 123 abc456 7_8",
    "\x00nul\x01ctrl\x7fdel",
    "ℌello ﬁne Ⅻ",  # NFKD can give upper-case ASCII letters, which are not tokens
    "Ça fait 3 semaines que j’attends, œuvre, cœur !",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_prepare_tokens_are_the_regex_tokens(text: str) -> None:
    folded = fold(text)
    expected = (ASCII_TOKEN_RE if folded.isascii() else TOKEN_RE).findall(folded)
    doc = prepare(text)
    assert doc.tokens == expected
    assert doc.token_set == frozenset(expected)


def test_ascii_tokens_match_the_regex_on_every_ascii_character() -> None:
    text = "".join(chr(c) for c in range(128)) * 2
    assert ascii_tokens(text) == ASCII_TOKEN_RE.findall(text)


def test_prepare_tokens_match_the_regex_on_real_texts() -> None:
    folder = dataset_dir("tweeteval")
    texts = (folder / "sentiment" / "val_text.txt").read_text(encoding="utf-8").split("\n")
    texts += (dataset_dir("umsab-fr-sentiment") / "val_text.txt").read_text(encoding="utf-8").split("\n")
    for text in texts:
        folded = fold(text)
        expected = (ASCII_TOKEN_RE if folded.isascii() else TOKEN_RE).findall(folded)
        assert prepare(text).tokens == expected, text
