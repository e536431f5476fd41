"""The files of a workspace folder, as pydantic models.

A workspace folder holds ``workspace.yaml``, ``team.yaml``, ``mandates.yaml``, ``charter.yaml``,
``escalation.yaml`` and ``playbooks/<key>.yaml``. Each file has one model here (``WorkspaceFile``,
``TeamFile``, ``MandatesFile``, ``CharterFile``, ``EscalationFile``, ``PlaybookFile``); ``WorkspaceSpec``
holds them all. Every model refuses unknown fields, so a typo is an error, not a silent default.

These models only check each file on its own. References between files (a member's role must exist in
mandates.yaml, ...) are checked by ``vigie.workspace.validate``.
"""

from __future__ import annotations

import string
import zoneinfo
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from vigie.governance.findings import Category, Severity

# --- shared value types -------------------------------------------------------------------------

Key = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", min_length=1, max_length=64),
    Field(description="identifier: lower-case letters, digits, '-' and '_', starting with a letter or digit"),
]
LanguageCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}$"),
    Field(description="ISO 639-1 language code in lower case, e.g. 'fr' or 'en'"),
]
Localized = Annotated[
    dict[LanguageCode, Annotated[str, StringConstraints(min_length=1)]],
    Field(description="text per language, e.g. {fr: ..., en: ...}", min_length=1),
]
ClockTime = Annotated[
    str,
    StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$"),
    Field(description="time of day as 'HH:MM' (24 h), quoted in YAML"),
]
EnvVarName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$"),
    Field(description="name of an environment variable (upper case), e.g. VIGIE_WEBHOOK_SLACK_URL"),
]
Currency = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    Field(description="ISO 4217 currency code, e.g. EUR"),
]
Money = Annotated[float, Field(ge=0, description="amount in the given currency")]
ALL = "*"
TopicRef = Annotated[str, Field(description="a topic key of workspace.yaml, or '*' for every topic")]

# Variables a playbook template may use; anything else in braces is an error.
TEMPLATE_VARIABLES = frozenset(
    {"customer_name", "order_number", "agent_signature", "brand_name", "support_email", "support_phone"}
)


