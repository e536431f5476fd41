"""Writing workspace folders: deterministic YAML from a spec (export), and the example (init)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from vigie.core.errors import ConflictError, ValidationFailedError
from vigie.workspace.loader import PLAYBOOK_DIR, WORKSPACE_FILES, example_workspace_dir
from vigie.workspace.schemas import WorkspaceSpec, to_plain

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _compact(model: BaseModel) -> dict[str, Any]:
    """The model without the fields left at their default (loading fills them in again)."""
    data: dict[str, Any] = to_plain(model.model_dump(mode="json", exclude_defaults=True))
    return data


_FLOW_WIDTH = 80
_CLOCK = re.compile(r"^[0-9]{1,2}:[0-9]{2}$")


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _styled(value: Any) -> Any:
    """Short lists and mappings of scalars on one line ([a, b], {fr: .., en: ..}), the rest as blocks."""
    if isinstance(value, dict):
        node = CommentedMap((k, _styled(v)) for k, v in value.items())
        short = sum(len(str(k)) + len(str(v)) + 4 for k, v in value.items()) <= _FLOW_WIDTH
        if value and short and all(_is_scalar(v) and "\n" not in str(v) for v in value.values()):
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_styled(v) for v in value)
        if all(_is_scalar(v) for v in value) and sum(len(str(v)) + 2 for v in value) <= _FLOW_WIDTH:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and _CLOCK.fullmatch(value):
        return DoubleQuotedScalarString(value)  # "09:00": YAML 1.1 readers take 09:00 for a number
    return value


def _dump(data: dict[str, Any], header: str) -> str:
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    buffer.write(f"# {header}\n")
    yaml.dump(_styled(data), buffer)
    return buffer.getvalue()


def render_workspace(spec: WorkspaceSpec) -> dict[str, str]:
    """The folder of ``spec`` as {relative path: YAML text}; the same spec always gives the same text."""
    note = f"Exported from Vigie workspace '{spec.slug}'."
    files = {
        "workspace.yaml": _dump(_compact(spec.workspace), f"workspace.yaml: {note}"),
        "team.yaml": _dump(_compact(spec.team), f"team.yaml: {note}"),
        "mandates.yaml": _dump(_compact(spec.mandates), f"mandates.yaml: {note}"),
        "charter.yaml": _dump(_compact(spec.charter), f"charter.yaml: {note}"),
        "escalation.yaml": _dump(_compact(spec.escalation), f"escalation.yaml: {note}"),
    }
    for playbook in spec.playbooks:
        files[f"{PLAYBOOK_DIR}/{playbook.key}.yaml"] = _dump(
            _compact(playbook), f"playbooks/{playbook.key}.yaml: {note}"
        )
    return files


def _has_workspace_files(folder: Path) -> bool:
    return any((folder / name).exists() for name in WORKSPACE_FILES) or any(
        (folder / PLAYBOOK_DIR).glob("*.yaml")
    )


def write_workspace_dir(spec: WorkspaceSpec, folder: Path, *, force: bool = False) -> list[Path]:
    """Export ``spec`` into ``folder``. An existing workspace there is only replaced with ``force``
    (stale playbook files are then removed, so that the folder applies back to exactly ``spec``)."""
    if folder.exists() and not folder.is_dir():
        raise ValidationFailedError(f"{folder} is a file; give a folder to export into")
    if folder.exists() and _has_workspace_files(folder) and not force:
        raise ConflictError(
            f"{folder} already holds workspace files; choose an empty folder or pass --force to overwrite"
        )
    files = render_workspace(spec)
    (folder / PLAYBOOK_DIR).mkdir(parents=True, exist_ok=True)
    for stale in sorted((folder / PLAYBOOK_DIR).glob("*.y*ml")):
        if f"{PLAYBOOK_DIR}/{stale.name}" not in files:
            stale.unlink()
    written: list[Path] = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def init_workspace_dir(folder: Path, *, slug: str | None = None, name: str | None = None) -> list[Path]:
    """Copy the example workspace into ``folder`` (which must be empty or absent), comments included,
    rewriting its slug (and display name) when given."""
    if slug is not None and not _SLUG.fullmatch(slug):
        raise ValidationFailedError(
            f"invalid slug {slug!r}: use lower-case letters, digits, '-' and '_', starting with a letter or digit"
        )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConflictError(f"{folder} exists and is not an empty folder; choose a new folder")
    shutil.copytree(example_workspace_dir(), folder, dirs_exist_ok=True)
    workspace_file = folder / "workspace.yaml"
    text = workspace_file.read_text(encoding="utf-8")
    if slug is not None:
        text = re.sub(r"(?m)^slug: .*$", f"slug: {slug}", text, count=1)
    if name is not None:
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        text = re.sub(r"(?m)^name: .*$", f'name: "{quoted}"', text, count=1)
    workspace_file.write_text(text, encoding="utf-8")
    return sorted(p for p in folder.rglob("*.yaml"))
