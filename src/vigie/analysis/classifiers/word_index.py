"""Columns of the word features of a whole batch, without building one string per feature.

The word features of a text are its tokens (``\\w+`` runs and single other non-space characters, as
``features.word_features`` finds them), its bigrams (``"<s> a"``, ``"a b"``, ``"b </s>"``) and a
``NEG_`` twin of every token that follows a negation until clause-ending punctuation. Looking each of
them up as a string costs a string build, a hash and a dictionary probe per feature. Here the
vocabulary is split once into token ids, and one compiled pass per text reads its code points, finds
its tokens, hashes each one (a hit is checked against the token's code points, so a hash collision
cannot give a wrong id), and looks up its unigram, bigram and twin columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from vigie.analysis.classifiers.code_points import classify
from vigie.analysis.classifiers.compiled import IntTable, int_table_get, jit

IndexArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.uint32]
ClassArray = npt.NDArray[np.uint8]

_UNKNOWN = 0  # id of every token the vocabulary never mentions
_SPACE, _WORD, _OTHER = 0, 1, 2  # what ``re`` calls \s, \w, and the rest
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3


def is_word(token: str) -> bool:
    """Word tokens get ``NEG_`` twins and can open a negation; the others are punctuation."""
    return token.isalnum() or "_" in token


def _class_of(char: str) -> int:
    # What ``re`` does for str patterns: \s is str.isspace, \w is str.isalnum or the underscore.
    if char.isspace():
        return _SPACE
    return _WORD if char.isalnum() or char == "_" else _OTHER


def character_classes(codes: CodeArray) -> ClassArray:
    """The class (space, word, other) of each code point."""
    return classify(codes, _class_of)


def is_word_character(codes: CodeArray) -> npt.NDArray[np.bool_]:
    """``re``'s ``\\w`` for each code point."""
    word: npt.NDArray[np.bool_] = character_classes(codes) == _WORD
    return word


@jit
def _token_hash(codes: CodeArray, start: int, stop: int) -> np.uint64:
    h = np.uint64(_FNV_OFFSET)
    prime = np.uint64(_FNV_PRIME)
    for at in range(start, stop):
        h = (h ^ np.uint64(codes[at])) * prime
    return h


@jit
def _token_hashes(codes: CodeArray, starts: IndexArray) -> npt.NDArray[np.uint64]:
    """The hash of each token ``codes[starts[i]:starts[i + 1]]``."""
    hashes = np.empty(starts.shape[0] - 1, dtype=np.uint64)
    for index in range(hashes.shape[0]):
        hashes[index] = _token_hash(codes, starts[index], starts[index + 1])
    return hashes


@jit
def _token_id(
    codes: CodeArray,
    start: int,
    stop: int,
    id_keys: npt.NDArray[np.uint64],
    id_values: IndexArray,
    id_shift: np.uint64,
    token_codes: CodeArray,
    token_starts: IndexArray,
) -> int:
    found = int_table_get(id_keys, id_values, id_shift, _token_hash(codes, start, stop))
    if found < 0:
        return _UNKNOWN
    begin = token_starts[found]
    if token_starts[found + 1] - begin != stop - start:
        return _UNKNOWN
    for offset in range(stop - start):
        if token_codes[begin + offset] != codes[start + offset]:
            return _UNKNOWN
    return found


@jit
def _emit(rows: IndexArray, columns: IndexArray, n: int, row: int, column: int) -> int:
    """Record feature ``column`` of text ``row`` at index ``n`` unless it is -1 (not in the vocabulary);
    returns the next free index."""
    if column < 0:
        return n
    rows[n] = row
    columns[n] = column
    return n + 1


