"""`vigie serve`: the web app and the HTTP API."""

from __future__ import annotations

import typer

from vigie.core.settings import get_settings
from vigie.storage.migrate import upgrade


def serve_command(
    host: str | None = typer.Option(None, "--host", help="Address to listen on (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", min=1, max=65535, help="Port (default 8000)."),
) -> None:
    """Serve the web app and the API (migrates a SQLite database automatically)."""
    # Imported here, not at module level: every `vigie` command loads this module, and only `serve`
    # needs the web stack (about half a second of start-up).
    import uvicorn

    from vigie.api.app import create_app

    settings = get_settings()
    if settings.is_sqlite:
        upgrade(settings.database_url)
    app = create_app(settings)
    bind_host = host or settings.host
    bind_port = port or settings.port
    typer.echo(f"Vigie is listening on http://{bind_host}:{bind_port}/")
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="warning")
