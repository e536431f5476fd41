"""A small dense block of lexicon and style features, appended to the sparse TF-IDF features.

Word n-grams only know the words seen in training; sentiment and toxicity lexicons carry prior
knowledge about thousands of other words, which matters most when training data is small. From a
prepared ``Document`` (its folded tokens, one dictionary lookup each), per text:

- English (VADER's lexicon) and French (Vigie's lexicon) positive and negative valence sums, a valence
  being flipped when a negation precedes it within three tokens, and a VADER-like compound for each;
- the noisy-or of the toxicity detector's lexicon weights of its words, and whether the text
  addresses someone (second person);
- emoji and emoticon polarity, ``!`` and ``?`` counts, elongated words, the share of all-caps words,
  negations and the length in tokens.

A batch is computed at once: the tokens of all texts in one numpy pass, the patterns in one scan of the
joined texts. Counts are compressed with ``log1p``; the block is standardised with the training rows' means and
deviations (stored in the model) and multiplied by one weight, so the regularisation treats it like
the L2-normalised sparse blocks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain, repeat

import numpy as np
import numpy.typing as npt

from vigie.analysis.classifiers.compiled import jit
from vigie.analysis.classifiers.word_index import is_word_character
from vigie.analysis.sentiment import (
    EMOJI_RE,
    EMOJI_VALENCE,
    EMOTICON_RE,
    EMOTICONS,
    LOWEST_EMOJI,
    NEGATORS,
    lexicon,
)
from vigie.analysis.text import BATCH_SEPARATOR as _SEPARATOR
from vigie.analysis.text import Document, prepare
from vigie.analysis.toxicity import (
    AIMED_AT_SOMEONE,
    AIMED_BONUS,
    AIMED_CAP,
    AIMED_KINDS,
    INNOCENT_HOLDERS,
    PROFANE_ROOTS,
    SECOND_PERSON,
    toxic_lexicon,
)

FloatMatrix = npt.NDArray[np.float64]

LEXICAL_VERSION = 2
# Versions a saved model may name: v1 scored the toxic words without the detector's rules for aimed and
# embedded swear words; models trained with it keep predicting as they were trained.
READABLE_LEXICAL_VERSIONS = frozenset({1, LEXICAL_VERSION})
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
_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")
# Joins a batch's texts: neither a word character nor any pattern's character, so no match spans two texts.
_SEPARATOR_CODE = ord(_SEPARATOR)
_LOWEST_EMOJI_CODE = ord(LOWEST_EMOJI)
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


@cache
def _toxic_weights() -> dict[str, float]:
    """Single-word entries of the toxicity detector's lexicon, without the plural forms it adds."""
    return {word: entry.weight for word, entry in toxic_lexicon().words.items() if word == entry.term}


@cache
def _aimed_weights() -> dict[str, float]:
    """The same words' weights in a message aimed at someone: the detector adds ``AIMED_BONUS`` to
    insults, hate and obscenities there."""
    words = toxic_lexicon().words
    return {
        word: min(AIMED_CAP, weight + AIMED_BONUS) if words[word].kind in AIMED_KINDS else weight
        for word, weight in _toxic_weights().items()
    }


def raw_features(text: str, version: int = LEXICAL_VERSION) -> list[float]:
    """The block's values for one text, before standardisation (see ``FEATURE_NAMES``)."""
    values: list[float] = document_matrix([prepare(text)], version)[0].tolist()
    return values


def raw_matrix(texts: Sequence[str], version: int = LEXICAL_VERSION) -> FloatMatrix:
    """(n_texts, n_features) raw values."""
    return document_matrix([prepare(text) for text in texts], version)


@dataclass(frozen=True)
class _TokenTable:
    """Every token the block reads as a code (0 for all others), and what each code brings."""

    codes: dict[str, int]
    english: FloatMatrix  # valence by code; 0 for negators, which never count as words
    french: FloatMatrix
    negator: npt.NDArray[np.bool_]
    toxic_weight: FloatMatrix  # the toxicity lexicon's word weight, or 0
    aimed_weight: FloatMatrix  # the same weight in a message aimed at someone, as the detector weighs it
    second_person: npt.NDArray[np.bool_]
    aimed_at: npt.NDArray[np.bool_]  # the detector's words of a message aimed at someone ("you", "he")


