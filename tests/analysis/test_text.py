"""Text preparation: the fast ASCII tokenisation gives exactly the regex's tokens."""

from __future__ import annotations

import pytest

from tests.conftest import dataset_dir
from vigie.analysis.text import (
    ASCII_TOKEN_RE,
    LETTER_RUN,
    TOKEN_RE,
    TRIPLED_LETTER,
    ascii_tokens,
    fold,
    fold_all,
    prepare,
    prepare_all,
    squeeze,
)

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


BATCH = [
    *EDGE_CASES,
    "ΟΔΟΣ",
    "ΣΑ",
    "Σ",
    "naïve Ĳssel ǅ Ÿ ß",
    "中文字符 only",
    "مرحبا بالعالم",
    "Ça va? 😀 Très bien!",
    "e\u0301te\u0301 (combining accents)",
    "",
]


def test_fold_all_folds_each_text_as_fold_does() -> None:
    assert fold_all(BATCH) == [fold(t) for t in BATCH]
    assert fold_all(BATCH[::-1]) == [fold(t) for t in BATCH[::-1]]
    assert fold_all([]) == []
    assert fold_all(["a\x1eb", "Été"]) == [fold("a\x1eb"), fold("Été")]


@pytest.mark.parametrize(
    "batch",
    [
        ["œaaaaaa😀"],  # 90% of its own length, under 90% once the ligature is spelt out
        ["abcdefghi😀", "cœur"],  # exactly 90% Latin, next to a ligature that lengthens the batch
        ["abcdefgh😀", "cœur"],  # under 90%: folded on its own
        ["Œuvres 😀😀", "İİİ 😀", "sœur", "…"],  # ligatures, a lower() that lengthens, an expansion
        ["😀😀😀 ok", "ab😀", "ok"],
        ["Très long, sœur 😀 " * 2000, "é" * 50_000, "中文 " * 5000, ""],  # very long texts
    ],
)
def test_fold_all_folds_texts_near_the_latin_threshold_as_fold_does(batch: list[str]) -> None:
    assert fold_all(batch) == [fold(t) for t in batch]


def test_prepare_all_gives_prepare_documents() -> None:
    hints = ["fr" if i % 2 else None for i in range(len(BATCH))]
    assert prepare_all(BATCH, hints) == [prepare(t, h) for t, h in zip(BATCH, hints, strict=True)]


def test_fold_all_matches_fold_on_real_texts() -> None:
    texts = (dataset_dir("umsab-fr-sentiment") / "val_text.txt").read_text(encoding="utf-8").split("\n")
    texts += (dataset_dir("mlma-fr") / "fr_dataset.csv").read_text(encoding="utf-8").split("\n")
    for start in range(0, len(texts), 300):
        batch = texts[start : start + 300]
        assert fold_all(batch) == [fold(t) for t in batch]


def test_prepare_all_gives_prepare_documents_for_ascii_batches_and_real_texts() -> None:
    ascii_batch = ["Hello World!", "", "snake_case 42", "  spaced   out  ", "x"]
    assert prepare_all(ascii_batch, [None] * 5) == [prepare(t) for t in ascii_batch]
    texts = (dataset_dir("tweeteval") / "sentiment" / "val_text.txt").read_text(encoding="utf-8").split("\n")
    texts += (dataset_dir("umsab-fr-sentiment") / "val_text.txt").read_text(encoding="utf-8").split("\n")
    for start in range(0, len(texts), 500):
        batch = texts[start : start + 500]
        assert prepare_all(batch, [None] * len(batch)) == [prepare(t) for t in batch]


def test_prepared_documents_flag_a_tripled_letter_as_the_pattern_does() -> None:
    texts = ["nuuul", "Trooop bien", "aa a", "aaa", "", "xx", "ÉÉÉ ééé", "111 ___", "ok", "a\x1eaa", "zzz!"]
    expected = [TRIPLED_LETTER.search(fold(text)) is not None for text in texts]
    assert expected == [True, True, False, True, False, False, True, False, False, False, True]
    assert [doc.tripled_letter for doc in prepare_all(texts, [None] * len(texts))] == expected
    assert [prepare(text).tripled_letter for text in texts] == expected
    # Letters never run on from one text of the batch into the next.
    assert [doc.tripled_letter for doc in prepare_all(["xa", "aa"], [None, None])] == [False, False]


def test_squeeze_cuts_letter_runs_like_the_template_substitution() -> None:
    words = ["nuuul", "pfffff", "connard", "aa-bb", "ÉÉÉ", "x", "", "zz1zz", "soooo cool"]
    for keep, template in ((1, r"\1"), (2, r"\1\1")):
        assert [squeeze(word, keep) for word in words] == [LETTER_RUN.sub(template, word) for word in words]
    assert squeeze("nuuul") == "nul" and squeeze("pfffff", 2) == "pff"


def test_tripled_letters_of_texts_in_other_scripts() -> None:
    # Characters that are not ASCII count as one non-letter byte each: they break a run, never make one.
    texts = ["中文字aaa", "aa中a", "ααα", "ok 😀😀😀", "Ça vaaa 😀", "ab", "ДДД ddd"]
    folded = [fold(text) for text in texts]
    assert not all(f.isascii() for f in folded)
    expected = [TRIPLED_LETTER.search(f) is not None for f in folded]
    assert expected == [True, False, False, False, True, False, True]
    assert [doc.tripled_letter for doc in prepare_all(texts, [None] * len(texts))] == expected