@jit
def _lookup(
    codes: CodeArray,
    classes: ClassArray,
    starts: IndexArray,
    ends: IndexArray,
    id_keys: npt.NDArray[np.uint64],
    id_values: IndexArray,
    id_shift: np.uint64,
    token_codes: CodeArray,
    token_starts: IndexArray,
    unigram_column: IndexArray,
    twin_column: IndexArray,
    negation: npt.NDArray[np.bool_],
    reset: npt.NDArray[np.bool_],
    pair_keys: npt.NDArray[np.uint64],
    pair_values: IndexArray,
    pair_shift: np.uint64,
    width: np.uint64,
    start_id: int,
    end_id: int,
) -> tuple[IndexArray, IndexArray]:
    n_rows = starts.shape[0]
    capacity = 3 * codes.shape[0] + n_rows
    rows = np.empty(capacity, dtype=np.int64)
    columns = np.empty(capacity, dtype=np.int64)
    n = 0
    for row in range(n_rows):
        end = ends[row]
        previous = start_id
        negated = False
        at = starts[row]
        while at < end:
            kind = classes[at]
            if kind == _SPACE:
                at += 1
                continue
            stop = at + 1
            if kind == _WORD:
                while stop < end and classes[stop] == _WORD:
                    stop += 1
            token = _token_id(codes, at, stop, id_keys, id_values, id_shift, token_codes, token_starts)
            at = stop
            n = _emit(rows, columns, n, row, unigram_column[token])
            if min(previous, token) > _UNKNOWN:
                pair = np.uint64(previous) * width + np.uint64(token)
                n = _emit(rows, columns, n, row, int_table_get(pair_keys, pair_values, pair_shift, pair))
            if negated:
                n = _emit(rows, columns, n, row, twin_column[token])
            if reset[token]:
                negated = False
            if negation[token]:
                negated = True
            previous = token
        if previous != _UNKNOWN:
            pair = np.uint64(previous) * width + np.uint64(end_id)
            n = _emit(rows, columns, n, row, int_table_get(pair_keys, pair_values, pair_shift, pair))
    return rows[:n], columns[:n]


class WordIndex:
    """Token ids, unigram / bigram / twin columns and negation flags, from a fitted vocabulary."""

    def __init__(
        self, vocabulary: Mapping[str, int], negations: Iterable[str], clause_end: Iterable[str]
    ) -> None:
        ids: dict[str, int] = {}

        def token_id(token: str) -> int:
            return ids.setdefault(token, len(ids) + 1)

        self.start, self.end = token_id("<s>"), token_id("</s>")
        negation_ids = [token_id(t) for t in negations]
        reset_ids = [token_id(t) for t in clause_end]
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
        # Token id -> its code points (id 0, unknown, has none), and a table from their hash to the id.
        ordered = sorted(ids, key=ids.__getitem__)
        lengths = np.array([0, *map(len, ordered)], dtype=np.int64)
        self.token_starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self.token_codes = np.frombuffer("".join(ordered).encode("utf-32-le"), dtype=np.uint32).copy()
        hashes = _token_hashes(self.token_codes, self.token_starts[1:])
        distinct, first_index = np.unique(hashes, return_index=True)
        # Two tokens with the same 64-bit hash would be astronomically rare; the later one then stays
        # unknown (the code points check rules out a wrong id).
        self.token_table = IntTable(distinct, (first_index + 1).astype(np.int64))
        pairs = np.array([(a, b) for a, b, _ in bigrams], dtype=np.uint64).reshape(-1, 2)
        self.bigram_table = IntTable(
            pairs[:, 0] * self.width + pairs[:, 1], np.array([c for _, _, c in bigrams], dtype=np.int64)
        )

    @staticmethod
    def _columns(size: int, pairs: list[tuple[int, int]]) -> IndexArray:
        columns = np.full(size, -1, dtype=np.int64)
        for token, column in pairs:
            columns[token] = column
        return columns

    def lookup(self, normalised: Sequence[str]) -> tuple[IndexArray, IndexArray]:
        """(document index, column) of every word feature of the vocabulary in every text."""
        lengths = np.fromiter(map(len, normalised), dtype=np.int64, count=len(normalised))
        ends = np.cumsum(lengths)
        codes = np.frombuffer("".join(normalised).encode("utf-32-le"), dtype=np.uint32)
        return self.lookup_code_points(codes, ends - lengths, ends)

    def lookup_code_points(
        self, codes: CodeArray, starts: IndexArray, ends: IndexArray
    ) -> tuple[IndexArray, IndexArray]:
        """``lookup`` of the texts ``codes[starts[i]:ends[i]]`` (spaces around them change nothing)."""
        tokens, bigrams = self.token_table, self.bigram_table
        rows, columns = _lookup(
            codes,
            character_classes(codes),
            starts,
            ends,
            tokens.keys,
            tokens.values,
            tokens.shift,
            self.token_codes,
            self.token_starts,
            self.unigram_column,
            self.twin_column,
            self.negation,
            self.reset,
            bigrams.keys,
            bigrams.values,
            bigrams.shift,
            self.width,
            self.start,
            self.end,
        )
        return rows, columns
