"""`vigie audit …`: read and verify the tamper-evident audit log."""

from __future__ import annotations

import typer

from vigie.audit.service import audit_entry_to_dict, list_audit, verify_workspace_audit
from vigie.cli.context import CliContext, get_workspace, print_json

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@app.command("verify")
def verify_command(
    workspace: str = typer.Option(..., "--workspace", "-w", help="Workspace slug."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Check the hash chain; exit 1 naming the first bad entry when it is broken."""
    ctx = CliContext()
    with ctx.transaction() as session:
        result = verify_workspace_audit(session, get_workspace(session, workspace))
    if as_json:
        print_json(result.to_dict())
    elif result.problem is None:
        typer.echo(f"Audit log intact: {result.entries} entries verified.")
    else:
        typer.echo(f"Audit log BROKEN at entry #{result.problem.seq}: {result.problem.reason}.", err=True)
    if result.problem is not None:
        raise typer.Exit(1)


@app.command("list")
def list_command(
    workspace: str = typer.Option(..., "--workspace", "-w", help="Workspace slug."),
    limit: int = typer.Option(50, min=1, max=10_000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Show the latest entries, newest first."""
    ctx = CliContext()
    with ctx.transaction() as session:
        entries = list_audit(session, get_workspace(session, workspace), limit=limit)
        rows = [audit_entry_to_dict(e) for e in entries]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(
            f"#{row['seq']:>5} {row['created_at']} {row['actor']:<20} {row['action']:<24} "
            f"{row['object_type']}:{row['object_key']}"
        )
