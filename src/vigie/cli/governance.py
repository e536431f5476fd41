"""`vigie check`, `vigie drafts …`, `vigie approvals …`: check texts, send them through the gate, approve."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer

from vigie.cli.context import CliContext, domain_errors, fail, get_workspace, print_json
from vigie.core.errors import VigieError
from vigie.governance import actions
from vigie.governance.checking import CheckOutcome, GovernanceData, check_for_writer
from vigie.governance.gate import GateResult, NewText, OutgoingKind
from vigie.governance.service import (
    approval_to_dict,
    draft_to_dict,
    drafts_by_id,
    get_draft,
    list_approvals,
    list_drafts,
    load_governance,
)

drafts_app = typer.Typer(help="Outgoing texts: send through the gate, list, show.", no_args_is_help=True)
approvals_app = typer.Typer(
    help="Approve or reject texts beyond their author's mandate.", no_args_is_help=True
)

WORKSPACE = typer.Option(..., "--workspace", "-w", help="Workspace slug.")
AS_JSON = typer.Option(False, "--json", help="Print JSON.")


def _finding_row(finding: dict[str, Any]) -> dict[str, Any]:
    return {k: finding.get(k) for k in ("category", "severity", "start", "end", "message", "amount")}


def _check_result(item_id: Any, outcome: CheckOutcome) -> dict[str, Any]:
    return {
        "id": item_id,
        "verdict": outcome.result.verdict.value,
        "approvers": outcome.result.approvers.to_dict(),
        "findings": [_finding_row(f.to_dict()) for f in outcome.findings],
    }


def _print_outcome(outcome: CheckOutcome) -> None:
    result = outcome.result
    roles = ", ".join(outcome.mandate.roles) or "no active role"
    typer.echo(f"{result.verdict.value}  (as {outcome.writer}: {roles}; lang {outcome.lang})")
    for reason in result.reasons:
        typer.echo(f"  - {reason}")
    if not result.approvers.empty:
        typer.echo(
            f"  approvers: roles {', '.join(result.approvers.roles) or '-'}; "
            f"people {', '.join(result.approvers.members) or '-'}"
        )
    for finding in outcome.findings:
        span = outcome.text[finding.start : finding.end]
        amount = "" if finding.amount is None else f" [{finding.amount.value:g} {finding.amount.unit.value}]"
        typer.echo(
            f"  {finding.category.value:<24} {finding.severity.value:<14} {finding.start}-{finding.end} "
            f"{span!r}{amount}: {finding.message}"
        )
        if finding.suggestion:
            typer.echo(f"      suggestion: {finding.suggestion}")


def _batch(
    path: Path,
    *,
    data: GovernanceData,
    writer: str,
    today: date,
    kind: str,
    channel: str | None,
    lang: str | None,
) -> int:
    """One JSON result per input line, in order; a bad line gets an ``error`` result. Returns errors."""
    errors = 0
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            item_id: Any = None
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise VigieError("each line must be a JSON object with 'id' and 'text'")
                item_id = item.get("id")
                text = item.get("text")
                if not isinstance(text, str):
                    raise VigieError("missing 'text' (a string)")
                outcome = check_for_writer(
                    text,
                    data=data,
                    writer=writer,
                    today=today,
                    kind=kind,
                    lang=item.get("lang") or lang,
                    channel=item.get("channel") or channel,
                    in_reply_to_lang=item.get("in_reply_to_lang"),
                    topics=tuple(item.get("topics") or ()),
                )
                print_json(_check_result(item_id, outcome))
            except (ValueError, VigieError) as error:
                errors += 1
                message = error.message if isinstance(error, VigieError) else f"invalid JSON: {error}"
                print_json({"id": item_id, "line": number, "error": message})
    return errors


def check_command(
    text: str | None = typer.Argument(None, help="The text to check (or use --file)."),
    as_: str = typer.Option(..., "--as", help="Team member key or role key whose mandate applies."),
    workspace: str = WORKSPACE,
    lang: str | None = typer.Option(None, "--lang", help="Language of the text: fr or en."),
    channel: str | None = typer.Option(None, "--channel", help="Channel the text goes to."),
    in_reply_to_lang: str | None = typer.Option(
        None, "--in-reply-to-lang", help="Language of the message answered: fr or en."
    ),
    topic: list[str] = typer.Option([], "--topic", help="Topic of the conversation (repeatable)."),
    kind: OutgoingKind = typer.Option(OutgoingKind.REPLY, "--kind", help="What the text is."),
    file: Path | None = typer.Option(
        None, "--file", help="JSONL file of {id, text, lang?, in_reply_to_lang?}; one JSON result per line."
    ),
    as_json: bool = AS_JSON,
) -> None:
    """Check a text against the charter and the writer's mandate: publish, needs_approval or blocked."""
    if (text is None) == (file is None):
        fail("give either a TEXT argument or --file FILE.jsonl, not both and not neither")
    if file is not None and not file.is_file():
        fail(f"--file {file}: no such file")
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        ws = get_workspace(session, workspace)
        data = load_governance(session, ws)
        today = data.book.today
        if file is not None:
            errors = _batch(
                file, data=data, writer=as_, today=today, kind=kind.value, channel=channel, lang=lang
            )
            if errors:
                typer.echo(f"{errors} line(s) could not be checked; see their 'error' field.", err=True)
                raise typer.Exit(1)
            return
        assert text is not None
        outcome = check_for_writer(
            text,
            data=data,
            writer=as_,
            today=today,
            kind=kind.value,
            lang=lang,
            channel=channel,
            in_reply_to_lang=in_reply_to_lang,
            topics=tuple(topic),
        )
    if as_json:
        result = _check_result(None, outcome)
        result.pop("id")
        result["reasons"] = list(outcome.result.reasons)
        result["lang"] = outcome.lang
        print_json(result)
    else:
        _print_outcome(outcome)


