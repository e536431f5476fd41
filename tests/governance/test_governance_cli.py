"""`vigie check`, `vigie drafts`, `vigie approvals` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from typer.testing import CliRunner

from vigie.cli.main import app
from vigie.storage.migrate import alembic_config

runner = CliRunner()
REFUND_80 = "Nous vous remboursons 80 € d'ici vendredi"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> Any:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def colibri(cli_env: str, tmp_path: Path) -> None:
    if cli_env.startswith("sqlite"):
        # Built by create_all: stamp it so the CLI's automatic SQLite upgrade does not re-create tables.
        command.stamp(alembic_config(cli_env), "head")
    folder = tmp_path / "colibri"
    assert run("workspace", "init", str(folder))[0] == 0
    code, _, err = run("workspace", "apply", str(folder))
    assert code == 0, err


def test_must_show_check(colibri: None) -> None:
    result = run_json("check", REFUND_80, "--as", "junior-cm", "--workspace", "colibri")
    assert result["verdict"] == "needs_approval"
    assert "sarah" in result["approvers"]["members"] and "senior-cm" in result["approvers"]["roles"]
    by_category = {f["category"]: f for f in result["findings"]}
    refund = by_category["commitment.refund"]
    assert refund["amount"] == {"value": 80.0, "unit": "EUR"}
    assert "80 €" in REFUND_80[refund["start"] : refund["end"]]
    deadline = by_category["commitment.deadline"]
    assert "vendredi" in REFUND_80[deadline["start"] : deadline["end"]]
    code, out, _ = run("check", REFUND_80, "--as", "junior-cm", "--workspace", "colibri")
    assert code == 0 and out.startswith("needs_approval") and "sarah" in out


def test_check_errors_say_what_to_fix(colibri: None) -> None:
    code, _, err = run("check", "Bonjour", "--as", "boss", "--workspace", "colibri")
    assert code != 0 and "neither a team member nor a role" in err
    code, _, err = run("check", "Bonjour", "--as", "camille", "--workspace", "colibri", "--lang", "de")
    assert code != 0 and "use one of: fr, en" in err
    code, _, err = run("check", "--as", "camille", "--workspace", "colibri")
    assert code != 0 and "either a TEXT argument or --file" in err
    code, _, err = run("check", "Bonjour", "--as", "camille", "--workspace", "nope")
    assert code != 0 and "Workspace 'nope' does not exist" in err


def test_batch_check_one_result_per_line_in_order(colibri: None, tmp_path: Path) -> None:
    path = tmp_path / "drafts.jsonl"
    items = [
        {"id": "a", "text": "Merci pour votre patience, nous regardons votre commande."},
        {"id": "b", "text": REFUND_80, "lang": "fr"},
        {"id": "c", "text": "Thanks, we are on it.", "lang": "en", "in_reply_to_lang": "fr"},
        {"id": "d"},
    ]
    path.write_text(
        "\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n{broken\n", encoding="utf-8"
    )
    code, out, err = run("check", "--file", str(path), "--as", "camille", "--workspace", "colibri")
    assert code == 1 and "2 line(s)" in err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", None]
    assert rows[0]["verdict"] == "publish" and rows[0]["findings"] == []
    assert rows[1]["verdict"] == "needs_approval"
    assert set(rows[1]["findings"][0]) == {"category", "severity", "start", "end", "message", "amount"}
    assert any(f["category"] == "language.mismatch" for f in rows[2]["findings"])
    assert "missing 'text'" in rows[3]["error"] and rows[4]["line"] == 5


def test_submit_approve_reject_and_audit(colibri: None) -> None:
    base = ("--workspace", "colibri")
    sent = run_json("drafts", "submit", REFUND_80, "--as", "camille", "--channel", "x", *base)
    assert sent["draft"]["status"] == "pending_approval" and sent["publication"] is None
    approval_id = str(sent["approval"]["id"])
    pending = run_json("approvals", "list", "--for", "sarah", *base)
    assert [p["id"] for p in pending] == [int(approval_id)]
    code, _, err = run("approvals", "approve", approval_id, "--as", "camille", *base)
    assert code != 0 and "cannot approve" in err
    code, _, err = run("approvals", "approve", approval_id, "--as", "lucas", *base)
    assert code != 0 and "mandate does not cover" in err
    edited = "Nous vous remboursons 80 € d'ici demain."
    done = run_json("approvals", "approve", approval_id, "--as", "sarah", "--text", edited, *base)
    assert done["draft"]["status"] == "published" and done["draft"]["text"] == edited
    assert done["approval"]["edited"] is True and done["publication"]["publisher"] == "outbox"

    second = run_json("drafts", "submit", REFUND_80, "--as", "lucas", "--channel", "x", *base)
    rejected = run_json(
        "approvals",
        "reject",
        str(second["approval"]["id"]),
        "--as",
        "hugo",
        "--comment",
        "Un avoir plutôt.",
        *base,
    )
    assert rejected["status"] == "rejected"
    shown = run_json("drafts", "show", str(second["draft"]["id"]), *base)
    assert shown["status"] == "rejected"
    assert {d["status"] for d in run_json("drafts", "list", *base)} == {"published", "rejected"}

    entries = run_json("audit", "list", *base, "--limit", "20")
    actions = [e["action"] for e in entries]
    assert actions.count("governance.publication") == 1 and "governance.rejection" in actions
    verify = run_json("audit", "verify", *base)
    assert verify["ok"] is True
