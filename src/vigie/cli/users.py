"""`vigie user …` and `vigie token …`: accounts for the web app and the API."""

from __future__ import annotations

import sys

import typer
from sqlalchemy import select

from vigie.accounts.models import User
from vigie.accounts.service import create_api_token, create_user, grant_membership
from vigie.cli.context import CliContext, domain_errors, fail, get_workspace, print_json
from vigie.workspace.models import Role

user_app = typer.Typer(help="Accounts that log in to the web app and the API.", no_args_is_help=True)
token_app = typer.Typer(help="Personal API tokens.", no_args_is_help=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        fail("No password given: type it at the prompt or pipe it on stdin.")
    return password


@user_app.command("create")
def create_command(
    email: str = typer.Argument(..., help="The person's e-mail, used to log in."),
    workspace: str = typer.Option(..., "--workspace", "-w", help="Workspace slug."),
    role: list[str] = typer.Option(..., "--role", "-r", help="Role key; repeat for several roles."),
    member: str | None = typer.Option(None, "--member", help="Team member key (team.yaml) this user is."),
    name: str | None = typer.Option(None, "--name", help="Display name."),
    locale: str = typer.Option("fr", "--locale", help="Interface language: fr or en."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create a user (password from a prompt or stdin) and give them roles in a workspace."""
    password = _read_password(password_stdin)
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        ws = get_workspace(session, workspace)
        known_roles = set(session.scalars(select(Role.key).where(Role.workspace_id == ws.id)))
        unknown = [r for r in role if r not in known_roles]
        if unknown:
            known = ", ".join(sorted(known_roles)) or "none (apply a workspace first)"
            fail(f"Unknown role(s) {', '.join(unknown)} in {workspace}; known roles: {known}.")
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            user = create_user(session, email=email, password=password, display_name=name, locale=locale)
        membership = grant_membership(session, user=user, workspace=ws, roles=role, member_key=member)
        address, roles = user.email, [str(r) for r in membership.roles]
    if as_json:
        print_json({"email": address, "workspace": workspace, "roles": roles, "member": member})
    else:
        typer.echo(f"User {address} can now work in {workspace} as {', '.join(roles)}.")


@token_app.command("create")
def token_create_command(
    email: str = typer.Argument(..., help="The user's e-mail."),
    name: str = typer.Option(..., "--name", help="What the token is for."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create a personal API token; it is shown once."""
    ctx = CliContext()
    with domain_errors(), ctx.transaction() as session:
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            fail(f"No user with e-mail {email}. Create one with `vigie user create`.")
        created = create_api_token(session, user=user, name=name)
    if as_json:
        print_json({"name": name, "token": created.secret})
    else:
        typer.echo(created.secret)
