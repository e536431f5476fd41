"""Read a workspace folder: YAML with line numbers, file-by-file validation, cross-file checks.

Every problem in every file is collected before anything is refused, and each one names the file,
the line, the field and what is expected. A workspace with any problem is refused whole.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from vigie.core.errors import ValidationFailedError
from vigie.workspace.schemas import (
    CharterFile,
    EscalationFile,
    MandatesFile,
    PlaybookFile,
    SpecModel,
    TeamFile,
    WorkspaceFile,
    WorkspaceSpec,
)
from vigie.workspace.validate import Loc, cross_check_parts

WORKSPACE_FILES: dict[str, type[SpecModel]] = {
    "workspace.yaml": WorkspaceFile,
    "team.yaml": TeamFile,
    "mandates.yaml": MandatesFile,
    "charter.yaml": CharterFile,
    "escalation.yaml": EscalationFile,
}
PLAYBOOK_DIR = "playbooks"


def example_workspace_dir() -> Path:
    """The example workspace shipped with Vigie (Colibri, a French online retailer)."""
    return Path(__file__).resolve().parent / "example"


@dataclass(frozen=True)
class SpecIssue:
    """One problem in a workspace folder. ``line`` is 1-based; None when the whole file is concerned."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class InvalidWorkspaceError(ValidationFailedError):
    """The workspace folder has at least one problem; nothing may be applied from it."""

    code = "invalid_workspace"

    def __init__(self, source: str, issues: list[SpecIssue]) -> None:
        issues = sorted(issues, key=lambda issue: (issue.file, issue.line or 0))
        self.issues = issues
        lines = "\n".join(f"  {issue}" for issue in issues)
        super().__init__(
            f"The workspace {source} has {len(issues)} error(s) and is refused whole. Fix:\n{lines}",
            issues=[issue.to_dict() for issue in issues],
        )


