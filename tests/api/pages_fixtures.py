"""The colibri example workspace applied, with a web account per team member (tests of the pages)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from vigie.accounts.service import create_user, grant_membership
from vigie.core.settings import Settings
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import (
    InvalidWorkspaceError,
    example_workspace_dir,
    load_workspace_texts,
    read_workspace_dir,
)
from vigie.workspace.models import Workspace
from vigie.workspace.schemas import WorkspaceSpec

DEMO_PASSWORD = "colibri demo password"
MEMBERS = {
    "camille": ["junior-cm"],
    "lucas": ["junior-cm"],
    "sarah": ["senior-cm"],
    "hugo": ["senior-cm"],
    "ines": ["expert"],
    "marc": ["spokesperson"],
    "claire": ["legal"],
    "nadia": ["community-lead"],
}


def example_spec() -> WorkspaceSpec:
    """The example workspace; a playbook being edited by someone else at the time is left out."""
    texts = read_workspace_dir(example_workspace_dir())
    try:
        return load_workspace_texts(texts)
    except InvalidWorkspaceError as error:
        broken = {issue.file for issue in error.issues if issue.file.startswith("playbooks/")}
        if not broken:
            raise
        return load_workspace_texts({k: v for k, v in texts.items() if k not in broken})


def setup_colibri(session_factory: sessionmaker[Session]) -> str:
    spec = example_spec()
    with session_factory.begin() as session:
        apply_workspace(session, spec, "test")
    add_demo_users(session_factory, spec.slug)
    return spec.slug


def demo_database(folder: Path, *, steps: int = 3) -> str:
    """Run the first demo steps (database, workspace, stream; cases filed) into ``folder``; users added."""
    from vigie.cases import hooks as case_hooks
    from vigie.demo.steps import STEPS, DemoContext

    case_hooks.register()
    ctx = DemoContext(settings=Settings(), console=Console(quiet=True), data_dir=folder)
    for step in STEPS[:steps]:
        step.run(ctx)
    add_demo_users(ctx.factory(), ctx.workspace_slug)
    return ctx.database_url


def add_demo_users(session_factory: sessionmaker[Session], slug: str) -> None:
    with session_factory.begin() as session:
        workspace = session.query(Workspace).filter_by(slug=slug).one()
        for key, roles in MEMBERS.items():
            user = create_user(session, email=f"{key}@colibri.example", password=DEMO_PASSWORD, locale="en")
            grant_membership(session, user=user, workspace=workspace, roles=roles, member_key=key)
