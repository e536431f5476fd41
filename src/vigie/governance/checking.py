"""Check one text for one writer: the charter's findings, then the verdict for the writer's mandate.

Pure: takes the workspace's governance data (``GovernanceData``, loaded once by
``vigie.governance.service.load_governance``) and plain values. This is what runs as a person types
(``vigie check``, the web editor) and what the gate runs before anything leaves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vigie.core.errors import ValidationFailedError
from vigie.governance.charter import check_text, detect_language
from vigie.governance.charter.config import CharterConfig, CheckContext
from vigie.governance.findings import Finding
from vigie.governance.mandates import EffectiveMandate, MandateBook, ScopeContext
from vigie.governance.verdict import VerdictResult, decide
from vigie.workspace.schemas import WorkspaceSpec, to_plain

SUPPORTED_LANGS = ("fr", "en")


@dataclass(frozen=True)
class ChannelInfo:
    name: str
    max_length: int | None = None
    publisher: str = "outbox"
    spec: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GovernanceData:
    """Everything needed to check a text in one workspace, as plain data."""

    workspace_slug: str
    book: MandateBook
    charter: CharterConfig
    channels: Mapping[str, ChannelInfo]
    default_lang: str = "fr"

    def channel(self, name: str) -> ChannelInfo:
        info = self.channels.get(name)
        if info is None:
            known = ", ".join(sorted(self.channels)) or "none (add channels to workspace.yaml)"
            raise ValidationFailedError(
                f"unknown channel '{name}' in workspace '{self.workspace_slug}'; known channels: {known}",
                channel=name,
            )
        return info


@dataclass(frozen=True)
class CheckOutcome:
    text: str
    lang: str
    writer: str
    mandate: EffectiveMandate
    findings: tuple[Finding, ...]
    result: VerdictResult

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.result.verdict.value,
            "approvers": self.result.approvers.to_dict(),
            "reasons": list(self.result.reasons),
            "lang": self.lang,
            "findings": [f.to_dict() for f in self.findings],
        }


def validate_lang(value: str | None, *, what: str = "--lang") -> str | None:
    if value is None:
        return None
    lang = value.strip().lower()
    if lang not in SUPPORTED_LANGS:
        raise ValidationFailedError(
            f"{what} '{value}' is not supported; use one of: {', '.join(SUPPORTED_LANGS)}"
        )
    return lang


def check_for_writer(
    text: str,
    *,
    data: GovernanceData,
    writer: str,
    today: date,
    kind: str = "reply",
    lang: str | None = None,
    channel: str | None = None,
    in_reply_to_lang: str | None = None,
    topics: Sequence[str] = (),
    as_reviewer: bool = False,
) -> CheckOutcome:
    """Charter findings and the verdict for ``writer`` (a member key or a role key)."""
    if not text.strip():
        raise ValidationFailedError("the text is empty; write something to check")
    lang = validate_lang(lang) or detect_language(text) or data.default_lang
    in_reply_to_lang = validate_lang(in_reply_to_lang, what="in_reply_to_lang")
    info = data.channel(channel) if channel is not None else None
    mandate = data.book.for_actor(writer)
    findings = check_text(
        text,
        lang=lang,
        config=data.charter,
        context=CheckContext(
            channel=channel,
            max_length=None if info is None else info.max_length,
            in_reply_to_lang=in_reply_to_lang,
            public=True,
            today=today,
        ),
    )
    result = decide(
        findings,
        mandate,
        context=ScopeContext(kind=kind, channel=channel, lang=lang, topics=tuple(topics)),
        today=today,
        book=data.book,
        writer=writer,
        as_reviewer=as_reviewer,
    )
    return CheckOutcome(
        text=text, lang=lang, writer=writer, mandate=mandate, findings=tuple(findings), result=result
    )


def governance_from_spec(spec: WorkspaceSpec, *, today: date) -> GovernanceData:
    """Governance data straight from a validated workspace folder (tests, benchmarks, `check` offline)."""
    workspace = to_plain(spec.workspace)
    charter = to_plain(spec.charter)
    return GovernanceData(
        workspace_slug=spec.workspace.slug,
        book=MandateBook(
            spec.mandates.roles, {m.key: tuple(m.roles) for m in spec.team.members}, today=today
        ),
        charter=CharterConfig.from_workspace_spec(workspace, charter),
        channels={
            c.name: ChannelInfo(
                name=c.name,
                max_length=c.max_length,
                publisher=str(getattr(c, "publisher", None) or "outbox"),
                spec=to_plain(c),
            )
            for c in spec.workspace.channels
        },
        default_lang=spec.workspace.default_language,
    )