class SpecModel(BaseModel):
    """Base of every file model: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- workspace.yaml -----------------------------------------------------------------------------


class ChannelKind(StrEnum):
    X = "x"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    REDDIT = "reddit"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    LINKEDIN = "linkedin"
    YOUTUBE = "youtube"
    TIKTOK = "tiktok"
    FORUM = "forum"
    RSS = "rss"
    EMAIL = "email"
    WEBHOOK = "webhook"
    IMPORT = "import"
    DRILL = "drill"


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class Contacts(SpecModel):
    """The organisation's own public contact details. Never a person's: these are not personal data,
    so the charter does not flag them when a reply quotes them."""

    emails: list[Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]] = Field(
        default_factory=list, description="public e-mail addresses of the organisation"
    )
    phones: list[str] = Field(default_factory=list, description="public phone numbers, as written in replies")
    urls: list[Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]] = Field(
        default_factory=list, description="official web addresses (http:// or https://)"
    )
    addresses: list[str] = Field(default_factory=list, description="postal addresses of the organisation")
    handles: list[str] = Field(
        default_factory=list, description="the organisation's own accounts, e.g. '@colibri@mastodon.social'"
    )


class ChannelSpec(SpecModel):
    name: Key = Field(description="channel name used by ingest (`--channel`) and replies")
    kind: ChannelKind = Field(description="what the channel is: " + ", ".join(k.value for k in ChannelKind))
    max_length: int | None = Field(
        default=None, gt=0, description="longest reply the channel accepts, in characters; null: no limit"
    )
    language: LanguageCode | None = Field(
        default=None, description="main language of the channel, when it has one"
    )


class TopicSpec(SpecModel):
    key: Key = Field(description="topic key, referenced by team, mandates, playbooks and escalation")
    name: Localized = Field(description="display name per language")
    keywords: dict[LanguageCode, list[str]] = Field(
        default_factory=dict, description="words or phrases that point to the topic, per language"
    )


class SlaTarget(SpecModel):
    first_response_minutes: int = Field(gt=0, description="time allowed before the first answer, in minutes")
    escalate_to: Key | None = Field(
        default=None, description="role key (mandates.yaml) told when the deadline passes; null: nobody"
    )


class Sla(SpecModel):
    urgent: SlaTarget = Field(description="deadline for urgent cases")
    high: SlaTarget = Field(description="deadline for high-priority cases")
    normal: SlaTarget = Field(description="deadline for normal cases")
    low: SlaTarget = Field(description="deadline for low-priority cases")


class Brand(SpecModel):
    name: str = Field(min_length=1, description="brand name as it must be written")
    terms: list[str] = Field(
        default_factory=list,
        description="brand and product words that the spelling check must never flag",
    )


class WorkspaceFile(SpecModel):
    """workspace.yaml: who the organisation is, where it speaks, what it talks about."""

    slug: Key = Field(description="unique short name of the workspace, used in every command (`--workspace`)")
    name: str = Field(min_length=1, max_length=200, description="display name")
    default_language: LanguageCode = Field(description="language used when a message's language is unknown")
    languages: list[LanguageCode] = Field(min_length=1, description="languages the team answers in")
    timezone: str = Field(description="IANA time zone, e.g. Europe/Paris")
    contacts: Contacts = Field(default_factory=Contacts, description="the organisation's own contact details")
    channels: list[ChannelSpec] = Field(default_factory=list, description="where messages come from")
    topics: list[TopicSpec] = Field(default_factory=list, description="what people talk about")
    sla: Sla = Field(description="first-response deadlines per priority")
    brand: Brand = Field(description="brand name and protected vocabulary")
    analysers: dict[Key, str] = Field(
        default_factory=dict,
        description="optional: analysis task (language, sentiment, toxicity, intents, topics, ...) -> plugin name",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}: expected an IANA name such as Europe/Paris"
            ) from None
        return value

    @model_validator(mode="after")
    def _default_language_listed(self) -> WorkspaceFile:
        if self.default_language not in self.languages:
            raise ValueError(
                f"default_language {self.default_language!r} must be one of languages {self.languages}"
            )
        return self


# --- team.yaml ----------------------------------------------------------------------------------

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _weekdays() -> list[Weekday]:
    return ["mon", "tue", "wed", "thu", "fri"]


class WorkingHours(SpecModel):
    days: list[Weekday] = Field(
        default_factory=_weekdays,
        description="working days: mon, tue, wed, thu, fri, sat, sun",
    )
    start: ClockTime = Field(default="09:00", description="start of the working day, 'HH:MM'")
    end: ClockTime = Field(default="18:00", description="end of the working day, 'HH:MM' (after start)")
    timezone: str | None = Field(default=None, description="IANA time zone; null: the workspace's")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value is not None:
            WorkspaceFile._known_timezone(value)
        return value

    @model_validator(mode="after")
    def _start_before_end(self) -> WorkingHours:
        if self.start >= self.end:
            raise ValueError(f"start {self.start} must be before end {self.end}")
        return self


class Absence(SpecModel):
    start: date = Field(description="first day away, YYYY-MM-DD")
    end: date = Field(description="last day away, YYYY-MM-DD (inclusive)")
    reason: str | None = Field(default=None, description="optional, e.g. 'congés'")

    @model_validator(mode="after")
    def _ordered(self) -> Absence:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class MemberSpec(SpecModel):
    key: Key = Field(description="member key, referenced by escalation (`member:KEY`) and approvers")
    name: str = Field(min_length=1, max_length=200, description="display name")
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = Field(
        default=None, description="work e-mail, used for notifications"
    )
    roles: list[Key] = Field(min_length=1, description="role keys defined in mandates.yaml")
    languages: list[LanguageCode] = Field(min_length=1, description="languages the person answers in")
    topics: list[TopicRef] = Field(
        default_factory=lambda: [ALL], description="topic keys the person handles, or ['*'] for all"
    )
    expertise: dict[Key, Annotated[int, Field(ge=1, le=5)]] = Field(
        default_factory=dict, description="topic key -> level from 1 (basics) to 5 (reference expert)"
    )
    working_hours: WorkingHours = Field(default_factory=WorkingHours, description="when the person works")
    absences: list[Absence] = Field(default_factory=list, description="planned absences")
    max_open_cases: int = Field(default=20, ge=0, description="most open cases assigned at once")
    handle: str | None = Field(
        default=None, description="optional public handle when the person signs replies"
    )


class TeamFile(SpecModel):
    """team.yaml: the people, their roles, skills, languages and availability."""

    members: list[MemberSpec] = Field(min_length=1, description="team members")


# --- mandates.yaml ------------------------------------------------------------------------------


class CommitmentKind(StrEnum):
    ANSWER = "answer"
    APOLOGY = "apology"
    REFUND = "refund"
    COMPENSATION = "compensation"
    DISCOUNT = "discount"
    DEADLINE = "deadline"
    OFFICIAL_STATEMENT = "official_statement"
    LEGAL_POSITION = "legal_position"
    HEALTH_SAFETY = "health_safety"


class CompensationKind(StrEnum):
    VOUCHER = "voucher"
    CREDIT = "credit"
    GIFT = "gift"
    REPLACEMENT = "replacement"


class RefundLimit(SpecModel):
    allowed: bool = Field(default=False, description="may promise a refund")
    max_amount: Money | None = Field(default=None, description="largest refund; null: no limit when allowed")
    currency: Currency = "EUR"


class CompensationLimit(SpecModel):
    allowed: bool = Field(default=False, description="may offer a compensation")
    kinds: list[CompensationKind] = Field(
        default_factory=list, description="allowed kinds: voucher, credit, gift, replacement"
    )
    max_amount: Money | None = Field(default=None, description="largest value; null: no limit when allowed")
    currency: Currency = "EUR"


class DiscountLimit(SpecModel):
    allowed: bool = Field(default=False, description="may offer a discount")
    max_percent: float | None = Field(default=None, ge=0, le=100, description="largest discount in percent")
    max_amount: Money | None = Field(default=None, description="largest discount value")
    currency: Currency = "EUR"


class DeadlineLimit(SpecModel):
    allowed: bool = Field(default=False, description="may promise a date or delay")
    max_days: int | None = Field(default=None, ge=0, description="furthest promise, in days from today")


class Commitments(SpecModel):
    answer: bool = Field(default=True, description="may answer publicly at all")
    apology: bool = Field(default=False, description="may apologise in the organisation's name")
    refund: RefundLimit = Field(default_factory=RefundLimit, description="refund promises")
    compensation: CompensationLimit = Field(
        default_factory=CompensationLimit, description="vouchers, credits, gifts, replacements"
    )
    discount: DiscountLimit = Field(default_factory=DiscountLimit, description="discounts")
    deadline: DeadlineLimit = Field(default_factory=DeadlineLimit, description="dated promises")
    official_statement: bool = Field(
        default=False, description="may speak as the organisation's official voice"
    )
    legal_position: bool = Field(default=False, description="may state a legal position")
    health_safety: bool = Field(default=False, description="may make health or safety statements")


class RoleMandate(SpecModel):
    name: Localized = Field(description="display name of the role per language")
    description: str | None = Field(default=None, description="what the role is for")
    inherits: list[Key] = Field(
        default_factory=list,
        description="role keys whose mandate this role also holds (limits: the most generous wins)",
    )
    valid_from: date | None = Field(default=None, description="first day the mandate applies; null: always")
    valid_until: date | None = Field(default=None, description="last day the mandate applies; null: no end")
    topics: list[TopicRef] = Field(default_factory=lambda: [ALL], description="topic keys, or ['*']")
    channels: list[str] = Field(default_factory=lambda: [ALL], description="channel names, or ['*']")
    languages: list[str] = Field(default_factory=lambda: [ALL], description="language codes, or ['*']")
    commitments: Commitments = Field(default_factory=Commitments, description="what the role may promise")
    approvers: dict[CommitmentKind, list[Key]] = Field(
        default_factory=dict,
        description=(
            "commitment kind -> role keys or member keys who approve what lies beyond this mandate "
            "(kinds: " + ", ".join(k.value for k in CommitmentKind) + ")"
        ),
    )

    @model_validator(mode="after")
    def _valid_period(self) -> RoleMandate:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(f"valid_until {self.valid_until} is before valid_from {self.valid_from}")
        return self


class MandatesFile(SpecModel):
    """mandates.yaml: per role, what it may say in the organisation's name, and who approves beyond it."""

    roles: dict[Key, RoleMandate] = Field(min_length=1, description="role key -> mandate")


