"""Topics: the workspace's own topics by bilingual keywords, and emerging terms over a window of messages.

Keywords and message words are folded (case and accents ignored) and lightly stemmed (plurals,
final e), so "Livraisons", "livraison" and "LIVRAISON" all match the keyword "livraison"; a keyword
of several words matches the same words in sequence ("pas reçu" matches "pas recu").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vigie.analysis.language import ENGLISH_WORDS, FRENCH_WORDS
from vigie.analysis.schemas import TopicsResult
from vigie.analysis.text import TOKEN_RE, Document, fold, prepare, stem
from vigie.core.errors import ValidationFailedError

_STEMS: dict[str, str] = {}
_STEM_CACHE_LIMIT = 200_000


def cached_stem(token: str) -> str:
    value = _STEMS.get(token)
    if value is None:
        if len(_STEMS) >= _STEM_CACHE_LIMIT:
            _STEMS.clear()
        value = _STEMS[token] = stem(token)
    return value


@dataclass(frozen=True, slots=True)
class TopicDef:
    key: str
    keywords: dict[str, tuple[str, ...]]  # language -> keywords as written


def topics_from_spec(topics: Sequence[Mapping[str, Any]] | None) -> list[TopicDef]:
    """Topic definitions from ``workspace.yaml``'s ``topics`` list, with a clear error on bad shapes."""
    out: list[TopicDef] = []
    for index, item in enumerate(topics or []):
        if not isinstance(item, Mapping) or not isinstance(item.get("key"), str) or not item["key"]:
            raise ValidationFailedError(
                f"topics[{index}]: each topic needs a 'key' (text), e.g. {{key: delivery}}."
            )
        keywords = item.get("keywords") or {}
        if not isinstance(keywords, Mapping):
            raise ValidationFailedError(
                f"topics[{index}] ({item['key']}): 'keywords' must map a language to a list, e.g. {{fr: [colis]}}."
            )
        clean: dict[str, tuple[str, ...]] = {}
        for lang, words in keywords.items():
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise ValidationFailedError(
                    f"topics[{index}] ({item['key']}): keywords.{lang} must be a list of words or phrases."
                )
            clean[str(lang)] = tuple(words)
        out.append(TopicDef(key=item["key"], keywords=clean))
    return out


def surface_forms(value: str) -> set[str]:
    """Every token that ``stem`` maps to ``value`` (the stem only strips a few endings)."""
    candidates = {value, value + "s", value + "x", value + "e", value + "es", value + "ex"}
    if value.endswith("y"):
        candidates.update({value[:-1] + "ies", value[:-1] + "iese"})
    return {c for c in candidates if stem(c) == value}


@dataclass(slots=True)
class TopicMatcher:
    """Built once per workspace. ``match`` is one set intersection for most messages."""

    topics: list[TopicDef]
    single: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # token -> [(topic, keyword)]
    multi: dict[str, list[tuple[tuple[str, ...], str, str]]] = field(
        default_factory=dict
    )  # first token -> ...
    surface: frozenset[str] = frozenset()
    keyword_stems: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        single: dict[str, list[tuple[str, str]]] = defaultdict(list)
        multi: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        all_stems: set[str] = set()
        for topic in self.topics:
            for words in topic.keywords.values():
                for keyword in words:
                    stems = tuple(stem(t) for t in TOKEN_RE.findall(fold(keyword)))
                    if not stems:
                        continue
                    all_stems.update(stems)
                    for form in surface_forms(stems[0]):
                        if len(stems) == 1:
                            single[form].append((topic.key, keyword))
                        else:
                            multi[form].append((stems, topic.key, keyword))
        self.single = dict(single)
        self.multi = dict(multi)
        self.surface = frozenset(single) | frozenset(multi)
        self.keyword_stems = frozenset(all_stems)

    def match(self, doc: Document) -> TopicsResult:
        hits = doc.token_set & self.surface
        if not hits:
            return TopicsResult()
        found: dict[str, list[str]] = {}
        for token in hits:
            for key, keyword in self.single.get(token, ()):
                found.setdefault(key, []).append(keyword)
        if not hits.isdisjoint(self.multi):
            tokens = doc.tokens
            for i, token in enumerate(tokens):
                for sequence, key, keyword in self.multi.get(token, ()):
                    size = len(sequence)
                    following = tokens[i + 1 : i + size]
                    if len(following) == size - 1 and all(
                        cached_stem(t) == s for t, s in zip(following, sequence[1:], strict=True)
                    ):
                        found.setdefault(key, []).append(keyword)
        order = [t.key for t in self.topics if t.key in found]
        return TopicsResult(keys=order, matches={k: sorted(set(found[k])) for k in order})


