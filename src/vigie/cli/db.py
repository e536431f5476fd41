"""`vigie db …`: database schema management."""

from __future__ import annotations

import typer

from vigie.core.settings import get_settings
from vigie.storage.migrate import current_revision, upgrade

app = typer.Typer(help="Database schema management.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply the migrations up to REVISION (default: the latest)."""
    settings = get_settings()
    upgrade(settings.database_url, revision)
    typer.echo(f"Database at revision {current_revision(settings.database_url)}.")


@app.command("current")
def current_command() -> None:
    """Print the database's current revision."""
    typer.echo(current_revision(get_settings().database_url) or "empty")
