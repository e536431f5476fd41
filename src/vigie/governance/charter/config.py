"""What the charter check needs to know about a workspace, as plain frozen data.

``CharterConfig`` is hashable so that the compiled checker can be cached per configuration.
Build it with :meth:`CharterConfig.from_workspace_spec` from the validated content of
``workspace.yaml`` and ``charter.yaml`` (plain dicts), or directly with keyword arguments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from vigie.governance.findings import Category, Severity

DEFAULT_SEVERITY: dict[Category, Severity] = {
    Category.COMMITMENT_APOLOGY: Severity.NEEDS_APPROVAL,
    Category.COMMITMENT_REFUND: Severity.NEEDS_APPROVAL,
    Category.COMMITMENT_COMPENSATION: Severity.NEEDS_APPROVAL,
    Category.COMMITMENT_DISCOUNT: Severity.NEEDS_APPROVAL,
    Category.COMMITMENT_DEADLINE: Severity.NEEDS_APPROVAL,
    Category.LEGAL_LIABILITY: Severity.NEEDS_APPROVAL,
    Category.LEGAL_HEALTH_SAFETY: Severity.NEEDS_APPROVAL,
    Category.LEGAL_ABSOLUTE_CLAIM: Severity.NEEDS_APPROVAL,
    Category.LEGAL_COMPETITOR: Severity.NEEDS_APPROVAL,
    Category.PERSONAL_DATA_EMAIL: Severity.BLOCK,
    Category.PERSONAL_DATA_PHONE: Severity.BLOCK,
    Category.PERSONAL_DATA_PAYMENT: Severity.BLOCK,
    Category.PERSONAL_DATA_ADDRESS: Severity.BLOCK,
    Category.TONE_INSULT: Severity.BLOCK,
    Category.TONE_AGGRESSIVE: Severity.NEEDS_APPROVAL,
    Category.SPELLING: Severity.WARN,
    Category.BRAND_TERM: Severity.WARN,
    Category.CHANNEL_LENGTH: Severity.WARN,
    Category.LANGUAGE_MISMATCH: Severity.WARN,
}


@dataclass(frozen=True)
class BrandTerm:
    """A word the charter forbids (``suggestion`` = what to say instead) or prefers.

    For a preferred term, ``term`` is the preferred wording and ``instead_of`` lists the
    variants that are reported (each with ``term`` as its suggestion).
    """

    term: str
    lang: str | None = None
    suggestion: str | None = None
    reason: str | None = None
    instead_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class CharterConfig:
    brand_name: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    # Words that belong to the brand (product names, ...) and are never spelling mistakes.
    brand_terms: tuple[str, ...] = ()
    forbidden_terms: tuple[BrandTerm, ...] = ()
    preferred_terms: tuple[BrandTerm, ...] = ()
    competitors: tuple[str, ...] = ()
    # Delivery and payment partners the organisation must not publicly blame.
    partners: tuple[str, ...] = ()
    spelling_ignore: tuple[str, ...] = ()
    severity_overrides: tuple[tuple[Category, Severity], ...] = ()
    disabled: frozenset[Category] = frozenset()

    def severity(self, category: Category) -> Severity:
        for cat, sev in self.severity_overrides:
            if cat == category:
                return sev
        return DEFAULT_SEVERITY[category]

    def enabled(self, category: Category) -> bool:
        return category not in self.disabled

    @classmethod
    def from_workspace_spec(
        cls,
        workspace: Mapping[str, Any] | Any | None = None,
        charter: Mapping[str, Any] | Any | None = None,
    ) -> CharterConfig:
        """Build from ``workspace.yaml`` and ``charter.yaml`` content (dicts or their pydantic models).

        ``workspace``: ``name``, ``slug``, ``contacts`` {emails, phones, urls, addresses, handles},
        ``brand`` {name, terms}. ``charter``: ``rules`` [{category, severity, enabled}],
        ``brand_terms`` {forbidden [{term, lang, suggestion, reason}], preferred [{term, lang,
        suggestion}]} where a preferred entry's ``suggestion`` is the wording to avoid (or
        ``instead_of``: a list of them), ``competitors``, ``partners`` (carriers, payment
        providers: never blamed), ``spelling`` {ignore}. Singular keys (``email``, ``phone``...)
        and contacts at the top level are accepted too.
        """
        ws = _plain(workspace)
        ch = _plain(charter)
        contacts: dict[str, Any] = {}
        for source in (ws, ws.get("contacts") or {}, ws.get("contact") or {}):
            if isinstance(source, Mapping):
                contacts.update({k: v for k, v in source.items() if v is not None})

        def many(*keys: str) -> tuple[str, ...]:
            out: list[str] = []
            for key in keys:
                out.extend(_strings(contacts.get(key)))
            return tuple(dict.fromkeys(out))

        brand_vocab = ch.get("brand_terms") or {}
        forbidden = tuple(_brand_term(x, preferred=False) for x in (brand_vocab.get("forbidden") or []))
        preferred = tuple(_brand_term(x, preferred=True) for x in (brand_vocab.get("preferred") or []))
        spelling = ch.get("spelling") or {}
        overrides: list[tuple[Category, Severity]] = []
        disabled: set[Category] = set()
        for rule in ch.get("rules") or []:
            cat = Category(str(rule["category"]))
            if rule.get("enabled", True) is False:
                disabled.add(cat)
            if rule.get("severity"):
                overrides.append((cat, Severity(str(rule["severity"]))))
        brand = ws.get("brand") or {}
        brand_name = str(brand.get("name") or ws.get("name") or "")
        own_words = [
            brand_name,
            str(ws.get("name") or ""),
            str(ws.get("slug") or ""),
            *_strings(brand.get("terms")),
        ]
        own_words += [t.term for t in preferred]
        return cls(
            brand_name=brand_name,
            emails=many("email", "emails"),
            phones=many("phone", "phones"),
            urls=many("url", "urls", "website", "websites"),
            addresses=many("address", "addresses"),
            handles=many("handle", "handles"),
            brand_terms=tuple(w for w in dict.fromkeys(own_words) if w),
            forbidden_terms=forbidden,
            preferred_terms=preferred,
            competitors=tuple(_strings(ch.get("competitors"))),
            partners=tuple(_strings(ch.get("partners"))),
            spelling_ignore=tuple(_strings(spelling.get("ignore"))),
            severity_overrides=tuple(overrides),
            disabled=frozenset(disabled),
        )


@dataclass(frozen=True)
class CheckContext:
    """Where the text goes: channel limit, the customer's language, public or private."""

    channel: str | None = None
    max_length: int | None = None
    in_reply_to_lang: str | None = None
    public: bool = True
    # Reference day for turning "12 mars" into an ISO date: the workspace's day when checked through
    # governance (vigie.governance.checking); today in UTC when None.
    today: date | None = None


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if v is not None and not isinstance(v, Mapping)]
    return [str(value)]


def _plain(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if hasattr(value, "model_dump"):
        dumped = value.model_dump(mode="json")
        return dict(dumped) if isinstance(dumped, Mapping) else {}
    return dict(value)


def _brand_term(item: Any, *, preferred: bool) -> BrandTerm:
    if isinstance(item, str):
        return BrandTerm(term=item)
    data = _plain(item)
    instead_of = _strings(data.get("instead_of") or data.get("avoid"))
    if preferred and not instead_of and data.get("suggestion"):
        # charter.yaml: for a preferred term, ``suggestion`` is the wording to avoid.
        instead_of = _strings(data.get("suggestion"))
    return BrandTerm(
        term=str(data["term"]),
        lang=data.get("lang"),
        suggestion=data.get("suggestion") if not preferred else str(data["term"]),
        reason=data.get("reason"),
        instead_of=tuple(instead_of),
    )


def digits_of_phone(text: str) -> str:
    """Comparable digits of a phone number: ``+33 4 72 ...`` and ``04 72 ...`` agree."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif text.strip().startswith("+33") and digits.startswith("33"):
        digits = "0" + digits[2:]
    return digits
