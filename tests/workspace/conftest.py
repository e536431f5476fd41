"""Workspace fixtures: a copy of the example folder, and the CLI pointed at the test database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command

from vigie.storage.migrate import alembic_config
from vigie.workspace.loader import example_workspace_dir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An editable copy of the example workspace."""
    target = tmp_path / "ws"
    shutil.copytree(example_workspace_dir(), target)
    return target


@pytest.fixture
def cli(cli_env: str) -> str:
    """The CLI on the test database (SQLite stamped at head so the CLI does not re-create tables)."""
    if cli_env.startswith("sqlite"):
        command.stamp(alembic_config(cli_env), "head")
    return cli_env


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
