"""`vigie cases …`: the inbox from the command line (list, show, assign, route, hand back, status,
merge, split, SLA check, file unfiled messages)."""

from __future__ import annotations

import getpass
from typing import Any

import typer

from vigie.cases import hooks as cases_hooks
from vigie.cases.actions import (
    assign_by_key,
    check_sla,
    file_messages,
    handback,
    merge_cases,
    set_status,
    split_case,
)
from vigie.cases.service import (
    CaseFilters,
    case_events,
    case_messages,
    case_to_dict,
    event_to_dict,
    get_case,
    list_cases,
    member_keys,
    unfiled_message_ids,
)
from vigie.cli.context import (
    parse_at,
    print_json,
    workspace_transaction,
)
from vigie.routing.actions import route_case

app = typer.Typer(help="The inbox: cases, routing, hand-backs, SLA.", no_args_is_help=True)

# Every ingest run started from this CLI analyses what it stores, then files it into cases.
cases_hooks.register()

WS = typer.Option(..., "--workspace", "-w", help="Workspace slug.")
JSON = typer.Option(False, "--json", help="Print JSON.")
ACTOR = typer.Option(None, "--actor", help="Who does it (default: $USER).")
AT = typer.Option(
    None, "--at", help="ISO date-time to act at (default: now), e.g. 2026-11-20T09:00:00+00:00."
)


def _actor(value: str | None) -> str:
    return value or getpass.getuser()


def _line(case: dict[str, Any]) -> str:
    due = case["sla_due_at"] or "-"
    return (
        f"#{case['id']:<5} {case['status']:<9} {case['priority']:<7} {case['assignee'] or '-':<10} "
        f"due {due}  topics={','.join(case['topics']) or '-'} intents={','.join(case['intents']) or '-'}"
    )


