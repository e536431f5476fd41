"""`vigie analyze`: one JSON object per text, in order; clear errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from vigie.cli.main import app

MUST_SHOW = "Ça fait 3 semaines que j'attends mon remboursement, je veux parler à un responsable !"


def test_analyze_text_json() -> None:
    result = CliRunner().invoke(app, ["analyze", MUST_SHOW, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["language"]["code"] == "fr"
    assert data["sentiment"]["label"] == "negative"
    assert {"complaint", "manager_demand"} <= set(data["intents"]["labels"])


def test_analyze_file_in_order(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        {"id": "a", "text": "I love it, thanks!"},
        {
            "id": "b",
            "text": "Je vais porter plainte",
            "lang": "fr",
            "author": {"handle": "@j", "followers": 90000, "labels": ["journalist"]},
        },
        {"text": "My card is 4539 5787 6362 1486"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", "--file", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o.get("id") for o in out] == ["a", "b", None]
    assert out[0]["sentiment"]["label"] == "positive"
    assert "legal_threat" in out[1]["intents"]["labels"] and out[1]["author"]["influence"] > 0.5
    assert out[2]["pii"]["kinds"] == ["card"]


def test_analyze_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["analyze"]).exit_code != 0
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{"txt": "oops"}\n', encoding="utf-8")
    result = runner.invoke(app, ["analyze", "--file", str(path)])
    assert result.exit_code != 0 and "bad.jsonl:2" in result.output and "'text'" in result.output
