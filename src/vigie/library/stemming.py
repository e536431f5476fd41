"""Accent folding and light suffix-stripping stemmers for French and English (pure functions).

Full-text search must find "livraisons" when asked for "livraison" and "retards" or "retarder" when
asked for "retardé". These stemmers are deliberately light: they strip the common inflectional and a
few derivational suffixes, so that the words of one family share a stem, and never touch short words.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Longest first; each suffix is removed only if the stem left has at least `_MIN_STEM` letters.
_FR_SUFFIXES = (
    "issements",
    "issement",
    "atrices",
    "ateurs",
    "ations",
    "atrice",
    "ateur",
    "ation",
    "ements",
    "ement",
    "issons",
    "issiez",
    "issent",
    "eront",
    "erons",
    "eriez",
    "erait",
    "eraient",
    "ments",
    "ment",
    "aient",
    "ables",
    "able",
    "iques",
    "ique",
    "euses",
    "euse",
    "eaux",
    "ions",
    "iez",
    "ait",
    "ais",
    "ant",
    "ants",
    "antes",
    "ante",
    "ees",
    "ent",
    "era",
    "ers",
    "ez",
    "er",
    "ir",
    "ee",
    "es",
    "e",
    "s",
    "x",
)
_EN_SUFFIXES = (
    "ational",
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ings",
    "ing",
    "ied",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "s",
)
_MIN_STEM = 3
_FR_STOP = frozenset(
    "le la les un une des du de d l et ou en au aux a à ce cet cette ces il elle ils elles on nous vous "
    "je tu ne pas plus que qui quoi dont est sont été pour par sur dans avec sans se sa son ses leur "
    "leurs mais donc car y".split()
)
_EN_STOP = frozenset(
    "the a an and or of to in on at for by with without is are was were be been it its this that "
    "these those we you they he she i not no but so as from".split()
)
# Sorted once, longest first (stable, so equal lengths keep their listed order).
_SUFFIXES = {
    lang: tuple(sorted(suffixes, key=len, reverse=True))
    for lang, suffixes in (("fr", _FR_SUFFIXES), ("en", _EN_SUFFIXES))
}
_STOP: dict[str, frozenset[str]] = {"fr": _FR_STOP, "en": _EN_STOP}


def fold(text: str) -> str:
    """Lower-case and remove accents: "Retardé" -> "retarde", "Œuvre" -> "oeuvre"."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of a text, elisions split ("l'entrepôt" -> ["l", "entrepot"])."""
    return _WORD.findall(fold(text))


def stem(word: str, language: str) -> str:
    """The stem of one word in "fr" or "en", accents folded (other languages: the folded word)."""
    word = fold(word)
    suffixes = _SUFFIXES.get(language)
    if suffixes is None or len(word) <= _MIN_STEM:
        return word
    if language == "en" and word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            break
    # A doubled final consonant left by the cut ("annuller" -> "annull") is collapsed.
    if len(word) > _MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeiouy":
        word = word[:-1]
    return word


def stems(text: str, language: str) -> list[str]:
    """The stems of a text's words, stop words removed, in order (duplicates kept)."""
    stop = _STOP.get(language, frozenset())
    return [stem(w, language) for w in words(text) if w not in stop]
