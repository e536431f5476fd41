"""`vigie ingest` and `vigie quarantine list` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from tests.ingest.conftest import record, write_jsonl
from vigie.cli.main import app
from vigie.ingest.models import Author, Message, QuarantinedRecord

runner = CliRunner()


def _ingest(*args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["ingest", *args, "--workspace", "colibri", "--json"])
    assert result.stdout.strip(), result.output
    return result.exit_code, json.loads(result.stdout)


def _count(session_factory: sessionmaker[Session], model: type[Any]) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _thousand_with_five_bad(path: Path) -> Path:
    items: list[dict[str, Any] | bytes] = [record(n) for n in range(1000)]
    bad_text = record(100)
    del bad_text["text"]
    items[100] = bad_text  # missing text
    items[200] = b'{"id": "m200", "channel": "x", "text": "coup'  # broken JSON
    items[300] = record(300, created_at="le 20 novembre vers 9h")  # unparseable date
    items[400] = record(400, author={"handle": "@user0", "followers": "many"})  # wrong type
    items[500] = (
        json.dumps(record(500, text="ça ne marche pas"), ensure_ascii=False)
        .encode()
        .replace(b"\xc3\xa7", b"\xe7")
    )  # bad UTF-8
    return write_jsonl(path, items)


def test_thousand_records_five_malformed_then_rerun(
    cli: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path = _thousand_with_five_bad(tmp_path / "stream.jsonl")
    code, summary = _ingest(str(path))
    assert code == 1
    assert {k: summary[k] for k in ("read", "accepted", "duplicates", "quarantined")} == {
        "read": 1000,
        "accepted": 995,
        "duplicates": 0,
        "quarantined": 5,
    }
    with session_factory() as session:
        reasons = dict(session.execute(select(QuarantinedRecord.line, QuarantinedRecord.reason)).all())
    assert sorted(reasons) == [101, 201, 301, 401, 501]
    assert reasons[101] == "field 'text' is missing"
    assert reasons[201].startswith("broken JSON")
    assert "is not a date" in reasons[301]
    assert "author.followers" in reasons[401]
    assert "invalid UTF-8" in reasons[501]

    code, again = _ingest(str(path))
    assert code == 1
    assert (again["read"], again["accepted"], again["duplicates"], again["quarantined"]) == (1000, 0, 995, 5)
    assert _count(session_factory, Message) == 995
    assert _count(session_factory, QuarantinedRecord) == 5  # not duplicated by the rerun
    assert _count(session_factory, Author) == 50


def test_clean_file_exits_zero_and_text_summary(cli: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "ok.jsonl", [record(n) for n in range(3)])
    result = runner.invoke(app, ["ingest", str(path), "--workspace", "colibri"])
    assert result.exit_code == 0, result.output
    assert "Total: read 3, accepted 3, duplicates 0, quarantined 0" in result.stdout


def test_csv_file_with_default_channel(
    cli: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path = tmp_path / "forum-export.csv"
    path.write_text(
        "id,author_handle,author_followers,text,created_at,in_reply_to,lang\n"
        "t1,@marie,12,Bonjour je n'arrive pas à payer,2026-11-20T09:00:00+01:00,,fr\n"
        't2,@colibri,9000,"Bonjour Marie, quel moyen de paiement ?",2026-11-20T09:05:00+01:00,t1,fr\n',
        encoding="utf-8",
    )
    code, summary = _ingest(str(path), "--channel", "forum")
    assert code == 0 and summary["accepted"] == 2
    with session_factory() as session:
        reply = session.scalars(select(Message).where(Message.external_id == "t2")).one()
        assert reply.in_reply_to == "t1"
        assert reply.text == "Bonjour Marie, quel moyen de paiement ?"


def test_thread_reply_and_raw_fields_are_stored(
    cli: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    path = write_jsonl(
        tmp_path / "thread.jsonl",
        [
            record(1, id="post-1", url="https://x.example/colibri/1"),
            record(2, id="reply-1", in_reply_to="post-1", likes=12),
            record(3, id=42, in_reply_to=41, channel="mastodon"),
        ],
    )
    code, _ = _ingest(str(path))
    assert code == 0
    with session_factory() as session:
        rows = {m.external_id: m for m in session.scalars(select(Message))}
        assert rows["reply-1"].in_reply_to == "post-1"
        assert rows["reply-1"].raw == {"likes": 12}
        assert rows["reply-1"].created_at == datetime(2026, 11, 20, 7, 0, 2, tzinfo=UTC)
        assert rows["reply-1"].drill is False
        later = session.scalars(
            select(Message.external_id).where(
                Message.created_at > datetime(2026, 11, 20, 7, 0, 1, 500, tzinfo=UTC)
            )
        ).all()
        assert sorted(later) == ["42", "reply-1"]
        assert rows["post-1"].url == "https://x.example/colibri/1"
        assert rows["42"].in_reply_to == "41"
        thread = session.scalars(
            select(Message.external_id).where(
                Message.in_reply_to == "post-1", Message.channel_id == rows["post-1"].channel_id
            )
        ).all()
        assert thread == ["reply-1"]


def test_oversize_text_and_naive_date_are_quarantined(
    cli: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIGIE_MAX_TEXT_LENGTH", "100")
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [record(1, text="x" * 101), record(2, created_at="2026-11-20 09:15:00"), record(3)],
    )
    code, summary = _ingest(str(path))
    assert code == 1 and summary["accepted"] == 1 and summary["quarantined"] == 2
    listing = runner.invoke(app, ["quarantine", "list", "--workspace", "colibri", "--json"])
    assert listing.exit_code == 0
    rows = {row["line"]: row for row in json.loads(listing.stdout)}
    assert "over the limit of 100" in rows[1]["reason"]
    assert "no UTC offset" in rows[2]["reason"]
    assert rows[2]["file"] == str(path.resolve())
    assert '"2026-11-20 09:15:00"' in rows[2]["content"]
    text = runner.invoke(app, ["quarantine", "list", "--workspace", "colibri"])
    assert f"{path.resolve()}:2: " in text.stdout and "2 shown of 2" in text.stdout


def test_unknown_channel_is_quarantined_and_unknown_default_refused(cli: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [record(1, channel="tiktok")])
    code, _ = _ingest(str(path))
    assert code == 1
    listing = json.loads(runner.invoke(app, ["quarantine", "list", "-w", "colibri", "--json"]).stdout)
    assert listing[0]["reason"] == (
        "unknown channel 'tiktok': this workspace has email, facebook, forum, mastodon, x"
    )
    result = runner.invoke(app, ["ingest", str(path), "--workspace", "colibri", "--channel", "tiktok"])
    assert result.exit_code == 2
    assert "--channel 'tiktok' is not a channel of workspace 'colibri'" in result.stderr


def test_missing_file_unknown_format_and_unknown_workspace(cli: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.jsonl"), "--workspace", "colibri"])
    assert result.exit_code == 2 and "no such file" in result.stderr
    other = tmp_path / "data.txt"
    other.write_text("{}\n")
    result = runner.invoke(app, ["ingest", str(other), "--workspace", "colibri"])
    assert result.exit_code == 2 and "--format jsonl|csv" in result.stderr
    result = runner.invoke(app, ["ingest", str(other), "--workspace", "nope"])
    assert (
        result.exit_code == 2
        and "Workspace 'nope' does not exist. Known workspaces: colibri" in result.stderr
    )


def test_authors_are_upserted_with_latest_followers(
    cli: str, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    first = write_jsonl(
        tmp_path / "a.jsonl", [record(1, author={"handle": "@ana", "name": "Ana", "followers": 10})]
    )
    second = write_jsonl(tmp_path / "b.jsonl", [record(2, author={"handle": "@ana", "followers": 5000})])
    code, summary = _ingest(str(first), str(second))
    assert code == 0 and summary["accepted"] == 2 and len(summary["files"]) == 2
    with session_factory() as session:
        ana = session.scalars(select(Author).where(Author.handle == "@ana")).one()
        assert (ana.name, ana.followers) == ("Ana", 5000)
