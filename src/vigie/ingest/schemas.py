"""The ingest message schema (documented in docs/ingest.md), as pydantic models.

``MessageIn`` is what one input record must look like once read from JSONL or CSV. Known fields are
validated and normalised; unknown fields are kept, untouched, in ``raw``. The text length limit comes
from the validation context (``{"max_text_length": N}``, from ``settings.max_text_length``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

DEFAULT_MAX_TEXT_LENGTH = 10_000
MAX_ID_LENGTH = 200
MAX_URL_LENGTH = 2048
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
_DATE_HINT = "write it as ISO 8601 with an offset, e.g. 2026-11-20T09:15:00+01:00 or 2026-11-20T08:15:00Z"


def _external_id(value: Any) -> str:
    # Platforms use numeric ids too: accept integers, never floats or booleans.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"must be a string or an integer, got {type(value).__name__}")
    text = str(value).strip()
    if not text:
        raise ValueError("must not be empty")
    if len(text) > MAX_ID_LENGTH:
        raise ValueError(f"is longer than {MAX_ID_LENGTH} characters")
    return text


class AuthorIn(BaseModel):
    """``author``: the public profile that wrote the message. Unknown keys go to ``raw["author"]``."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    handle: str = Field(min_length=1, max_length=200)
    name: str | None = Field(default=None, max_length=300)
    followers: int | None = Field(default=None, ge=0)

    @field_validator("handle", "name", mode="before")
    @classmethod
    def _strings_only(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"must be a string, got {type(value).__name__}")
        return value

    @field_validator("name", mode="after")
    @classmethod
    def _empty_name_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("followers", mode="before")
    @classmethod
    def _followers(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or isinstance(value, float):
            raise ValueError(f"must be a whole number, got {value!r}")
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError(f"must be a whole number, got {value!r}")
        return value


class MessageIn(BaseModel):
    """One incoming message, as the ingest schema defines it."""

    model_config = ConfigDict(extra="allow")

    id: str
    channel: str | None = Field(default=None, max_length=100)
    author: AuthorIn | None = None
    text: str
    created_at: datetime
    in_reply_to: str | None = None
    url: str | None = Field(default=None, max_length=MAX_URL_LENGTH)
    lang: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> str:
        return _external_id(value)

    @field_validator("in_reply_to", mode="before")
    @classmethod
    def _in_reply_to(cls, value: Any) -> str | None:
        if value is None or value == "":
            return None
        return _external_id(value)

    @field_validator("channel", "url", mode="before")
    @classmethod
    def _optional_string(cls, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(f"must be a string, got {type(value).__name__}")
        return value.strip() or None

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, value: Any, info: ValidationInfo) -> str:
        if not isinstance(value, str):
            raise ValueError(f"must be a string, got {type(value).__name__}")
        text = value.strip()
        if not text:
            raise ValueError("is empty: a message needs some text")
        limit = (info.context or {}).get("max_text_length", DEFAULT_MAX_TEXT_LENGTH)
        if len(text) > limit:
            raise ValueError(
                f"is {len(text)} characters long, over the limit of {limit} (VIGIE_MAX_TEXT_LENGTH)"
            )
        return text

    @field_validator("created_at", mode="before")
    @classmethod
    def _created_at(cls, value: Any) -> datetime:
        if not isinstance(value, str):
            raise ValueError(f"must be a string, got {type(value).__name__}; {_DATE_HINT}")
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date; {_DATE_HINT}") from None
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            raise ValueError(f"{value!r} has no UTC offset (naive date); {_DATE_HINT}")
        return parsed.astimezone(UTC)

    @field_validator("lang", mode="before")
    @classmethod
    def _lang(cls, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not _LANG_RE.match(value.strip()) or len(value.strip()) > 16:
            raise ValueError(f"must be a language code such as 'fr' or 'en-GB', got {value!r}")
        return value.strip().lower().replace("_", "-")

    def raw_extra(self) -> dict[str, Any]:
        """Fields the schema does not know, kept as raw data (author extras under ``author``)."""
        raw: dict[str, Any] = dict(self.model_extra or {})
        if self.author is not None and self.author.model_extra:
            raw["author"] = dict(self.author.model_extra)
        return raw


def describe_validation_error(error: ValidationError) -> str:
    """One readable sentence per problem: which field, and what is wrong with it."""
    parts: list[str] = []
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"]) or "record"
        if item["type"] == "missing":
            parts.append(f"field '{where}' is missing")
            continue
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "model_type":
            message = f"must be an object, got {type(item['input']).__name__}"
        parts.append(f"field '{where}' {message}" if message[:1].islower() else f"field '{where}': {message}")
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class IngestCounts:
    """Counts of one run (or one file): every record read ends up in exactly one of the other three."""

    read: int = 0
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0

    def __add__(self, other: IngestCounts) -> IngestCounts:
        return IngestCounts(
            self.read + other.read,
            self.accepted + other.accepted,
            self.duplicates + other.duplicates,
            self.quarantined + other.quarantined,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "read": self.read,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
        }


@dataclass
class IngestSummary:
    """What an ingest run did, in total and per source."""

    totals: IngestCounts = IngestCounts()
    per_source: dict[str, IngestCounts] = field(default_factory=dict)
    hook_errors: list[str] = field(default_factory=list)
    interrupted: bool = False

    def add(self, source: str, counts: IngestCounts) -> None:
        self.totals = self.totals + counts
        self.per_source[source] = self.per_source.get(source, IngestCounts()) + counts
