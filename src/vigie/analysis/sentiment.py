"""Bilingual lexicon sentiment: valences summed over tokens with negation, boosters and "but" clauses.

English words come from VADER's lexicon (MIT, read from the ``vaderSentiment`` wheel) plus Vigie's own
customer-service additions; French words from Vigie's own lexicon (``data/sentiment_fr.tsv``). The
score is VADER's normalisation ``s / sqrt(s^2 + 15)``, in [-1, 1]. One pass over the tokens, plain dict
lookups: this is the fallback when no trained sentiment model is installed, and it must stay fast.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from vigie.analysis.lexicon import valence_table
from vigie.analysis.schemas import SentimentResult
from vigie.analysis.text import TOKEN_RE, TRIPLED_LETTER, Document, squeeze

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
NEGATION_FLIP = -0.74
BOOST = 1.3
# (positive, negative) cut-offs per language, chosen for macro-recall on development rows only: one fixed
# half of TweetEval's validation split (en; seed 7, see benchmarks/pipeline_quality.py) and UMSAB-fr's
# train split (fr). A calibrated neutral band matters: VADER's +-0.05 makes neutral rare on tweets.
THRESHOLDS = {"en": (0.34, -0.1), "fr": (0.16, -0.12), "any": (0.3, -0.2)}

NEGATORS = {
    "fr": frozenset("ne n pas jamais rien aucun aucune sans ni personne guere".split()),
    "en": frozenset(
        "not no never nothing nobody none nor neither without cannot t dont doesnt didnt isnt wasnt "
        "arent werent wont cant couldnt shouldnt wouldnt aint hardly".split()
    ),
}
BOOSTERS = {
    "fr": frozenset(
        "tres trop vraiment tellement extremement completement totalement grave hyper si vachement carrement "
        "absolument particulierement incroyablement terriblement enormement ultra archi".split()
    ),
    "en": frozenset("very really so extremely totally absolutely completely super too utterly".split()),
}
CONTRAST = {"fr": frozenset({"mais", "cependant", "pourtant"}), "en": frozenset({"but", "however", "yet"})}
# Spoken French often drops "ne" and leaves the negation after the verb: "j'aime pas", "je kiffe jamais".
# Not when the negation opens a phrase of its own: "merci, pas de souci", "bien, pas mal".
AFTER_NEGATORS = {"fr": frozenset({"pas", "jamais", "guere"}), "en": frozenset()}
NOT_AFTER_NEGATED = frozenset({"de", "d", "mal"})

# A few frequent emoji and emoticons, with VADER-like valences (written for Vigie).
EMOJI_VALENCE = {
    "😀": 2.0, "😃": 2.0, "😄": 2.0, "😁": 2.0, "😊": 2.0, "🙂": 1.0, "😍": 3.0, "🥰": 3.0, "😘": 2.0,
    "👍": 1.5, "👏": 2.0, "🙏": 1.0, "❤": 2.5, "💕": 2.5, "💯": 1.5, "🎉": 2.0, "✨": 1.0, "😂": 1.0,
    "🤣": 1.0, "😉": 1.0, "🔥": 1.0, "👌": 1.5, "😎": 1.5, "🥳": 2.5, "😡": -3.0, "🤬": -3.5, "😠": -2.5,
    "😤": -2.0, "😢": -2.0, "😭": -2.0, "😞": -2.0, "😔": -1.5, "😒": -1.5, "🙄": -1.5, "😩": -2.0,
    "😫": -2.0, "👎": -2.0, "💩": -2.0, "🤮": -3.0, "🤢": -2.5, "😱": -1.5, "😕": -1.0, "🙁": -1.5,
    "☹": -1.5, "💔": -2.5, "😾": -2.0,
}  # fmt: skip
EMOJI_RE = re.compile("[" + "".join(sorted(EMOJI_VALENCE)) + "]")
# Every emoji above sorts at or after this one. Accented text rarely holds a character that high, and this
# one-range scan is four times cheaper than ``max(text)`` or EMOJI_RE's fifty-character class.
LOWEST_EMOJI = min(EMOJI_VALENCE)
AS_HIGH_AS_AN_EMOJI = re.compile(f"[{LOWEST_EMOJI}-\U0010ffff]")
EMOTICONS = {":)": 1.5, ":-)": 1.5, ":D": 2.0, ";)": 1.0, ":(": -1.5, ":-(": -1.5, ":'(": -2.0, ":/": -1.0}
# Starts with a character class so the scan is fast; ":/" is not counted when it is part of "://".
EMOTICON_RE = re.compile(r"[:;]['-]?[()D]|:/(?!/)")


@dataclass(frozen=True, slots=True)
class Lexicon:
    words: dict[str, float]
    phrases: dict[str, float]  # "first second" -> valence
    phrase_starts: frozenset[str]
    keys: frozenset[str]  # words (with their inflected forms), phrase starts and contrast words
    negators: frozenset[str]
    after_negators: frozenset[str]  # negate the word just before them ("j'aime pas")
    boosters: frozenset[str]
    contrast: frozenset[str]


def _split(table: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    words: dict[str, float] = {}
    phrases: dict[str, float] = {}
    for key, value in table.items():
        tokens = TOKEN_RE.findall(key)
        if len(tokens) == 1 and tokens[0] == key:
            words[key] = value
        elif len(tokens) == 2:
            phrases[" ".join(tokens)] = value
    return words, phrases


def _vader_words() -> dict[str, float]:
    """VADER's word entries (emoticons and multi-word entries left out), or nothing if not installed."""
    try:
        text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    table: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            table[parts[0].lower()] = float(parts[1])
    return table


