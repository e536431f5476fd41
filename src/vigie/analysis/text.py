"""Text preparation shared by every built-in analyser: folding, tokens and light stems, computed once.

Folding lower-cases, strips accents (``é`` -> ``e``, ``œ`` -> ``oe``) and unifies apostrophes, with one
``str.translate`` call, so French elisions (``j'attends``, ``qu'il``) split into separate tokens.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from vigie.analysis.schemas import LanguageResult, SentimentResult, ToxicityResult


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base != char and base.isascii() and base.isalpha():
            table[code] = base.lower()
    table.update({ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae", ord("ß"): "ss"})
    for quote in "’‘`´ʼ":
        table[ord(quote)] = "'"
    for dash in "‐‑‒–—":
        table[ord(dash)] = "-"
    return table


_FOLD = _fold_table()
TOKEN_RE = re.compile(r"\w+")
TRIPLED_LETTER = re.compile(r"([a-z])\1\1")  # stretched words ("nuuul") and spelt-out shouts
LETTER_RUN = re.compile(r"([a-z])\1+")
# What r"\1" would put back, as a C-level callable: re.sub then runs no Python code per match (a string
# template costs a Python-level expansion per match, which showed in profiles).
_RUN_LETTER = operator.methodcaller("group", 1)


def squeeze(word: str, keep: int = 1) -> str:
    """Each run of a repeated letter a-z cut to ``keep`` letters ("nuuul" -> "nul", "pfffff" -> "pff")."""
    if keep == 1:
        return LETTER_RUN.sub(_RUN_LETTER, word)
    return LETTER_RUN.sub(lambda run: run.group(1) * keep, word)


ASCII_TOKEN_RE = re.compile(r"[a-z0-9_]+")  # the same tokens on folded ASCII text
# ASCII_TOKEN_RE's tokens, found twice as fast: every other ASCII byte becomes a space, then split.
_ASCII_NON_TOKEN = bytes.maketrans(
    bytes(range(128)),
    bytes(c if ASCII_TOKEN_RE.fullmatch(chr(c)) else 32 for c in range(128)),
)
# Joins the texts of a batch: whitespace for \s and str.split, a starter for NFKD, neither cased nor
# case-ignorable for lower(), and no letter, digit or word character, so no pattern or step reaches across it.
BATCH_SEPARATOR = "\x1e"
# The same translation, except that a batch's separator is kept.
_ASCII_NON_TOKEN_KEEP_SEPARATOR = (
    _ASCII_NON_TOKEN[: ord(BATCH_SEPARATOR)]
    + BATCH_SEPARATOR.encode("ascii")
    + _ASCII_NON_TOKEN[ord(BATCH_SEPARATOR) + 1 :]
)


def ascii_tokens(folded: str) -> list[str]:
    """``ASCII_TOKEN_RE.findall(folded)`` for an ASCII string."""
    return folded.encode("ascii").translate(_ASCII_NON_TOKEN).decode("ascii").split()


def fold(text: str) -> str:
    """Lower case, accents removed, one kind of apostrophe; letters of other scripts are kept."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    # Fast path for Latin text: decompose and drop the accents (several times faster than translate).
    latin = lowered.replace("’", "'").replace("œ", "oe").replace("æ", "ae")
    ascii_only = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
    if len(ascii_only) >= 0.9 * len(latin):
        return ascii_only
    return lowered.translate(_FOLD)


def joins_apart(joined: str, count: int) -> bool:
    """Whether ``count`` texts joined by ``BATCH_SEPARATOR`` split back into the same texts (none holds it)."""
    return joined.count(BATCH_SEPARATOR) == max(count - 1, 0)


def fold_all(texts: Sequence[str]) -> list[str]:
    """``fold`` of every text, with one ``lower``, one NFKD and one ASCII encoding for the batch."""
    joined = BATCH_SEPARATOR.join(texts)
    if not joins_apart(joined, len(texts)):
        return [fold(text) for text in texts]
    lowered = joined.lower()
    if lowered.isascii():
        return lowered.split(BATCH_SEPARATOR) if texts else []
    latin = lowered.replace("’", "'").replace("œ", "oe").replace("æ", "ae")
    ascii_only = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
    # fold keeps the Latin folding when it leaves 90% of the text's ``latin`` length. Lowering and the
    # ligatures never shorten a text, so when the batch kept its length, each text's ``latin`` is as long
    # as the text: no need to split ``latin``. The few texts that fail fold on their own.
    folded = ascii_only.split(BATCH_SEPARATOR)
    latin_lengths = map(len, texts if len(latin) == len(joined) else latin.split(BATCH_SEPARATOR))
    for index, (latin_length, text_folded) in enumerate(zip(latin_lengths, folded, strict=True)):
        if len(text_folded) < 0.9 * latin_length:
            folded[index] = fold(texts[index])
    return folded


