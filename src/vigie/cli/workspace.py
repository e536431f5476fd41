"""`vigie workspace …`: the workspace as a folder of YAML files (init, apply, export, list)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from vigie.cli.context import CliContext, domain_errors, fail, get_workspace, print_json
from vigie.playbooks.models import Playbook
from vigie.workspace.actions import apply_workspace
from vigie.workspace.export import init_workspace_dir, write_workspace_dir
from vigie.workspace.loader import InvalidWorkspaceError, load_workspace_dir
from vigie.workspace.models import Channel, Role, TeamMember, Workspace
from vigie.workspace.service import ChangeKind, WorkspacePlan, load_rows, plan_workspace, spec_from_rows

app = typer.Typer(help="The workspace as code: a folder of YAML files.", no_args_is_help=True)

_SIGN = {ChangeKind.CREATE: "+", ChangeKind.UPDATE: "~", ChangeKind.DELETE: "-"}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


def _print_plan(plan: WorkspacePlan, *, applied: bool) -> None:
    if plan.is_empty:
        typer.echo(f"Workspace '{plan.slug}': no change.")
        return
    for change in plan.changes:
        typer.echo(f"{_SIGN[change.kind]} {change.object_type.value} {change.key} ({change.kind.value})")
        if change.kind is ChangeKind.UPDATE:
            for item in change.fields:
                typer.echo(f"    {item.field}: {_short(item.old)} -> {_short(item.new)}")
    counts = plan.counts()
    verb = "Applied" if applied else "Plan (dry run, nothing written)"
    typer.echo(
        f"{verb} for workspace '{plan.slug}': {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete."
        if not applied
        else f"{verb} to workspace '{plan.slug}': {counts['create']} created, {counts['update']} updated, "
        f"{counts['delete']} deleted."
    )
    for blocker in plan.blockers:
        typer.echo(f"Blocked: {blocker}", err=True)


def _default_actor() -> str:
    return os.environ.get("USER") or os.environ.get("USERNAME") or getpass.getuser()


@app.command("init")
def init_command(
    directory: Path = typer.Argument(..., help="Folder to create (must be absent or empty)."),
    slug: str | None = typer.Option(None, "--slug", help="Workspace slug (default: the example's, colibri)."),
    name: str | None = typer.Option(None, "--name", help="Display name (default: the example's)."),
) -> None:
    """Write the example workspace (Colibri, bilingual) into DIRECTORY, ready to edit and apply."""
    with domain_errors():
        files = init_workspace_dir(directory, slug=slug, name=name)
    typer.echo(
        f"Wrote {len(files)} files to {directory}. Edit them, then run `vigie workspace apply {directory}`."
    )


@app.command("apply")
def apply_command(
    directory: Path = typer.Argument(..., help="Workspace folder (workspace.yaml, team.yaml, ...)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the plan and write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as one JSON object."),
    actor: str | None = typer.Option(
        None, "--actor", help="Who applies, for the audit log (default: $USER)."
    ),
) -> None:
    """Validate DIRECTORY, show the plan (create / update / delete per object) and apply it in one transaction."""
    try:
        spec = load_workspace_dir(directory)
    except InvalidWorkspaceError as error:
        if as_json:
            print_json({"ok": False, "error": error.code, "issues": [i.to_dict() for i in error.issues]})
            raise typer.Exit(2) from None
        fail(error.message)
    who = actor or _default_actor()
    ctx = CliContext()
    try:
        with domain_errors(), ctx.transaction() as session:
            plan = plan_workspace(session, spec)
            if not dry_run and not plan.blockers:
                plan = apply_workspace(session, spec, who)
    except IntegrityError:
        fail(f"another apply of workspace '{spec.slug}' ran at the same time; run the command again")
    result = {
        **plan.to_dict(),
        "ok": not plan.blockers,
        "dry_run": dry_run,
        "applied": not dry_run and not plan.blockers,
    }
    if as_json:
        print_json(result)
    else:
        _print_plan(plan, applied=result["applied"])
    if plan.blockers:
        raise typer.Exit(1)


@app.command("export")
def export_command(
    slug: str = typer.Argument(..., help="Workspace slug."),
    directory: Path = typer.Argument(..., help="Folder to write into."),
    force: bool = typer.Option(False, "--force", help="Overwrite workspace files already in DIRECTORY."),
) -> None:
    """Write workspace SLUG back to YAML files; applying them reports no change."""
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        get_workspace(session, slug)
        spec = spec_from_rows(load_rows(session, slug))
        files = write_workspace_dir(spec, directory, force=force)
    typer.echo(f"Exported workspace '{slug}' to {directory} ({len(files)} files).")


@app.command("list")
def list_command(as_json: bool = typer.Option(False, "--json", help="Print a JSON list.")) -> None:
    """List the workspaces with their size."""
    ctx = CliContext()
    with ctx.transaction() as session:
        # One grouped count per table, not one per workspace and table.
        sizes = {
            label: {
                workspace_id: count
                for workspace_id, count in session.execute(
                    select(model.workspace_id, func.count()).group_by(model.workspace_id)
                )
            }
            for label, model in (
                ("channels", Channel),
                ("roles", Role),
                ("members", TeamMember),
                ("playbooks", Playbook),
            )
        }
        rows = [
            {
                "slug": workspace.slug,
                "name": workspace.name,
                "default_language": workspace.default_language,
                **{label: counts.get(workspace.id, 0) for label, counts in sizes.items()},
            }
            for workspace in session.scalars(select(Workspace).order_by(Workspace.slug))
        ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        typer.echo("No workspace yet: `vigie workspace init DIR` then `vigie workspace apply DIR`.")
    for row in rows:
        typer.echo(
            f"{row['slug']:<20} {row['name']:<30} {row['members']} members, {row['roles']} roles, "
            f"{row['channels']} channels, {row['playbooks']} playbooks"
        )
