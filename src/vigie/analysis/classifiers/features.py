"""Sparse text features that serialise to plain arrays (no pickle) and compute fast in batch.

Words: unigrams and bigrams of a normalised token stream, looked up in a vocabulary (str -> column).
Characters: n-grams of the normalised text, identified by a 64-bit polynomial hash computed with
numpy over the whole batch at once, looked up in a sorted hash array with ``np.searchsorted``.
Each block is weighted by sublinear tf x idf and L2-normalised, as in a classic TF-IDF pipeline.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]
HashArray = npt.NDArray[np.uint64]

_URL = re.compile(r"(?:https?://|www\.)\S+")
_USER = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
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


def word_features(normalised: str) -> list[str]:
    """Unigrams and bigrams; a token after a negation (until punctuation) gets a ``NEG_`` twin."""
    tokens = _TOKEN.findall(normalised)
    out: list[str] = []
    negated = False
    previous = "<s>"
    for token in tokens:
        out.append(token)
        out.append(previous + " " + token)
        if token.isalnum() or "_" in token:
            if negated:
                out.append("NEG_" + token)
            if token in _NEGATIONS:
                negated = True
        elif token in _CLAUSE_END:
            negated = False
        previous = token
    out.append(previous + " </s>")
    return out


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
    # Each text is framed by spaces and texts are separated by NUL, which no n-gram may contain.
    joined = "\x00".join(" " + t + " " for t in texts) + "\x00"
    return np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def char_ngram_hashes(
    texts: Sequence[str], char_min: int, char_max: int
) -> tuple[npt.NDArray[np.int64], HashArray]:
    """(document index, hash) of every character n-gram of every text, orders char_min..char_max."""
    codes = _codepoints(texts)
    is_sep = (codes == 0).astype(np.int64)
    seps_before = np.concatenate(([0], np.cumsum(is_sep)))  # separators in codes[:i]
    docs: list[npt.NDArray[np.int64]] = []
    hashes: list[HashArray] = []
    length = codes.shape[0]
    with np.errstate(over="ignore"):
        for n in range(char_min, char_max + 1):
            if length < n:
                break
            count = length - n + 1
            h = np.zeros(count, dtype=np.uint64)
            for k in range(n):
                h = h * _PRIME + codes[k : k + count]
            h ^= _ORDER_SALT * np.uint64(n)
            starts = np.arange(count)
            clean = (seps_before[starts + n] - seps_before[starts]) == 0
            docs.append(seps_before[starts[clean]])
            hashes.append(h[clean])
    if not docs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    return np.concatenate(docs), np.concatenate(hashes)


def _sublinear_tfidf(matrix: sparse.csr_matrix, idf: FloatArray, weight: float) -> sparse.csr_matrix:
    matrix.sum_duplicates()
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    scale = sparse.diags(weight / norms)
    return sparse.csr_matrix(scale @ matrix)


@dataclass
class Featuriser:
    """A fitted vocabulary (words + character-n-gram hashes) with its idf weights."""

    config: FeatureConfig
    words: dict[str, int] = field(default_factory=dict)
    word_idf: FloatArray = field(default_factory=lambda: np.zeros(0))
    char_hashes: HashArray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    char_idf: FloatArray = field(default_factory=lambda: np.zeros(0))

    @property
    def n_features(self) -> int:
        return len(self.words) + int(self.char_hashes.shape[0])

    def normalise_all(self, texts: Sequence[str]) -> list[str]:
        return [normalise(t, strip_accents=self.config.strip_accents) for t in texts]

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

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        norm = self.normalise_all(texts)
        n_docs = len(norm)
        # Word block.
        rows: list[int] = []
        cols: list[int] = []
        lookup = self.words.get
        for i, text in enumerate(norm):
            for gram in word_features(text):
                col = lookup(gram)
                if col is not None:
                    rows.append(i)
                    cols.append(col)
        words = sparse.csr_matrix(
            (np.ones(len(rows)), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
            shape=(n_docs, len(self.words)),
        )
        words = _sublinear_tfidf(words, self.word_idf, self.config.word_weight)
        # Character block.
        docs, hashes = char_ngram_hashes(norm, self.config.char_min, self.config.char_max)
        n_chars = int(self.char_hashes.shape[0])
        if n_chars:
            pos = np.searchsorted(self.char_hashes, hashes)
            pos[pos >= n_chars] = 0
            hit = self.char_hashes[pos] == hashes
            docs, pos = docs[hit], pos[hit]
        else:
            docs, pos = docs[:0], np.zeros(0, dtype=np.int64)
        chars = sparse.csr_matrix((np.ones(docs.shape[0]), (docs, pos)), shape=(n_docs, n_chars))
        chars = _sublinear_tfidf(chars, self.char_idf, self.config.char_weight)
        return sparse.csr_matrix(sparse.hstack([words, chars], format="csr"))

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
