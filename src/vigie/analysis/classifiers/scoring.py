"""Linear scores of texts under a fitted ``Featuriser``, computed by compiled loops (numba).

``Featuriser.transform`` builds the TF-IDF matrix with numpy, for training. Predicting needs only each
row's dot product with the weights, and numpy can reach it only through whole-batch passes (hash every
n-gram of every order, look them all up, sort them by row and column to count repeats, sum by
segment): about 45 µs for a French tweet. One compiled pass per text does the same work in a few µs:
each character n-gram is hashed as it is read and looked up in an open-addressing table whose slot also
holds the feature's idf and idf x weight; the features met in the text are marked in bit sets of the
table's slots (a repeat, which is rare, is listed apart), so the sublinear tf (1 + log count) needs no sort.

The score of a row is ``word_sum * word_weight / ||word block|| + char_sum * char_weight / ||char
block||``, as the product of ``transform``'s row with the weights; ``tests/analysis/
test_features_equivalence.py`` pins the two against each other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from vigie.analysis.classifiers.compiled import MIX, jit
from vigie.analysis.classifiers.features import Featuriser, block_scale

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.int64]
KeyArray = npt.NDArray[np.uint64]
# Bit sets of the slots seen and repeated in the current text, the slots met and the repeats.
Counters = tuple[KeyArray, KeyArray, IndexArray, IndexArray]

_PRIME = 1_000_003  # the n-gram hash of features.char_ngrams_by_order
_ORDER_SALT = 0x9E3779B97F4A7C15


@jit
def _bit(slot: int | np.int64) -> tuple[int | np.int64, np.uint64]:
    """Where slot ``slot`` is in a bit set: its 64-bit word and the bit within it."""
    return slot >> 6, np.uint64(1) << np.uint64(slot & 63)


@jit
def _count_slot(slot: int | np.int64, counters: Counters, n_met: int, n_repeats: int) -> tuple[int, int]:
    """Count one occurrence of table slot ``slot`` in the text. ``seen`` and ``repeated`` are bit sets
    of the table's slots (a few kB: they stay in the fastest cache, which a table of counts would not);
    a slot met again goes to ``repeats``, which stays short. Returns the new lengths of ``met`` and
    ``repeats``."""
    seen, repeated, met, repeats = counters
    word, bit = _bit(slot)
    if seen[word] & bit:
        repeated[word] |= bit
        repeats[n_repeats] = slot
        return n_met, n_repeats + 1
    seen[word] |= bit
    met[n_met] = slot
    return n_met + 1, n_repeats


@jit
def _flush_row(
    row: int,
    data: FloatArray,
    counters: Counters,
    n_met: int,
    n_repeats: int,
    squares: FloatArray,
    sums: FloatArray,
) -> None:
    """Add the text's distinct features (tf x idf, and tf x idf x weight for each label) to row ``row``
    and empty the bit sets for the next text."""
    seen, repeated, met, repeats = counters
    n_labels = data.shape[1] - 1
    square = 0.0
    for index in range(n_met):
        slot = met[index]
        word, bit = _bit(slot)
        seen[word] &= ~bit
        tf = 1.0
        if repeated[word] & bit:
            repeated[word] &= ~bit
            count = 1
            for other in range(n_repeats):
                if repeats[other] == slot:
                    count += 1
            tf = 1.0 + math.log(count)
        value = tf * data[slot, 0]
        square += value * value
        for label in range(n_labels):
            sums[label, row] += tf * data[slot, label + 1]
    squares[row] = square


@jit
def _counters(n_slots: int, longest: int) -> Counters:
    """Empty bit sets of ``n_slots`` slots, and room for the slots of a text of ``longest`` features."""
    words = (n_slots + 63) // 64
    return (
        np.zeros(words, dtype=np.uint64),
        np.zeros(words, dtype=np.uint64),
        np.empty(longest, dtype=np.int64),
        np.empty(longest, dtype=np.int64),
    )


@jit
def _find(key: np.uint64, keys: KeyArray, data: FloatArray, shift: np.uint64, mask: np.uint64) -> np.int64:
    """The slot holding ``key``, or -1. The probe of ``compiled.int_table_get``, but it reads emptiness
    from the slot's data row, which the scorer reads next anyway: probing the table's values instead
    measured 12 % slower on French tweets."""
    slot = (key * np.uint64(MIX)) >> shift
    while data[slot, 0] != 0.0:  # an idf is at least 1: 0 marks an empty slot
        if keys[slot] == key:
            return np.int64(slot)  # not int(): numba would make it unsigned
        slot = (slot + np.uint64(1)) & mask
    return np.int64(-1)


@jit
def _char_sums(
    codes: npt.NDArray[np.uint32],
    starts: IndexArray,
    ends: IndexArray,
    char_min: int,
    char_max: int,
    keys: KeyArray,
    data: FloatArray,
    shift: np.uint64,
) -> tuple[FloatArray, FloatArray]:
    """Per text (``codes[starts[r]:ends[r]]``, already framed by spaces): the sum of (tf x idf)² over its
    distinct known character n-grams, and for each label the sum of tf x idf x weight."""
    n_rows = starts.shape[0]
    squares = np.zeros(n_rows)
    sums = np.zeros((data.shape[1] - 1, n_rows))
    longest = 1
    for row in range(n_rows):
        longest = max(longest, (ends[row] - starts[row]) * (char_max - char_min + 1))
    counters = _counters(keys.shape[0], longest)
    mask = np.uint64(keys.shape[0] - 1)
    prime, salt = np.uint64(_PRIME), np.uint64(_ORDER_SALT)
    for row in range(n_rows):
        end = ends[row]
        n_met = n_repeats = 0
        for first in range(starts[row], end):
            h = np.uint64(codes[first])
            if char_min == 1:
                slot = _find(h ^ salt, keys, data, shift, mask)
                if slot >= 0:
                    n_met, n_repeats = _count_slot(slot, counters, n_met, n_repeats)
            for order in range(2, char_max + 1):
                last = first + order - 1
                if last >= end:
                    break
                h = h * prime + np.uint64(codes[last])
                if order < char_min:
                    continue
                slot = _find(h ^ (salt * np.uint64(order)), keys, data, shift, mask)
                if slot >= 0:
                    n_met, n_repeats = _count_slot(slot, counters, n_met, n_repeats)
        _flush_row(row, data, counters, n_met, n_repeats, squares, sums)
    return squares, sums


@jit
def _word_sums(
    rows: IndexArray, columns: IndexArray, n_rows: int, data: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The same sums for the word features: ``(rows[i], columns[i])`` is one occurrence, any order."""
    per_row = np.zeros(n_rows + 1, dtype=np.int64)
    for index in range(rows.shape[0]):
        per_row[rows[index] + 1] += 1
    longest = 1
    for row in range(n_rows):
        longest = max(longest, per_row[row + 1])
        per_row[row + 1] += per_row[row]
    by_row = np.empty(rows.shape[0], dtype=np.int64)
    filled = per_row[:-1].copy()
    for index in range(rows.shape[0]):
        by_row[filled[rows[index]]] = columns[index]
        filled[rows[index]] += 1
    counters = _counters(data.shape[0], longest)
    squares = np.zeros(n_rows)
    sums = np.zeros((data.shape[1] - 1, n_rows))
    for row in range(n_rows):
        n_met = n_repeats = 0
        for index in range(per_row[row], per_row[row + 1]):
            n_met, n_repeats = _count_slot(by_row[index], counters, n_met, n_repeats)
        _flush_row(row, data, counters, n_met, n_repeats, squares, sums)
    return squares, sums