def _gate_output(result: GateResult, as_json: bool) -> None:
    payload = {
        "draft": draft_to_dict(result.draft),
        "approval": None if result.approval is None else approval_to_dict(result.approval),
        "publication": None
        if result.publication is None
        else {
            "id": result.publication.id,
            "channel": result.publication.channel,
            "publisher": result.publication.publisher,
            "external_ref": result.publication.external_ref,
            "audit_seq": result.publication.audit_seq,
        },
    }
    if as_json:
        print_json(payload)
        return
    _print_outcome(result.outcome)
    typer.echo(f"draft #{result.draft.id}: {result.draft.status}")
    if result.approval is not None:
        typer.echo(
            f"approval request #{result.approval.id} sent to: {', '.join(result.approval.approvers['members'])}"
        )
    if result.publication is not None:
        typer.echo(f"published on {result.publication.channel} ({result.publication.external_ref})")


@drafts_app.command("submit")
def submit_command(
    text: str = typer.Argument(..., help="The text to send."),
    as_: str = typer.Option(..., "--as", help="Your team member key."),
    workspace: str = WORKSPACE,
    channel: str = typer.Option(..., "--channel", help="Channel the text goes to."),
    kind: OutgoingKind = typer.Option(OutgoingKind.REPLY, "--kind", help="What the text is."),
    lang: str | None = typer.Option(None, "--lang", help="Language of the text: fr or en."),
    in_reply_to_lang: str | None = typer.Option(None, "--in-reply-to-lang"),
    topic: list[str] = typer.Option([], "--topic", help="Topic of the conversation (repeatable)."),
    case_id: int | None = typer.Option(None, "--case", help="Case the reply belongs to."),
    as_json: bool = AS_JSON,
) -> None:
    """Send a text through the gate: published now, sent for approval, or blocked."""
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        ws = get_workspace(session, workspace)
        result = actions.submit_text(
            session,
            workspace=ws,
            text=NewText(
                kind=kind,
                author=as_,
                channel=channel,
                text=text,
                lang=lang,
                in_reply_to_lang=in_reply_to_lang,
                topics=tuple(topic),
                case_id=case_id,
            ),
        )
        _gate_output(result, as_json)


