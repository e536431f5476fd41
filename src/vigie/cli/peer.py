"""`vigie peer …`: ask a senior on a case; seniors comment privately, suggest a draft or take it."""

from __future__ import annotations

import typer

from vigie.cli.context import print_json, workspace_transaction
from vigie.peerhelp import actions

app = typer.Typer(help="Peer help: ask a more experienced colleague about a case.", no_args_is_help=True)

WS = typer.Option(..., "--workspace", "-w", help="Workspace slug.")
JSON = typer.Option(False, "--json", help="Print JSON.")
AS = typer.Option(..., "--as", help="Your team member key.")


@app.command("ask")
def ask_command(
    case_id: int = typer.Argument(..., help="Case id."),
    question: str = typer.Option(..., "--question", "-q", help="What you need help with."),
    workspace: str = WS,
    member: str = AS,
    topic: str | None = typer.Option(None, "--topic", help="Topic key (default: the case's first topic)."),
    limit: int = typer.Option(3, "--limit", min=1, help="How many colleagues to notify."),
    as_json: bool = JSON,
) -> None:
    """Notify the colleagues with more experience on the case's topic (else the seniors)."""
    with workspace_transaction(workspace) as (session, ws):
        request, _ = actions.ask_senior(
            session, workspace=ws, case_id=case_id, asker=member, question=question, topic=topic, limit=limit
        )
        data = actions.request_dict(session, request)
    if as_json:
        print_json(data)
        return
    typer.echo(f"Request #{data['id']} on case #{case_id}; notified:")
    for note in data["notified"]:
        typer.echo(f"  {note['recipient']}: {note['reason']}")


def _contribute(kind: str, request_id: int, workspace: str, member: str, text: str, as_json: bool) -> None:
    with workspace_transaction(workspace) as (session, ws):
        request = actions.get_request(session, workspace=ws, request_id=request_id)
        actions.contribute(session, workspace=ws, request_id=request.id, author=member, kind=kind, text=text)
        data = actions.request_dict(session, request)
    if as_json:
        print_json(data)
        return
    typer.echo(f"Recorded ({kind}) on request #{request_id}, case #{data['case_id']}.")


@app.command("comment")
def comment_command(
    request_id: int = typer.Argument(..., help="Peer-help request id."),
    text: str = typer.Option(..., "--text", "-t", help="Private comment (never published)."),
    workspace: str = WS,
    member: str = AS,
    as_json: bool = JSON,
) -> None:
    """Comment privately on a request."""
    _contribute("comment", request_id, workspace, member, text, as_json)


@app.command("suggest")
def suggest_command(
    request_id: int = typer.Argument(..., help="Peer-help request id."),
    text: str = typer.Option(..., "--text", "-t", help="Suggested reply; it is sent only through the gate."),
    workspace: str = WS,
    member: str = AS,
    as_json: bool = JSON,
) -> None:
    """Suggest a draft reply to the asker."""
    _contribute("suggestion", request_id, workspace, member, text, as_json)


@app.command("take")
def take_command(
    request_id: int = typer.Argument(..., help="Peer-help request id."),
    workspace: str = WS,
    member: str = AS,
    note: str = typer.Option("", "--note", help="Optional note to the asker."),
    as_json: bool = JSON,
) -> None:
    """Take the case: it is reassigned to you."""
    _contribute("take", request_id, workspace, member, note, as_json)


@app.command("show")
def show_command(request_id: int = typer.Argument(...), workspace: str = WS, as_json: bool = JSON) -> None:
    """Show a request, who was notified and what they contributed."""
    with workspace_transaction(workspace) as (session, ws):
        data = actions.request_dict(
            session, actions.get_request(session, workspace=ws, request_id=request_id)
        )
    if as_json:
        print_json(data)
        return
    typer.echo(
        f"#{data['id']} case #{data['case_id']} by {data['asked_by']} ({data['status']}): {data['question']}"
    )
    for c in data["contributions"]:
        typer.echo(f"  [{c['kind']}] {c['author']}: {c['text']}")


@app.command("inbox")
def inbox_command(workspace: str = WS, member: str = AS, as_json: bool = JSON) -> None:
    """Your unread peer-help notifications."""
    with workspace_transaction(workspace) as (session, ws):
        rows = [
            {"id": n.id, "request_id": n.request_id, "reason": n.reason, "at": n.created_at.isoformat()}
            for n in actions.inbox(session, workspace=ws, member=member)
        ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(f"request #{row['request_id']}: {row['reason']}")
    if not rows:
        typer.echo("No unread request.")
