"""Pre-filling a reply from a playbook template (pure): variables filled, missing ones reported."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Order numbers as customers write them: "commande 123456", "order #CO-2026-0042", "n° 784512".
_ORDER = re.compile(
    r"(?:commande|cde|order|n°|no\.?|num[ée]ro|#)\s*(?:n°|no\.?|number|num[ée]ro)?\s*[:#]?\s*"
    r"(?P<num>[A-Z]{0,4}-?\d[\dA-Z-]{3,19})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Draft:
    playbook: str
    language: str
    text: str
    variables: dict[str, str]
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "playbook": self.playbook,
            "language": self.language,
            "text": self.text,
            "variables": self.variables,
            "missing": self.missing,
            "complete": not self.missing,
        }


def extract_order_number(text: str) -> str | None:
    """The first order number in a message, if it has one."""
    match = _ORDER.search(text)
    return match.group("num").upper() if match else None


def template_language(templates: Mapping[str, str], language: str, fallback: str = "en") -> str:
    if language in templates:
        return language
    if fallback in templates:
        return fallback
    return sorted(templates)[0]


def fill(
    *, playbook: str, templates: Mapping[str, str], language: str, values: Mapping[str, str | None]
) -> Draft:
    """Fill the template of ``language`` (else the fallback); unknown values stay as ``[name?]``.

    A missing variable is never left as raw braces: it is replaced by a visible ``[name?]`` marker
    and listed in ``missing`` so the author completes it before sending.
    """
    if not templates:
        raise ValueError(f"playbook {playbook!r} has no template")
    lang = template_language(templates, language)
    template = templates[lang]
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    used: dict[str, str] = {}
    missing: list[str] = []
    for name in dict.fromkeys(names):
        value = values.get(name)
        if value is None or not str(value).strip():
            missing.append(name)
        else:
            used[name] = str(value).strip()
    text = template.format_map({**used, **{m: f"[{m}?]" for m in missing}})
    return Draft(
        playbook=playbook, language=lang, text=" ".join(text.split()), variables=used, missing=missing
    )
