"""`vigie analyze` (analyse texts) and `vigie analysis …` (analyse stored messages, correct analyses)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from vigie.analysis import hooks as analysis_hooks
from vigie.analysis.actions import analyse_pending, emerging_for_workspace, pipeline_for, record_correction
from vigie.analysis.pipeline import Pipeline, TextItem
from vigie.analysis.schemas import Analysis, AuthorContext
from vigie.cli.context import CliContext, domain_errors, fail, get_workspace, print_json

app = typer.Typer(help="Analysis of stored messages and corrections.", no_args_is_help=True)

# Every ingest run started from this CLI analyses what it stores.
analysis_hooks.register()


def _author(value: Any, where: str) -> AuthorContext | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        fail(f'{where}: \'author\' must be an object such as {{"handle": "@ana", "followers": 120}}.')
    followers = value.get("followers")
    if followers is not None and (not isinstance(followers, int) or followers < 0):
        fail(f"{where}: author.followers must be a whole number >= 0, got {followers!r}.")
    raw_history = value.get("history")
    history: dict[str, Any] = raw_history if isinstance(raw_history, dict) else {}
    labels = value.get("labels") or history.get("labels") or []
    if not isinstance(labels, list):
        fail(f'{where}: author.labels must be a list such as ["journalist"].')
    return AuthorContext.from_history(
        handle=str(value.get("handle") or "") or None,
        followers=followers,
        history={**history, "labels": labels},
    )


def _read_file(path: Path) -> list[tuple[Any, TextItem]]:
    if not path.is_file():
        fail(f"File '{path}' does not exist; give a JSONL file with one {{\"text\": ...}} object per line.")
    items: list[tuple[Any, TextItem]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                fail(f"{where}: not valid JSON ({error.msg}); each line must be one JSON object.")
            if not isinstance(record, dict):
                fail(f"{where}: expected a JSON object with a 'text' field.")
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                fail(f"{where}: 'text' is missing or empty; give the message text as a string.")
            lang = record.get("lang")
            if lang is not None and not isinstance(lang, str):
                fail(f"{where}: 'lang' must be a language code such as \"fr\".")
            items.append((record.get("id"), TextItem(text, lang, _author(record.get("author"), where))))
    return items


def _summary(analysis: Analysis) -> str:
    parts = [
        analysis.language.code,
        analysis.sentiment.label,
        f"intents={','.join(analysis.intents.labels) or '-'}",
        f"toxicity={analysis.toxicity.score:.2f}{'(' + ','.join(analysis.toxicity.kinds) + ')' if analysis.toxicity.kinds else ''}",
        f"topics={','.join(analysis.topics.keys) or '-'}",
        f"pii={','.join(analysis.pii.kinds) or '-'}",
        f"priority={analysis.priority.level}({analysis.priority.score:.0f})",
    ]
    return "  ".join(parts)


def analyze_command(
    text: str | None = typer.Argument(None, help="The text to analyse (or use --file)."),
    file: Path | None = typer.Option(
        None, "--file", "-f", help="JSONL file: one {text, id?, lang?, author?} per line."
    ),
    workspace: str | None = typer.Option(
        None, "--workspace", "-w", help="Use this workspace's topics and analysers (from the database)."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per text, in order."),
) -> None:
    """Analyse texts: language, sentiment, toxicity, intents, topics, personal data, priority."""
    if (text is None) == (file is None):
        fail("Give either a TEXT argument or --file FILE.jsonl (not both).")
    items: list[tuple[Any, TextItem]] = (
        _read_file(file) if file is not None else [(None, TextItem(text or ""))]
    )
    if file is None and not (text or "").strip():
        fail("The text is empty; give the message to analyse.")
    with domain_errors():
        if workspace is not None:
            ctx = CliContext()
            with ctx.transaction() as session:
                pipeline = pipeline_for(get_workspace(session, workspace))
        else:
            pipeline = Pipeline.build()
        analyses = pipeline.analyse_batch([item for _, item in items])
    for (record_id, _), analysis in zip(items, analyses, strict=True):
        if as_json:
            data = analysis.to_dict()
            if record_id is not None:
                data = {"id": record_id, **data}
            print_json(data)
        else:
            prefix = f"[{record_id}] " if record_id is not None else ""
            typer.echo(prefix + _summary(analysis))
            for reason in analysis.priority.reasons:
                typer.echo(f"    - {reason}")


@app.command("run")
def run_command(
    workspace: str = typer.Option(..., "--workspace", "-w", help="Workspace slug."),
    limit: int | None = typer.Option(None, min=1, help="Analyse at most this many messages."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Analyse the workspace's stored messages that have no analysis yet."""
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        summary = analyse_pending(session=session, workspace=get_workspace(session, workspace), limit=limit)
    if as_json:
        print_json(summary.to_dict())
    else:
        typer.echo(f"Analysed {summary.analysed} messages; {summary.authors_updated} authors updated.")


@app.command("correct")
def correct_command(
    message_id: int = typer.Argument(..., help="Id of the stored message."),
    task: str = typer.Option(..., "--task", help="sentiment, toxicity or complaint."),
    label: str = typer.Option(..., "--label", help="The right label, e.g. negative, toxic, complaint."),
    workspace: str = typer.Option(..., "--workspace", "-w", help="Workspace slug."),
    by: str = typer.Option(..., "--by", help="Who makes the correction."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Correct one task of a message's analysis; the next training of the workspace's model uses it."""
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        correction = record_correction(
            session=session,
            workspace=get_workspace(session, workspace),
            message_id=message_id,
            task=task,
            label=label,
            corrected_by=by,
        )
        data = {
            "id": correction.id,
            "message_id": correction.message_id,
            "task": correction.task,
            "label": correction.label,
            "previous_label": correction.previous_label,
            "corrected_by": correction.corrected_by,
            "created_at": correction.created_at.isoformat(),
        }
    if as_json:
        print_json(data)
    else:
        typer.echo(
            f"Correction #{data['id']} stored: message {message_id} {task} = {data['label']} "
            f"(was {data['previous_label'] or 'unknown'}), by {data['corrected_by']}."
        )


@app.command("emerging")
def emerging_command(
    workspace: str = typer.Option(..., "--workspace", "-w", help="Workspace slug."),
    hours: float = typer.Option(24.0, "--hours", min=0.01, help="Recent window, in hours."),
    baseline_hours: float = typer.Option(
        168.0, "--baseline-hours", min=0, help="Period before it to compare with."
    ),
    min_messages: int = typer.Option(3, "--min-messages", min=1),
    limit: int = typer.Option(10, "--limit", min=1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Frequent new terms in recent messages that match no workspace topic."""
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        terms = emerging_for_workspace(
            session=session,
            workspace=get_workspace(session, workspace),
            window_hours=hours,
            baseline_hours=baseline_hours,
            min_messages=min_messages,
            limit=limit,
        )
    if as_json:
        print_json([t.to_dict() for t in terms])
        return
    if not terms:
        typer.echo("No emerging term.")
    for term in terms:
        lift = "" if term.lift is None else f", x{term.lift:.1f} vs before"
        typer.echo(f"{term.term}: {term.messages} messages ({term.share:.1%}{lift})")
