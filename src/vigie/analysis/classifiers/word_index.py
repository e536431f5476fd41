"""Columns of the word features of a whole batch, without building one string per feature.

The word features of a text are its tokens, its bigrams (``"<s> a"``, ``"a b"``, ``"b </s>"``) and a
``NEG_`` twin of every word that follows a negation until clause-ending punctuation. Looking each of
them up as a string costs a string build, a hash and a dictionary probe per feature. Here the
vocabulary is split once into token ids: a text's tokens are looked up (one dictionary probe per
token), and bigrams become integer pairs looked up with numpy, like negation scopes, over the batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat

import numpy as np
import numpy.typing as npt

from vigie.analysis.classifiers.hash_table import HashIndex

IndexArray = npt.NDArray[np.int64]

SEPARATOR = "\x1e"  # between texts; whitespace, so never inside a token of a normalised text
_TOKEN_OR_SEPARATOR = re.compile(r"\w+|\S|\x1e")  # \S after \w+ failed: [^\w\s]
_UNKNOWN = 0  # id of every token the vocabulary never mentions


def is_word(token: str) -> bool:
    """Word tokens get ``NEG_`` twins and can open a negation; the others are punctuation."""
    return token.isalnum() or "_" in token


class WordIndex:
    """Token ids, unigram / bigram / twin columns and negation flags, from a fitted vocabulary."""

    def __init__(
        self, vocabulary: Mapping[str, int], negations: Iterable[str], clause_end: Iterable[str]
    ) -> None:
        ids: dict[str, int] = {}

        def token_id(token: str) -> int:
            return ids.setdefault(token, len(ids) + 1)

        self.start, self.end, self.separator = token_id("<s>"), token_id("</s>"), token_id(SEPARATOR)
        negation_ids = [token_id(t) for t in negations]
        reset_ids = [token_id(t) for t in clause_end] + [self.separator]
        unigrams: list[tuple[int, int]] = []
        twins: list[tuple[int, int]] = []
        bigrams: list[tuple[int, int, int]] = []
        for gram, column in vocabulary.items():
            first, space, second = gram.partition(" ")
            if space:
                bigrams.append((token_id(first), token_id(second), column))
                continue
            unigrams.append((token_id(gram), column))
            if gram.startswith("NEG_") and is_word(gram[4:]):
                twins.append((token_id(gram[4:]), column))
        size = len(ids) + 1
        self.ids = ids
        self.width = np.uint64(size)
        self.unigram_column = self._columns(size, unigrams)
        self.twin_column = self._columns(size, twins)
        self.negation = np.zeros(size, dtype=bool)
        self.negation[negation_ids] = True
        self.reset = np.zeros(size, dtype=bool)
        self.reset[reset_ids] = True
        pairs = np.array([(a, b) for a, b, _ in bigrams], dtype=np.uint64).reshape(-1, 2)
        self.bigrams = HashIndex(pairs[:, 0] * self.width + pairs[:, 1])
        # A trailing -1 so that "not found" (-1) indexes to -1.
        self.bigram_column = np.array([c for _, _, c in bigrams] + [-1], dtype=np.int64)

    @staticmethod
    def _columns(size: int, pairs: list[tuple[int, int]]) -> IndexArray:
        columns = np.full(size, -1, dtype=np.int64)
        for token, column in pairs:
            columns[token] = column
        return columns

    def lookup(self, normalised: Sequence[str]) -> tuple[IndexArray, IndexArray]:
        """(document index, column or -1) of every word feature of every text."""
        joined = SEPARATOR + SEPARATOR.join(normalised) + SEPARATOR
        tokens = _TOKEN_OR_SEPARATOR.findall(joined)
        ids = np.fromiter(map(self.ids.get, tokens, repeat(_UNKNOWN)), dtype=np.int64, count=len(tokens))
        is_separator = ids == self.separator
        docs = np.cumsum(is_separator) - 1  # a separator opens the next text (and ends the last)
        unigrams = self.unigram_column[ids]
        before = np.where(is_separator, self.start, ids)[:-1].astype(np.uint64)
        after = np.where(is_separator, self.end, ids)[1:].astype(np.uint64)
        bigrams = self.bigram_column[self.bigrams.lookup(before * self.width + after)]
        # Negated before position i: the last negation word before i comes after the last reset.
        positions = np.arange(ids.shape[0], dtype=np.int64)
        last_negation = np.maximum.accumulate(np.where(self.negation[ids], positions, -1))
        last_reset = np.maximum.accumulate(np.where(self.reset[ids], positions, -1))
        twins = np.full(ids.shape[0], -1, dtype=np.int64)
        negated = np.flatnonzero(last_negation[:-1] > last_reset[:-1]) + 1
        twins[negated] = self.twin_column[ids[negated]]
        return np.concatenate([docs, docs[:-1], docs]), np.concatenate([unigrams, bigrams, twins])
