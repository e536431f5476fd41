"""`vigie demo`: everything Vigie does, offline, on a fresh SQLite database and a day of messages."""

from __future__ import annotations

import time
from contextlib import nullcontext
from pathlib import Path

import typer
from rich.console import Console
from rich.rule import Rule

from vigie.cli.context import parse_at
from vigie.core.clock import running_from
from vigie.core.settings import get_settings
from vigie.demo.steps import STEPS, DemoContext


def demo_command(
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Folder for the demo database (default: a new temporary folder)."
    ),
    live: bool = typer.Option(
        False, "--live", help="Play the stream as a live feed, messages dated when they arrive."
    ),
    speed: float = typer.Option(
        60.0,
        "--speed",
        min=0.1,
        max=100_000,
        help="With --live or --serve: how many times faster than real time.",
    ),
    serve: bool = typer.Option(
        False,
        "--serve",
        help="Serve the web app with the demo feed running live; prints the URL and a login per role.",
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="With --serve: address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="With --serve: port."),
    at: str | None = typer.Option(
        None,
        "--at",
        metavar="DATETIME",
        help="Run the demo as if it were this moment (ISO 8601, e.g. 2026-11-18T16:00+01:00; without an offset, UTC): "
        "routing follows the team's working hours, so a weekday afternoon shows everyone on shift. "
        "Default: now.",
    ),
) -> None:
    """Run the demo: a fresh database, the example workspace, a realistic day of messages and every
    stage that exists, printed step by step. Ends by itself unless --live is given (then it ends when
    the feed does, or on Ctrl-C). With --serve: the web app on the demo database, the feed live."""
    with running_from(parse_at(at)) if at is not None else nullcontext():
        _run(data_dir=data_dir, live=live, speed=speed, serve=serve, host=host, port=port)


def _run(*, data_dir: Path | None, live: bool, speed: float, serve: bool, host: str, port: int) -> None:
    console = Console()
    ctx = DemoContext(settings=get_settings(), console=console, data_dir=data_dir, live=live, speed=speed)
    if serve:
        from vigie.demo.serve import serve_demo

        ctx.live = True
        serve_demo(ctx, host=host, port=port)
        return
    started = time.perf_counter()
    for number, step in enumerate(list(STEPS), start=1):
        console.print(Rule(f"[bold]{number}. {step.title}[/]", align="left"))
        step.run(ctx)
    console.print(Rule())
    console.print(f"Demo finished in {time.perf_counter() - started:.1f} s. Database: {ctx.database_url}")