# --- emerging topics ----------------------------------------------------------------------------

STOPWORDS = (
    FRENCH_WORDS
    | ENGLISH_WORDS
    | frozenset(
        "les des une un la de du en a y on ou si ma mes ta tes sa ses son leur leurs nos vos notre quoi qui que "
        "quel quelle cela ceci celui celle ces cet sont etait etaient sera serait avait avaient faire fais faut "
        "peut plus moins tres trop bien aussi meme encore deja apres avant avec sans sous entre vers chez pour "
        "par mais donc puis alors car comme tout tous toute toutes rien personne quelque chose ici voila bonjour "
        "merci salut hello thanks thank please an as by in on or no yes not our ours yours its it's one two three "
        "this that these those then than there their they them what which who whom whose will would could should "
        "have has had having been being does did doing just only also very more most much many some such into "
        "onto over under again once here when where why how all any both each few other own same so too can "
        "httpurl user http https www com amp rt via lol mdr ptdr jsp".split()
    )
)


@dataclass(slots=True)
class EmergingTerm:
    term: str  # the most frequent surface form
    messages: int  # messages of the window containing it
    share: float  # messages / window size
    lift: float | None  # share in the window / share in the baseline (None without baseline)
    examples: list[int]  # indexes (in the window) of up to 3 messages

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "messages": self.messages,
            "share": round(self.share, 4),
            "lift": None if self.lift is None else round(self.lift, 2),
            "examples": self.examples,
        }


def _candidate_terms(doc: Document, known: frozenset[str]) -> dict[str, str]:
    """stem (or 'stem stem' for two words in a row) -> surface form, for content words only."""
    out: dict[str, str] = {}
    previous: tuple[str, str] | None = None
    for token in doc.tokens:
        if len(token) < 4 or not token.isalpha() or token in STOPWORDS:
            previous = None
            continue
        value = cached_stem(token)
        if value in known:
            previous = None
            continue
        out.setdefault(value, token)
        if previous is not None:
            out.setdefault(previous[0] + " " + value, previous[1] + " " + token)
        previous = (value, token)
    return out


def _document_frequencies(docs: Iterable[Document], known: frozenset[str]) -> tuple[Counter[str], int]:
    counts: Counter[str] = Counter()
    size = 0
    for doc in docs:
        size += 1
        counts.update(_candidate_terms(doc, known).keys())
    return counts, size


def emerging_topics(
    texts: Sequence[str],
    *,
    matcher: TopicMatcher | None = None,
    baseline: Sequence[str] | None = None,
    min_messages: int = 3,
    min_lift: float = 2.0,
    limit: int = 10,
) -> list[EmergingTerm]:
    """Frequent terms in ``texts`` (a recent window) among messages that match no known topic.

    With a ``baseline`` (older messages), a term must also be ``min_lift`` times more frequent in the
    window than in the baseline, so that everyday words do not show up as news.
    """
    if min_messages < 1:
        raise ValidationFailedError("min_messages must be at least 1.")
    known = matcher.keyword_stems if matcher is not None else frozenset()
    docs = [prepare(t) for t in texts]
    unmatched = [(i, d) for i, d in enumerate(docs) if matcher is None or not matcher.match(d).keys]
    counts: Counter[str] = Counter()
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[str, list[int]] = defaultdict(list)
    for index, doc in unmatched:
        for key, form in _candidate_terms(doc, known).items():
            counts[key] += 1
            surface[key][form] += 1
            if len(where[key]) < 3:
                where[key].append(index)
    base_counts: Counter[str] | None = None
    base_size = 0
    if baseline is not None:
        base_counts, base_size = _document_frequencies((prepare(t) for t in baseline), known)
    size = max(len(docs), 1)
    results: list[EmergingTerm] = []
    for key, count in counts.items():
        if count < min_messages:
            continue
        share = count / size
        lift: float | None = None
        if base_counts is not None:
            base_share = (base_counts.get(key, 0) + 1) / (base_size + 1)
            lift = share / base_share
            if lift < min_lift:
                continue
        results.append(EmergingTerm(surface[key].most_common(1)[0][0], count, share, lift, where[key]))
    # A word that only ever appears inside a longer emerging phrase is shown as the phrase.
    phrases = [r for r in results if " " in r.term]
    kept = [
        r
        for r in results
        if " " in r.term
        or not any(r.term in p.term.split(" ") and p.messages >= 0.8 * r.messages for p in phrases)
    ]
    kept.sort(key=lambda r: (-(r.lift or 1.0) * r.messages, -r.messages, r.term))
    return kept[:limit]
