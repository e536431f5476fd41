"""Reading a workspace's authors by id (the case page's thread). Storage-level, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.ingest.models import Author
from vigie.workspace.models import Workspace


def authors_by_id(session: Session, workspace: Workspace, ids: Iterable[int | None]) -> dict[int, Author]:
    """The workspace's authors among ``ids``, in one query; ids of other workspaces are left out."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.scalars(select(Author).where(Author.workspace_id == workspace.id, Author.id.in_(wanted)))
    return {author.id: author for author in rows}
