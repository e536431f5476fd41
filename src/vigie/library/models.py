"""Case-library tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigie.core.clock import utcnow
from vigie.storage.base import Base


class LibraryEntry(Base):
    """A lesson: a crisis post-mortem, a case marked as a lesson, or an entry written by hand.

    ``document`` is the searchable text: the original words plus their light stems (accents folded),
    so that both backends find inflected forms. SQLite indexes it in the FTS5 table
    ``library_entry_fts``; PostgreSQL in a GIN index on ``to_tsvector('french'|'english', document)``
    chosen by the entry's language (see ``vigie.library.search``).
    """

    __tablename__ = "library_entry"
    __table_args__ = (Index("ix_library_entry_source", "workspace_id", "source_kind", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    lessons: Mapped[list[Any]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(8))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    # "post_mortem" (crisis_post_mortem.id), "case" (case.id) or "manual" (no source id).
    source_kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int | None] = mapped_column(default=None)
    playbook_keys: Mapped[list[Any]] = mapped_column(default=list)
    document: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
