"""Spelling with pyspellchecker's bundled fr/en frequency dictionaries (offline, MIT).

Dictionaries load once per process (about 0.1 s each). Look-ups are set membership; the
suggestion (edit distance 1 only) is cached per word and computed under a small budget per
check, so that French suggestions never slow a keystroke check down.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spellchecker import SpellChecker

# Everyday words the bundled frequency lists miss.
_EXTRA_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        """appli applis app apps mail mails e-mail e-mails email emails sav cgv cgu faq newsletter newsletters
        mdr lol ok okay dm mp réexpédition réexpédier réexpédions réexpédierons justificatif justificatifs
        transporteur transporteurs remboursable remboursables rétractation désagrément désagréments
        bon d'achat s'il n'hésitez c'est j'ai qu'il qu'elle jusqu'à aujourd'hui parrainage web site
        tracking traçabilité géolocalisation wifi bluetooth smartphone tablette tablettes chatbot
        abîmé abîmée abîmés abîmées colis livreur livreuse livreurs recommandé connectée connecté
        paramétrage reconditionné reconditionnés reconditionnée précommande précommandes
        électroménager mixeur blender airfryer friteuse cocotte bouilloire robot inox téflon
        antiadhésif antiadhésive antiadhésives vitrocéramique bocal bocaux""".split()
    ),
    "en": frozenset(
        """apologise apologised apologises apologising organisation organisations realise realised
        cancelled cancelling travelled favour favourite colour colours centre behaviour honour
        customise customised mea culpa inbox outbox hotline checkout app apps email emails online ok okay dm dms faq t&cs wifi bluetooth
        smartphone chatbot voucher vouchers refundable airfryer blender cookware nonstick non-stick
        recognise recognised prioritise prioritised""".split()
    ),
}

# (ending, endings to try instead): "recontactons" -> "recontacter", "personalised" -> "personalized".
_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("erons", ("er",)), ("erez", ("er",)), ("eront", ("er",)), ("era", ("er",)),
    ("ons", ("er", "ir", "re")), ("ez", ("er", "ir")), ("ent", ("er", "e")), ("ait", ("er", "ir")),
    ("aient", ("er",)), ("ais", ("er",)), ("ées", ("er",)), ("ée", ("er",)), ("és", ("er",)), ("é", ("er",)),
    ("ise", ("ize",)), ("ised", ("ized",)), ("ises", ("izes",)), ("ising", ("izing",)), ("isation", ("ization",)),
    ("our", ("or",)), ("ours", ("ors",)), ("tre", ("ter",)),
)  # fmt: skip

_LOCK = threading.Lock()
_CHECKERS: dict[tuple[str, int], Any] = {}


def _spell(lang: str, distance: int) -> Any:
    key = (lang, distance)
    with _LOCK:
        checker = _CHECKERS.get(key)
        if checker is None:
            checker = SpellChecker(language=lang, distance=distance)
            _CHECKERS[key] = checker
        return checker


_WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒæÆ]+(?:['’-][A-Za-zÀ-ÖØ-öø-ÿœŒæÆ]+)*")
_ELISIONS = frozenset("l d j m t s n c qu jusqu lorsqu puisqu quelqu presqu quoiqu".split())


@dataclass(frozen=True)
class SpellingError:
    start: int
    end: int
    word: str
    suggestion: str | None


class Speller:
    """Finds unknown words in a text; ``ignore`` holds lower-cased words never to report."""

    def __init__(self, ignore: Iterable[str]) -> None:
        self._ignore = frozenset(w.lower() for w in ignore)
        self._dicts: dict[str, Any] = {
            lang: _spell(lang, 2).word_frequency.dictionary for lang in ("fr", "en")
        }
        for lang in ("fr", "en"):  # load the suggestion dictionaries now, not on a keystroke
            _spell(lang, 1)
        self._cache: dict[tuple[str, str], bool] = {}
        self._suggestions: dict[tuple[str, str], str | None] = {}

    def _is_known(self, word: str, lang: str) -> bool:
        low = word.lower().replace("’", "'")
        if low in self._ignore:
            return True
        key = (low, lang)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        result = self._lookup(low, lang)
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[key] = result
        return result

    def _in(self, low: str) -> bool:
        return (
            any(low in self._dicts[lang] or low in _EXTRA_WORDS[lang] for lang in ("fr", "en"))
            or low in self._ignore
        )

    def _lookup(self, low: str, lang: str) -> bool:
        if self._in(low):
            return True
        if "'" in low:
            head, _, tail = low.partition("'")
            if head in _ELISIONS:
                return self._lookup(tail, lang) if tail else True
            if tail in ("s", "ll", "re", "ve", "d", "t", "m"):
                return self._in(head)
            return self._in(head) and self._in(tail)
        if "-" in low:
            return all(self._lookup(part, lang) for part in low.split("-") if part)
        if self._inflected(low) or self._compound(low):
            return True
        # "recontactons", "réexpédierons": a known verb with the re-/ré- prefix.
        for prefix in ("re", "ré"):
            if low.startswith(prefix) and len(low) > len(prefix) + 4:
                rest = low[len(prefix) :]
                if self._in(rest) or self._inflected(rest):
                    return True
        return False

    def _inflected(self, low: str) -> bool:
        """A known word under another ending: conjugations and British spellings the lists miss."""
        for suffix, replacements in _ENDINGS:
            if low.endswith(suffix) and len(low) - len(suffix) >= 3:
                stem = low[: len(low) - len(suffix)]
                if any(self._in(stem + r) for r in replacements):
                    return True
        return False

    def _compound(self, low: str) -> bool:
        """Closed compounds of two known words ("inbox", "landline"), each at least 3 letters."""
        if len(low) < 7:
            return False
        return any(
            self._in(low[:i]) and self._in(low[i:]) and len(low[:i]) >= 3 for i in range(3, len(low) - 2)
        )

    def suggestion(self, word: str, lang: str) -> str | None:
        low = word.lower()
        key = (low, lang)
        if key in self._suggestions:
            return self._suggestions[key]
        candidates = _spell(lang, 1).candidates(low) or set()
        freq = _spell(lang, 1).word_frequency
        best = max(candidates, key=lambda c: freq[c], default=None) if candidates else None
        if best == low:
            best = None
        if best is not None and word[:1].isupper():
            best = best[:1].upper() + best[1:]
        self._suggestions[key] = best
        return best

    def errors(
        self,
        text: str,
        lang: str,
        masked: list[tuple[int, int]],
        *,
        suggestion_budget_s: float = 0.004,
    ) -> list[SpellingError]:
        out: list[SpellingError] = []
        deadline = time.perf_counter() + suggestion_budget_s
        for m in _WORD_RE.finditer(text):
            start, end = m.start(), m.end()
            word = m.group(0)
            if len(word) < 3 or _overlaps(start, end, masked):
                continue
            if (start > 0 and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit()):
                continue
            if word.isupper():  # abbreviations: SAV, CGV, UPS, ASAP
                continue
            if word[0].isupper() and not _sentence_start(text, start):
                continue  # a proper noun mid-sentence
            if any(c.isupper() for c in word[1:]):  # iPhone, McDonald, WhatsApp
                continue
            if self._is_known(word, lang):
                continue
            suggestion: str | None = None
            if (word.lower(), lang) in self._suggestions or time.perf_counter() < deadline:
                suggestion = self.suggestion(word, lang)
            out.append(SpellingError(start, end, word, suggestion))
        return out


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'«»“”(\u00a0":
        i -= 1
    return i < 0 or text[i] in ".!?\n:…"