class LinearScorer:
    """``Featuriser.transform(texts) @ weights.T`` for fixed weights (k, n_features), without the matrix."""

    def __init__(self, featuriser: Featuriser, weights: FloatArray) -> None:
        if weights.ndim != 2 or weights.shape[1] != featuriser.n_features:
            raise ValueError(
                f"weights must have shape (k, {featuriser.n_features}) for this featuriser; got {weights.shape}"
            )
        self.featuriser = featuriser
        self._sources = featuriser.fitted_arrays()
        self.n_labels = int(weights.shape[0])
        n_words = len(featuriser.words)
        weights = weights.astype(np.float64, copy=False)
        self.word_data = np.ascontiguousarray(
            np.column_stack([featuriser.word_idf, (featuriser.word_idf * weights[:, :n_words]).T])
        )
        char_values = np.column_stack([featuriser.char_idf, (featuriser.char_idf * weights[:, n_words:]).T])
        # The slots of the featuriser's table of hashes (same probing), each holding its feature's data;
        # an idf is at least 1, so 0 marks an empty slot.
        positions = featuriser.char_table()
        self.char_shift = positions.shift
        self.char_keys = positions.keys
        self.char_data = np.zeros((positions.keys.shape[0], 1 + self.n_labels), dtype=np.float64)
        filled = positions.values >= 0
        self.char_data[filled] = char_values[positions.values[filled]]

    def reads(self, featuriser: Featuriser) -> bool:
        """Whether this scorer was made from ``featuriser`` as it is now (its vocabulary unchanged)."""
        return featuriser is self.featuriser and all(
            a is b for a, b in zip(self._sources, featuriser.fitted_arrays(), strict=True)
        )

    def scores(self, texts: Sequence[str]) -> FloatArray:
        featuriser = self.featuriser
        config = featuriser.config
        norm = featuriser.normalise_all(texts)
        n_rows = len(norm)
        if n_rows == 0:
            return np.zeros((0, self.n_labels), dtype=np.float64)
        # Each text framed by spaces (the character n-grams' frame); two spaces never share an n-gram.
        framed = " " + "  ".join(norm) + " "
        codes = np.frombuffer(framed.encode("utf-32-le"), dtype=np.uint32)
        lengths = np.fromiter(map(len, norm), dtype=np.int64, count=n_rows) + 2
        ends = np.cumsum(lengths)
        starts = ends - lengths
        rows, columns = featuriser.word_index().lookup_code_points(codes, starts, ends)
        word_squares, word_sums = _word_sums(rows, columns, n_rows, self.word_data)
        char_squares, char_sums = _char_sums(
            codes,
            starts,
            ends,
            config.char_min,
            config.char_max,
            self.char_keys,
            self.char_data,
            self.char_shift,
        )
        word_part = word_sums * block_scale(word_squares, config.word_weight)
        char_part = char_sums * block_scale(char_squares, config.char_weight)
        return np.ascontiguousarray((word_part + char_part).T)