# --- charter.yaml -------------------------------------------------------------------------------

RuleParam = str | int | float | bool | list[str]


class CharterRuleSpec(SpecModel):
    category: Category = Field(description="what the rule checks: " + ", ".join(c.value for c in Category))
    severity: Severity = Field(description="block, needs_approval or warn")
    enabled: bool = Field(default=True, description="false keeps the rule written but inactive")
    key: Key | None = Field(
        default=None, description="rule key; defaults to the category (set it when a category has two rules)"
    )
    description: str | None = Field(default=None, description="why the rule exists, shown with findings")
    params: dict[Key, RuleParam] = Field(default_factory=dict, description="rule-specific settings")

    @property
    def rule_key(self) -> str:
        return self.key or self.category.value


class BrandTermSpec(SpecModel):
    term: str = Field(min_length=1, description="word or phrase")
    lang: LanguageCode | None = Field(default=None, description="language it applies to; null: all")
    suggestion: str | None = Field(default=None, description="what to write instead")
    reason: str | None = Field(default=None, description="why, shown to the writer")


class BrandTerms(SpecModel):
    forbidden: list[BrandTermSpec] = Field(default_factory=list, description="terms never to write")
    preferred: list[BrandTermSpec] = Field(
        default_factory=list, description="terms to prefer (suggestion: the wording to avoid)"
    )