@app.command("list")
def list_command(
    workspace: str = WS,
    status: list[str] = typer.Option(
        [], "--status", help="new, assigned, waiting, answered, closed or open."
    ),
    assignee: str | None = typer.Option(None, "--assignee", help="Member key, or 'none' for unassigned."),
    min_priority: str | None = typer.Option(None, "--min-priority", help="low, normal, high or urgent."),
    topic: str | None = typer.Option(None, "--topic", help="Topic key."),
    overdue: bool = typer.Option(False, "--overdue", help="Only open cases past their SLA deadline."),
    limit: int = typer.Option(50, "--limit"),
    at: str | None = AT,
    as_json: bool = JSON,
) -> None:
    """The cases, most urgent first."""
    with workspace_transaction(workspace) as (session, ws):
        filters = CaseFilters(
            statuses=status,
            assignee_key=assignee,
            min_priority=min_priority,
            topic=topic,
            overdue_at=parse_at(at) if overdue else None,
            limit=limit,
        )
        keys = member_keys(session, ws)
        rows = [case_to_dict(c, keys) for c in list_cases(session, ws, filters)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo("No case matches.")
    for row in rows:
        typer.echo(_line(row))


@app.command("show")
def show_command(case_id: int, workspace: str = WS, as_json: bool = JSON) -> None:
    """One case: its messages, why it went to its assignee, its history."""
    with workspace_transaction(workspace) as (session, ws):
        keys = member_keys(session, ws)
        case = case_to_dict(get_case(session, ws, case_id), keys)
        case["messages"] = [
            {"id": m.id, "external_id": m.external_id, "created_at": m.created_at.isoformat(), "text": m.text}
            for m in case_messages(session, ws, case_id)
        ]
        case["events"] = [event_to_dict(e, keys) for e in case_events(session, ws, case_id)]
    if as_json:
        print_json(case)
        return
    typer.echo(_line(case))
    for reason in case["priority_reasons"]:
        typer.echo(f"  priority: {reason}")
    routing = case.get("routing") or {}
    if routing.get("why"):
        typer.echo(f"  why {case['assignee']}: {routing['why']['en']}")
        typer.echo(f"  pourquoi {case['assignee']} : {routing['why']['fr']}")
    typer.echo("Messages:")
    for m in case["messages"]:
        typer.echo(f"  [{m['id']}] {m['created_at']}  {m['text']}")
    typer.echo("History:")
    for e in case["events"]:
        typer.echo(
            f"  {e['created_at']}  {e['kind']:<14} {e['actor']:<10} {e.get('member') or ''} {e['data']}"
        )


def _print_case(case: dict[str, Any], as_json: bool, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        print_json({**case, **(extra or {})})
    else:
        typer.echo(_line(case))
        routing = case.get("routing") or {}
        if routing.get("why"):
            typer.echo(f"  why: {routing['why']['en']}")
            typer.echo(f"  pourquoi : {routing['why']['fr']}")


@app.command("assign")
def assign_command(
    case_id: int, member: str, workspace: str = WS, actor: str | None = ACTOR, as_json: bool = JSON
) -> None:
    """Give a case to a member by hand."""
    with workspace_transaction(workspace) as (session, ws):
        case = assign_by_key(session, workspace=ws, case_id=case_id, member_key=member, actor=_actor(actor))
        out = case_to_dict(case, member_keys(session, ws))
    _print_case(out, as_json)


@app.command("route")
def route_command(
    case_id: int,
    workspace: str = WS,
    dry_run: bool = typer.Option(False, "--dry-run", help="Explain the choice without assigning."),
    at: str | None = AT,
    actor: str | None = ACTOR,
    as_json: bool = JSON,
) -> None:
    """Choose the most competent available member within mandate, and say why."""
    with workspace_transaction(workspace) as (session, ws):
        case = get_case(session, ws, case_id)
        assignment = route_case(
            session, workspace=ws, case=case, now=parse_at(at), actor=_actor(actor), apply=not dry_run
        )
        result = assignment.to_dict()
    if as_json:
        print_json({"case": case_id, "applied": not dry_run, **result})
        return
    if assignment.member_key is None:
        typer.echo(f"Case {case_id}: nobody can take it ({assignment.explain('en')}).")
        raise typer.Exit(1)
    typer.echo(f"Case {case_id} -> {assignment.member_key}{' (dry run)' if dry_run else ''}")
    typer.echo(f"  why: {assignment.explain('en')}")
    typer.echo(f"  pourquoi : {assignment.explain('fr')}")
    for runner_up in result["runners_up"]:
        typer.echo(f"  next: {runner_up['member']} (score {runner_up['score']})")


@app.command("handback")
def handback_command(
    case_id: int,
    member: str = typer.Option(..., "--member", "-m", help="The assignee handing the case back."),
    reason: str = typer.Option(..., "--reason", "-r", help="Why (learnt by routing)."),
    workspace: str = WS,
    at: str | None = AT,
    as_json: bool = JSON,
) -> None:
    """Hand a case back with a reason; it is routed again, and routing learns from it."""
    with workspace_transaction(workspace) as (session, ws):
        case, assignment = handback(
            session, workspace=ws, case_id=case_id, member_key=member, reason=reason, now=parse_at(at)
        )
        out = case_to_dict(case, member_keys(session, ws))
    _print_case(out, as_json, {"rerouted_to": assignment.member_key if assignment else None})


@app.command("status")
def status_command(
    case_id: int,
    status: str = typer.Argument(..., help="new, assigned, waiting, answered or closed."),
    workspace: str = WS,
    actor: str | None = ACTOR,
    at: str | None = AT,
    as_json: bool = JSON,
) -> None:
    """Move a case to another status (allowed transitions only)."""
    with workspace_transaction(workspace) as (session, ws):
        case = set_status(
            session, workspace=ws, case_id=case_id, status=status, actor=_actor(actor), now=parse_at(at)
        )
        out = case_to_dict(case, member_keys(session, ws))
    _print_case(out, as_json)


@app.command("merge")
def merge_command(
    target: int = typer.Argument(..., help="The case that keeps the messages."),
    source: int = typer.Argument(..., help="The case merged into TARGET (closed)."),
    workspace: str = WS,
    actor: str | None = ACTOR,
    as_json: bool = JSON,
) -> None:
    """Merge SOURCE into TARGET."""
    with workspace_transaction(workspace) as (session, ws):
        case = merge_cases(session, workspace=ws, target_id=target, source_id=source, actor=_actor(actor))
        out = case_to_dict(case, member_keys(session, ws))
    _print_case(out, as_json)


@app.command("split")
def split_command(
    case_id: int,
    message: list[int] = typer.Option(..., "--message", help="Message id to move to the new case (repeat)."),
    workspace: str = WS,
    actor: str | None = ACTOR,
    as_json: bool = JSON,
) -> None:
    """Move some messages of a case into a new case (routed like a new one)."""
    with workspace_transaction(workspace) as (session, ws):
        case = split_case(session, workspace=ws, case_id=case_id, message_ids=message, actor=_actor(actor))
        out = case_to_dict(case, member_keys(session, ws))
    _print_case(out, as_json)


@app.command("sla-check")
def sla_check_command(workspace: str = WS, at: str | None = AT, as_json: bool = JSON) -> None:
    """Escalate the open cases past their first-response deadline (once each), to the SLA's role."""
    with workspace_transaction(workspace) as (session, ws):
        keys = member_keys(session, ws)
        escalated = [
            case_to_dict(c, keys) | {"escalated_to": c.data.get("escalated_to")}
            for c in check_sla(session, workspace=ws, now=parse_at(at))
        ]
    if as_json:
        print_json(escalated)
        return
    if not escalated:
        typer.echo("No case past its deadline.")
    for case in escalated:
        typer.echo(f"escalated: {_line(case)} -> {case['escalated_to'] or 'nobody (no escalate_to)'}")


@app.command("file")
def file_command(workspace: str = WS, at: str | None = AT, as_json: bool = JSON) -> None:
    """File analysed messages that belong to no case yet (catch-up after a failed hook) and route them."""
    with workspace_transaction(workspace) as (session, ws):
        ids = unfiled_message_ids(session, ws)
        cases = file_messages(session, workspace=ws, message_ids=ids, now=parse_at(at))
        out = {"messages": len(ids), "cases": len(cases)}
    if as_json:
        print_json(out)
    else:
        typer.echo(f"Filed {out['messages']} messages into {out['cases']} cases.")
