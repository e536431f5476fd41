"""The schema reference of docs/workspace.md, generated from the models so that it cannot go stale.

Regenerate with ``python -m vigie.workspace.reference docs/workspace.md``; a test fails when the
document and the models disagree.
"""

from __future__ import annotations

import enum
import sys
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from vigie.workspace.schemas import (
    CharterFile,
    EscalationFile,
    MandatesFile,
    PlaybookFile,
    TeamFile,
    WorkspaceFile,
)

BEGIN = "<!-- BEGIN GENERATED: python -m vigie.workspace.reference docs/workspace.md -->"
END = "<!-- END GENERATED -->"

FILES: list[tuple[str, type[BaseModel]]] = [
    ("workspace.yaml", WorkspaceFile),
    ("team.yaml", TeamFile),
    ("mandates.yaml", MandatesFile),
    ("charter.yaml", CharterFile),
    ("escalation.yaml", EscalationFile),
    ("playbooks/<key>.yaml", PlaybookFile),
]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


_PATTERN_NAMES = {
    r"^[a-z0-9][a-z0-9_-]*$": "key",
    r"^[a-z]{2,3}$": "language code",
    r"^([01][0-9]|2[0-3]):[0-5][0-9]$": "time `HH:MM`",
    r"^[A-Z][A-Z0-9_]*$": "environment variable name",
    r"^[A-Z]{3}$": "currency code",
    r"^(role|member):[a-z0-9][a-z0-9_-]*$": "`role:KEY` or `member:KEY`",
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "e-mail address",
    r"^https?://\S+$": "URL",
}


def _named(metadata: typing.Iterable[Any]) -> str | None:
    for item in metadata:
        name = _PATTERN_NAMES.get(getattr(item, "pattern", None) or "")
        if name is not None:
            return name
    return None


def _type_text(tp: Any, nested: list[type[BaseModel]], metadata: typing.Iterable[Any] = ()) -> str:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    named = _named(metadata) if tp is str else None
    if named is not None:
        return named
    if origin is typing.Annotated:
        return _type_text(args[0], nested, args[1:])
    if origin is typing.Union or origin is types.UnionType:
        parts = [_type_text(a, nested) for a in args if a is not type(None)]
        text = " or ".join(parts)
        return f"{text} or null" if type(None) in args else text
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {_type_text(args[0], nested)}"
    if origin is dict:
        return f"mapping {_type_text(args[0], nested)} → {_type_text(args[1], nested)}"
    if _is_model(tp):
        if tp not in nested:
            nested.append(tp)
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in tp)
    names = {str: "text", int: "integer", float: "number", bool: "true/false", date: "date (YYYY-MM-DD)"}
    return names.get(tp, getattr(tp, "__name__", str(tp)))


def _default_text(info: Any) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        value = info.default_factory()
    else:
        value = info.default
    if value is PydanticUndefined:
        return "**required**"
    if isinstance(value, BaseModel):
        return "(defaults of its fields)"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, list):
        value = [v.value if isinstance(v, enum.Enum) else v for v in value]
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"`{value}`"


def _table(model: type[BaseModel], nested: list[type[BaseModel]]) -> list[str]:
    lines = ["| field | type | default | meaning |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        kind = _type_text(info.annotation, nested, info.metadata)
        description = (info.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | {kind} | {_default_text(info)} | {description} |")
    return lines


def render_reference() -> str:
    """Markdown tables for every file and every nested object, in a stable order."""
    out: list[str] = []
    nested: list[type[BaseModel]] = []
    seen: set[type[BaseModel]] = set()
    for filename, model in FILES:
        out += [f"### {filename}", ""]
        doc = (model.__doc__ or "").strip().splitlines()[0]
        out += [doc, "", *_table(model, nested), ""]
        seen.add(model)
    out += ["### Nested objects", ""]
    index = 0
    while index < len(nested):
        model = nested[index]
        index += 1
        if model in seen:
            continue
        seen.add(model)
        out += [f"#### {model.__name__}", ""]
        if model.__doc__ and model.__doc__.strip() and "Usage docs" not in model.__doc__:
            out += [" ".join(model.__doc__.split()), ""]
        out += [*_table(model, nested), ""]
    return "\n".join(out).rstrip() + "\n"


def replace_block(document: str, block: str) -> str:
    if BEGIN not in document or END not in document:
        raise ValueError(f"the document has no generated block (add the lines {BEGIN} and {END})")
    head, rest = document.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n\n{block}\n{END}{tail}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m vigie.workspace.reference docs/workspace.md\n")
        return 2
    path = Path(argv[0])
    path.write_text(replace_block(path.read_text(encoding="utf-8"), render_reference()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
