"""`vigie crisis …` and `vigie alerts …`: the crisis watch, the escalation ladder and the crisis room."""

from __future__ import annotations

from typing import Any

import typer

from vigie.cli.context import (
    CliContext,
    domain_errors,
    fail,
    get_workspace,
    parse_at,
    print_json,
    workspace_transaction,
)
from vigie.core.clock import utcnow
from vigie.crisis.actions import acknowledge_alert, run_escalations
from vigie.crisis.delivery import deliver_pending
from vigie.crisis.models import Alert, Crisis
from vigie.crisis.room import (
    add_status_update,
    declare_crisis,
    draft_holding_statement,
    remind_due_status_updates,
    resolve_crisis,
    write_post_mortem,
)
from vigie.crisis.runner import escalation_context, replay_workspace
from vigie.crisis.service import (
    alert_notifications,
    build_timeline,
    get_alert,
    get_crisis,
    list_alerts,
    list_crises,
    list_grade_changes,
    list_signals,
    list_situations,
)

app = typer.Typer(help="Crisis watch: signals, grades and the crisis room.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts and the escalation ladder.", no_args_is_help=True)

WS = typer.Option(..., "--workspace", "-w", help="Workspace slug.")
JSON = typer.Option(False, "--json", help="Print JSON.")


def _alert_dict(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "scope": alert.scope,
        "grade": alert.grade,
        "status": alert.status,
        "title": alert.title,
        "opened_at": alert.opened_at.isoformat(),
        "step": alert.step,
        "ack_deadline": None if alert.ack_deadline is None else alert.ack_deadline.isoformat(),
        "acknowledged_by": alert.acknowledged_by,
        "thread_root": alert.data.get("thread_root"),
        "first_complainer": alert.data.get("first_complainer"),
        "driver_message_ids": alert.data.get("driver_message_ids", []),
        "crisis_id": alert.data.get("crisis_id"),
    }


def _crisis_dict(crisis: Crisis) -> dict[str, Any]:
    return {
        "id": crisis.id,
        "title": crisis.title,
        "status": crisis.status,
        "alert_id": crisis.alert_id,
        "declared_at": crisis.declared_at.isoformat(),
        "declared_by": crisis.declared_by,
        "roles": {
            "lead": crisis.lead,
            "spokesperson": crisis.spokesperson,
            "legal": crisis.legal,
            "scribe": crisis.scribe,
        },
        "next_status_update_at": None
        if crisis.next_status_update_at is None
        else crisis.next_status_update_at.isoformat(),
        "resolution": crisis.resolution,
    }


@app.command("watch")
def watch_command(
    workspace: str = WS,
    dry_run: bool = typer.Option(False, "--dry-run", help="Detect and grade only; write nothing."),
    send: bool = typer.Option(
        False, "--send", help="Send the e-mails and webhooks now (SMTP settings, url_env)."
    ),
    from_scratch: bool = typer.Option(
        False,
        "--from-scratch",
        help="Ignore the saved watch state: cold-start and read every stored message again "
        "(signals and grade changes already recorded are not recorded or notified twice).",
    ),
    as_json: bool = JSON,
) -> None:
    """Run the workspace's new messages through the detectors (message time as clock).

    Resumes from the state saved by the previous run (detectors' baselines, last message read) and
    saves it again at the end; the first run, or --from-scratch, starts cold from the first message.
    """
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        get_workspace(session, workspace)
    with domain_errors():
        online = replay_workspace(ctx.session_factory, workspace, record=not dry_run, resume=not from_scratch)
        sent = failed = 0
        if send and not dry_run:
            with ctx.transaction() as session:
                sent, failed = deliver_pending(
                    session, workspace_id=online.workspace.id, settings=ctx.settings
                )
    report = online.report
    resumed = online.resumed_from
    result: dict[str, Any] = {
        "resumed_from": None
        if resumed is None
        else {"at": resumed.at.isoformat(), "message_id": resumed.message_id},
        "restore_problem": online.restore_problem,
        "messages": report.messages,
        "signals": [
            {
                "kind": s.kind.value,
                "scope": s.scope,
                "at": s.at.isoformat(),
                "score": round(s.score, 3),
                "summary": s.summary,
                "message_ids": list(s.message_ids),
            }
            for s in report.signals
        ],
        "grade_changes": [
            {
                "scope": c.scope,
                "at": c.at.isoformat(),
                "from": c.from_grade.label,
                "to": c.to_grade.label,
                "reason": c.reason,
            }
            for c in report.changes
        ],
        "grades": online.watch.grades(),
        "grade_changes_already_recorded": report.changes_already_recorded,
        "alerts": report.recorded.alert_ids,
        "crises_opened": report.crises_opened,
        "notifications_pending": len(online.undelivered) - sent - failed,
        "sent": sent,
        "failed": failed,
    }
    if as_json:
        print_json(result)
        return
    if online.restore_problem:
        typer.echo(f"Saved watch state not used: {online.restore_problem}")
    start = (
        "cold start"
        if resumed is None
        else f"resumed after message #{resumed.message_id} ({resumed.at:%Y-%m-%d %H:%M})"
    )
    typer.echo(
        f"{report.messages} messages watched ({start}); {len(report.signals)} signals; "
        f"{len(report.changes)} grade changes ({report.changes_already_recorded} already recorded)."
    )
    for change in result["grade_changes"]:
        typer.echo(
            f"  {change['at']}  {change['scope']:<16} {change['from']} -> {change['to']}  ({change['reason']})"
        )
    for signal in report.signals[:50]:
        typer.echo(
            f"  signal {signal.kind.value:<15} {signal.scope:<16} {signal.score:.2f}  {signal.summary}"
        )