def stem(token: str) -> str:
    """A very light, language-agnostic stem: plural and final-e endings only (``cassées`` -> ``casse``).

    Keywords and message words go through the same function, so matching is consistent even where the
    stem is not a real word.
    """
    size = len(token)
    if size > 5 and token.endswith("ies"):
        token = token[:-3] + "y"
    elif size > 3 and token[-1] in "sx" and not token.endswith("ss"):
        token = token[:-1]
    if len(token) > 4 and token[-1] == "e":
        token = token[:-1]
    return token


@dataclass(slots=True)
class Document:
    """One text prepared for analysis; analysers later in the pipeline can read earlier results."""

    text: str
    folded: str
    tokens: list[str]
    token_set: frozenset[str]
    # A letter three times in a row in ``folded`` ("nuuul", "fuuuck"): see TRIPLED_LETTER.
    tripled_letter: bool
    lang_hint: str | None = None
    language: LanguageResult | None = None
    sentiment: SentimentResult | None = None
    toxicity: ToxicityResult | None = None

    @property
    def lang(self) -> str:
        """The detected language code, else the hint, else ``und``."""
        if self.language is not None:
            return self.language.code
        return self.lang_hint or "und"


def tokens_of(folded: str) -> list[str]:
    """The word tokens of a folded text (the fast byte path when it is ASCII)."""
    return ascii_tokens(folded) if folded.isascii() else TOKEN_RE.findall(folded)


def prepare(text: str, lang_hint: str | None = None) -> Document:
    folded = fold(text)
    tokens = tokens_of(folded)
    return Document(
        text=text,
        folded=folded,
        tokens=tokens,
        token_set=frozenset(tokens),
        tripled_letter=TRIPLED_LETTER.search(folded) is not None,
        lang_hint=lang_hint,
    )


def _tokens_and_tripled_letters(folded: list[str]) -> tuple[list[list[str]], list[bool]]:
    """The tokens of every folded text and whether it holds a tripled letter (``TRIPLED_LETTER``), from one
    byte translation of the batch: a split per text for the tokens (a text that is not ASCII, of other
    scripts, is tokenised on its own with ``TOKEN_RE``), and numpy over the bytes for the letters."""
    joined = BATCH_SEPARATOR.join(folded)
    if not joins_apart(joined, len(folded)):
        return [tokens_of(f) for f in folded], [TRIPLED_LETTER.search(f) is not None for f in folded]
    # One byte per character: letters stay letters, and what is not ASCII becomes a space, as no letter.
    ascii_bytes = joined.encode("ascii", "replace").translate(_ASCII_NON_TOKEN_KEEP_SEPARATOR)
    tokens = [part.split() for part in ascii_bytes.decode("ascii").split(BATCH_SEPARATOR)] if folded else []
    if not joined.isascii():
        for index, text in enumerate(folded):
            if not text.isascii():
                tokens[index] = TOKEN_RE.findall(text)
    return tokens, _tripled_letters(ascii_bytes, folded)


def prepare_all(texts: Sequence[str], lang_hints: Sequence[str | None]) -> list[Document]:
    """``prepare`` of every text (with its hint), folding and tokenising the batch at once."""
    folded = fold_all(texts)
    tokens, tripled = _tokens_and_tripled_letters(folded)
    return [
        Document(text, text_folded, text_tokens, frozenset(text_tokens), text_tripled, hint)
        for text, text_folded, text_tokens, text_tripled, hint in zip(
            texts, folded, tokens, tripled, lang_hints, strict=True
        )
    ]


def _tripled_letters(codes: bytes, folded: list[str]) -> list[bool]:
    """``TRIPLED_LETTER.search(text) is not None`` for every folded text, with numpy over ``codes``, the
    batch joined by ``BATCH_SEPARATOR`` with one byte per character and letters kept (the pattern's
    back-reference makes the regex scan cost about 1.5 µs per tweet, twice per text)."""
    points = np.frombuffer(codes, dtype=np.uint8)
    same = points[1:] == points[:-1]
    tripled = (points[:-2] >= ord("a")) & (points[:-2] <= ord("z")) & same[:-1] & same[1:]
    flags = np.zeros(len(folded), dtype=bool)
    if tripled.any():  # the separator is no letter, so no run crosses from one text to the next
        ends = np.cumsum(np.fromiter(map(len, folded), dtype=np.int64, count=len(folded)) + 1)
        flags[np.searchsorted(ends, np.flatnonzero(tripled), side="right")] = True
    return flags.tolist()
