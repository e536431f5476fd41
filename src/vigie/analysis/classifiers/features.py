"""Sparse text features that serialise to plain arrays (no pickle) and compute fast in batch.

Words: unigrams and bigrams of a normalised token stream, looked up in a vocabulary (str -> column).
Characters: n-grams of the normalised text, identified by a 64-bit polynomial hash computed with
numpy over the whole batch at once, looked up in a table of the fitted hashes (``compiled.IntTable``).
Each block is weighted by sublinear tf x idf and L2-normalised, as in a classic TF-IDF pipeline.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from vigie.analysis.classifiers.code_points import normalise_code_points
from vigie.analysis.classifiers.compiled import IntTable
from vigie.analysis.classifiers.word_index import WordIndex, is_word
from vigie.analysis.text import BATCH_SEPARATOR, joins_apart

FloatArray = npt.NDArray[np.float64]
HashArray = npt.NDArray[np.uint64]

_URL = re.compile(r"(?:https?://|www\.)\S+")
_USER = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_HASHTAG_START = re.compile(r"#(?=\w)")  # the same edit as _HASHTAG, with a plain (faster) replacement
_DIGITS = re.compile(r"\d+")
_ELONGATED = re.compile(r"(.)\1{2,}")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_NEGATIONS = frozenset(
    "not no never nothing nobody none nor cannot cant dont doesnt didnt isnt wasnt arent werent wont "
    "wouldnt shouldnt couldnt aint ne pas jamais rien personne aucun aucune sans ni plus".split()
)
_CLAUSE_END = frozenset(".,!?;:")
_PRIME = np.uint64(1_000_003)
_ORDER_SALT = np.uint64(0x9E3779B97F4A7C15)


def _accent_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base != char and base.isascii():
            table[code] = base
    table[ord("œ")] = "oe"
    table[ord("æ")] = "ae"
    table[ord("’")] = "'"
    return table


_ACCENTS = _accent_table()


def _accent_arrays() -> tuple[npt.NDArray[np.uint32], dict[str, str]]:
    """``_ACCENTS`` as a code point lookup array (one-to-one entries) plus the few longer replacements."""
    one_to_one = {k: v for k, v in _ACCENTS.items() if len(v) == 1}
    table = np.arange(max(_ACCENTS) + 1, dtype=np.uint32)
    for code, base in one_to_one.items():
        table[code] = ord(base)
    longer = {chr(k): v for k, v in _ACCENTS.items() if len(v) != 1}
    return table, longer


_ACCENT_CODES, _ACCENT_LONGER = _accent_arrays()


def normalise(text: str, *, strip_accents: bool) -> str:
    """Lower case; URLs, user mentions and numbers become placeholders; elongations are shortened."""
    value = text.lower().replace("’", "'").replace("n't", "nt")
    value = _URL.sub(" httpurl ", value)
    value = _USER.sub(" @user ", value)
    value = _HASHTAG.sub(r"# \1", value)
    value = _DIGITS.sub("0", value)
    value = _ELONGATED.sub(r"\1\1\1", value)
    if strip_accents:
        value = value.translate(_ACCENTS)
    return _SPACES.sub(" ", value).strip()


def normalise_batch(texts: Sequence[str], *, strip_accents: bool) -> list[str]:
    """``normalise`` of every text, each step applied once to the joined batch."""
    filled = [i for i, text in enumerate(texts) if text]
    if not filled:
        return [""] * len(texts)
    joined = BATCH_SEPARATOR.join([texts[i] for i in filled])
    if not joins_apart(joined, len(filled)):  # a text holds the separator itself
        return [normalise(t, strip_accents=strip_accents) for t in texts]
    value = joined.lower().replace("’", "'").replace("n't", "nt")
    if "http" in value or "www." in value:
        value = _URL.sub(" httpurl ", value)
    if "@" in value:
        value = _USER.sub(" @user ", value)
    if "#" in value:
        value = _HASHTAG_START.sub("# ", value)
    value = normalise_code_points(value, _ACCENT_CODES if strip_accents else None)
    if strip_accents:
        for char, replacement in _ACCENT_LONGER.items():
            if char in value:
                value = value.replace(char, replacement)
    out = [""] * len(texts)
    for index, part in zip(filled, value.split(BATCH_SEPARATOR), strict=True):
        out[index] = part
    return out


def _negated_twins(tokens: list[str]) -> list[str]:
    twins: list[str] = []
    negated = False
    for token in tokens:
        if is_word(token):
            if negated:
                twins.append("NEG_" + token)
            if token in _NEGATIONS:
                negated = True
        elif token in _CLAUSE_END:
            negated = False
    return twins


def word_features(normalised: str) -> list[str]:
    """Unigrams and bigrams; a token after a negation (until punctuation) gets a ``NEG_`` twin."""
    tokens = _TOKEN.findall(normalised)
    grams = tokens + list(map(" ".join, zip(["<s>", *tokens], [*tokens, "</s>"], strict=True)))
    if not _NEGATIONS.isdisjoint(tokens):
        grams += _negated_twins(tokens)
    return grams


@dataclass(frozen=True)
class FeatureConfig:
    """How texts become features; saved with the model so predictions use the same settings."""

    strip_accents: bool = True
    char_min: int = 2
    char_max: int = 5
    min_df: int = 2
    max_word_features: int = 60_000
    max_char_features: int = 120_000
    char_weight: float = 1.0
    word_weight: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureConfig:
        return cls(**data)


def _codepoints(texts: Sequence[str]) -> npt.NDArray[np.uint64]:
    # Each text is framed by spaces and followed by NUL, which no n-gram may contain.
    joined = "\x00".join(" " + t + " " for t in texts) + "\x00"
    return np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def char_ngram_hashes(
    texts: Sequence[str], char_min: int, char_max: int
) -> tuple[npt.NDArray[np.int64], HashArray]:
    """(document index, hash) of every character n-gram of every text, orders char_min..char_max."""
    orders = list(char_ngrams_by_order(texts, char_min, char_max))
    if not orders:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    docs, hashes = zip(*orders, strict=True)
    return np.concatenate(docs), np.concatenate(hashes)


def char_ngrams_by_order(
    texts: Sequence[str], char_min: int, char_max: int
) -> Iterator[tuple[npt.NDArray[np.int64], HashArray]]:
    """(document index, hash) of every character n-gram of every text, one order at a time.

    The hash of an n-gram is its (n-1)-gram's hash times the prime plus its last code point, so each
    order costs one multiply-add over the batch; the order is then mixed in with a salt.
    """
    codes = _codepoints(texts)
    framed = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 3
    doc_of = np.repeat(np.arange(len(texts), dtype=np.int64), framed)
    has_nul = codes == 0
    length = codes.shape[0]
    h = codes
    with np.errstate(over="ignore"):
        for n in range(1, char_max + 1):
            count = length - n + 1
            if count <= 0:
                break
            if n > 1:
                h = h[:count] * _PRIME + codes[n - 1 :]
                has_nul = has_nul[:count] | (codes[n - 1 :] == 0)
            if n >= char_min:
                clean = ~has_nul
                yield doc_of[:count][clean], h[clean] ^ (_ORDER_SALT * np.uint64(n))


@dataclass(frozen=True)
class _Lookups:
    """What ``transform`` derives from a fitted vocabulary, built once (sources kept to notice changes)."""

    sources: tuple[object, ...]
    word_index: WordIndex
    char_table: IntTable  # hash -> position among the character features
    idf: FloatArray


def sorted_keys(keys: npt.NDArray[np.int64], bound: int) -> npt.NDArray[np.int64]:
    """``np.sort(keys)`` for keys in ``[0, bound)``, sorted 16 bits at a time, least significant first.

    numpy's stable sort of 16-bit integers is a radix sort: on the benchmark machine two such passes
    (each keeping the previous passes' order) cost less than half of one quicksort of 32-bit keys.
    """
    for shift in range(0, max(bound - 1, 1).bit_length(), 16):
        digits = (keys >> shift).astype(np.uint16)  # the cast keeps the low 16 bits
        keys = keys[np.argsort(digits, kind="stable")]
    return keys


def _segment_sums(entries: FloatArray, edges: npt.NDArray[np.int64]) -> FloatArray:
    """``entries[edges[s]:edges[s + 1]].sum()`` for every segment s (15 times faster than bincount)."""
    sums = np.zeros(edges.shape[0] - 1, dtype=np.float64)
    starts = edges[:-1]
    filled = starts < edges[1:]
    # reduceat sums up to the next start given: with only non-empty segments, up to each one's end.
    if entries.shape[0]:
        sums[filled] = np.add.reduceat(entries, starts[filled])
    return sums


def _distinct(keys: npt.NDArray[np.int64], bound: int) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """The distinct keys (in ``[0, bound)``), sorted, and the sublinear tf (1 + log count) of each."""
    keys = sorted_keys(keys, bound)
    if keys.shape[0] == 0:
        return keys, np.zeros(0, dtype=np.float64)
    first = np.empty(keys.shape[0], dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(starts, append=keys.shape[0])
    tf = (1.0 + np.log(np.arange(1, int(counts.max()) + 1, dtype=np.float64)))[counts - 1]
    return keys[starts], tf


def _weighted_terms(
    keys: npt.NDArray[np.int64], tf: FloatArray, n_rows: int, idf: FloatArray, block_starts: tuple[int, ...]
) -> tuple[npt.NDArray[np.int64], FloatArray, npt.NDArray[np.int64]]:
    """For the ``_distinct`` keys ``row * n_cols + col`` (``n_cols`` the length of ``idf``) and their tf:
    the columns, the tf x idf and the segment edges. Segment ``row * len(block_starts) + b`` holds the
    row's columns from ``block_starts[b]`` up to the next block's start."""
    n_cols = idf.shape[0]
    row_starts = np.arange(n_rows, dtype=np.int64) * n_cols
    bounds = np.append(
        (row_starts[:, np.newaxis] + np.array(block_starts, dtype=np.int64)).ravel(), n_rows * n_cols
    )
    edges = np.searchsorted(keys, bounds)
    columns = keys - np.repeat(row_starts, np.diff(edges[:: len(block_starts)]))
    return columns, tf * idf[columns], edges


def block_scale(squares: FloatArray, weight: float | FloatArray) -> FloatArray:
    """The factor that brings each block (of sum of squares ``squares``) to L2 norm ``weight``, a number
    or one per block (an empty block keeps 1)."""
    norms = np.sqrt(squares)
    norms[norms == 0.0] = 1.0
    return np.asarray(weight / norms, dtype=np.float64)


def _terms(
    keys: npt.NDArray[np.int64],
    n_rows: int,
    n_words: int,
    idf: FloatArray,
    weights: tuple[float, float],
) -> tuple[FloatArray, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """CSR parts of the keys ``row * n_cols + col`` (``n_cols`` the length of ``idf``) of every feature
    occurrence, in any order: the distinct features' sublinear tf x idf, each row's word and character
    blocks scaled to L2 norm ``weights``; their columns (sorted within each row: its words, then its
    characters); and the number of entries of each row."""
    keys, tf = _distinct(keys, n_rows * idf.shape[0])
    columns, values, edges = _weighted_terms(keys, tf, n_rows, idf, (0, n_words))
    row_sizes = np.diff(edges[::2])
    scale = block_scale(
        _segment_sums(values * values, edges), np.tile(np.array(weights, dtype=np.float64), n_rows)
    )
    return values * np.repeat(scale, np.diff(edges)), columns, row_sizes


# Texts per numpy pass: bounds memory when featurising a training set.
NUMPY_CHUNK = 1_000


@dataclass
class Featuriser:
    """A fitted vocabulary (words + character-n-gram hashes) with its idf weights."""

    config: FeatureConfig
    words: dict[str, int] = field(default_factory=dict)
    word_idf: FloatArray = field(default_factory=lambda: np.zeros(0))
    char_hashes: HashArray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    char_idf: FloatArray = field(default_factory=lambda: np.zeros(0))
    _lookups: _Lookups | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def n_features(self) -> int:
        return len(self.words) + int(self.char_hashes.shape[0])

    def normalise_all(self, texts: Sequence[str]) -> list[str]:
        return normalise_batch(texts, strip_accents=self.config.strip_accents)

    @classmethod
    def fit(cls, texts: Sequence[str], config: FeatureConfig) -> Featuriser:
        featuriser = cls(config)
        norm = featuriser.normalise_all(texts)
        n_docs = len(norm)
        # Words: document frequency, keep min_df and the most frequent max_word_features.
        df: dict[str, int] = {}
        for text in norm:
            for gram in set(word_features(text)):
                df[gram] = df.get(gram, 0) + 1
        kept = sorted((g for g, c in df.items() if c >= config.min_df), key=lambda g: (-df[g], g))[
            : config.max_word_features
        ]
        kept.sort()
        featuriser.words = {g: i for i, g in enumerate(kept)}
        word_df = np.array([df[g] for g in kept], dtype=np.float64)
        featuriser.word_idf = np.log((1.0 + n_docs) / (1.0 + word_df)) + 1.0
        # Characters: unique (doc, hash) pairs give document frequencies.
        docs, hashes = char_ngram_hashes(norm, config.char_min, config.char_max)
        pairs = np.unique(np.stack([docs.astype(np.uint64), hashes], axis=1), axis=0)
        uniq, counts = np.unique(pairs[:, 1], return_counts=True)
        keep = counts >= config.min_df
        uniq, counts = uniq[keep], counts[keep]
        if uniq.shape[0] > config.max_char_features:
            order = np.lexsort((uniq, -counts))[: config.max_char_features]
            uniq, counts = uniq[order], counts[order]
            resort = np.argsort(uniq)
            uniq, counts = uniq[resort], counts[resort]
        featuriser.char_hashes = uniq.astype(np.uint64)
        featuriser.char_idf = np.log((1.0 + n_docs) / (1.0 + counts.astype(np.float64))) + 1.0
        return featuriser

    def fitted_arrays(self) -> tuple[object, ...]:
        """What fitting set: what is derived from them must be made again when one is replaced."""
        return (self.words, self.word_idf, self.char_hashes, self.char_idf)

    def _prepared(self) -> _Lookups:
        sources = self.fitted_arrays()
        lookups = self._lookups
        if lookups is None or any(a is not b for a, b in zip(lookups.sources, sources, strict=True)):
            lookups = _Lookups(
                sources=sources,
                word_index=WordIndex(self.words, _NEGATIONS, _CLAUSE_END),
                char_table=IntTable(self.char_hashes, np.arange(self.char_hashes.shape[0], dtype=np.int64)),
                idf=np.concatenate([self.word_idf, self.char_idf]).astype(np.float64),
            )
            self._lookups = lookups
        return lookups

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        norm = self.normalise_all(texts)
        indptr = np.zeros(len(norm) + 1, dtype=np.int64)
        chunks = [self._terms(norm[i : i + NUMPY_CHUNK]) for i in range(0, len(norm), NUMPY_CHUNK)]
        if not chunks:
            return sparse.csr_matrix(
                (np.zeros(0), np.zeros(0, dtype=np.int64), indptr), shape=(0, self.n_features)
            )
        data, columns, row_sizes = (np.concatenate(arrays) for arrays in zip(*chunks, strict=True))
        np.cumsum(row_sizes, out=indptr[1:])
        return sparse.csr_matrix((data, columns, indptr), shape=(len(norm), self.n_features))

    def word_index(self) -> WordIndex:
        """The columns of the word features of a batch (built once per fitted vocabulary)."""
        return self._prepared().word_index

    def char_table(self) -> IntTable:
        """Character n-gram hash -> its position among the character features (built once)."""
        return self._prepared().char_table

    def _terms(self, norm: Sequence[str]) -> tuple[FloatArray, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        lookups = self._prepared()
        n_words = len(self.words)
        n_cols = self.n_features
        word_rows, word_cols = lookups.word_index.lookup(norm)  # known words only
        char_rows, hashes = char_ngram_hashes(norm, self.config.char_min, self.config.char_max)
        char_cols = lookups.char_table.lookup(hashes)
        known_chars = char_cols >= 0
        keys = np.concatenate(
            [
                word_rows * n_cols + word_cols,
                char_rows[known_chars] * n_cols + (char_cols[known_chars] + n_words),
            ]
        )
        return _terms(
            keys,
            len(norm),
            n_words,
            lookups.idf,
            (self.config.word_weight, self.config.char_weight),
        )

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        ordered = sorted(self.words, key=self.words.__getitem__)
        return {
            "word_vocab": np.frombuffer("\n".join(ordered).encode("utf-8"), dtype=np.uint8),
            "word_idf": self.word_idf.astype(np.float32),
            "char_hashes": self.char_hashes,
            "char_idf": self.char_idf.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, config: FeatureConfig, arrays: dict[str, npt.NDArray[Any]]) -> Featuriser:
        raw = arrays["word_vocab"].astype(np.uint8).tobytes().decode("utf-8")
        vocab = raw.split("\n") if raw else []
        return cls(
            config=config,
            words={w: i for i, w in enumerate(vocab)},
            word_idf=arrays["word_idf"].astype(np.float64),
            char_hashes=arrays["char_hashes"].astype(np.uint64),
            char_idf=arrays["char_idf"].astype(np.float64),
        )
