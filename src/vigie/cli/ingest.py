"""`vigie ingest FILE…` and `vigie quarantine list`: import messages, inspect what was refused."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from vigie.cli.context import CliContext, domain_errors, get_workspace, print_json
from vigie.ingest.actions import ingest_files
from vigie.ingest.reader import InputFormat
from vigie.ingest.schemas import IngestSummary
from vigie.ingest.service import count_quarantine, list_quarantine

quarantine_app = typer.Typer(
    help="Records that could not be ingested, with the reason.", no_args_is_help=True
)

EXIT_QUARANTINED = 1
EXIT_INTERRUPTED = 130


def ingest_command(
    files: list[Path] = typer.Argument(..., help="JSONL or CSV files (schema: docs/ingest.md)."),
    workspace: str = typer.Option(..., "--workspace", "-w", help="Workspace slug."),
    channel: str | None = typer.Option(
        None, "--channel", "-c", help="Channel for records that have no 'channel' field."
    ),
    fmt: InputFormat | None = typer.Option(
        None, "--format", "-f", help="Input format; by default from the extension (.jsonl, .ndjson, .csv)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object with the counts."),
) -> None:
    """Import messages from files; bad records go to the quarantine and the exit code is 1.

    Commits every VIGIE_INGEST_BATCH_SIZE records: an interrupted run keeps what it accepted, and
    running it again completes the file without duplicates.
    """
    ctx = CliContext()
    with ctx.transaction() as session:
        get_workspace(session, workspace)  # a clear error, listing the known workspaces
    summary = IngestSummary()
    progress = _progress_bar(files)
    try:
        with domain_errors():
            if progress is None:
                _run(ctx, files, workspace, channel, fmt, summary, None)
            else:
                with progress:
                    _run(ctx, files, workspace, channel, fmt, summary, progress)
    except KeyboardInterrupt:
        summary.interrupted = True
    _report(summary, as_json=as_json)
    if summary.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if summary.totals.quarantined:
        raise typer.Exit(EXIT_QUARANTINED)


def _run(
    ctx: CliContext,
    files: list[Path],
    workspace: str,
    channel: str | None,
    fmt: InputFormat | None,
    summary: IngestSummary,
    progress: Progress | None,
) -> None:
    tasks: dict[str, TaskID] = {}
    if progress is not None:
        for path in files:
            size = path.stat().st_size if path.is_file() else 0
            tasks[str(path.resolve())] = progress.add_task(path.name, total=size)

    def advance(source: str, offset: int) -> None:
        if progress is not None and source in tasks:
            progress.update(tasks[source], completed=offset)

    ingest_files(
        ctx.session_factory,
        workspace_slug=workspace,
        paths=files,
        fmt=fmt,
        default_channel=channel,
        max_text_length=ctx.settings.max_text_length,
        batch_size=ctx.settings.ingest_batch_size,
        progress=advance,
        summary=summary,
    )


def _progress_bar(files: list[Path]) -> Progress | None:
    if not sys.stderr.isatty():
        return None
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )


def _report(summary: IngestSummary, *, as_json: bool) -> None:
    totals = summary.totals
    if as_json:
        print_json(
            {
                **totals.as_dict(),
                "interrupted": summary.interrupted,
                "hook_errors": summary.hook_errors,
                "files": {source: counts.as_dict() for source, counts in summary.per_source.items()},
            }
        )
    else:
        for source, counts in summary.per_source.items():
            typer.echo(
                f"{source}: read {counts.read}, accepted {counts.accepted}, "
                f"duplicates {counts.duplicates}, quarantined {counts.quarantined}"
            )
        typer.echo(
            f"Total: read {totals.read}, accepted {totals.accepted}, duplicates {totals.duplicates}, "
            f"quarantined {totals.quarantined}"
        )
        if totals.quarantined:
            typer.echo(
                "Some records were quarantined: see `vigie quarantine list --workspace SLUG`.", err=True
            )
        if summary.interrupted:
            typer.echo(
                "Interrupted: every batch committed so far is kept; run the same command again to complete.",
                err=True,
            )
    for error in summary.hook_errors:
        typer.echo(f"Warning: {error}", err=True)


@quarantine_app.command("list")
def quarantine_list_command(
    workspace: str = typer.Option(..., "--workspace", "-w", help="Workspace slug."),
    limit: int = typer.Option(100, min=1, max=100_000, help="How many records, newest first."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """List quarantined records: file, line, reason and content."""
    ctx = CliContext()
    with ctx.transaction() as session:
        ws = get_workspace(session, workspace)
        total = count_quarantine(session, workspace_id=ws.id)
        rows = [
            {
                "id": r.id,
                "file": r.source,
                "line": r.line,
                "reason": r.reason,
                "content": r.content,
                "quarantined_at": r.created_at.isoformat(),
            }
            for r in list_quarantine(session, workspace_id=ws.id, limit=limit)
        ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo(f"Nothing in quarantine for workspace '{workspace}'.")
        return
    for row in rows:
        content = str(row["content"])
        shown = content if len(content) <= 120 else content[:117] + "..."
        typer.echo(f"{row['file']}:{row['line']}: {row['reason']}\n    {shown}")
    typer.echo(f"{len(rows)} shown of {total} quarantined records.")