# --- YAML with positions ------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _plain(node: Any) -> Any:
    """ruamel's round-trip nodes as plain Python values (positions are kept in the original)."""
    if isinstance(node, Mapping):
        return {_plain(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def locate(doc: Any, loc: Loc) -> int | None:
    """The 1-based line of the deepest node of ``doc`` reached by ``loc``."""
    line: int | None = None
    node = doc
    if isinstance(node, CommentedMap | CommentedSeq):
        line = node.lc.line + 1
    for part in loc:
        if isinstance(node, CommentedMap) and not isinstance(part, int) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        elif isinstance(part, str) and (part.startswith("[") or "[" in part or part in _UNION_TAGS):
            continue  # pydantic's markers for dict keys and union members
        else:
            break
    return line


_UNION_TAGS = {"str", "int", "float", "bool", "list[str]", "none", "date"}


def field_path(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            out += " (key)"
        elif part in _UNION_TAGS or "[" in part:
            continue
        else:
            out += f".{part}" if out else part
    return out


# --- pydantic errors in the writer's words ------------------------------------------------------


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types behind an annotation (Annotated, Optional and unions removed)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin is typing.Union or origin is types.UnionType:
        out: list[Any] = []
        for arg in typing.get_args(tp):
            if arg is not type(None):
                out.extend(_unwrap(arg))
        return out
    return [tp]


def _model_at(model: type[BaseModel], loc: Loc) -> tuple[type[BaseModel] | None, str | None]:
    """The model reached by ``loc`` and the description of the last field named on the way."""
    current: list[Any] = [model]
    description: str | None = None
    for part in loc:
        following: list[Any] = []
        for tp in current:
            if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(part, str):
                info = tp.model_fields.get(part)
                if info is not None:
                    description = info.description or description
                    following.extend(_unwrap(info.annotation))
            else:
                origin = typing.get_origin(tp)
                args = typing.get_args(tp)
                if origin is list and args and isinstance(part, int):
                    following.extend(_unwrap(args[0]))
                elif origin is dict and len(args) == 2 and part != "[key]":
                    following.extend(_unwrap(args[1]))
        if not following:
            if isinstance(part, str) and (part in _UNION_TAGS or "[" in part):
                continue
            return None, description
        current = following
    for tp in current:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp, description
    return None, description


def _explain(model: type[BaseModel], error: Any) -> str:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        parent, _ = _model_at(model, loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent is not None else "see docs/workspace.md"
        return f"unknown field {loc[-1]!r}; allowed fields here: {allowed}"
    _, description = _model_at(model, loc)
    expected = f" (expected: {description})" if description else ""
    if kind == "missing":
        return f"required field is missing{expected}"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    given = error.get("input")
    if not isinstance(given, dict | list) and kind not in {"value_error", "assertion_error"}:
        shown = repr(given)
        message += f", got {shown[:60]}{'...' if len(shown) > 60 else ''}"
    return message + expected


# --- loading ------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    docs: dict[str, Any]
    models: dict[str, BaseModel]


def _parse_file(name: str, text: str, model: type[SpecModel], issues: list[SpecIssue]) -> tuple[Any, Any]:
    try:
        doc = _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else mark.line + 1
        problem = " ".join(str(part) for part in (error.context, error.problem) if part)
        issues.append(SpecIssue(name, line, "", f"not valid YAML: {problem or error}"))
        return None, None
    except YAMLError as error:
        issues.append(SpecIssue(name, None, "", f"not valid YAML: {error}"))
        return None, None
    if doc is None:
        issues.append(SpecIssue(name, 1, "", f"the file is empty; expected the fields of {model.__name__}"))
        return None, None
    if not isinstance(doc, CommentedMap):
        issues.append(SpecIssue(name, 1, "", "expected a mapping of fields (key: value) at the top level"))
        return None, None
    try:
        return doc, model.model_validate(_plain(doc))
    except ValidationError as error:
        for item in error.errors():
            loc = tuple(item["loc"])
            issues.append(SpecIssue(name, locate(doc, loc), field_path(loc), _explain(model, item)))
        return doc, None


def load_workspace_texts(texts: Mapping[str, str], *, source: str = "workspace") -> WorkspaceSpec:
    """Validate a workspace given as {relative path: YAML text}; playbooks as ``playbooks/<key>.yaml``."""
    issues: list[SpecIssue] = []
    docs: dict[str, Any] = {}
    models: dict[str, Any] = {}
    for name, model in WORKSPACE_FILES.items():
        if name not in texts:
            issues.append(SpecIssue(name, None, "", "the file is missing; create it (see docs/workspace.md)"))
            continue
        docs[name], models[name] = _parse_file(name, texts[name], model, issues)
    playbook_names = sorted(n for n in texts if n.startswith(f"{PLAYBOOK_DIR}/"))
    playbooks: list[PlaybookFile] = []
    playbook_files: dict[str, str] = {}
    for name in playbook_names:
        stem = name[len(PLAYBOOK_DIR) + 1 :]
        if not stem.endswith(".yaml") or "/" in stem:
            issues.append(SpecIssue(name, None, "", "playbooks must be files named playbooks/<key>.yaml"))
            continue
        doc, playbook = _parse_file(name, texts[name], PlaybookFile, issues)
        docs[name] = doc
        if isinstance(playbook, PlaybookFile):
            if playbook.key != stem[: -len(".yaml")]:
                issues.append(
                    SpecIssue(
                        name,
                        locate(doc, ("key",)),
                        "key",
                        f"key {playbook.key!r} must equal the file name: rename the file to "
                        f"{PLAYBOOK_DIR}/{playbook.key}.yaml or set key: {stem[: -len('.yaml')]}",
                    )
                )
                continue
            playbooks.append(playbook)
            playbook_files[playbook.key] = name
    unknown = sorted(n for n in texts if n not in WORKSPACE_FILES and not n.startswith(f"{PLAYBOOK_DIR}/"))
    for name in unknown:
        issues.append(
            SpecIssue(
                name,
                None,
                "",
                "unexpected file; a workspace holds "
                + ", ".join(WORKSPACE_FILES)
                + f" and {PLAYBOOK_DIR}/<key>.yaml",
            )
        )
    problems = cross_check_parts(
        models.get("workspace.yaml"),
        models.get("team.yaml"),
        models.get("mandates.yaml"),
        models.get("charter.yaml"),
        models.get("escalation.yaml"),
        playbooks,
    )
    for problem in problems:
        file = playbook_files.get(problem.playbook or "", problem.file)
        issues.append(
            SpecIssue(file, locate(docs.get(file), problem.loc), field_path(problem.loc), problem.message)
        )
    if issues:
        raise InvalidWorkspaceError(source, issues)
    return WorkspaceSpec(
        workspace=models["workspace.yaml"],
        team=models["team.yaml"],
        mandates=models["mandates.yaml"],
        charter=models["charter.yaml"],
        escalation=models["escalation.yaml"],
        playbooks=sorted(playbooks, key=lambda p: p.key),
    )


def read_workspace_dir(path: Path) -> dict[str, str]:
    """The YAML files of a workspace folder as {relative path: text}."""
    if not path.exists():
        raise InvalidWorkspaceError(
            str(path),
            [SpecIssue(str(path), None, "", "folder not found; create one with `vigie workspace init DIR`")],
        )
    if not path.is_dir():
        raise InvalidWorkspaceError(
            str(path), [SpecIssue(str(path), None, "", "not a folder; give the workspace folder")]
        )
    texts: dict[str, str] = {}
    issues: list[SpecIssue] = []
    for file in sorted(path.rglob("*")):
        relative = file.relative_to(path).as_posix()
        if file.is_dir() or any(part.startswith(".") for part in file.relative_to(path).parts):
            continue
        if file.suffix not in {".yaml", ".yml"}:
            continue
        if file.suffix == ".yml":
            issues.append(SpecIssue(relative, None, "", "use the .yaml extension (rename the file)"))
            continue
        try:
            texts[relative] = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            issues.append(SpecIssue(relative, None, "", f"not UTF-8 text ({error.reason}); save it as UTF-8"))
    if issues:
        raise InvalidWorkspaceError(str(path), issues)
    return texts


def load_workspace_dir(path: Path | str) -> WorkspaceSpec:
    """Read and validate a workspace folder; raise ``InvalidWorkspaceError`` listing every problem."""
    folder = Path(path)
    return load_workspace_texts(read_workspace_dir(folder), source=str(folder))
