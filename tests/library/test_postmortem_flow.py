"""A crisis post-mortem written in the crisis room becomes a library entry found by an inflected word."""

from __future__ import annotations

import json
from typing import Any

from alembic import command
from typer.testing import CliRunner

from vigie.cli.main import app
from vigie.storage.migrate import alembic_config
from vigie.workspace.loader import example_workspace_dir

runner = CliRunner()


def _run(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_crisis_post_mortem_enters_the_library_and_is_found(cli_env: str) -> None:
    if cli_env.startswith("sqlite"):
        command.stamp(alembic_config(cli_env), "head")
    assert runner.invoke(app, ["workspace", "apply", str(example_workspace_dir())]).exit_code == 0
    crisis = _run("crisis", "declare", "-w", "colibri", "--title", "Colis bloqués à Lyon", "--by", "nadia")
    _run(
        "crisis",
        "resolve",
        str(crisis["id"]),
        "-w",
        "colibri",
        "--by",
        "nadia",
        "--resolution",
        "Transporteur remplacé.",
    )
    pm = _run(
        "crisis", "postmortem", str(crisis["id"]), "-w", "colibri", "--author", "nadia",
        "--summary", "Les livraisons de la zone Lyon ont accumulé des retards pendant une semaine.",
        "--lesson", "Annoncer les retards avant les clients.", "--tag", "delivery",
    )  # fmt: skip
    synced = _run("library", "sync", "-w", "colibri")
    assert [(e["source"]["kind"], e["source"]["id"]) for e in synced] == [("post_mortem", pm["id"])]
    assert "delivery-complaint" in synced[0]["playbooks"]
    assert _run("library", "sync", "-w", "colibri") == []
    for query in ("livraison", "retardé", "retarder"):
        found = _run("library", "search", query, "-w", "colibri")
        assert [e["source"]["id"] for e in found] == [pm["id"]], query