@app.command("signals")
def signals_command(workspace: str = WS, limit: int = typer.Option(50, min=1), as_json: bool = JSON) -> None:
    """The latest signals, newest first, with what drove them."""
    with workspace_transaction(workspace) as (session, ws):
        rows = [
            {
                "id": s.id,
                "kind": s.kind,
                "scope": s.scope,
                "channel": s.channel,
                "at": s.at.isoformat(),
                "score": s.score,
                "summary": s.summary,
                "message_ids": s.message_ids,
                "details": s.details,
            }
            for s in list_signals(session, ws, limit=limit)
        ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(
            f"#{row['id']:<5} {row['at']}  {row['kind']:<15} {row['scope']:<16} {row['score']:.2f}  {row['summary']}"
        )


@app.command("grades")
def grades_command(workspace: str = WS, limit: int = typer.Option(50, min=1), as_json: bool = JSON) -> None:
    """Current grade per scope and the history of grade changes."""
    with workspace_transaction(workspace) as (session, ws):
        result: dict[str, Any] = {
            "situations": {
                s.scope: {"grade": s.grade, "since": s.since.isoformat()}
                for s in list_situations(session, ws)
            },
            "changes": [
                {
                    "id": c.id,
                    "scope": c.scope,
                    "from": c.from_grade,
                    "to": c.to_grade,
                    "at": c.at.isoformat(),
                    "reason": c.reason,
                    "signal_ids": c.signal_ids,
                    "alert_id": c.alert_id,
                    "trigger_message_id": c.trigger_message_id,
                }
                for c in list_grade_changes(session, ws, limit=limit)
            ],
        }
    if as_json:
        print_json(result)
        return
    for scope, info in result["situations"].items():
        typer.echo(f"{scope:<16} {info['grade']:<8} since {info['since']}")
    for c in result["changes"]:
        typer.echo(f"  {c['at']}  {c['scope']:<16} {c['from']} -> {c['to']}  signals {c['signal_ids']}")


@alerts_app.command("list")
def alerts_list_command(
    workspace: str = WS, open_only: bool = typer.Option(False, "--open"), as_json: bool = JSON
) -> None:
    """Alerts, newest first."""
    with workspace_transaction(workspace) as (session, ws):
        rows = [_alert_dict(a) for a in list_alerts(session, ws, include_closed=not open_only)]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(
            f"#{row['id']:<4} {row['grade']:<7} {row['status']:<12} step {row['step'] or '-':<14} {row['title']}"
        )


@alerts_app.command("show")
def alerts_show_command(
    alert_id: int = typer.Argument(...), workspace: str = WS, as_json: bool = JSON
) -> None:
    """One alert with everyone who was told, how and when."""
    with workspace_transaction(workspace) as (session, ws):
        alert = get_alert(session, ws, alert_id)
        result = _alert_dict(alert)
        result["summary"] = alert.summary
        result["notifications"] = [
            {
                "id": n.id,
                "at": n.created_at.isoformat(),
                "grade": n.grade,
                "step": n.step,
                "recipient": n.recipient,
                "via": n.via,
                "status": n.status,
                "error": n.error,
            }
            for n in alert_notifications(session, alert)
        ]
    if as_json:
        print_json(result)
        return
    typer.echo(
        f"Alert #{result['id']} [{result['grade']}, {result['status']}] {result['title']}\n{result['summary']}"
    )
    for n in result["notifications"]:
        typer.echo(
            f"  {n['at']}  {n['grade']:<7} {n['step'] or '-':<14} {n['recipient']:<20} {n['via']:<8} {n['status']}"
        )


@alerts_app.command("ack")
def alerts_ack_command(
    alert_id: int = typer.Argument(...),
    workspace: str = WS,
    member: str = typer.Option(..., "--member", "-m", help="Team member key acknowledging."),
    note: str | None = typer.Option(None, "--note"),
    at: str | None = typer.Option(None, "--at", help="ISO time (default: now)."),
    as_json: bool = JSON,
) -> None:
    """Acknowledge an alert: the ladder stops at this grade."""
    with workspace_transaction(workspace) as (session, ws):
        alert = get_alert(session, ws, alert_id)
        acknowledge_alert(session, ws, alert, member_key=member, now=parse_at(at), note=note)
        result = _alert_dict(alert)
    if as_json:
        print_json(result)
    else:
        typer.echo(f"Alert #{alert_id} acknowledged by {member} at grade {result['grade']}.")


@alerts_app.command("tick")
def alerts_tick_command(
    workspace: str = WS,
    at: str | None = typer.Option(None, "--at", help="ISO time to run the tick at (default: now)."),
    send: bool = typer.Option(True, "--send/--no-send", help="Send pending e-mails and webhooks."),
    as_json: bool = JSON,
) -> None:
    """Run the escalation tick: unacknowledged alerts move to the next step; status updates due are reminded."""
    ctx = CliContext()
    now = parse_at(at)
    with domain_errors(), ctx.transaction() as session:
        ws = get_workspace(session, workspace)
        context = escalation_context(session, ws)
        result = run_escalations(session, ws, context=context, now=now)
        reminders = remind_due_status_updates(session, ws, context=context, now=now)
        out = {**result.to_dict(), "status_reminders": len(reminders)}
        workspace_id = ws.id
    if send:
        with domain_errors(), ctx.transaction() as session:
            out["sent"], out["failed"] = deliver_pending(
                session, workspace_id=workspace_id, settings=ctx.settings
            )
    if as_json:
        print_json(out)
        return
    for e in out["escalated"]:
        typer.echo(f"Alert #{e['alert_id']}: nobody acknowledged; {e['from_step']} -> {e['to_step']}.")
    typer.echo(
        f"{len(out['escalated'])} escalated, {len(out['exhausted'])} with no next step, "
        f"{out['status_reminders']} status reminders."
    )


@app.command("declare")
def declare_command(
    workspace: str = WS,
    alert_id: int | None = typer.Option(None, "--alert", help="Alert to declare a crisis."),
    title: str | None = typer.Option(None, "--title"),
    by: str = typer.Option(..., "--by", help="Who declares (member key)."),
    role: list[str] = typer.Option(
        [], "--role", help="ROOM_ROLE=MEMBER (lead, spokesperson, legal, scribe)."
    ),
    every: int = typer.Option(60, "--status-every", min=1, help="Minutes between status updates."),
    as_json: bool = JSON,
) -> None:
    """Open a crisis room (from an alert, or alone with --title)."""
    roles: dict[str, str] = {}
    for item in role:
        key, sep, value = item.partition("=")
        if not sep or not value:
            fail(f"--role {item!r}: write ROOM_ROLE=MEMBER, e.g. --role spokesperson=marc")
        roles[key] = value
    with workspace_transaction(workspace) as (session, ws):
        context = escalation_context(session, ws)
        alert = None if alert_id is None else get_alert(session, ws, alert_id)
        outcome = declare_crisis(
            session,
            ws,
            context=context,
            declared_by=by,
            now=utcnow(),
            alert=alert,
            title=title,
            roles=roles,
            status_update_minutes=every,
        )
        result = _crisis_dict(outcome.crisis)
    if as_json:
        print_json(result)
    else:
        typer.echo(f"Crisis #{result['id']} open: {result['title']} (roles {result['roles']}).")


@app.command("list")
def list_command(workspace: str = WS, as_json: bool = JSON) -> None:
    """Crisis rooms, newest first."""
    with workspace_transaction(workspace) as (session, ws):
        rows = [_crisis_dict(c) for c in list_crises(session, ws)]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(f"#{row['id']:<4} {row['status']:<9} {row['title']}")


@app.command("timeline")
def timeline_command(crisis_id: int = typer.Argument(...), workspace: str = WS, as_json: bool = JSON) -> None:
    """The room's timeline: signals, messages, grades, notifications, acknowledgements, actions."""
    with workspace_transaction(workspace) as (session, ws):
        crisis = get_crisis(session, ws, crisis_id)
        entries = [e.to_dict() for e in build_timeline(session, crisis)]
    if as_json:
        print_json(entries)
        return
    for e in entries:
        typer.echo(f"{e['at']}  {e['kind']:<24} {e['summary']}")


@app.command("statement")
def statement_command(
    crisis_id: int = typer.Argument(...),
    workspace: str = WS,
    author: str = typer.Option(..., "--author", help="Member key of the author."),
    channel: str = typer.Option(..., "--channel"),
    lang: str = typer.Option("fr", "--lang"),
    text: str | None = typer.Option(None, "--text", help="Own text instead of the playbook template."),
    playbook: str = typer.Option("crisis-holding-statement", "--playbook"),
    as_json: bool = JSON,
) -> None:
    """Draft a holding statement from the playbook; it goes through the governance gate."""
    with workspace_transaction(workspace) as (session, ws):
        crisis = get_crisis(session, ws, crisis_id)
        statement = draft_holding_statement(
            session,
            ws,
            crisis,
            context=escalation_context(session, ws),
            author=author,
            channel=channel,
            language=lang,
            now=utcnow(),
            text=text,
            playbook_key=playbook,
        )
        result = {
            "id": statement.id,
            "status": statement.status,
            "text": statement.text,
            "verdict": statement.verdict,
        }
    if as_json:
        print_json(result)
    else:
        typer.echo(f"Holding statement #{result['id']}: {result['status']}\n{result['text']}")


@app.command("update")
def update_command(
    crisis_id: int = typer.Argument(...),
    workspace: str = WS,
    author: str = typer.Option(..., "--author"),
    text: str = typer.Option(..., "--text"),
    as_json: bool = JSON,
) -> None:
    """Send a status update to management and schedule the next one."""
    with workspace_transaction(workspace) as (session, ws):
        crisis = get_crisis(session, ws, crisis_id)
        update, _ = add_status_update(
            session,
            ws,
            crisis,
            context=escalation_context(session, ws),
            author=author,
            text=text,
            now=utcnow(),
        )
        result = {
            "id": update.id,
            "recipients": update.recipients,
            "next_due": _crisis_dict(crisis)["next_status_update_at"],
        }
    if as_json:
        print_json(result)
    else:
        typer.echo(f"Status update sent to {', '.join(result['recipients'])}; next due {result['next_due']}.")


@app.command("resolve")
def resolve_command(
    crisis_id: int = typer.Argument(...),
    workspace: str = WS,
    by: str = typer.Option(..., "--by"),
    resolution: str = typer.Option(..., "--resolution"),
    as_json: bool = JSON,
) -> None:
    """Close the crisis room with how it was resolved."""
    with workspace_transaction(workspace) as (session, ws):
        result = _crisis_dict(
            resolve_crisis(
                session, ws, get_crisis(session, ws, crisis_id), by=by, resolution=resolution, now=utcnow()
            )
        )
    if as_json:
        print_json(result)
    else:
        typer.echo(f"Crisis #{crisis_id} resolved.")


@app.command("postmortem")
def postmortem_command(
    crisis_id: int = typer.Argument(...),
    workspace: str = WS,
    author: str = typer.Option(..., "--author"),
    summary: str = typer.Option(..., "--summary"),
    lesson: list[str] = typer.Option(..., "--lesson", help="One lesson; repeat for several."),
    lang: str = typer.Option("fr", "--lang"),
    title: str | None = typer.Option(None, "--title"),
    tag: list[str] = typer.Option([], "--tag"),
    as_json: bool = JSON,
) -> None:
    """Write the post-mortem of a resolved crisis (an entry of the case library)."""
    with workspace_transaction(workspace) as (session, ws):
        row = write_post_mortem(
            session,
            ws,
            get_crisis(session, ws, crisis_id),
            author=author,
            summary=summary,
            lessons=lesson,
            language=lang,
            now=utcnow(),
            title=title,
            tags=tag,
        )
        result = {"id": row.id, "title": row.title, "tags": row.tags, "lessons": row.lessons}
    if as_json:
        print_json(result)
    else:
        typer.echo(f"Post-mortem #{result['id']} written: {result['title']}")