class SpellingSpec(SpecModel):
    ignore: list[str] = Field(default_factory=list, description="words the spelling check accepts")


class CharterFile(SpecModel):
    """charter.yaml: the rules every outgoing text is checked against."""

    rules: list[CharterRuleSpec] = Field(default_factory=list, description="one entry per rule")
    brand_terms: BrandTerms = Field(default_factory=BrandTerms, description="brand vocabulary")
    competitors: list[str] = Field(default_factory=list, description="competitor names (never disparaged)")
    spelling: SpellingSpec = Field(default_factory=SpellingSpec, description="spelling check settings")


# --- escalation.yaml ----------------------------------------------------------------------------


class NotifyVia(StrEnum):
    APP = "app"
    EMAIL = "email"
    WEBHOOK = "webhook"


class WebhookFormat(StrEnum):
    SLACK = "slack"
    MATTERMOST = "mattermost"
    TEAMS = "teams"
    GENERIC = "generic"


NotifyTarget = Annotated[
    str,
    StringConstraints(pattern=r"^(role|member):[a-z0-9][a-z0-9_-]*$"),
    Field(description="'role:KEY' (everyone holding the role) or 'member:KEY' (one person)"),
]


class EscalationStep(SpecModel):
    step: Key = Field(description="step key, unique within its level")
    notify: list[NotifyTarget] = Field(min_length=1, description="who is told: role:KEY or member:KEY")
    via: list[NotifyVia] = Field(
        default_factory=lambda: [NotifyVia.APP], min_length=1, description="app, email and/or webhook"
    )
    webhooks: list[Key] = Field(
        default_factory=list, description="webhook names to use with via: webhook; empty: all webhooks"
    )
    ack_within_minutes: int | None = Field(
        default=None, gt=0, description="time to acknowledge before the next step; null: no deadline"
    )
    next: Key | None = Field(default=None, description="step key (same level) taken when nobody acknowledges")


class EscalationLevels(SpecModel):
    watch: list[EscalationStep] = Field(default_factory=list, description="steps at grade watch")
    alert: list[EscalationStep] = Field(default_factory=list, description="steps at grade alert")
    crisis: list[EscalationStep] = Field(default_factory=list, description="steps at grade crisis")


class EscalationPolicySpec(SpecModel):
    key: Key = Field(description="policy key")
    name: Localized | None = Field(default=None, description="display name per language")
    topics: list[TopicRef] = Field(default_factory=lambda: [ALL], description="topic keys, or ['*']")
    levels: EscalationLevels = Field(description="who is told at each grade; the first step starts")


class WebhookSpec(SpecModel):
    name: Key = Field(description="webhook name")
    url_env: EnvVarName = Field(
        description="environment variable holding the URL; the URL (a secret) never goes in the file"
    )
    format: WebhookFormat = Field(description="slack, mattermost, teams or generic (JSON)")


class EscalationFile(SpecModel):
    """escalation.yaml: who is informed at each crisis grade, how, and who is next without an answer."""

    cooldown_minutes: int = Field(
        default=30, ge=0, description="minimum time between two notifications for the same situation"
    )
    policies: list[EscalationPolicySpec] = Field(min_length=1, description="escalation policies")
    webhooks: list[WebhookSpec] = Field(default_factory=list, description="chat webhooks")


