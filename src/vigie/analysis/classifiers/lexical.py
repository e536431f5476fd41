"""A small dense block of lexicon and style features, appended to the sparse TF-IDF features.

Word n-grams only know the words seen in training; sentiment and toxicity lexicons carry prior
knowledge about thousands of other words, which matters most when training data is small. One pass
over the folded tokens with one dictionary lookup per token gives, per text:

- English (VADER's lexicon) and French (Vigie's lexicon) positive and negative valence sums, a valence
  being flipped when a negation precedes it within three tokens, and a VADER-like compound for each;
- the score of Vigie's toxicity detector (lexicon, phrases, obfuscations, threats), and whether the
  text addresses someone (second person);
- emoji and emoticon polarity, ``!`` and ``?`` counts, elongated words, the share of all-caps words,
  negations and the length in tokens.

Counts are compressed with ``log1p``; the block is standardised with the training rows' means and
deviations (stored in the model) and multiplied by one weight, so the regularisation treats it like
the L2-normalised sparse blocks.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from vigie.analysis.sentiment import (
    EMOJI_RE,
    EMOJI_VALENCE,
    EMOTICON_RE,
    EMOTICONS,
    LOWEST_EMOJI,
    NEGATORS,
    lexicon,
)
from vigie.analysis.text import Document, prepare
from vigie.analysis.toxicity import SECOND_PERSON, toxic_lexicon

FloatMatrix = npt.NDArray[np.float64]

LEXICAL_VERSION = 1
FEATURE_NAMES: tuple[str, ...] = (
    "en_positive",
    "en_negative",
    "en_compound",
    "fr_positive",
    "fr_negative",
    "fr_compound",
    "toxicity_score",
    "second_person",
    "emoji_positive",
    "emoji_negative",
    "exclamations",
    "questions",
    "elongated_words",
    "caps_words_share",
    "negations",
    "log_tokens",
)
_NEGATION_SCOPE = 3
_NEGATION_FLIP = -0.74
_ELONGATED = re.compile(r"([a-z])\1\1")
_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")
_NEGATORS = NEGATORS["en"] | NEGATORS["fr"]


@cache
def _valences() -> dict[str, tuple[float, float]]:
    """token -> (English valence, French valence); one lookup per token finds both."""
    english = lexicon("en").words
    french = lexicon("fr").words
    return {word: (english.get(word, 0.0), french.get(word, 0.0)) for word in english.keys() | french.keys()}


@cache
def lexicon_fingerprint() -> str:
    """A hash of the lexicon entries the block reads, recorded in each model's metadata: the block's
    values change when a lexicon changes, so a model is reproducible only with the same lexicons."""
    digest = hashlib.sha256()
    for word, (english, french) in sorted(_valences().items()):
        digest.update(f"{word}\t{english}\t{french}\n".encode())
    for word, weight in sorted(_toxic_weights().items()):
        digest.update(f"{word}\t{weight}\n".encode())
    return digest.hexdigest()[:12]


def _compound(total: float) -> float:
    return total / math.sqrt(total * total + 15.0)


@cache
def _toxic_weights() -> dict[str, float]:
    """Single-word entries of the toxicity detector's lexicon, without the plural forms it adds."""
    return {word: entry.weight for word, entry in toxic_lexicon().words.items() if word == entry.term}


def _toxic_words_score(tokens: frozenset[str]) -> float:
    """Noisy-or of the toxicity lexicon's word weights: the detector's core without its slower
    phrase, obfuscation and threat patterns (they cost a third of the block for little signal here)."""
    weights = _toxic_weights()
    keep = 1.0
    for token in tokens & weights.keys():
        keep *= 1.0 - weights[token]
    return 1.0 - keep


def raw_features(text: str) -> list[float]:
    """The block's values for one text, before standardisation (see ``FEATURE_NAMES``)."""
    return document_features(prepare(text))


def document_features(doc: Document) -> list[float]:
    """``raw_features`` of a text already prepared (the pipeline's documents): no second folding."""
    valences = _valences()
    negators = _NEGATORS
    en_pos = en_neg = fr_pos = fr_neg = 0.0
    last_negation = -10
    negations = 0
    for i, token in enumerate(doc.tokens):
        if token in negators:
            negations += 1
            last_negation = i
            continue
        pair = valences.get(token)
        if pair is None:
            continue
        flip = _NEGATION_FLIP if i - last_negation <= _NEGATION_SCOPE else 1.0
        en, fr = pair[0] * flip, pair[1] * flip
        if en > 0:
            en_pos += en
        else:
            en_neg -= en
        if fr > 0:
            fr_pos += fr
        else:
            fr_neg -= fr
    raw = doc.text
    emoji_pos = emoji_neg = 0.0
    if not raw.isascii() and max(raw) >= LOWEST_EMOJI:
        for emoji in EMOJI_RE.findall(raw):
            value = EMOJI_VALENCE[emoji]
            if value > 0:
                emoji_pos += value
            else:
                emoji_neg -= value
    if ":" in raw or ";" in raw:
        for emoticon in EMOTICON_RE.findall(raw):
            value = EMOTICONS.get(emoticon, 0.0)
            if value > 0:
                emoji_pos += value
            else:
                emoji_neg -= value
    words = len(doc.tokens)
    caps = len(_CAPS_WORD.findall(raw)) if words and not raw.islower() else 0
    return [
        math.log1p(en_pos),
        math.log1p(en_neg),
        _compound(en_pos - en_neg),
        math.log1p(fr_pos),
        math.log1p(fr_neg),
        _compound(fr_pos - fr_neg),
        _toxic_words_score(doc.token_set),
        0.0 if SECOND_PERSON.isdisjoint(doc.token_set) else 1.0,
        math.log1p(emoji_pos),
        math.log1p(emoji_neg),
        math.log1p(raw.count("!")),
        math.log1p(raw.count("?")),
        math.log1p(len(_ELONGATED.findall(doc.folded))),
        caps / words if words else 0.0,
        math.log1p(negations),
        math.log1p(len(doc.tokens)),
    ]


def raw_matrix(texts: Sequence[str]) -> FloatMatrix:
    """(n_texts, n_features) raw values."""
    if not texts:
        return np.zeros((0, len(FEATURE_NAMES)))
    return np.array([raw_features(t) for t in texts], dtype=np.float64)


def document_matrix(docs: Sequence[Document]) -> FloatMatrix:
    """``raw_matrix`` of the documents' texts, from the documents."""
    if not docs:
        return np.zeros((0, len(FEATURE_NAMES)))
    return np.array([document_features(doc) for doc in docs], dtype=np.float64)


@dataclass
class LexicalBlock:
    """Standardisation fitted on training rows, and the block's weight against the sparse blocks."""

    mean: FloatMatrix
    scale: FloatMatrix
    weight: float

    @property
    def n_features(self) -> int:
        return int(self.mean.shape[0])

    @classmethod
    def fit(cls, raw: FloatMatrix, weight: float) -> LexicalBlock:
        scale = raw.std(axis=0)
        scale[scale < 1e-9] = 1.0
        return cls(mean=raw.mean(axis=0), scale=scale, weight=weight)

    def scaled(self, raw: FloatMatrix) -> FloatMatrix:
        return np.asarray((raw - self.mean) / self.scale * self.weight, dtype=np.float64)

    def transform(self, texts: Sequence[str]) -> FloatMatrix:
        return self.scaled(raw_matrix(texts))

    def transform_documents(self, docs: Sequence[Document]) -> FloatMatrix:
        return self.scaled(document_matrix(docs))
