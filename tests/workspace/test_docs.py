"""docs/workspace.md must describe every field of every workspace file, as the models define them."""

from __future__ import annotations

from pathlib import Path

from vigie.workspace.reference import BEGIN, END, FILES, render_reference, replace_block
from vigie.workspace.service import ObjectType

DOC = Path(__file__).resolve().parents[2] / "docs" / "workspace.md"


def test_generated_reference_is_current() -> None:
    document = DOC.read_text(encoding="utf-8")
    assert replace_block(document, render_reference()) == document, (
        "docs/workspace.md is stale: run `python -m vigie.workspace.reference docs/workspace.md`"
    )


def test_every_file_and_field_is_documented() -> None:
    block = DOC.read_text(encoding="utf-8").split(BEGIN, 1)[1].split(END, 1)[0]
    for filename, model in FILES:
        assert f"### {filename}" in block
        for name in model.model_fields:
            assert f"| `{name}` |" in block, f"{filename}: field {name} is not documented"


def test_every_object_type_is_documented() -> None:
    document = DOC.read_text(encoding="utf-8")
    for object_type in ObjectType:
        assert f"| `{object_type.value}` |" in document