@drafts_app.command("list")
def drafts_list_command(
    workspace: str = WORKSPACE,
    status: str | None = typer.Option(
        None, "--status", help="pending_approval, published, blocked, rejected."
    ),
    author: str | None = typer.Option(None, "--author"),
    limit: int = typer.Option(50, min=1, max=10_000),
    as_json: bool = AS_JSON,
) -> None:
    """List drafts, newest first."""
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        rows = [
            draft_to_dict(d)
            for d in list_drafts(
                session, get_workspace(session, workspace), status=status, author=author, limit=limit
            )
        ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(
            f"#{row['id']:>5} {row['status']:<17} {row['author']:<10} {row['channel']:<10} {row['text'][:60]!r}"
        )


@drafts_app.command("show")
def drafts_show_command(
    draft_id: int = typer.Argument(..., help="Draft id."), workspace: str = WORKSPACE, as_json: bool = AS_JSON
) -> None:
    """Show one draft with its findings and verdict."""
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        row = draft_to_dict(get_draft(session, get_workspace(session, workspace), draft_id))
    if as_json:
        print_json(row)
        return
    typer.echo(f"draft #{row['id']} by {row['author']} on {row['channel']} ({row['kind']}): {row['status']}")
    typer.echo(row["text"])
    for reason in row["reasons"]:
        typer.echo(f"  - {reason}")
    for finding in row["findings"]:
        typer.echo(
            f"  {finding['category']} {finding['severity']} {finding['start']}-{finding['end']}: {finding['message']}"
        )


@approvals_app.command("list")
def approvals_list_command(
    workspace: str = WORKSPACE,
    for_: str | None = typer.Option(None, "--for", help="Only requests this member may approve."),
    status: str = typer.Option("pending", "--status", help="pending, approved, rejected or all."),
    as_json: bool = AS_JSON,
) -> None:
    """List approval requests, newest first."""
    if status not in ("pending", "approved", "rejected", "all"):
        fail(f"--status {status!r}: use pending, approved, rejected or all")
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        ws = get_workspace(session, workspace)
        approvals = list_approvals(session, ws, status=None if status == "all" else status, approver=for_)
        drafts = drafts_by_id(session, ws, (approval.draft_id for approval in approvals))
        rows = [
            {**approval_to_dict(approval), "draft": draft_to_dict(drafts[approval.draft_id])}
            for approval in approvals
        ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(
            f"#{row['id']:>5} {row['status']:<9} by {row['requested_by']:<10} "
            f"approvers: {', '.join(row['approvers'].get('members', []))}  {row['draft']['text'][:50]!r}"
        )


@approvals_app.command("approve")
def approve_command(
    approval_id: int = typer.Argument(..., help="Approval request id."),
    as_: str = typer.Option(..., "--as", help="Your team member key."),
    workspace: str = WORKSPACE,
    text: str | None = typer.Option(None, "--text", help="Edited text to publish instead (checked again)."),
    comment: str | None = typer.Option(None, "--comment"),
    as_json: bool = AS_JSON,
) -> None:
    """Approve and publish; refused if you wrote the text or your mandate does not cover it."""
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        result = actions.approve(
            session,
            workspace=get_workspace(session, workspace),
            approval_id=approval_id,
            approver=as_,
            edited_text=text,
            comment=comment,
        )
        _gate_output(result, as_json)


@approvals_app.command("reject")
def reject_command(
    approval_id: int = typer.Argument(..., help="Approval request id."),
    as_: str = typer.Option(..., "--as", help="Your team member key."),
    workspace: str = WORKSPACE,
    comment: str = typer.Option(..., "--comment", help="What the author should change."),
    as_json: bool = AS_JSON,
) -> None:
    """Reject a pending text with a comment for its author."""
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        approval = actions.reject(
            session,
            workspace=get_workspace(session, workspace),
            approval_id=approval_id,
            approver=as_,
            comment=comment,
        )
        row = approval_to_dict(approval)
    if as_json:
        print_json(row)
    else:
        typer.echo(f"approval request #{row['id']} rejected by {row['decided_by']}: {row['comment']}")