@cache
def _token_table() -> _TokenTable:
    valences = _valences()
    toxic = _toxic_weights()
    aimed = _aimed_weights()
    tokens = sorted(valences.keys() | _NEGATORS | toxic.keys() | AIMED_AT_SOMEONE)
    codes = {token: code for code, token in enumerate(tokens, start=1)}
    size = len(tokens) + 1
    english, french = np.zeros(size), np.zeros(size)
    toxic_weight, aimed_weight = np.zeros(size), np.zeros(size)
    negator, second_person = np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
    aimed_at = np.zeros(size, dtype=bool)
    for token, code in codes.items():
        if token in _NEGATORS:
            negator[code] = True
        else:
            english[code], french[code] = valences.get(token, (0.0, 0.0))
        toxic_weight[code] = toxic.get(token, 0.0)
        aimed_weight[code] = aimed.get(token, 0.0)
        second_person[code] = token in SECOND_PERSON
        aimed_at[code] = token in AIMED_AT_SOMEONE
    return _TokenTable(codes, english, french, negator, toxic_weight, aimed_weight, second_person, aimed_at)


def _token_features(docs: Sequence[Document], version: int) -> tuple[FloatMatrix, ...]:
    """Per document: English positive and negative, French positive and negative valence sums (a valence
    flipped within three tokens after a negator), toxic words score, second person, negator count and
    token count. One dictionary lookup per token, then one compiled pass over the batch's token codes
    (sums in token order, as ``np.bincount`` would add them)."""
    table = _token_table()
    n_docs = len(docs)
    lengths = np.fromiter((len(doc.tokens) for doc in docs), dtype=np.int64, count=n_docs)
    codes = np.fromiter(
        map(table.codes.get, chain.from_iterable(doc.tokens for doc in docs), repeat(0)),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    by_rules = version >= 2
    roots = np.array(_profane_roots(docs) if by_rules else [], dtype=np.int64)
    size = table.toxic_weight.shape[0]
    sums = _token_sums(
        codes,
        lengths,
        table.english,
        table.french,
        table.negator,
        table.second_person,
        table.toxic_weight,
        table.aimed_weight,
        table.aimed_at,
        roots // size,
        roots % size,
        by_rules,
    )
    return (*sums[:4], sums[4], sums[5], sums[6], lengths.astype(np.float64))


@jit
def _token_sums(
    codes: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    english: FloatMatrix,
    french: FloatMatrix,
    negator: npt.NDArray[np.bool_],
    second_person: npt.NDArray[np.bool_],
    toxic_weight: FloatMatrix,
    aimed_weight: FloatMatrix,
    aimed_at: npt.NDArray[np.bool_],
    root_rows: npt.NDArray[np.int64],
    root_codes: npt.NDArray[np.int64],
    by_detector_rules: bool,
) -> FloatMatrix:
    """Rows: English positive, English negative, French positive, French negative, toxic words score
    (``_toxic_words_score``), second person, negators; one column per document."""
    n_docs = lengths.shape[0]
    out = np.zeros((7, n_docs))
    toxic = np.empty(int(lengths.max()) + root_rows.shape[0] + 1 if n_docs else 1, dtype=np.int64)
    at = 0
    next_root = 0
    for row in range(n_docs):
        last_negator = -1
        n_toxic = 0
        aimed = False
        for index in range(lengths[row]):
            code = codes[at + index]
            if negator[code]:
                last_negator = index
                out[6, row] += 1.0
            flip = _NEGATION_FLIP if last_negator >= 0 and index - last_negator <= _NEGATION_SCOPE else 1.0
            valence = english[code] * flip
            if valence > 0:
                out[0, row] += valence
            else:
                out[1, row] += -valence
            valence = french[code] * flip
            if valence > 0:
                out[2, row] += valence
            else:
                out[3, row] += -valence
            if second_person[code]:
                out[5, row] = 1.0
            if toxic_weight[code] > 0:
                toxic[n_toxic] = code
                n_toxic += 1
            if aimed_at[code]:
                aimed = True
        at += lengths[row]
        while next_root < root_rows.shape[0] and root_rows[next_root] == row:
            toxic[n_toxic] = root_codes[next_root]
            n_toxic += 1
            next_root += 1
        out[4, row] = _toxic_words_score(
            toxic[:n_toxic], toxic_weight, aimed_weight, aimed and by_detector_rules
        )
    return out


@jit
def _toxic_words_score(
    codes: npt.NDArray[np.int64], toxic_weight: FloatMatrix, aimed_weight: FloatMatrix, aimed: bool
) -> float:
    """Noisy-or of the lexicon weights of the distinct ``codes``, multiplied in code order (the same in
    every process), by the detector's rules for words: a swear word inside a longer word or hashtag counts
    ("fucktrump", given as an extra code), and insults, hate and obscenities weigh more in a message aimed
    at someone (``aimed``). Its slower phrase, obfuscation and threat patterns are left out (they cost a
    third of the block for little signal here). Block v1 passes no extra codes and never ``aimed``."""
    if codes.shape[0] == 0:
        return 0.0
    ordered = np.sort(codes)
    keep = 1.0
    for index in range(ordered.shape[0]):
        code = ordered[index]
        if index > 0 and code == ordered[index - 1]:
            continue
        keep *= 1.0 - (aimed_weight[code] if aimed else toxic_weight[code])
    return 1.0 - keep


def _profane_roots(docs: Sequence[Document]) -> list[int]:
    """``row * table size + code`` of the swear words found inside the longer words of each document
    (the detector's ``PROFANE_ROOTS``); only texts holding one are read token by token."""
    table = _token_table()
    size = table.toxic_weight.shape[0]
    words = toxic_lexicon().words
    found: list[int] = []
    for row, doc in enumerate(docs):
        folded = doc.folded
        if not any(map(folded.__contains__, PROFANE_ROOTS)):
            continue
        for token in doc.tokens:
            if token in words or token.startswith(INNOCENT_HOLDERS):
                continue
            for root in PROFANE_ROOTS:
                if root in token:
                    found.append(row * size + table.codes[root])
                    break
    return found


def _joined_code_points(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """The code points of the texts joined by ``_SEPARATOR``, and where each text's part ends."""
    codes = np.frombuffer(_SEPARATOR.join(texts).encode("utf-32-le"), dtype=np.uint32)
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)
    return codes, ends


def _per_text(
    positions: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64] | None = None,
) -> FloatMatrix:
    """Sum of ``counts`` (default 1) of the positions in each text."""
    texts = np.searchsorted(ends, positions, side="right")
    return np.asarray(np.bincount(texts, counts, minlength=ends.shape[0]), dtype=np.float64)


