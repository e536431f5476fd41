"""What every CLI command needs: settings, a migrated database, a workspace by slug, output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NoReturn

import typer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from vigie.core.clock import ensure_utc, utcnow
from vigie.core.errors import VigieError
from vigie.core.settings import Settings, get_settings
from vigie.storage.db import make_engine, make_session_factory, transaction
from vigie.storage.migrate import upgrade
from vigie.workspace.models import Workspace


class CliContext:
    """Built lazily by each command, so that importing the CLI reads no settings."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.settings.is_sqlite:
                # SQLite is the no-set-up mode: keep its schema current automatically.
                upgrade(self.settings.database_url)
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    @property
    def session_factory(self) -> sessionmaker[Session]:
        if self._factory is None:
            self._factory = make_session_factory(self.engine)
        return self._factory

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.session_factory) as session:
            yield session


def get_workspace(session: Session, slug: str) -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        known = session.scalars(select(Workspace.slug).order_by(Workspace.slug)).all()
        hint = (
            f" Known workspaces: {', '.join(known)}."
            if known
            else (
                " No workspace exists yet: create one with `vigie workspace init DIR` then "
                "`vigie workspace apply DIR`."
            )
        )
        fail(f"Workspace '{slug}' does not exist.{hint}")
    return workspace


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")


@contextmanager
def workspace_transaction(slug: str) -> Iterator[tuple[Session, Workspace]]:
    """One command's unit of work on workspace ``slug``; domain errors end it with a clear message."""
    with domain_errors(), CliContext().transaction() as session:
        yield session, get_workspace(session, slug)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn domain errors into a clear message and a non-zero exit code."""
    try:
        yield
    except VigieError as error:
        fail(error.message)


def parse_at(value: str | None) -> datetime:
    """The time an ``--at`` option names (ISO 8601; naive means UTC), or now."""
    if value is None:
        return utcnow()
    try:
        return ensure_utc(datetime.fromisoformat(value))
    except ValueError:
        fail(f"--at {value!r} is not an ISO date-time; write e.g. 2026-11-20T08:30:00+00:00")
