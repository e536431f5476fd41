"""Pure parts of ingest: readers and normalisation, no database."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.ingest.conftest import record, write_jsonl
from vigie.core.errors import ValidationFailedError
from vigie.ingest.normalise import NewMessage, Rejection, normalise_record
from vigie.ingest.reader import InputFormat, detect_format, read_records

CHANNELS = {"x": 1, "mastodon": 2, "email": 5}


def _normalise(
    path: Path, fmt: InputFormat = InputFormat.JSONL, **kw: object
) -> list[NewMessage | Rejection]:
    options: dict[str, object] = {"channels": CHANNELS, "default_channel": None, "max_text_length": 10_000}
    options.update(kw)
    return [normalise_record(r, **options) for r in read_records(path, fmt)]  # type: ignore[arg-type]


def test_valid_record_is_normalised_to_utc_with_unknown_fields_in_raw(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            record(
                1, created_at="2026-11-20T09:15:00+01:00", likes=3, author={"handle": "@a", "verified": True}
            )
        ],
    )
    [out] = _normalise(path)
    assert isinstance(out, NewMessage)
    assert out.created_at == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert out.raw == {"likes": 3, "author": {"verified": True}}
    assert out.channel_id == 1 and out.author_handle == "@a" and out.author_followers is None


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"text": ""}, "field 'text' is empty"),
        ({"text": None}, "field 'text' must be a string"),
        ({"created_at": "hier soir"}, "is not a date"),
        ({"created_at": "2026-11-20T09:15:00"}, "no UTC offset"),
        ({"created_at": 1763626500}, "field 'created_at' must be a string"),
        (
            {"author": {"handle": "@a", "followers": "beaucoup"}},
            "field 'author.followers' must be a whole number",
        ),
        ({"author": "@a"}, "field 'author' must be an object"),
        ({"id": 3.5}, "field 'id' must be a string or an integer"),
        ({"lang": "français"}, "field 'lang' must be a language code"),
        ({"channel": "tiktok"}, "unknown channel 'tiktok': this workspace has email, mastodon, x"),
    ],
)
def test_bad_fields_are_rejected_with_a_reason(
    tmp_path: Path, overrides: dict[str, object], expected: str
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record(1, **overrides)])
    [out] = _normalise(path)
    assert isinstance(out, Rejection)
    assert expected in out.reason
    assert out.line == 1


def test_missing_text_names_the_field(tmp_path: Path) -> None:
    rec = record(1)
    del rec["text"]
    [out] = _normalise(write_jsonl(tmp_path / "a.jsonl", [rec]))
    assert isinstance(out, Rejection) and out.reason == "field 'text' is missing"


def test_text_over_the_limit_is_rejected(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record(1, text="a" * 51), record(2, text="b" * 50)])
    first, second = _normalise(path, max_text_length=50)
    assert isinstance(first, Rejection) and "51 characters long, over the limit of 50" in first.reason
    assert isinstance(second, NewMessage)


def test_channel_comes_from_default_only_when_missing(tmp_path: Path) -> None:
    rec = record(1)
    del rec["channel"]
    path = write_jsonl(tmp_path / "a.jsonl", [rec, record(2, channel="mastodon")])
    no_default = _normalise(path)
    assert isinstance(no_default[0], Rejection) and "pass --channel" in no_default[0].reason
    with_default = _normalise(path, default_channel="email")
    assert [m.channel_id for m in with_default if isinstance(m, NewMessage)] == [5, 2]


def test_jsonl_reader_isolates_bad_lines(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [record(1), b'{"id": "broken", ', b"", "caf\xe9".encode("latin-1"), b"[1, 2]", record(5)],
    )
    records = list(read_records(path, InputFormat.JSONL))
    assert [r.line for r in records] == [1, 2, 4, 5, 6]  # the blank line 3 is not a record
    assert records[0].fields is not None and records[4].fields is not None
    assert records[1].error is not None and records[1].error.startswith("broken JSON")
    assert records[2].error is not None and "invalid UTF-8 at byte 3" in records[2].error
    assert records[2].content == "caf\\xe9"
    assert records[3].error == "a record must be a JSON object {...}, got list"


def test_oversized_line_is_skipped_without_reading_it_whole(tmp_path: Path) -> None:
    huge = json.dumps(record(1, text="x" * 5000)).encode()
    path = write_jsonl(tmp_path / "a.jsonl", [huge, record(2)])
    first, second = read_records(path, InputFormat.JSONL, max_bytes=1000)
    assert first.error is not None and "longer than 1000 bytes" in first.error
    assert len(first.content) <= 4096
    assert second.fields is not None and second.line == 2


def test_csv_reader_maps_author_columns_and_keeps_multiline_text(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(
        b"id,channel,author_handle,author_name,author_followers,text,created_at,in_reply_to,source_tag\r\n"
        b'c1,x,@lea,L\xc3\xa9a,120,"Bonjour,\r\nma ""commande"" ?",2026-11-20T09:00:00Z,,import\r\n'
        b"c2,x,@bob,,,Thanks!,2026-11-20T09:01:00Z,c1,\r\n"
        b"c3,x,@bad,,,caf\xe9,2026-11-20T09:01:00Z,,\r\n"
        b"c4,x,too,few\r\n"
    )
    records = list(read_records(path, InputFormat.CSV))
    assert [r.line for r in records] == [2, 4, 5, 6]
    out = [normalise_record(r, channels=CHANNELS, default_channel=None, max_text_length=100) for r in records]
    first, second, third, fourth = out
    assert isinstance(first, NewMessage)
    assert first.text == 'Bonjour,\r\nma "commande" ?'
    assert (first.author_handle, first.author_name, first.author_followers) == ("@lea", "Léa", 120)
    assert first.raw == {"source_tag": "import"}
    assert isinstance(second, NewMessage) and second.in_reply_to == "c1" and second.author_name is None
    assert isinstance(third, Rejection) and "invalid UTF-8" in third.reason
    assert isinstance(fourth, Rejection) and "expected 9 columns as in the header, got 4" in fourth.reason


def test_csv_without_text_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,body\n1,hello\n")
    with pytest.raises(ValidationFailedError, match="no 'text' column"):
        list(read_records(path, InputFormat.CSV))


def test_format_comes_from_the_extension_or_the_option(tmp_path: Path) -> None:
    assert detect_format(tmp_path / "a.NDJSON") is InputFormat.JSONL
    assert detect_format(tmp_path / "a.csv") is InputFormat.CSV
    assert detect_format(tmp_path / "a.txt", InputFormat.CSV) is InputFormat.CSV
    with pytest.raises(ValidationFailedError, match="--format jsonl\\|csv"):
        detect_format(tmp_path / "a.txt")
