"""`vigie workspace …` and `vigie audit verify` through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from tests.workspace.conftest import edit
from vigie.audit.models import AuditEntry
from vigie.cli.main import app
from vigie.storage.db import make_engine

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_init_apply_export_apply_round_trip(cli: str, tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    code, out, _ = _run("workspace", "init", str(folder), "--slug", "acme")
    assert code == 0 and "Wrote" in out

    code, out, _ = _run("workspace", "apply", str(folder), "--dry-run", "--json")
    assert code == 0
    plan = json.loads(out)
    assert plan["dry_run"] and not plan["applied"] and plan["counts"]["create"] > 40
    code, out, _ = _run("workspace", "list", "--json")
    assert json.loads(out) == []  # the dry run wrote nothing

    code, out, _ = _run("workspace", "apply", str(folder), "--actor", "nadia")
    assert code == 0 and "created" in out and "+ member camille (create)" in out

    code, out, _ = _run("workspace", "apply", str(folder))
    assert code == 0 and out.strip() == "Workspace 'acme': no change."

    exported = tmp_path / "exported"
    code, out, _ = _run("workspace", "export", "acme", str(exported))
    assert code == 0 and (exported / "playbooks" / "troll.yaml").exists()
    code, out, _ = _run("workspace", "apply", str(exported), "--json")
    assert code == 0 and json.loads(out)["no_change"] is True

    code, out, _ = _run("workspace", "export", "acme", str(exported))
    assert code != 0  # refuses to overwrite without --force

    code, out, _ = _run("workspace", "list", "--json")
    (row,) = json.loads(out)
    assert (row["slug"], row["members"], row["roles"], row["channels"]) == ("acme", 8, 6, 5)

    code, out, _ = _run("audit", "verify", "--workspace", "acme", "--json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_edit_shows_update_and_removal_shows_delete(cli: str, folder: Path) -> None:
    assert _run("workspace", "apply", str(folder))[0] == 0
    edit(folder / "workspace.yaml", "max_length: 500", "max_length: 480")
    (folder / "playbooks" / "troll.yaml").unlink()
    code, out, _ = _run("workspace", "apply", str(folder), "--dry-run")
    assert code == 0
    assert "~ channel mastodon (update)" in out and "max_length: 500 -> 480" in out
    assert "- playbook troll (delete)" in out
    assert "1 to update, 1 to delete" in out


def test_invalid_workspace_refused_with_file_and_line(cli: str, folder: Path) -> None:
    edit(folder / "team.yaml", "roles: [legal]", "roles: [lawyer]")
    edit(
        folder / "charter.yaml", "severity: warn, description: Answer", "severity: maybe, description: Answer"
    )
    code, out, err = _run("workspace", "apply", str(folder))
    assert code == 2
    assert "refused whole" in err
    assert "team.yaml:" in err and "members[6].roles[0]" in err and "unknown role 'lawyer'" in err
    assert "charter.yaml:" in err and "rules[18].severity" in err and "block" in err
    code, out, _ = _run("workspace", "apply", str(folder), "--json")
    payload = json.loads(out)
    assert code == 2 and payload["ok"] is False
    assert {issue["file"] for issue in payload["issues"]} == {"team.yaml", "charter.yaml"}
    assert all(isinstance(issue["line"], int) for issue in payload["issues"])
    code, out, _ = _run("workspace", "list", "--json")
    assert json.loads(out) == []


def test_audit_verify_fails_after_an_audit_row_is_edited(cli: str, folder: Path) -> None:
    assert _run("workspace", "apply", str(folder), "--actor", "nadia")[0] == 0
    assert _run("audit", "verify", "--workspace", "colibri")[0] == 0
    engine = make_engine(cli)
    with engine.begin() as connection:
        connection.execute(update(AuditEntry).where(AuditEntry.seq == 7).values(actor="mallory"))
    engine.dispose()
    code, _, err = _run("audit", "verify", "--workspace", "colibri")
    assert code != 0 and "#7" in err


def test_missing_folder_says_what_to_do(cli: str, tmp_path: Path) -> None:
    code, _, err = _run("workspace", "apply", str(tmp_path / "nowhere"))
    assert code == 2 and "workspace init" in err