def _with_inflections(words: dict[str, float], lang: str) -> dict[str, float]:
    """Add plural and feminine forms at load time, so matching stays one dict lookup per token;
    a form listed in the file keeps its own valence."""
    french = lang == "fr"
    endings = ("e", "s", "es", "x") if french else ("s",)
    out = dict(words)
    for word, value in words.items():
        if len(word) < 4:
            continue
        for ending in endings:
            out.setdefault(word + ending, value)
        if not french:
            continue
        if word.endswith("eux"):  # furieux -> furieuse, furieuses
            out.setdefault(word[:-1] + "se", value)
            out.setdefault(word[:-1] + "ses", value)
        elif word.endswith("if"):  # abusif -> abusive, abusives
            out.setdefault(word[:-1] + "ve", value)
            out.setdefault(word[:-1] + "ves", value)
        elif word.endswith("er") and len(word) >= 6:  # proteger -> protegent, protegees
            for verb_ending in ("e", "es", "ee", "ees", "ent", "ons", "ez"):
                out.setdefault(word[:-2] + verb_ending, value)
        if word.endswith("e"):  # menace -> menacent
            out.setdefault(word + "nt", value)
    return out


@cache
def lexicon(lang: str) -> Lexicon:
    """The lexicon for ``fr`` or ``en``; any other code gets both merged (French wins on conflicts)."""
    if lang == "fr":
        words, phrases = _split(valence_table("sentiment_fr.tsv"))
    elif lang == "en":
        words = _vader_words()
        extra_words, phrases = _split(valence_table("sentiment_en_extra.tsv"))
        words.update(extra_words)
    else:
        english, french = lexicon("en"), lexicon("fr")
        return Lexicon(
            words={**english.words, **french.words},
            phrases={**english.phrases, **french.phrases},
            phrase_starts=english.phrase_starts | french.phrase_starts,
            keys=english.keys | french.keys,
            negators=(english.negators | french.negators) - {"t"},
            after_negators=english.after_negators | french.after_negators,
            boosters=english.boosters | french.boosters,
            contrast=english.contrast | french.contrast,
        )
    words = _with_inflections(words, lang)
    return Lexicon(
        words=words,
        phrases=phrases,
        phrase_starts=frozenset(key.split(" ", 1)[0] for key in phrases),
        keys=frozenset(words) | frozenset(key.split(" ", 1)[0] for key in phrases) | CONTRAST[lang],
        negators=NEGATORS[lang],
        after_negators=AFTER_NEGATORS[lang],
        boosters=BOOSTERS[lang],
        contrast=CONTRAST[lang],
    )


