"""Toxicity from a curated bilingual lexicon (``data/toxicity.tsv``) and threat patterns, in French and English.

The score combines the weights of everything matched as ``1 - prod(1 - w)``; an insult or a swear word
in a message aimed at someone ("tu", "vous", "you", "he"...) weighs more; words harmless in the other language ("bite")
only count in theirs. Obfuscations are undone before matching: repeated letters
("connnnard"), look-alike digits and symbols ("c0nnard", "$alope") and masked letters ("c*nnard", "f**k").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from vigie.analysis.lexicon import number_field, read_rows
from vigie.analysis.schemas import ToxicityKind, ToxicityResult
from vigie.analysis.text import TOKEN_RE, Document, squeeze

KINDS = frozenset(k.value for k in ToxicityKind)
LANGS = ("fr", "en")
SECOND_PERSON = frozenset("tu te t toi vous votre vos ta ton tes you u your ur youre yourself".split())
# An insult or a swear word aimed at someone ("you are", "he is", "t'es") weighs more than one said to nobody.
AIMED_AT_SOMEONE = SECOND_PERSON | frozenset(
    "il elle ils elles lui leur he she his her him hes shes they them their theyre".split()
)
AIMED_BONUS = 0.2
AIMED_CAP = 0.98  # the highest weight an aimed word can reach
AIMED_KINDS = frozenset({"insult", "hate", "obscenity"})
# A derogatory word weighs more in a hostile message ("corrupt, evil liars") than in a friendly one ("crazy good"):
# when the sentiment (run before toxicity) is at most HOSTILE_TONE, the tone counts as one more weak word.
HOSTILE_TONE = -0.2
HOSTILE_WEIGHT = 0.35
LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "€": "e",
        "!": "i",
        "|": "l",
    }
)
# Swear words that keep their force inside a longer word or a hashtag ("fucknut", "#fucktrump", "shitposting").
PROFANE_ROOTS = ("fuck", "shit")
INNOCENT_HOLDERS = ("mishit", "shitake")  # a missed shot, a misspelt mushroom
# A word is obfuscated when look-alike symbols or digits sit between letters ("c0nnard", "f**k", "b!tch"),
# start it ("$alope") or end it doubled ("a$$").
OBFUSCATED = re.compile(
    r"(?<![\w*@$€!|])(?:[\w*@$€]*[a-z][*@$€!|0-9]+[a-z]|[*$€][a-z]|[a-z]+[*$]{2,}(?![\w*@$€]))[\w*@$€!|]*"
)
# Cheap gate before the look for obfuscated words: it starts with a character class, so the scan is fast.
# A symbol or digit run between letters, a leading "*", "$" or "€", or a doubled trailing "*" or "$".
MAYBE_OBFUSCATED = re.compile(
    r"[*@$€|!0-9](?:(?<=[a-z][*@$€|!0-9])[*@$€|!0-9]*[a-z]|(?<![a-z0-9].)(?<=[*$€])[a-z]|(?<=[a-z][*$])[*$])"
)

# Threats: an intention to harm a person or a place. Written over folded text (no accents).
_FRENCH_THREATS = [
    # French
    r"\b(?:je|j|on|nous)\s+(?:vais|va|allons|vas)\s+(?:te|vous|t)\s*(?:'\s*)?(?:tuer|buter|defoncer|crever|egorger|"
    r"planter|retrouver|faire la peau|casser la gueule|exploser|bruler|frapper|massacrer|pendre|fumer)",
    r"\b(?:je|on)\s+(?:vais|va)\s+(?:la|le|lui|les)\s+(?:tuer|buter|egorger|massacrer)",
    r"\b(?:tu|vous)\s+(?:vas|allez)\s+(?:mourir|crever|le payer|le regretter|y passer)",
    r"\bje\s+(?:sais|connais)\s+(?:ou\s+(?:tu|vous)\s+(?:habite|vi)|ton adresse|votre adresse)",
    r"\bon\s+sait\s+ou\s+(?:tu|vous)\s+(?:habite|vi|etes)",
    r"\b(?:gare a (?:toi|vous)|fais gaffe a toi|faites gaffe a vous)",
    r"\b(?:mettre|foutre)\s+le\s+feu\s+a\s+(?:vos|votre|ton|tes|ta|leurs?)\b",
    r"\b(?:faire sauter|bruler)\s+(?:vos|votre|ton|tes|leurs?)\s+(?:magasins?|entrepots?|locaux|bureaux|siege|boutiques?)",
    r"\b(?:je|on)\s+(?:vais|va)\s+(?:venir|debarquer|passer)\s+avec\s+(?:une arme|un flingue|un couteau|une batte)",
    # "je crève de faim", "crevé" (tired) are not threats; "va crever", "crève, sale..." are.
    r"\b(?:va|vas|allez|qu\W?(?:il|elle|ils|elles)|que\s+(?:tu|vous))\s+crev(?:e|er|ent|ez)\b",
    r"\bcrevez?\s+(?:sale|espece|connard|connasse|salope|batard|ordure|enfoire|en enfer|la bouche ouverte)",
    r"(?:^|[.!?]\s*)crevez?\s*(?:!|$)",
    r"\bespere\s+(?:que\s+|qu\W?)(?:tu|vous|il|elle|ils|elles)\s+(?:creve|crevent|crevez|meure|meurent|mourras|mourrez)",
    r"\bmeritent?\s+(?:de\s+crever|de\s+mourir|la\s+mort|d\W?etre\s+(?:tuee?s?|pendue?s?|fusillee?s?|abattue?s?))",
]
_ENGLISH_THREATS = [
    r"\b(?:i|we)\s*(?:'ll|will|ll|am going to|m going to|'m going to|are going to|re going to|gonna)\s+"
    r"(?:kill|hurt|find|beat|shoot|stab|murder|destroy|burn|strangle|punch|end)\s+(?:you|u|ya|your|him|her|them|every)",
    r"\byou(?:'re| are|re| r)\s+(?:dead|going to die|gonna die|a dead man|next)\b",
    r"\bwatch\s+your\s+back\b",
    r"\bi\s+know\s+where\s+(?:you|u)\s+live\b",
    r"\b(?:kill|shoot|hang)\s+(?:yourself|urself|yourselves)\b",
    r"\bkys\b",
    r"\b(?:burn|blow up|bomb)\s+(?:down\s+)?(?:your|the|their)\s+(?:store|stores|office|offices|shop|warehouse|building|hq)",
    r"\b(?:deserve|deserves)\s+to\s+die\b",
    r"\b(?:hope|wish)\s+(?:you|u|he|she|they)\s+(?:die|dies|get shot|gets shot|rot|burn|choke)\b",
    r"\b(?:should|deserves? to|needs? to)\s+be\s+(?:shot|hanged|hung|killed|executed|lynched|beaten|put down)\b",
    r"\bgo\s+die\b",
]


def _alternatives(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# By the message's language (both for any other), so an English message runs only the English patterns.
THREAT_RES = {
    "fr": _alternatives(_FRENCH_THREATS),
    "en": _alternatives(_ENGLISH_THREATS),
    "any": _alternatives(_FRENCH_THREATS + _ENGLISH_THREATS),
}
THREAT_TRIGGERS = frozenset(
    "vais va allons vas sais sait gare gaffe feu sauter bruler creve crevez venir kill hurt find beat shoot "
    "stab murder destroy burn dead die watch know kys hang blow bomb deserve deserves strangle punch end "
    "next shot hanged hung killed executed lynched beaten rot choke espere merite meritent".split()
)
THREAT_WEIGHT = 0.85


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    kind: str
    weight: float
    lang: str  # "fr", "en" or "any": "bite" or "con" are insults in French only

    def counts_in(self, lang: str) -> bool:
        """Whether the entry counts in a message of ``lang`` ("any": a message of unknown language)."""
        return lang == "any" or self.lang in (lang, "any")


@dataclass(frozen=True, slots=True)
class ToxicLexicon:
    words: dict[str, Entry]  # with plural forms ("idiot" -> also "idiots")
    keys_by_lang: dict[str, frozenset[str]]  # "fr", "en" (that language's and "any" entries) and "any" (all)
    squeezed: dict[str, Entry]  # repeated letters collapsed: "connard" -> "conard"
    by_initial: dict[str, tuple[Entry, ...]]  # for masked words, by first letter
    # Phrases by first word: (their words as a set, as a tuple, the entry); matched on tokens, not a regex.
    phrases: dict[str, tuple[tuple[frozenset[str], tuple[str, ...], Entry], ...]]
    phrase_starts: frozenset[str]


@cache
def toxic_lexicon() -> ToxicLexicon:
    words: dict[str, Entry] = {}
    phrases: dict[str, Entry] = {}
    for number, row in read_rows("toxicity.tsv"):
        if len(row) != 4 or row[1] not in KINDS or row[3] not in (*LANGS, "any"):
            raise ValueError(
                f"toxicity.tsv:{number}: expected term, kind ({', '.join(sorted(KINDS))}), weight, "
                f"lang (fr, en or any); got {row!r}"
            )
        tokens = TOKEN_RE.findall(row[0])
        weight = number_field("toxicity.tsv", number, row[0], "weight", row[2])
        entry = Entry(term=row[0], kind=row[1], weight=weight, lang=row[3])
        if len(tokens) == 1:
            words[tokens[0]] = entry
        else:
            phrases[" ".join(tokens)] = entry
    for key, entry in list(words.items()):
        if len(key) >= 4 and key[-1] not in "sx":
            words.setdefault(key + "s", entry)
    keys_by_lang = {
        lang: frozenset(k for k, e in words.items() if e.counts_in(lang)) for lang in (*LANGS, "any")
    }
    squeezed = {squeeze(k): v for k, v in words.items() if len(k) >= 4}
    initials: dict[str, list[Entry]] = defaultdict(list)
    for key, entry in words.items():
        if len(key) >= 4:
            initials[key[0]].append(entry)
    by_start: dict[str, list[tuple[frozenset[str], tuple[str, ...], Entry]]] = defaultdict(list)
    for phrase, entry in phrases.items():
        phrase_tokens = tuple(phrase.split(" "))
        by_start[phrase_tokens[0]].append((frozenset(phrase_tokens), phrase_tokens, entry))
    return ToxicLexicon(
        words=words,
        keys_by_lang=keys_by_lang,
        squeezed=squeezed,
        by_initial={k: tuple(v) for k, v in initials.items()},
        phrases={k: tuple(v) for k, v in by_start.items()},
        phrase_starts=frozenset(by_start),
    )


def _unmask(candidate: str, lex: ToxicLexicon) -> Entry | None:
    """Match a word written with look-alike symbols or masked letters against the lexicon."""
    word = candidate.translate(LEET)
    if "*" not in word:
        return lex.words.get(word) or lex.squeezed.get(squeeze(word))
    first = word[0]
    if first == "*":
        return None
    pattern = re.compile(re.sub(r"\*+", "[a-z]{1,3}", re.escape(word).replace(r"\*", "*")))
    for entry in lex.by_initial.get(first, ()):
        if pattern.fullmatch(entry.term):
            return entry
    return None


def detect_toxicity(doc: Document) -> ToxicityResult:
    lex = toxic_lexicon()
    tokens = doc.tokens
    words = lex.words
    code = doc.lang
    lang = code if code in LANGS else "any"
    folded = doc.folded
    token_set = doc.token_set
    listed = token_set & lex.keys_by_lang[lang]
    # Sorted: set order varies between processes, and stored analyses must not.
    found: list[Entry] = [words[t] for t in sorted(listed)] if listed else []
    starts = lex.phrase_starts & token_set
    if starts:
        for start in sorted(starts):
            for phrase_set, phrase_tokens, phrase_entry in lex.phrases[start]:
                if phrase_set <= token_set:
                    size = len(phrase_tokens)
                    found.extend(
                        phrase_entry
                        for i, token in enumerate(tokens)
                        if token == start and tuple(tokens[i : i + size]) == phrase_tokens
                    )
    repeated_letters = doc.tripled_letter
    if repeated_letters:
        for token in tokens:
            if len(token) >= 4 and token not in words:
                entry = lex.squeezed.get(squeeze(token))
                if entry is not None and entry.counts_in(lang):
                    found.append(entry)
    if any(map(folded.__contains__, PROFANE_ROOTS)):
        for token in tokens:
            if token in words or (repeated_letters and squeeze(token) in lex.squeezed):
                continue  # already found above
            if token.startswith(INNOCENT_HOLDERS):
                continue
            for root in PROFANE_ROOTS:
                if root in token:
                    entry = words[root]
                    if entry.counts_in(lang):
                        found.append(entry)
                    break
    if MAYBE_OBFUSCATED.search(folded):
        for candidate in OBFUSCATED.findall(folded):
            candidate = candidate.rstrip("!")
            if candidate in words or candidate.isdigit():
                continue
            entry = _unmask(candidate, lex)
            if entry is not None and entry.counts_in(lang):
                found.append(entry)
    threats: list[str] = []
    if not THREAT_TRIGGERS.isdisjoint(token_set):
        threats = [m.group(0) for m in THREAT_RES[lang].finditer(folded)]
    if not found and not threats:
        return ToxicityResult(score=0.0)
    aimed = not AIMED_AT_SOMEONE.isdisjoint(token_set)
    keep = 1.0
    kinds: set[str] = set()
    terms: list[str] = []
    derogatory = False
    for entry in found:
        weight = entry.weight
        if entry.kind in ("insult", "hate"):
            derogatory = True
        if aimed and entry.kind in AIMED_KINDS:
            weight = min(AIMED_CAP, weight + AIMED_BONUS)
        keep *= 1.0 - weight
        kinds.add(entry.kind)
        if entry.term not in terms:
            terms.append(entry.term)
    sentiment = doc.sentiment
    if derogatory and sentiment is not None and sentiment.score <= HOSTILE_TONE:
        keep *= 1.0 - HOSTILE_WEIGHT
    for threat in threats:
        keep *= 1.0 - THREAT_WEIGHT
        kinds.add(ToxicityKind.THREAT.value)
        terms.append(threat.strip())
    return ToxicityResult(score=1.0 - keep, kinds=sorted(kinds), terms=terms)
