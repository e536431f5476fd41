"""`vigie playbooks …`: list the playbooks, suggest them for a message, pre-fill a draft."""

from __future__ import annotations

from typing import Any

import typer

from vigie.analysis.pipeline import analyse
from vigie.cli.context import (
    CliContext,
    fail,
    get_workspace,
    print_json,
    workspace_transaction,
)
from vigie.library.models import LibraryEntry
from vigie.library.service import entries_for_playbook
from vigie.playbooks.matcher import MessageFacts, facts_from_analysis
from vigie.playbooks.service import (
    DraftRequest,
    case_facts,
    current_grade,
    get_playbook,
    list_playbooks,
    prefill_draft,
    suggest_for_case,
    suggest_for_facts,
    suggest_for_message,
)

app = typer.Typer(
    help="Playbooks: scenarios, suggestions for a message, pre-filled drafts.", no_args_is_help=True
)

WS = typer.Option(..., "--workspace", "-w", help="Workspace slug.")
JSON = typer.Option(False, "--json", help="Print JSON.")
AUTHOR_TYPES = ("customer", "activist", "journalist", "influencer", "troll", "employee", "unknown")
GRADES = ("normal", "watch", "alert", "crisis")


@app.command("list")
def list_command(workspace: str = WS, as_json: bool = JSON) -> None:
    """List the workspace's playbooks with their triggers."""
    with CliContext().transaction() as session:
        ws = get_workspace(session, workspace)
        rows = [
            {"key": p.key, "name": p.spec.get("name", {}), "triggers": p.spec.get("triggers", {})}
            for p in list_playbooks(session, workspace=ws)
        ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo(
            f"No playbook in workspace {workspace!r}: add playbooks/<key>.yaml and apply the workspace."
        )
    for row in rows:
        name = row["name"].get("en") or row["key"]
        typer.echo(f"{row['key']:<26} {name}")


@app.command("show")
def show_command(
    key: str = typer.Argument(..., help="Playbook key."), workspace: str = WS, as_json: bool = JSON
) -> None:
    """Show one playbook: steps, templates, who to involve, linked library entries."""
    with workspace_transaction(workspace) as (session, ws):
        playbook = get_playbook(session, workspace=ws, key=key)
        entries: list[LibraryEntry] = entries_for_playbook(session, workspace=ws, playbook_key=key)
        data = {**playbook.spec, "library": [{"id": e.id, "title": e.title} for e in entries]}
    if as_json:
        print_json(data)
        return
    typer.echo(f"{key}: {data.get('name', {}).get('en', key)}")
    for index, step in enumerate(data.get("steps", []), start=1):
        typer.echo(f"  {index}. {step.get('en') or step.get('fr')}")
    typer.echo(f"  involve: {', '.join(data.get('involve', [])) or '-'}")
    for entry in data["library"]:
        typer.echo(f"  library #{entry['id']}: {entry['title']}")


def _print_suggestions(facts: MessageFacts, suggestions: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print_json({"facts": facts.__dict__, "suggestions": suggestions})
        return
    if not suggestions:
        typer.echo("No playbook matches this message.")
    for s in suggestions:
        typer.echo(f"{s['key']:<26} {s['score']:>6.2f}  {'; '.join(s['reasons'])}")


@app.command("suggest")
def suggest_command(
    text: str | None = typer.Argument(None, help="Text of a message (else --message)."),
    message: int | None = typer.Option(None, "--message", "-m", help="Id of a stored, analysed message."),
    case: int | None = typer.Option(None, "--case", "-c", help="Id of a case (its messages, analysed)."),
    workspace: str = WS,
    author_type: str = typer.Option("unknown", "--author-type", help="For TEXT: " + ", ".join(AUTHOR_TYPES)),
    grade: str | None = typer.Option(
        None, "--grade", help="For TEXT: crisis grade (default: the current one)."
    ),
    limit: int = typer.Option(3, "--limit", min=1, help="How many playbooks to show."),
    as_json: bool = JSON,
) -> None:
    """Rank the playbooks that fit a message, with the reasons."""
    if sum(x is not None for x in (text, message, case)) != 1:
        fail("give exactly one of: a case id (--case ID), a message id (--message ID), the TEXT of a message")
    if author_type not in AUTHOR_TYPES:
        fail(f"--author-type must be one of {', '.join(AUTHOR_TYPES)}")
    if grade is not None and grade not in GRADES:
        fail(f"--grade must be one of {', '.join(GRADES)}")
    with workspace_transaction(workspace) as (session, ws):
        if case is not None:
            facts, found, _ = suggest_for_case(session, workspace=ws, case_id=case, limit=limit)
        elif message is not None:
            facts, found = suggest_for_message(session, workspace=ws, message_id=message, limit=limit)
        else:
            assert text is not None
            analysis = analyse(text, topics=ws.spec.get("topics") or None).to_dict()
            base = facts_from_analysis(analysis, author_type=author_type)
            facts = facts_from_analysis(
                analysis,
                author_type=author_type,
                crisis_grade=grade or current_grade(session, workspace=ws, topics=base.topics),
            )
            found = suggest_for_facts(session, workspace=ws, facts=facts, limit=limit)
    _print_suggestions(facts, [s.to_dict() for s in found], as_json)


@app.command("draft")
def draft_command(
    key: str = typer.Argument(..., help="Playbook key."),
    workspace: str = WS,
    message: int | None = typer.Option(
        None, "--message", "-m", help="Message answered (name, order, language)."
    ),
    case: int | None = typer.Option(
        None, "--case", "-c", help="Case answered (its latest analysed message)."
    ),
    member: str | None = typer.Option(None, "--member", help="Team member key who signs."),
    language: str | None = typer.Option(None, "--language", "-l", help="fr or en (default: the message's)."),
    customer_name: str | None = typer.Option(None, "--customer-name"),
    order_number: str | None = typer.Option(None, "--order-number"),
    as_json: bool = JSON,
) -> None:
    """Pre-fill a reply from a playbook template; lists the variables still missing."""
    if case is not None and message is not None:
        fail("give --case or --message, not both")
    with workspace_transaction(workspace) as (session, ws):
        if case is not None:
            message = case_facts(session, workspace=ws, case_id=case)[1]
        draft = prefill_draft(
            session,
            workspace=ws,
            request=DraftRequest(
                playbook_key=key,
                language=language,
                message_id=message,
                member_key=member,
                customer_name=customer_name,
                order_number=order_number,
            ),
        )
    if as_json:
        print_json(draft.to_dict())
        return
    typer.echo(draft.text)
    if draft.missing:
        typer.echo(f"To complete before sending: {', '.join(draft.missing)}", err=True)
