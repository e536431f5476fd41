"""The featuriser's output is pinned: saved models (the shipped one and users') keep their meaning.

``Reference`` below is a deliberately plain, per-text implementation of the feature definition
(normalisation, word uni/bigrams with ``NEG_`` twins, 64-bit polynomial hashes of character n-grams,
sublinear TF-IDF, L2 norm per block). The optimised batch code must give the same matrix and the same
fitted vocabulary.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from tests.conftest import dataset_dir
from vigie.analysis.classifiers import features
from vigie.analysis.classifiers.features import _ACCENTS, FeatureConfig, Featuriser, sorted_keys
from vigie.analysis.classifiers.model import load_model
from vigie.analysis.classifiers.scoring import LinearScorer
from vigie.analysis.text import prepare_all

MASK = (1 << 64) - 1
PRIME = 1_000_003
SALT = 0x9E3779B97F4A7C15
NEGATIONS = set(
    "not no never nothing nobody none nor cannot cant dont doesnt didnt isnt wasnt arent werent wont "
    "wouldnt shouldnt couldnt aint ne pas jamais rien personne aucun aucune sans ni plus".split()
)
SHIPPED = Path(__file__).resolve().parents[2] / "src/vigie/analysis/classifiers/builtin/toxicity.npz"

TEXTS = [
    "",
    " ",
    "\t\n",
    "ok",
    "Ça fait 3 semaines que j’attends mon remboursement, je veux parler à un responsable !",
    "I don't like this, it's NOT what I ordered... never again!!!",
    "Je ne suis pas content : rien ne marche, plus jamais ça. Sinon c'est bien.",
    "Sooooo goooood 😍😍😍😍 #LoveIt @brand_fr https://t.co/abc?x=1 www.example.com/page",
    "ÉNORME cœur œuvre Ælfred naïve façade Ĳssel ǄǅǆǇǈǉ ſ ÀÁÂÃÄÅ àáâãäå Ÿÿ Ø ø Ł ł",
    "Numbers 123 4,567.89 ٣٤٥ １２３ and 0x1F; phone +33 6 12 34 56 78",
    "tabs\tand\u00a0nbsp\u2028line\u3000ideographic\x1c\x1d\x1fseparators\x85next\x0bvt\x0cff",
    "!!!???...,,, ;;; :::",
    "Ελληνικά ΟΔΟΣ ΣΟΦΟΣ Σ; Русский текст; 中文字符; عربي; עברית",
    "aaa bbbb c dd eeeeeeeee ééééé ÉÉÉÉ éee eéééé \n\n\n\n newlines",
    "can't won't isn't ain't n't N'T shouldn’t",
    "snake_case _under_ __ a_b not_this pas_ça",
    "#hashtag#double ##deux @@user @ user http://x https:// www. httpurl",
    "no. yes, no! maybe? sure; fine: not really - not at all",
    "İstanbul ǅ ﬁnance ß ẞ",
    "x² ³ ¼ 𝟏𝟐𝟑 math digits ０１ 1 12 34",
    "\u00a0lead and trail\u3000",
    "\t",
    "1",
    "a\u2028",
    "🙂🙂🙂🙂 ok",
    "ΟΔΟΣ",
    "ΑΣ",
    "Σ",
    "'Σ",
    "ΣΑ ok aa",
    "a",
    "aa",
    "mixed\x00nul inside",
    "cafe\u0301 n\u0303on zero\u200bwidth \u200d joiner 👍🏽 family👨\u200d👩\u200d👧 not cafe\u0301",
    "C'est pas vrai... j'y crois pas !!! C'est NUL nul nulllll",
    ("Un texte très long, répété pour dépasser plusieurs centaines de caractères, avec des "
     "négations qui ne s'arrêtent pas, jamais, et des emojis 🙂🙃. ") * 40,
]  # fmt: skip


class Reference:
    """The feature definition written out one text at a time, with Python integers for hashes."""

    def __init__(self, config: FeatureConfig) -> None:
        self.config = config

    def normalise(self, text: str) -> str:
        value = text.lower().replace("’", "'").replace("n't", "nt")
        value = re.sub(r"(?:https?://|www\.)\S+", " httpurl ", value)
        value = re.sub(r"@\w+", " @user ", value)
        value = re.sub(r"#(\w+)", r"# \1", value)
        value = re.sub(r"\d+", "0", value)
        value = re.sub(r"(.)\1{2,}", r"\1\1\1", value)
        if self.config.strip_accents:
            value = value.translate(_ACCENTS)
        return re.sub(r"\s+", " ", value).strip()

    def words(self, text: str) -> list[str]:
        tokens = re.findall(r"\w+|[^\w\s]", self.normalise(text))
        grams: list[str] = []
        negated = False
        for index, token in enumerate(tokens):
            grams.append(token)
            grams.append(("<s>" if index == 0 else tokens[index - 1]) + " " + token)
            if re.fullmatch(r"\w+", token):
                if negated:
                    grams.append("NEG_" + token)
                if token in NEGATIONS:
                    negated = True
            elif token in ".,!?;:":
                negated = False
        grams.append((tokens[-1] if tokens else "<s>") + " </s>")
        return grams

    def chars(self, text: str) -> list[int]:
        framed = " " + self.normalise(text) + " "
        hashes: list[int] = []
        for n in range(self.config.char_min, self.config.char_max + 1):
            for start in range(len(framed) - n + 1):
                gram = framed[start : start + n]
                if "\x00" in gram:
                    continue
                value = 0
                for char in gram:
                    value = (value * PRIME + ord(char)) & MASK
                hashes.append(value ^ ((SALT * n) & MASK))
        return hashes

    def fit(self, texts: list[str]) -> tuple[dict[str, int], list[float], list[int], list[float]]:
        n_docs = len(texts)
        word_df = Counter(g for t in texts for g in set(self.words(t)))
        kept = [g for g, c in word_df.items() if c >= self.config.min_df]
        kept = sorted(sorted(kept, key=lambda g: (-word_df[g], g))[: self.config.max_word_features])
        char_df = Counter(h for t in texts for h in set(self.chars(t)))
        kept_h = [h for h, c in char_df.items() if c >= self.config.min_df]
        kept_h = sorted(sorted(kept_h, key=lambda h: (-char_df[h], h))[: self.config.max_char_features])

        def idf(df: int) -> float:
            return math.log((1 + n_docs) / (1 + df)) + 1.0

        return (
            {g: i for i, g in enumerate(kept)},
            [idf(word_df[g]) for g in kept],
            kept_h,
            [idf(char_df[h]) for h in kept_h],
        )

    def transform(self, featuriser: Featuriser, texts: list[str]) -> np.ndarray:
        n_words = len(featuriser.words)
        char_columns = {int(h): i for i, h in enumerate(featuriser.char_hashes)}
        out = np.zeros((len(texts), featuriser.n_features))
        for row, text in enumerate(texts):
            word_counts = Counter(featuriser.words[g] for g in self.words(text) if g in featuriser.words)
            char_counts = Counter(char_columns[h] for h in self.chars(text) if h in char_columns)
            blocks = (
                (word_counts, featuriser.word_idf, 0, self.config.word_weight),
                (char_counts, featuriser.char_idf, n_words, self.config.char_weight),
            )
            for counts, idf, offset, weight in blocks:
                values = {col: (1.0 + math.log(c)) * idf[col] for col, c in counts.items()}
                norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
                for col, value in values.items():
                    out[row, offset + col] = weight * value / norm
        return out


# The batch code joins texts with this separator; a text holding it takes the one-by-one path.
WITH_SEPARATOR = "record\x1eseparator ÉÉÉ"


def _assert_same(featuriser: Featuriser, texts: list[str]) -> None:
    matrix = featuriser.transform(texts)
    assert isinstance(matrix, sparse.csr_matrix)
    assert matrix.shape == (len(texts), featuriser.n_features)
    expected = Reference(featuriser.config).transform(featuriser, texts)
    np.testing.assert_allclose(matrix.toarray(), expected, rtol=0, atol=1e-9)


CONFIGS = [
    FeatureConfig(min_df=1),
    FeatureConfig(min_df=2, strip_accents=False, char_min=1, char_max=3, char_weight=0.5, word_weight=2.0),
    FeatureConfig(min_df=1, max_word_features=40, max_char_features=300),
]


@pytest.mark.parametrize("config", CONFIGS, ids=["default", "no-accents-1-3", "capped"])
def test_fit_matches_the_reference(config: FeatureConfig) -> None:
    corpus = TEXTS + [t.upper() for t in TEXTS[4:12]]
    if config.min_df > 1:
        corpus.append(WITH_SEPARATOR)
    featuriser = Featuriser.fit(corpus, config)
    words, word_idf, hashes, char_idf = Reference(config).fit(corpus)
    assert featuriser.words == words
    np.testing.assert_allclose(featuriser.word_idf, word_idf, rtol=1e-12)
    assert featuriser.char_hashes.tolist() == hashes
    np.testing.assert_allclose(featuriser.char_idf, char_idf, rtol=1e-12)


@pytest.mark.parametrize("config", CONFIGS, ids=["default", "no-accents-1-3", "capped"])
def test_transform_matches_the_reference(config: FeatureConfig) -> None:
    featuriser = Featuriser.fit(TEXTS[4:] + ["pas du tout", "not at all"], config)
    assert featuriser.n_features > 0
    _assert_same(featuriser, TEXTS)
    _assert_same(featuriser, TEXTS[::-1])
    _assert_same(featuriser, [TEXTS[4]])
    _assert_same(featuriser, ["", "", "", "", TEXTS[5], "", "", ""])
    _assert_same(featuriser, [*TEXTS, WITH_SEPARATOR])


def test_transform_of_nothing_is_an_empty_matrix() -> None:
    featuriser = Featuriser.fit(TEXTS, FeatureConfig(min_df=1))
    assert featuriser.transform([]).shape == (0, featuriser.n_features)


def test_the_shipped_model_features_match_the_reference() -> None:
    featuriser = load_model(SHIPPED).featuriser
    _assert_same(featuriser, TEXTS)


def test_the_shipped_model_features_match_the_reference_on_real_texts() -> None:
    folder = dataset_dir("umsab-fr-sentiment")
    lines = (folder / "val_text.txt").read_text(encoding="utf-8").split("\n")[:300]
    folder_en = dataset_dir("tweeteval")
    lines += (folder_en / "sentiment" / "val_text.txt").read_text(encoding="utf-8").split("\n")[:100]
    featuriser = load_model(SHIPPED).featuriser
    _assert_same(featuriser, lines)


def test_transform_in_several_numpy_passes_gives_the_same_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    featuriser = Featuriser.fit(TEXTS[4:], FeatureConfig(min_df=1))
    whole = featuriser.transform(TEXTS)
    monkeypatch.setattr(features, "NUMPY_CHUNK", 3)
    chunked = featuriser.transform(TEXTS)
    assert chunked.shape == whole.shape
    assert chunked.indices.tolist() == whole.indices.tolist()
    np.testing.assert_allclose(chunked.data, whole.data, rtol=1e-12)  # log() may differ by one ulp
    _assert_same(featuriser, TEXTS)
    weights = np.random.default_rng(3).normal(size=(2, featuriser.n_features))
    expected = Reference(featuriser.config).transform(featuriser, TEXTS) @ weights.T
    np.testing.assert_allclose(LinearScorer(featuriser, weights).scores(TEXTS), expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("config", CONFIGS, ids=["default", "no-accents-1-3", "capped"])
def test_linear_scores_equal_the_product_of_the_reference_matrix(config: FeatureConfig) -> None:
    featuriser = Featuriser.fit(TEXTS[4:] + ["pas du tout", "not at all"], config)
    weights = np.random.default_rng(7).normal(size=(3, featuriser.n_features))
    for texts in (TEXTS, [TEXTS[4]], ["", "", TEXTS[5], ""], [*TEXTS, WITH_SEPARATOR]):
        expected = Reference(config).transform(featuriser, texts) @ weights.T
        np.testing.assert_allclose(
            LinearScorer(featuriser, weights).scores(texts), expected, rtol=0, atol=1e-9
        )
    assert LinearScorer(featuriser, weights).scores([]).shape == (0, 3)


def test_the_shipped_model_predicts_what_the_reference_features_give() -> None:
    model = load_model(SHIPPED)
    assert model.lexical is not None
    n_sparse = model.featuriser.n_features
    coef = model.coef.astype(np.float64)
    scores = Reference(model.featuriser.config).transform(model.featuriser, TEXTS) @ coef[:, :n_sparse].T
    scores += model.lexical.transform(TEXTS) @ coef[:, n_sparse:].T + model.intercept.astype(np.float64)
    toxic = 1.0 / (1.0 + np.exp(-scores[:, 0]))
    expected = np.stack([1.0 - toxic, toxic], axis=1)
    np.testing.assert_allclose(model.probabilities(TEXTS), expected, rtol=0, atol=1e-9)
    documents = prepare_all(TEXTS, [None] * len(TEXTS))
    np.testing.assert_allclose(model.document_probabilities(documents), expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("bound", [1, 2, 2**16, 2**16 + 1, 2**31, 2**40])
def test_sorted_keys_sorts_like_numpy(bound: int) -> None:
    keys = np.random.default_rng(bound).integers(0, bound, size=5_000, dtype=np.int64)
    assert sorted_keys(keys, bound).tolist() == np.sort(keys).tolist()


EDGE_TEXTS = [
    "aaaa\n\n\n\nbbbb",
    "  lead 1 2 3 trail  ",
    "00000 111 2a2a2 ٣٣٣٣ x²²²²",
    "ééééé eéééé ÉÉÉÉ",
    "\t \u00a0\u3000",
    "!!!!????....",
    "a  \n  b",
]


@pytest.mark.parametrize("strip_accents", [True, False])
def test_batch_normalisation_matches_the_regular_expressions(strip_accents: bool) -> None:
    config = FeatureConfig(strip_accents=strip_accents)
    texts = TEXTS + EDGE_TEXTS
    expected = [Reference(config).normalise(text) for text in texts]
    assert features.normalise_batch(texts, strip_accents=strip_accents) == expected
    assert [features.normalise(text, strip_accents=strip_accents) for text in texts] == expected
