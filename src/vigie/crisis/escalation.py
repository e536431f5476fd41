"""What escalation.yaml means, as pure functions: which policy, which step, who, and what they are told.

- A situation on topic T follows the policy whose ``topics`` lists T, else the policy listing '*'.
  The workspace-wide situation ('*') follows the '*' policy.
- Entering a grade starts that grade's **first** step. Each step tells its ``notify`` targets (``role:KEY``:
  every member holding the role, preferring those whose topics cover the situation's topic;
  ``member:KEY``: that person) by each of its ``via`` means (``app``, ``email``, ``webhook``: the
  ``webhooks`` named, or all webhooks when the list is empty).
- When ``ack_within_minutes`` passes with nobody acknowledging, ``next`` (a step of the same grade)
  starts; without ``next`` (or without a deadline) the ladder stops there.
- ``cooldown_minutes``: the same alert is not notified again at the same grade within that time (a grade
  that drops and comes back does not re-page everybody), and grades do not come down before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vigie.core.errors import ValidationFailedError
from vigie.crisis.grading import Grade
from vigie.workspace.schemas import (
    ALL,
    EscalationFile,
    EscalationPolicySpec,
    EscalationStep,
    NotifyVia,
    WebhookFormat,
    WebhookSpec,
)


@dataclass(frozen=True)
class Member:
    key: str
    name: str
    email: str | None
    roles: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Recipient:
    """One delivery to make: a person by app or e-mail, or a webhook."""

    recipient: str  # member key, or "webhook:NAME"
    via: NotifyVia
    address: str | None  # e-mail address, or the environment variable holding the webhook URL
    webhook_format: WebhookFormat | None = None


def policy_for(escalation: EscalationFile, scope: str) -> EscalationPolicySpec:
    for policy in escalation.policies:
        if scope != ALL and scope in policy.topics:
            return policy
    for policy in escalation.policies:
        if ALL in policy.topics:
            return policy
    raise ValidationFailedError(
        f"escalation.yaml has no policy for topic {scope!r} and none for '*': add topics: ['*'] to one policy"
    )


def steps_for(policy: EscalationPolicySpec, grade: Grade) -> list[EscalationStep]:
    if grade == Grade.NORMAL:
        return []
    steps: list[EscalationStep] = getattr(policy.levels, grade.label)
    return steps


def first_step(policy: EscalationPolicySpec, grade: Grade) -> EscalationStep | None:
    steps = steps_for(policy, grade)
    return steps[0] if steps else None


def find_step(policy: EscalationPolicySpec, grade: Grade, key: str | None) -> EscalationStep | None:
    for step in steps_for(policy, grade):
        if step.step == key:
            return step
    return None


def resolve_targets(targets: list[str], members: list[Member], scope: str) -> list[Member]:
    """The people behind ``role:KEY`` / ``member:KEY`` targets, each once, in target order."""
    chosen: dict[str, Member] = {}
    by_key = {m.key: m for m in members}
    for target in targets:
        kind, _, key = target.partition(":")
        if kind == "member":
            member = by_key.get(key)
            if member is not None:
                chosen.setdefault(member.key, member)
            continue
        holders = [m for m in members if key in m.roles]
        on_topic = [m for m in holders if scope == ALL or ALL in m.topics or scope in m.topics]
        for member in on_topic or holders:
            chosen.setdefault(member.key, member)
    return list(chosen.values())


def recipients_for(
    step: EscalationStep, escalation: EscalationFile, members: list[Member], scope: str
) -> list[Recipient]:
    people = resolve_targets(list(step.notify), members, scope)
    out: list[Recipient] = []
    for via in step.via:
        if via == NotifyVia.WEBHOOK:
            names = set(step.webhooks)
            hooks: list[WebhookSpec] = [w for w in escalation.webhooks if not names or w.name in names]
            out += [Recipient(f"webhook:{w.name}", via, w.url_env, w.format) for w in hooks]
            continue
        for person in people:
            if via == NotifyVia.EMAIL and not person.email:
                continue
            out.append(Recipient(person.key, via, person.email if via == NotifyVia.EMAIL else None))
    return out


# --- what people are told ---------------------------------------------------------------------------

GRADE_COLOURS = {"watch": "#E0B000", "alert": "#E06000", "crisis": "#C00000", "normal": "#2E8B57"}


@dataclass(frozen=True)
class AlertMessage:
    workspace: str
    alert_id: int
    grade: str
    scope: str
    title: str
    lines: tuple[str, ...]
    step: str | None
    ack_deadline: datetime | None
    people: tuple[str, ...]

    @property
    def subject(self) -> str:
        where = "" if self.scope == ALL else f" [{self.scope}]"
        return f"[Vigie {self.workspace}] {self.grade.upper()}{where}: {self.title}"

    @property
    def ack_hint(self) -> str:
        if self.ack_deadline is None:
            return f"Acknowledge: vigie alerts ack {self.alert_id} --workspace {self.workspace} --member YOU"
        return (
            f"Acknowledge before {self.ack_deadline:%H:%M} UTC, or the next person is told: "
            f"vigie alerts ack {self.alert_id} --workspace {self.workspace} --member YOU"
        )

    @property
    def text(self) -> str:
        body = [self.subject, *self.lines]
        if self.people:
            body.append("Told: " + ", ".join(self.people))
        body.append(self.ack_hint)
        return "\n".join(body)


def webhook_payload(message: AlertMessage, fmt: WebhookFormat) -> dict[str, Any]:
    """A JSON body accepted by the chat's incoming webhook; every format carries a plain ``text``."""
    colour = GRADE_COLOURS.get(message.grade, "#808080")
    details = "\n".join(message.lines)
    facts = [
        ("Grade", message.grade),
        ("Scope", "workspace" if message.scope == ALL else message.scope),
        ("Alert", f"#{message.alert_id}"),
        ("Step", message.step or "-"),
    ]
    if fmt == WebhookFormat.SLACK:
        return {
            "text": message.subject,
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": message.subject[:150]}},
                {"type": "section", "text": {"type": "mrkdwn", "text": details[:2900] or message.title}},
                {
                    "type": "section",
                    "fields": [{"type": "mrkdwn", "text": f"*{k}*\n{v}"} for k, v in facts],
                },
                {"type": "context", "elements": [{"type": "mrkdwn", "text": message.ack_hint}]},
            ],
        }
    if fmt == WebhookFormat.MATTERMOST:
        return {
            "text": message.subject,
            "username": "Vigie",
            "attachments": [
                {
                    "fallback": message.text,
                    "color": colour,
                    "title": message.title,
                    "text": details,
                    "fields": [{"short": True, "title": k, "value": v} for k, v in facts],
                    "footer": message.ack_hint,
                }
            ],
        }
    if fmt == WebhookFormat.TEAMS:
        # Teams incoming webhooks (Workflows) take a message with an Adaptive Card attachment.
        return {
            "type": "message",
            "text": message.subject,
            "summary": message.subject,
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "contentUrl": None,
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": [
                            {
                                "type": "TextBlock",
                                "text": message.subject,
                                "weight": "Bolder",
                                "size": "Medium",
                                "wrap": True,
                                "color": "Attention" if message.grade in ("alert", "crisis") else "Warning",
                            },
                            *[{"type": "TextBlock", "text": line, "wrap": True} for line in message.lines],
                            {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in facts]},
                            {"type": "TextBlock", "text": message.ack_hint, "wrap": True, "isSubtle": True},
                        ],
                    },
                }
            ],
        }
    return {
        "text": message.text,
        "event": "vigie.alert",
        "workspace": message.workspace,
        "alert_id": message.alert_id,
        "grade": message.grade,
        "scope": message.scope,
        "title": message.title,
        "lines": list(message.lines),
        "step": message.step,
        "ack_deadline": None if message.ack_deadline is None else message.ack_deadline.isoformat(),
    }