def _elongations_of(docs: Sequence[Document]) -> FloatMatrix:
    """``_elongations`` of the documents' folded texts, read only in those that hold a tripled letter."""
    counts = np.zeros(len(docs))
    stretched = [index for index, doc in enumerate(docs) if doc.tripled_letter]
    if stretched:
        counts[stretched] = _elongations([docs[index].folded for index in stretched])
    return counts


def _elongations(folded: Sequence[str]) -> FloatMatrix:
    """``len(text.TRIPLED_LETTER.findall(folded))`` of each text: a run of L >= 3 equal letters a-z holds
    L // 3 of its non-overlapping matches (numpy over the batch's code points: a regex scan costs more)."""
    codes, ends = _joined_code_points(folded)
    differs = codes[1:] != codes[:-1]
    if (differs[1:] | differs[:-1]).all():  # no three equal characters in a row
        return np.zeros(len(folded))
    run_starts = np.flatnonzero(np.concatenate([[True], differs]))
    lengths = np.diff(run_starts, append=codes.shape[0])
    long = lengths >= 3
    run_starts, lengths = run_starts[long], lengths[long]
    letters = codes[run_starts]
    elongated = (letters >= ord("a")) & (letters <= ord("z"))
    return _per_text(run_starts[elongated], ends, lengths[elongated] // 3)


def _caps_words(codes: npt.NDArray[np.uint32], ends: npt.NDArray[np.int64]) -> FloatMatrix:
    """``len(_CAPS_WORD.findall(text))`` of each text (given as ``_joined_code_points``): the runs of two
    or more letters A-Z with no word character just before or after (a regex scan costs more)."""
    upper = (codes >= ord("A")) & (codes <= ord("Z"))
    if not upper.any():
        return np.zeros(ends.shape[0])
    edges = np.diff(upper.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)  # run k is starts[k]:stops[k]
    long = stops - starts >= 2
    starts, stops = starts[long], stops[long]
    # The joined texts are framed by a separator (not a word character) on both sides.
    framed = np.concatenate([[_SEPARATOR_CODE], codes, [_SEPARATOR_CODE]]).astype(np.uint32)
    alone = ~is_word_character(framed[starts]) & ~is_word_character(framed[stops + 1])
    return _per_text(starts[alone], ends)


def _emoji_polarity(raw: str, may_hold_emoji: bool) -> tuple[float, float]:
    """Positive and negative valence sums of the text's emoji and emoticons."""
    positive = negative = 0.0
    if may_hold_emoji:
        for emoji in EMOJI_RE.findall(raw):
            value = EMOJI_VALENCE[emoji]
            if value > 0:
                positive += value
            else:
                negative -= value
    if ":" in raw or ";" in raw:
        for emoticon in EMOTICON_RE.findall(raw):
            value = EMOTICONS.get(emoticon, 0.0)
            if value > 0:
                positive += value
            else:
                negative -= value
    return positive, negative


def _compounds(totals: FloatMatrix) -> FloatMatrix:
    return np.asarray(totals / np.sqrt(totals * totals + 15.0), dtype=np.float64)


def document_matrix(docs: Sequence[Document], version: int = LEXICAL_VERSION) -> FloatMatrix:
    """(n_docs, n_features) raw values of prepared documents (the pipeline's, or ``prepare``'s), as block
    ``version`` computes them."""
    if version not in READABLE_LEXICAL_VERSIONS:
        raise ValueError(f"lexical block v{version} is not one this Vigie computes")
    if not docs:
        return np.zeros((0, len(FEATURE_NAMES)))
    token_values = _token_features(docs, version)
    en_pos, en_neg, fr_pos, fr_neg, toxicity, second_person, negations, n_tokens = token_values
    texts = [doc.text for doc in docs]
    codes, ends = _joined_code_points(texts)
    # Only the texts holding a character as high as an emoji, or an emoticon's first character, can
    # have emoji polarity: the others skip the pattern scans.
    high = _per_text(np.flatnonzero(codes >= _LOWEST_EMOJI_CODE), ends) > 0
    emoticon_start = _per_text(np.flatnonzero((codes == ord(":")) | (codes == ord(";"))), ends) > 0
    emoji = np.zeros((len(docs), 2))
    for index in np.flatnonzero(high | emoticon_start).tolist():
        emoji[index] = _emoji_polarity(texts[index], bool(high[index]))
    caps = _caps_words(codes, ends)
    return np.column_stack(
        [
            np.log1p(en_pos),
            np.log1p(en_neg),
            _compounds(en_pos - en_neg),
            np.log1p(fr_pos),
            np.log1p(fr_neg),
            _compounds(fr_pos - fr_neg),
            toxicity,
            second_person,
            np.log1p(emoji),
            np.log1p([text.count("!") for text in texts]),
            np.log1p([text.count("?") for text in texts]),
            np.log1p(_elongations_of(docs)),
            np.where(n_tokens > 0, caps / np.maximum(n_tokens, 1.0), 0.0),
            np.log1p(negations),
            np.log1p(n_tokens),
        ]
    )


@dataclass
class LexicalBlock:
    """Standardisation fitted on training rows, and the block's weight against the sparse blocks."""

    mean: FloatMatrix
    scale: FloatMatrix
    weight: float
    # How the raw values are computed (a model keeps the one it was trained with).
    version: int = LEXICAL_VERSION

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
        return self.scaled(raw_matrix(texts, self.version))

    def transform_documents(self, docs: Sequence[Document]) -> FloatMatrix:
        return self.scaled(document_matrix(docs, self.version))
