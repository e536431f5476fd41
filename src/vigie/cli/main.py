"""The `vigie` command. Each domain registers its own sub-commands here."""

from __future__ import annotations

import typer

from vigie import __version__
from vigie.cli import analysis as analysis_cli
from vigie.cli import audit, buzz, db, serve, users
from vigie.cli import cases as cases_cli
from vigie.cli import crisis as crisis_cli
from vigie.cli import demo as demo_cli
from vigie.cli import governance as governance_cli
from vigie.cli import ingest as ingest_cli
from vigie.cli import learning as learning_cli
from vigie.cli import library as library_cli
from vigie.cli import peer as peer_cli
from vigie.cli import playbooks as playbooks_cli
from vigie.cli import worker as worker_cli
from vigie.cli import workspace as workspace_cli

app = typer.Typer(
    name="vigie",
    help="Vigie: the command center for the people who speak for an organisation in public.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.command("train")(learning_cli.train_command)
app.command("eval")(learning_cli.eval_command)
app.add_typer(audit.app, name="audit")
app.add_typer(buzz.app, name="buzz")
app.add_typer(crisis_cli.app, name="crisis")
app.add_typer(crisis_cli.alerts_app, name="alerts")
app.add_typer(workspace_cli.app, name="workspace")
app.add_typer(users.user_app, name="user")
app.add_typer(users.token_app, name="token")
app.command("serve")(serve.serve_command)
app.command("ingest")(ingest_cli.ingest_command)
app.command("demo")(demo_cli.demo_command)
app.add_typer(ingest_cli.quarantine_app, name="quarantine")
app.command("check")(governance_cli.check_command)
app.add_typer(governance_cli.drafts_app, name="drafts")
app.add_typer(governance_cli.approvals_app, name="approvals")
app.command("analyze")(analysis_cli.analyze_command)
app.add_typer(analysis_cli.app, name="analysis")
app.add_typer(playbooks_cli.app, name="playbooks")
app.add_typer(library_cli.app, name="library")
app.add_typer(peer_cli.app, name="peer")
app.add_typer(cases_cli.app, name="cases")
app.add_typer(worker_cli.app, name="worker")


@app.command("version")
def version_command() -> None:
    """Print Vigie's version."""
    typer.echo(__version__)


def main() -> None:
    app()
