"""Toxicity from a curated bilingual lexicon (``data/toxicity.tsv``) and threat patterns, in French and English.

The score combines the weights of everything matched as ``1 - prod(1 - w)``; an insult aimed at
someone ("tu", "vous", "you"...) weighs more. Obfuscations are undone before matching: repeated letters
("connnnard"), look-alike digits and symbols ("c0nnard", "$alope") and masked letters ("c*nnard", "f**k").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from vigie.analysis.lexicon import read_rows
from vigie.analysis.schemas import ToxicityKind, ToxicityResult
from vigie.analysis.text import TOKEN_RE, Document

KINDS = frozenset(k.value for k in ToxicityKind)
SECOND_PERSON = frozenset("tu te t toi vous votre vos ta ton tes you u your ur youre yourself".split())
AIMED_BONUS = 0.2
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "€": "e"}
)
REPEATS = re.compile(r"([a-z])\1+")
TRIPLE = re.compile(r"([a-z])\1\1")
# Symbols or digits between letters ("c0nnard", "f**k", "sal@pe") or a leading symbol ("$alope", "*ssh*le").
LEET_CANDIDATE = re.compile(r"[*@$€0-9]+[a-z]")
OBFUSCATED = re.compile(r"(?<![\w*@$€])(?:[\w*@$€]*[a-z][*@$€0-9]+[a-z]|[*$€][a-z])[\w*@$€]*")
# Cheap gate (a character-class scan) before the slower look for obfuscated words.
SYMBOL_OR_DIGIT = re.compile(r"[*@$€0-9]")

# Threats: an intention to harm a person or a place. Written over folded text (no accents).
_THREAT_PATTERNS = [
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
    r"\b(?:creve|crevez)\b",
    # English
    r"\b(?:i|we)\s*(?:'ll|will|ll|am going to|m going to|'m going to|are going to|re going to|gonna)\s+"
    r"(?:kill|hurt|find|beat|shoot|stab|murder|destroy|burn|strangle|punch|end)\s+(?:you|u|ya|your|him|her|them|every)",
    r"\byou(?:'re| are|re| r)\s+(?:dead|going to die|gonna die|a dead man|next)\b",
    r"\bwatch\s+your\s+back\b",
    r"\bi\s+know\s+where\s+(?:you|u)\s+live\b",
    r"\b(?:kill|shoot|hang)\s+(?:yourself|urself|yourselves)\b",
    r"\bkys\b",
    r"\b(?:burn|blow up|bomb)\s+(?:down\s+)?(?:your|the|their)\s+(?:store|stores|office|offices|shop|warehouse|building|hq)",
    r"\b(?:deserve|deserves)\s+to\s+die\b",
]
THREAT_RE = re.compile("|".join(f"(?:{p})" for p in _THREAT_PATTERNS))
THREAT_TRIGGERS = frozenset(
    "vais va allons vas sais sait gare gaffe feu sauter bruler creve crevez venir kill hurt find beat shoot "
    "stab murder destroy burn dead die watch know kys hang blow bomb deserve deserves strangle punch end "
    "next".split()
)
THREAT_WEIGHT = 0.85


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    kind: str
    weight: float


@dataclass(frozen=True, slots=True)
class ToxicLexicon:
    words: dict[str, Entry]
    word_keys: frozenset[str]
    squeezed: dict[str, Entry]  # repeated letters collapsed: "connard" -> "conard"
    by_initial: dict[str, tuple[Entry, ...]]  # for masked words, by first letter
    phrase_re: re.Pattern[str] | None
    phrases: dict[str, Entry]
    phrase_starts: frozenset[str]


def squeeze(word: str) -> str:
    return REPEATS.sub(r"\1", word)


@cache
def toxic_lexicon() -> ToxicLexicon:
    words: dict[str, Entry] = {}
    phrases: dict[str, Entry] = {}
    for number, row in enumerate(read_rows("toxicity.tsv"), start=1):
        if len(row) != 4 or row[1] not in KINDS:
            raise ValueError(
                f"toxicity.tsv row {number}: expected term, kind ({', '.join(sorted(KINDS))}), weight, lang"
            )
        tokens = TOKEN_RE.findall(row[0])
        entry = Entry(term=row[0], kind=row[1], weight=float(row[2]))
        if len(tokens) == 1:
            words[tokens[0]] = entry
        else:
            phrases[" ".join(tokens)] = entry
    squeezed = {squeeze(k): v for k, v in words.items() if len(k) >= 4}
    initials: dict[str, list[Entry]] = defaultdict(list)
    for key, entry in words.items():
        if len(key) >= 4:
            initials[key[0]].append(entry)
    phrase_re = (
        re.compile(
            r"\b(?:"
            + "|".join(re.escape(p).replace(r"\ ", r"\W+") for p in sorted(phrases, key=len, reverse=True))
            + r")\b"
        )
        if phrases
        else None
    )
    return ToxicLexicon(
        words=words,
        word_keys=frozenset(words),
        squeezed=squeezed,
        by_initial={k: tuple(v) for k, v in initials.items()},
        phrase_re=phrase_re,
        phrases=phrases,
        phrase_starts=frozenset(p.split(" ", 1)[0] for p in phrases),
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


def _maybe_obfuscated(folded: str) -> bool:
    """A symbol or digit run inside a word, or a leading ``*``/``$``/``€`` (cheaper than one regex)."""
    for match in LEET_CANDIDATE.finditer(folded):
        start = match.start()
        if folded[start] in "*$€" or (start and folded[start - 1].isalpha()):
            return True
    return False


def detect_toxicity(doc: Document) -> ToxicityResult:
    lex = toxic_lexicon()
    tokens = doc.tokens
    words = lex.words
    found: list[Entry] = [words[t] for t in doc.token_set & lex.word_keys]
    folded = doc.folded
    if lex.phrase_re is not None and not lex.phrase_starts.isdisjoint(doc.token_set):
        for match in lex.phrase_re.finditer(folded):
            found.append(lex.phrases[" ".join(TOKEN_RE.findall(match.group(0)))])
    if TRIPLE.search(folded):
        for token in tokens:
            if len(token) >= 4 and token not in words:
                entry = lex.squeezed.get(squeeze(token))
                if entry is not None:
                    found.append(entry)
    if SYMBOL_OR_DIGIT.search(folded) and _maybe_obfuscated(folded):
        for candidate in OBFUSCATED.findall(folded):
            if candidate in words or candidate.isdigit():
                continue
            entry = _unmask(candidate, lex)
            if entry is not None:
                found.append(entry)
    threats: list[str] = []
    if not THREAT_TRIGGERS.isdisjoint(doc.token_set):
        threats = [m.group(0) for m in THREAT_RE.finditer(folded)]
    if not found and not threats:
        return ToxicityResult(score=0.0)
    aimed = not SECOND_PERSON.isdisjoint(doc.token_set)
    keep = 1.0
    kinds: set[str] = set()
    terms: list[str] = []
    for entry in found:
        weight = entry.weight
        if aimed and entry.kind in ("insult", "hate"):
            weight = min(0.98, weight + AIMED_BONUS)
        keep *= 1.0 - weight
        kinds.add(entry.kind)
        if entry.term not in terms:
            terms.append(entry.term)
    for threat in threats:
        keep *= 1.0 - THREAT_WEIGHT
        kinds.add(ToxicityKind.THREAT.value)
        terms.append(threat.strip())
    return ToxicityResult(score=1.0 - keep, kinds=sorted(kinds), terms=terms)
