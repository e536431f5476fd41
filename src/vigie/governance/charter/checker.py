"""The charter check: one compiled ``Checker`` per configuration, pure and thread-safe."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from vigie.core.clock import utcnow
from vigie.governance.charter import lexicon as lx
from vigie.governance.charter.amounts import AmountMatch, find_amounts
from vigie.governance.charter.config import CharterConfig, CheckContext, digits_of_phone
from vigie.governance.charter.dates import find_dates
from vigie.governance.charter.language import detect_language
from vigie.governance.charter.messages import lang_name, message
from vigie.governance.charter.spelling import Speller
from vigie.governance.findings import Amount, Category, Finding, Severity, Unit

_I = re.IGNORECASE
_SENTENCE_RE = re.compile(r"[^.!?…\n]+(?:[.!?…]+|\n|$)")
_CLAUSE_SPLIT_RE = re.compile(
    r"[,;:](?=\s)|\s[-–—]\s|\(|\)|\b(?:mais|but|however|cependant|toutefois|sinon|otherwise|although|bien que|though)\b",
    _I,
)
_URL_RE = re.compile(
    r"\bhttps?://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:fr|com|org|net|io|eu|co\.uk|be|ch)\b(?:/\S*)?", _I
)
_HANDLE_RE = re.compile(r"(?<![\w@])@\w+(?:@[\w.-]+)?|(?<!\w)#\w+")
_CARD_CONTEXT_RE = re.compile(r"\b(?:carte|card|cb|visa|mastercard|amex|paiement|payment)\b", _I)
_CURRENCY_UNITS = (Unit.EUR, Unit.USD, Unit.GBP)
# "si vous pensez que c'est notre faute", "it's not our fault": no admission.
_DOUBT_RE = re.compile(
    r"\b(?:think|thinks|believe|pensez|pense|croyez|crois|not|pas|never|jamais|isn't|wasn't|if|si|whether)\b",
    _I,
)
_CONDITIONAL_RE = re.compile(r"\s*(?:si|s'il|s'ils|if|unless|au cas o[uù]|in case|à moins|should)\b", _I)

_COMMITMENT_PREFERRED_UNIT: dict[Category, tuple[Unit, ...]] = {
    Category.COMMITMENT_REFUND: _CURRENCY_UNITS + (Unit.PERCENT,),
    Category.COMMITMENT_COMPENSATION: _CURRENCY_UNITS,
    Category.COMMITMENT_DISCOUNT: (Unit.PERCENT, *_CURRENCY_UNITS),
}


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


@dataclass
class _Raw:
    category: Category
    start: int
    end: int
    suggestion: str | None = None
    amount: Amount | None = None
    date: str | None = None
    extra: dict[str, str] | None = None


def _c(pattern: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile(pattern, flags)


class Checker:
    """Everything compiled once for one ``CharterConfig``. Use :func:`get_checker` to share it."""

    def __init__(self, config: CharterConfig) -> None:
        self.config = config
        self._neg_before = _c(lx.NEGATION_BEFORE)
        self._neg_after = _c(lx.NEGATION_AFTER)
        self._future = _c(lx.FUTURE_CUE)
        self._customer_side = _c(lx.CUSTOMER_SIDE)
        self._discount_offer = _c(lx.DISCOUNT_OFFER)
        self._commitments: tuple[tuple[Category, re.Pattern[str], re.Pattern[str] | None], ...] = (
            (Category.COMMITMENT_APOLOGY, _c(lx.APOLOGY, _I | re.MULTILINE), _c(lx.APOLOGY_EXCLUDE)),
            (Category.COMMITMENT_REFUND, _c(lx.REFUND), _c(lx.REFUND_NOT_COMMITMENT)),
            (Category.COMMITMENT_COMPENSATION, _c(lx.COMPENSATION), None),
            (Category.COMMITMENT_DISCOUNT, _c(lx.DISCOUNT), None),
        )
        self._liability = _c(lx.LIABILITY)
        partners = tuple(dict.fromkeys((*lx.KNOWN_PARTNERS, *config.partners)))
        p = "(?:" + "|".join(re.escape(x) for x in sorted(partners, key=len, reverse=True)) + ")"
        self._partner_blame = _c(r"\b(?:" + lx.PARTNER_BLAME.replace("{p}", p) + r")(?!\w)")
        self._health = _c(lx.HEALTH_SAFETY)
        self._absolute = _c(lx.ABSOLUTE)
        self._absolute_exclude = _c(lx.ABSOLUTE_EXCLUDE)
        competitors = tuple(dict.fromkeys((*lx.KNOWN_COMPETITORS, *config.competitors)))
        self._competitor = _c(
            r"(?<!\w)(?:"
            + "|".join(re.escape(x) for x in sorted(competitors, key=len, reverse=True))
            + r")(?!\w)"
        )
        self._competitor_negative = _c(lx.COMPETITOR_NEGATIVE)
        self._insult = _c(lx.INSULT)
        self._insult_exclude = _c(lx.INSULT_EXCLUDE)
        self._aggressive = _c(lx.AGGRESSIVE, _I | re.MULTILINE)
        self._email = _c(lx.EMAIL)
        self._phone = _c(lx.PHONE)
        self._payment = _c(lx.PAYMENT)
        self._iban_bare = _c(lx.IBAN_BARE, 0)
        self._address = _c(lx.ADDRESS, 0)
        self._org_emails = frozenset(e.lower() for e in config.emails)
        self._org_domains = frozenset(
            [e.lower().rsplit("@", 1)[-1] for e in config.emails]
            + [re.sub(r"^(?:https?://)?(?:www\.)?", "", u.lower()).split("/")[0] for u in config.urls]
        )
        self._org_phones = frozenset(digits_of_phone(p) for p in config.phones)
        self._org_addresses = tuple(_norm_address(a) for a in config.addresses)
        self._org_handles = frozenset(h.lower().lstrip("@") for h in config.handles)
        self._brand: list[tuple[re.Pattern[str], str | None, str | None, str | None]] = []
        for term in config.forbidden_terms:
            self._brand.append((self._word(term.term), term.lang, term.suggestion, term.reason))
        for term in config.preferred_terms:
            for variant in term.instead_of:
                self._brand.append((self._word(variant), term.lang, term.term, term.reason))
        ignore = [
            *config.spelling_ignore,
            *config.brand_terms,
            *config.competitors,
            *config.partners,
            *lx.KNOWN_PARTNERS,
            *lx.KNOWN_COMPETITORS,
            config.brand_name,
            *self._org_handles,
        ]
        words: list[str] = []
        for item in ignore:
            words.extend(re.split(r"\s+", item.strip()))
        self._speller = Speller(w for w in words if w)

    @staticmethod
    def _word(term: str) -> re.Pattern[str]:
        return _c(r"(?<!\w)" + re.escape(term).replace(r"\ ", r"\s+") + r"(?!\w)")

    # ------------------------------------------------------------------------------------------
    def check(self, text: str, *, lang: str | None, context: CheckContext) -> list[Finding]:
        norm = text.replace("’", "'")
        detected = detect_language(norm)
        writer_lang = lang if lang in ("fr", "en") else (detected or "fr")
        today = context.today or utcnow().date()
        raws: list[_Raw] = []
        masked = self._masked_spans(norm)
        sentences = [_Span(m.start(), m.end()) for m in _SENTENCE_RE.finditer(norm) if m.group(0).strip()]
        amounts = find_amounts(norm)

        cfg = self.config
        if any(cfg.enabled(c) for c, _, _ in self._commitments):
            raws.extend(self._commitment_findings(norm, sentences, amounts, masked))
        if cfg.enabled(Category.COMMITMENT_DEADLINE):
            raws.extend(self._deadline_findings(norm, sentences, today, masked))
        raws.extend(self._legal_findings(norm, sentences))
        raws.extend(self._personal_data_findings(norm))
        raws.extend(self._tone_findings(norm, sentences))
        raws.extend(self._brand_findings(norm, writer_lang, masked))
        if cfg.enabled(Category.SPELLING):
            spell_lang = detected or writer_lang
            for err in self._speller.errors(norm, spell_lang, masked + self._brand_spans(norm)):
                raws.append(_Raw(Category.SPELLING, err.start, err.end, suggestion=err.suggestion))
        if context.max_length is not None and len(text) > context.max_length:
            raws.append(
                _Raw(
                    Category.CHANNEL_LENGTH,
                    context.max_length,
                    len(text),
                    extra={
                        "channel": context.channel or "",
                        "length": str(len(text)),
                        "limit": str(context.max_length),
                    },
                )
            )
        customer = (context.in_reply_to_lang or "").lower()[:2]
        draft = detected
        if customer in ("fr", "en") and draft is not None and draft != customer and text.strip():
            raws.append(
                _Raw(Category.LANGUAGE_MISMATCH, 0, len(text), extra={"draft": draft, "customer": customer})
            )
        return self._finish(text, raws, writer_lang, context)

    # ------------------------------------------------------------------------------------------
    def _masked_spans(self, text: str) -> list[tuple[int, int]]:
        spans = [(m.start(), m.end()) for m in _URL_RE.finditer(text)]
        spans += [(m.start(), m.end()) for m in _HANDLE_RE.finditer(text)]
        spans += [(m.start(), m.end()) for m in self._email.finditer(text)]
        return spans

    def _brand_spans(self, text: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in self._competitor.finditer(text)]

    def _clause_bounds(self, text: str, sentence: _Span, pos: int) -> tuple[int, int]:
        start, end = sentence.start, sentence.end
        for m in _CLAUSE_SPLIT_RE.finditer(text, sentence.start, sentence.end):
            if m.end() <= pos:
                start = m.end()
            elif m.start() >= pos:
                end = m.start()
                break
        return start, end

    def _negated(self, text: str, sentence: _Span, start: int, end: int) -> bool:
        c_start, c_end = self._clause_bounds(text, sentence, start)
        before = text[max(c_start, start - 70) : start]
        # "si le colis n'arrive pas d'ici lundi": the negation belongs to the condition.
        if self._neg_before.search(before) and not _CONDITIONAL_RE.match(text, c_start):
            return True
        return bool(self._neg_after.search(text[end:c_end]))

    def _commitment_findings(
        self, text: str, sentences: list[_Span], amounts: list[AmountMatch], masked: list[tuple[int, int]]
    ) -> Iterator[_Raw]:
        for sentence in sentences:
            s_text = text[sentence.start : sentence.end]
            for category, pattern, exclude in self._commitments:
                if not self.config.enabled(category):
                    continue
                if exclude is not None and exclude.search(s_text) and category == Category.COMMITMENT_APOLOGY:
                    continue
                for m in pattern.finditer(text, sentence.start, sentence.end):
                    start, end = m.start(), m.end()
                    if _inside(start, end, masked):
                        continue
                    if _echo_question(s_text):  # "Un avoir ?": the customer's word, echoed
                        continue
                    if exclude is not None and category != Category.COMMITMENT_APOLOGY:
                        window = text[max(sentence.start, start - 45) : min(sentence.end, end + 25)]
                        if exclude.search(window):
                            continue
                    if self._negated(text, sentence, start, end):
                        continue
                    if category == Category.COMMITMENT_COMPENSATION:
                        c_start, _ = self._clause_bounds(text, sentence, start)
                        if self._customer_side.search(text, c_start, start):
                            continue  # "you can exchange it within 30 days": the customer's right
                    if category == Category.COMMITMENT_DISCOUNT and not self._discount_stated(
                        text, sentence, start, amounts
                    ):
                        continue
                    amount: Amount | None = None
                    units = _COMMITMENT_PREFERRED_UNIT.get(category)
                    if units is not None:
                        found = _nearest_amount(amounts, sentence, start, end, units)
                        if found is not None:
                            amount = found.amount
                            if found.start >= end and found.start - end <= 60:
                                end = found.end
                            elif found.end <= start and start - found.end <= 40:
                                start = found.start
                    yield _Raw(category, start, end, amount=amount)

    def _discount_stated(self, text: str, sentence: _Span, pos: int, amounts: list[AmountMatch]) -> bool:
        c_start, c_end = self._clause_bounds(text, sentence, pos)
        if any(c_start <= a.start and a.end <= c_end for a in amounts):
            return True
        return bool(self._discount_offer.search(text, c_start, c_end))

    def _deadline_findings(
        self, text: str, sentences: list[_Span], today: date, masked: list[tuple[int, int]]
    ) -> Iterator[_Raw]:
        for found in find_dates(text, today):
            if _inside(found.start, found.end, masked):
                continue
            sentence = next((s for s in sentences if s.start <= found.start < s.end), None)
            if sentence is None:
                continue
            if text[sentence.start : sentence.end].rstrip().endswith("?"):
                continue
            if not found.strong and not self._future.search(text, sentence.start, sentence.end):
                continue
            if self._negated(text, sentence, found.start, found.end):
                continue
            c_start, _ = self._clause_bounds(text, sentence, found.start)
            if self._customer_side.search(text, c_start, found.start):
                continue
            yield _Raw(Category.COMMITMENT_DEADLINE, found.start, found.end, date=found.value)

    def _legal_findings(self, text: str, sentences: list[_Span]) -> Iterator[_Raw]:
        cfg = self.config
        if cfg.enabled(Category.LEGAL_LIABILITY):
            for regex in (self._liability, self._partner_blame):
                for m in regex.finditer(text):
                    sentence = next((s for s in sentences if s.start <= m.start() < s.end), None)
                    if sentence is not None:
                        c_start, _ = self._clause_bounds(text, sentence, m.start())
                        if _DOUBT_RE.search(text, c_start, m.start()):
                            continue
                    yield _Raw(Category.LEGAL_LIABILITY, m.start(), m.end())
        if cfg.enabled(Category.LEGAL_HEALTH_SAFETY):
            for m in self._health.finditer(text):
                yield _Raw(Category.LEGAL_HEALTH_SAFETY, m.start(), m.end())
        if cfg.enabled(Category.LEGAL_ABSOLUTE_CLAIM):
            for m in self._absolute.finditer(text):
                window = text[max(0, m.start() - 15) : m.end() + 15]
                if self._absolute_exclude.search(window):
                    continue
                before = text[max(0, m.start() - 12) : m.start()].lower()
                if re.search(r"\b(?:vous|you|tu)\s*$", before) or re.search(
                    r"\b(?:vous|you)\s+(?:ne|n')\s*$", before
                ):
                    continue
                yield _Raw(Category.LEGAL_ABSOLUTE_CLAIM, m.start(), m.end())
        if cfg.enabled(Category.LEGAL_COMPETITOR):
            for sentence in sentences:
                names = list(self._competitor.finditer(text, sentence.start, sentence.end))
                if not names:
                    continue
                cues = list(self._competitor_negative.finditer(text, sentence.start, sentence.end))
                if not cues:
                    continue
                start = min(names[0].start(), cues[0].start())
                end = max(names[-1].end(), cues[-1].end())
                yield _Raw(Category.LEGAL_COMPETITOR, start, end)

    def _personal_data_findings(self, text: str) -> Iterator[_Raw]:
        cfg = self.config
        if cfg.enabled(Category.PERSONAL_DATA_EMAIL):
            for m in self._email.finditer(text):
                email = m.group(0).lower().rstrip(".")
                if email in self._org_emails or email.rsplit("@", 1)[-1] in self._org_domains:
                    continue
                yield _Raw(Category.PERSONAL_DATA_EMAIL, m.start(), m.start() + len(email))
        payment_spans: list[tuple[int, int]] = []
        if cfg.enabled(Category.PERSONAL_DATA_PAYMENT):
            for regex in (self._payment, self._iban_bare):
                for m in regex.finditer(text):
                    raw = m.group(0)
                    digits = re.sub(r"\D", "", raw)
                    if len(digits) >= 13 and raw[:1].isdigit() and not _luhn(digits):
                        ctx = text[max(0, m.start() - 40) : m.end() + 40]
                        if not _CARD_CONTEXT_RE.search(ctx):
                            continue
                    if any(m.start() < e and s < m.end() for s, e in payment_spans):
                        continue
                    payment_spans.append((m.start(), m.end()))
                    yield _Raw(Category.PERSONAL_DATA_PAYMENT, m.start(), m.end())
        if cfg.enabled(Category.PERSONAL_DATA_PHONE):
            for m in self._phone.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in payment_spans):
                    continue
                if digits_of_phone(m.group(0)) in self._org_phones:
                    continue
                yield _Raw(Category.PERSONAL_DATA_PHONE, m.start(), m.end())
        if cfg.enabled(Category.PERSONAL_DATA_ADDRESS):
            for m in self._address.finditer(text):
                found = _norm_address(m.group(0))
                if any(found in org or (len(org) >= 8 and org in found) for org in self._org_addresses):
                    continue
                yield _Raw(Category.PERSONAL_DATA_ADDRESS, m.start(), m.end())

    def _tone_findings(self, text: str, sentences: list[_Span]) -> Iterator[_Raw]:
        if self.config.enabled(Category.TONE_INSULT):
            for m in self._insult.finditer(text):
                window = text[max(0, m.start() - 10) : m.end() + 12]
                if self._insult_exclude.search(window):
                    continue
                yield _Raw(Category.TONE_INSULT, m.start(), m.end())
        if self.config.enabled(Category.TONE_AGGRESSIVE):
            for m in self._aggressive.finditer(text):
                if m.end() > m.start():
                    yield _Raw(Category.TONE_AGGRESSIVE, m.start(), m.end())

    def _brand_findings(self, text: str, writer_lang: str, masked: list[tuple[int, int]]) -> Iterator[_Raw]:
        if not self.config.enabled(Category.BRAND_TERM):
            return
        for regex, lang, suggestion, reason in self._brand:
            if lang and lang != writer_lang:
                continue
            for m in regex.finditer(text):
                if m.group(0) == suggestion or _overlaps(m.start(), m.end(), masked):
                    continue
                yield _Raw(
                    Category.BRAND_TERM,
                    m.start(),
                    m.end(),
                    suggestion=suggestion,
                    extra={"reason": reason or ""},
                )

    # ------------------------------------------------------------------------------------------
    def _finish(self, text: str, raws: list[_Raw], writer_lang: str, context: CheckContext) -> list[Finding]:
        raws = _merge(raws)
        out: list[Finding] = []
        for raw in raws:
            severity = self.config.severity(raw.category)
            if raw.category.value.startswith("personal_data.") and not context.public:
                severity = Severity.WARN
            out.append(
                Finding(
                    category=raw.category,
                    severity=severity,
                    start=raw.start,
                    end=raw.end,
                    message=_explain(text, raw, writer_lang),
                    suggestion=raw.suggestion,
                    amount=raw.amount,
                    date=raw.date,
                )
            )
        out.sort(key=lambda f: (f.start, f.end, f.category.value))
        return out


def _explain(text: str, raw: _Raw, writer_lang: str) -> str:
    evidence = text[raw.start : raw.end]
    if len(evidence) > 80:
        evidence = evidence[:77] + "…"
    values: dict[str, str] = {"evidence": evidence}
    if raw.amount is not None:
        shown = f"{raw.amount.value:g} {'%' if raw.amount.unit == Unit.PERCENT else raw.amount.unit.value}"
        values["amount_fr"] = f" ({shown})"
        values["amount_en"] = f" ({shown})"
    if raw.date is not None:
        values["date"] = raw.date
    extra = raw.extra or {}
    if raw.category == Category.BRAND_TERM:
        if extra.get("reason"):
            values["reason_fr"] = values["reason_en"] = f" ({extra['reason']})"
    if raw.category == Category.CHANNEL_LENGTH:
        values.update({k: extra[k] for k in ("channel", "length", "limit")})
        values["channel"] = values["channel"] or ("ce canal" if writer_lang == "fr" else "this channel")
    if raw.category == Category.LANGUAGE_MISMATCH:
        for code_key, slot in (("draft", "draft_lang"), ("customer", "customer_lang")):
            values[f"{slot}_fr"] = lang_name(extra[code_key], "fr")
            values[f"{slot}_en"] = lang_name(extra[code_key], "en")
    return message(raw.category, writer_lang, **values)


def _merge(raws: list[_Raw]) -> list[_Raw]:
    """Merge findings of one category whose spans overlap (one piece of evidence, one finding)."""
    raws.sort(key=lambda r: (r.category.value, r.start, -r.end))
    out: list[_Raw] = []
    for raw in raws:
        last = out[-1] if out else None
        if last is not None and last.category == raw.category and raw.start < last.end:
            last.end = max(last.end, raw.end)
            last.amount = last.amount or raw.amount
            last.date = last.date or raw.date
            continue
        out.append(raw)
    return out


def _nearest_amount(
    amounts: list[AmountMatch], sentence: _Span, start: int, end: int, units: tuple[Unit, ...]
) -> AmountMatch | None:
    best: AmountMatch | None = None
    best_key: tuple[int, int] | None = None
    for a in amounts:
        if a.start < sentence.start or a.end > sentence.end or a.amount.unit not in units:
            continue
        distance = a.start - end if a.start >= end else (start - a.end) * 2 + 1
        distance = max(distance, 0)
        key = (units.index(a.amount.unit) if distance > 60 else 0, distance)
        if best_key is None or key < best_key:
            best, best_key = a, key
    return best


def _echo_question(sentence: str) -> bool:
    stripped = sentence.strip()
    return stripped.endswith("?") and len(stripped.split()) <= 4


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _norm_address(text: str) -> str:
    return re.sub(r"[^0-9a-zà-ÿ]", "", text.lower())


@lru_cache(maxsize=64)
def get_checker(config: CharterConfig) -> Checker:
    """The compiled checker for ``config``, built once and shared (configs are frozen and hashable)."""
    return Checker(config)


def check_text(text: str, *, lang: str | None, config: CharterConfig, context: CheckContext) -> list[Finding]:
    """Every finding of the charter check on ``text``, sorted by start offset."""
    return get_checker(config).check(text, lang=lang, context=context)
