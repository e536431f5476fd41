"""`vigie library …`: the case library (post-mortems and cases marked as lessons), searchable fr/en."""

from __future__ import annotations

import typer

from vigie.cli.context import print_json, workspace_transaction
from vigie.library import service
from vigie.library.models import LibraryEntry

app = typer.Typer(
    help="Case library: lessons from post-mortems and cases, full-text search.", no_args_is_help=True
)

WS = typer.Option(..., "--workspace", "-w", help="Workspace slug.")
JSON = typer.Option(False, "--json", help="Print JSON.")
BY = typer.Option(..., "--by", help="Who records it (team member key or user).")


def _line(entry: LibraryEntry) -> str:
    return f"#{entry.id:<5} [{entry.language}] {entry.title}  ({entry.source_kind})"


@app.command("add")
def add_command(
    workspace: str = WS,
    title: str = typer.Option(..., "--title"),
    summary: str = typer.Option(..., "--summary", help="What happened."),
    lesson: list[str] = typer.Option(..., "--lesson", help="A lesson (repeatable)."),
    language: str = typer.Option(..., "--language", "-l", help="fr or en."),
    tag: list[str] = typer.Option([], "--tag", help="A tag (repeatable); links playbooks by library_tags."),
    playbook: list[str] = typer.Option([], "--playbook", help="A playbook key to link (repeatable)."),
    by: str = BY,
    as_json: bool = JSON,
) -> None:
    """Write a library entry by hand."""
    with workspace_transaction(workspace) as (session, ws):
        entry = service.add_entry(
            session,
            workspace=ws,
            title=title,
            summary=summary,
            lessons=lesson,
            language=language,
            tags=tag,
            playbook_keys=playbook,
            by=by,
        )
        data = service.entry_dict(entry)
    print_json(data) if as_json else typer.echo(f"Added library entry #{data['id']}.")


@app.command("mark-lesson")
def mark_lesson_command(
    case_id: int = typer.Argument(..., help="Case id."),
    workspace: str = WS,
    lesson: list[str] = typer.Option(..., "--lesson", help="A lesson (repeatable)."),
    title: str | None = typer.Option(None, "--title"),
    summary: str | None = typer.Option(None, "--summary", help="Default: the case's messages."),
    language: str | None = typer.Option(None, "--language", "-l", help="fr or en (default: the case's)."),
    tag: list[str] = typer.Option([], "--tag"),
    playbook: list[str] = typer.Option([], "--playbook"),
    by: str = BY,
    as_json: bool = JSON,
) -> None:
    """Mark a case as a lesson: it becomes a library entry."""
    with workspace_transaction(workspace) as (session, ws):
        entry = service.mark_case_as_lesson(
            session,
            workspace=ws,
            case_id=case_id,
            by=by,
            lessons=lesson,
            title=title,
            summary=summary,
            language=language,
            tags=tag,
            playbook_keys=playbook,
        )
        data = service.entry_dict(entry)
    print_json(data) if as_json else typer.echo(f"Case #{case_id} is library entry #{data['id']}.")


@app.command("sync")
def sync_command(workspace: str = WS, as_json: bool = JSON) -> None:
    """Bring every crisis post-mortem not yet in the library into it."""
    with workspace_transaction(workspace) as (session, ws):
        created = [service.entry_dict(e) for e in service.index_post_mortems(session, workspace=ws)]
    if as_json:
        print_json(created)
        return
    typer.echo(f"{len(created)} post-mortem(s) added to the library.")


@app.command("search")
def search_command(
    query: str = typer.Argument(..., help="Words to find (French or English; inflections match)."),
    workspace: str = WS,
    any_word: bool = typer.Option(False, "--any", help="Match any word instead of all words."),
    limit: int = typer.Option(10, "--limit", min=1),
    as_json: bool = JSON,
) -> None:
    """Full-text search of the library, best first."""
    with workspace_transaction(workspace) as (session, ws):
        results = service.search(session, workspace=ws, query=query, limit=limit, match_all=not any_word)
        data = [r.to_dict() for r in results]
        lines = [_line(r.entry) for r in results]
    if as_json:
        print_json(data)
        return
    typer.echo("\n".join(lines) if lines else "Nothing found.")


@app.command("show")
def show_command(entry_id: int = typer.Argument(...), workspace: str = WS, as_json: bool = JSON) -> None:
    """Show one library entry."""
    with workspace_transaction(workspace) as (session, ws):
        data = service.entry_dict(service.get_entry(session, workspace=ws, entry_id=entry_id))
    if as_json:
        print_json(data)
        return
    typer.echo(f"#{data['id']} {data['title']} [{data['language']}]")
    typer.echo(data["summary"])
    for lesson in data["lessons"]:
        typer.echo(f"  - {lesson}")
    typer.echo(f"tags: {', '.join(data['tags'])}; playbooks: {', '.join(data['playbooks']) or '-'}")


@app.command("suggest")
def suggest_command(
    case_id: int = typer.Option(..., "--case", help="Case id."),
    workspace: str = WS,
    limit: int = typer.Option(3, "--limit", min=1),
    as_json: bool = JSON,
) -> None:
    """Library entries similar to a case."""
    with workspace_transaction(workspace) as (session, ws):
        results = service.suggest_for_case(session, workspace=ws, case_id=case_id, limit=limit)
        data = [r.to_dict() for r in results]
        lines = [_line(r.entry) for r in results]
    if as_json:
        print_json(data)
        return
    typer.echo("\n".join(lines) if lines else "No similar entry in the library.")