# --- playbooks/<key>.yaml -----------------------------------------------------------------------

Intent = Literal[
    "question",
    "complaint",
    "praise",
    "bug_report",
    "feature_request",
    "manager_demand",
    "purchase_intent",
    "legal_threat",
    "churn_threat",
]
Sentiment = Literal["negative", "neutral", "positive"]
AuthorType = Literal["customer", "activist", "journalist", "influencer", "troll", "employee", "unknown"]
CrisisGrade = Literal["normal", "watch", "alert", "crisis"]


class PlaybookTriggers(SpecModel):
    intents: list[Intent] = Field(
        default_factory=list,
        description="any of: question, complaint, praise, bug_report, feature_request, manager_demand, purchase_intent, "
        "legal_threat, churn_threat",
    )
    sentiment: list[Sentiment] = Field(
        default_factory=list, description="any of: negative, neutral, positive"
    )
    toxicity_min: float | None = Field(default=None, ge=0, le=1, description="toxicity score from 0 to 1")
    topics: list[TopicRef] = Field(default_factory=list, description="topic keys, or ['*']")
    author_types: list[AuthorType] = Field(
        default_factory=list,
        description="any of: customer, activist, journalist, influencer, troll, employee, unknown",
    )
    crisis_grades: list[CrisisGrade] = Field(
        default_factory=list, description="any of: normal, watch, alert, crisis"
    )


class PlaybookFile(SpecModel):
    """playbooks/<key>.yaml: one scenario: when it applies, what to do, what to say, who to involve."""

    key: Key = Field(description="playbook key; must equal the file name without .yaml")
    name: Localized = Field(description="display name per language")
    description: str | None = Field(default=None, description="when and why to use it")
    triggers: PlaybookTriggers = Field(
        default_factory=PlaybookTriggers, description="conditions; an empty list means 'any'"
    )
    steps: list[Localized] = Field(min_length=1, description="ordered steps, each in every language")
    templates: Localized = Field(
        description="reply template per language; variables: "
        + ", ".join("{" + v + "}" for v in sorted(TEMPLATE_VARIABLES))
    )
    involve: list[Key] = Field(default_factory=list, description="role keys to bring in")
    library_tags: list[str] = Field(default_factory=list, description="tags linking to the case library")

    @field_validator("templates")
    @classmethod
    def _known_variables(cls, value: dict[str, str]) -> dict[str, str]:
        for lang, text in value.items():
            try:
                names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
            except ValueError as error:
                raise ValueError(f"template {lang!r} has unbalanced braces ({error})") from None
            unknown = sorted(names - TEMPLATE_VARIABLES)
            if unknown:
                raise ValueError(
                    f"template {lang!r} uses unknown variable(s) {', '.join(unknown)}; allowed: "
                    + ", ".join(sorted(TEMPLATE_VARIABLES))
                )
        return value


# --- the whole folder ---------------------------------------------------------------------------

FILE_MODELS: dict[str, type[SpecModel]] = {
    "workspace.yaml": WorkspaceFile,
    "team.yaml": TeamFile,
    "mandates.yaml": MandatesFile,
    "charter.yaml": CharterFile,
    "escalation.yaml": EscalationFile,
    "playbooks/<key>.yaml": PlaybookFile,
}


class WorkspaceSpec(BaseModel):
    """A whole workspace folder, validated file by file and across files."""

    model_config = ConfigDict(extra="forbid")

    workspace: WorkspaceFile
    team: TeamFile
    mandates: MandatesFile
    charter: CharterFile
    escalation: EscalationFile
    playbooks: list[PlaybookFile] = Field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.workspace.slug

    def role(self, key: str) -> RoleMandate:
        return self.mandates.roles[key]

    def member(self, key: str) -> MemberSpec:
        for member in self.team.members:
            if member.key == key:
                return member
        raise KeyError(key)

    def playbook(self, key: str) -> PlaybookFile:
        for playbook in self.playbooks:
            if playbook.key == key:
                return playbook
        raise KeyError(key)


def to_plain(value: Any) -> Any:
    """A model's content as JSON-ready data (dates as ISO strings, whole floats as ints)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