def _unstretched(token: str, lex: Lexicon) -> str:
    """The word a stretched token stands for, runs of a letter cut to one ("geniaaal") or else two
    ("pfffff", "soooo"), if the lexicon knows it; else the token unchanged."""
    if TRIPLED_LETTER.search(token) is None:
        return token
    for kept in (1, 2):
        candidate = squeeze(token, kept)
        if candidate in lex.keys or candidate in lex.boosters or candidate in lex.negators:
            return candidate
    return token


def raw_valence(doc: Document, lex: Lexicon) -> float:
    """Sum of valences in the text, before normalisation."""
    total = 0.0
    tokens, token_set = doc.tokens, doc.token_set
    if doc.tripled_letter:
        tokens = [_unstretched(token, lex) for token in tokens]
        token_set = frozenset(tokens)
    hits = token_set & lex.keys
    if hits:  # else no word of the lexicon: only emoji, emoticons and punctuation can count
        words, phrases, starts = lex.words, lex.phrases, lex.phrase_starts
        negators, boosters, contrast = lex.negators, lex.boosters, lex.contrast
        before = 0.0  # valence before the last "but"
        last = len(tokens) - 1
        consumed = -1  # the second word of a phrase already counted
        may_boost = not boosters.isdisjoint(token_set)
        may_negate = not negators.isdisjoint(token_set)
        after_negators = lex.after_negators
        may_negate_after = not after_negators.isdisjoint(token_set)
        for i, token in enumerate(tokens):
            if token not in hits or i == consumed:
                continue
            if token in starts and i < last:
                value = phrases.get(token + " " + tokens[i + 1])
                if value is not None:
                    total += value
                    consumed = i + 1
                    continue
            if token in contrast:
                before += total
                total = 0.0
                continue
            value = words.get(token)
            if value is not None:
                if may_boost and i and tokens[i - 1] in boosters:
                    value *= BOOST
                if (may_negate and not negators.isdisjoint(tokens[max(i - 3, 0) : i])) or (
                    may_negate_after
                    and i < last
                    and tokens[i + 1] in after_negators
                    and (i + 1 == last or tokens[i + 2] not in NOT_AFTER_NEGATED)
                ):
                    value *= NEGATION_FLIP
                total += value
        if before:
            total = before * 0.5 + total * 1.5
    text = doc.text
    if not text.isascii() and AS_HIGH_AS_AN_EMOJI.search(text) is not None:
        for emoji in EMOJI_RE.findall(text):
            total += EMOJI_VALENCE[emoji]
    if ":" in text or ";" in text:
        for emoticon in EMOTICON_RE.findall(text):
            total += EMOTICONS.get(emoticon, 0.0)
    if total and "!" in text:
        boost = min(text.count("!"), 4) * 0.292
        total += boost if total > 0 else -boost
    return total


def normalise(total: float) -> float:
    return total / math.sqrt(total * total + 15.0)


def label_for(score: float, lang: str = "any") -> str:
    positive, negative = THRESHOLDS.get(lang, THRESHOLDS["any"])
    if score >= positive:
        return POSITIVE
    if score <= negative:
        return NEGATIVE
    return NEUTRAL


def lexicon_sentiment(doc: Document) -> SentimentResult:
    lang = doc.lang
    key = lang if lang in NEGATORS else "any"
    score = normalise(raw_valence(doc, lexicon(key)))
    return SentimentResult(label_for(score, key), score)
