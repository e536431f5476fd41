"""Streaming readers for JSONL and CSV import files, in constant memory.

Files are read as bytes, one physical line at a time (never more than ``max_record_bytes`` of it), and
each record is decoded on its own, so invalid UTF-8 or a broken line quarantines one record and the rest
of the file goes on. Readers yield ``RawRecord``: the fields as a plain dict (the shape of the ingest
schema, CSV columns mapped to it) or the reason the record cannot be read. Nothing here touches storage.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from vigie.core.errors import ValidationFailedError

MAX_STORED_CONTENT = 65_536
_BOM = b"\xef\xbb\xbf"


class InputFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


_EXTENSIONS = {".jsonl": InputFormat.JSONL, ".ndjson": InputFormat.JSONL, ".csv": InputFormat.CSV}


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read: ``fields`` when it could be read, otherwise ``error`` says why not."""

    source: str
    line: int
    content: str
    fingerprint: str
    fields: dict[str, Any] | None = None
    error: str | None = None
    offset: int = 0  # bytes of the file consumed once this record was read (for progress)


def detect_format(path: Path, explicit: InputFormat | None = None) -> InputFormat:
    if explicit is not None:
        return explicit
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise ValidationFailedError(
            f"Cannot tell the format of {path} from its extension '{path.suffix}': "
            "name it .jsonl/.ndjson or .csv, or pass --format jsonl|csv."
        )
    return found


def max_record_bytes(max_text_length: int) -> int:
    """The longest physical record a reader accepts: room for the longest text in UTF-8, plus metadata."""
    return max_text_length * 4 + 65_536


def read_records(
    path: Path, fmt: InputFormat, *, source: str | None = None, max_bytes: int = 1 << 20
) -> Iterator[RawRecord]:
    """Stream the records of ``path``; ``source`` is the name stored with quarantined records."""
    name = source or str(path)
    with path.open("rb") as handle:
        if fmt is InputFormat.JSONL:
            yield from _read_jsonl(handle, name, max_bytes)
        else:
            yield from _read_csv(handle, name, max_bytes)


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shown(data: bytes) -> str:
    # What the quarantine keeps: the record as text, invalid bytes shown as \xNN escapes.
    return data[:MAX_STORED_CONTENT].decode("utf-8", errors="backslashreplace")


def _physical_lines(handle: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, too_long) for each physical line; a too long line is cut and skipped."""
    number = 0
    while True:
        chunk = handle.readline(max_bytes + 1)
        if not chunk:
            return
        number += 1
        if number == 1 and chunk.startswith(_BOM):
            chunk = chunk[len(_BOM) :]
        if len(chunk) > max_bytes and not chunk.endswith(b"\n"):
            rest = chunk
            while rest and not rest.endswith(b"\n"):
                rest = handle.readline(1 << 20)
            yield number, chunk[:4096], True
            continue
        yield number, chunk, False


def _decode(data: bytes) -> tuple[str | None, str | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return None, f"invalid UTF-8 at byte {error.start} of the record: save the file as UTF-8"


def _read_jsonl(handle: IO[bytes], source: str, max_bytes: int) -> Iterator[RawRecord]:
    for number, chunk, too_long in _physical_lines(handle, max_bytes):
        data = chunk.strip()
        if not data:
            continue
        record = _jsonl_record(data, too_long, max_bytes)
        yield RawRecord(source, number, _shown(data), _fingerprint(data), *record, offset=handle.tell())


def _jsonl_record(data: bytes, too_long: bool, max_bytes: int) -> tuple[dict[str, Any] | None, str | None]:
    if too_long:
        return None, f"record longer than {max_bytes} bytes (the text limit is VIGIE_MAX_TEXT_LENGTH)"
    text, error = _decode(data)
    if text is None:
        return None, error
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"broken JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(value, dict):
        return None, f"a record must be a JSON object {{...}}, got {type(value).__name__}"
    return value, None


# CSV columns and where they go in the ingest schema; other columns are kept as raw data.
_CSV_AUTHOR_COLUMNS = {
    "author_handle": "handle",
    "author.handle": "handle",
    "author_name": "name",
    "author.name": "name",
    "author_followers": "followers",
    "author.followers": "followers",
}


def _csv_fields(header: list[str], values: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    author: dict[str, Any] = {}
    for column, value in zip(header, values, strict=True):
        cell: str | None = value if value != "" else None
        target = _CSV_AUTHOR_COLUMNS.get(column)
        if target is not None:
            if cell is not None:
                author[target] = cell
        elif column:
            fields[column] = cell
    if author:
        fields["author"] = author
    return fields


def _read_csv(handle: IO[bytes], source: str, max_bytes: int) -> Iterator[RawRecord]:
    header: list[str] | None = None
    pending: list[bytes] = []
    first_line = 0
    too_long = False
    for number, chunk, cut in _physical_lines(handle, max_bytes):
        if not pending:
            first_line = number
        pending.append(chunk)
        too_long = too_long or cut or sum(len(p) for p in pending) > max_bytes
        # A record ends where its quotes are balanced (RFC 4180: a quote inside a field is doubled).
        if not too_long and sum(p.count(b'"') for p in pending) % 2 == 1:
            continue
        data = b"".join(pending)
        pending = []
        cut, too_long = too_long, False
        if not data.strip():
            continue
        if header is None:
            text, error = _decode(data)
            if text is None:
                raise ValidationFailedError(f"{source}: the CSV header line is not UTF-8 ({error}).")
            header = [column.strip().lower() for column in next(csv.reader([text]))]
            if "text" not in header:
                raise ValidationFailedError(
                    f"{source}: the CSV header has no 'text' column (found: {', '.join(header)}). "
                    "See docs/ingest.md for the columns."
                )
            continue
        fields, error = _csv_record(data, header, cut, max_bytes)
        shown = data.rstrip(b"\r\n")
        yield RawRecord(
            source, first_line, _shown(shown), _fingerprint(shown), fields, error, offset=handle.tell()
        )
    if pending:
        data = b"".join(pending).rstrip(b"\r\n")
        yield RawRecord(
            source,
            first_line,
            _shown(data),
            _fingerprint(data),
            None,
            "unterminated quoted field at the end of the file (a '\"' is missing)",
            offset=handle.tell(),
        )


def _csv_record(
    data: bytes, header: list[str], too_long: bool, max_bytes: int
) -> tuple[dict[str, Any] | None, str | None]:
    if too_long:
        return None, f"record longer than {max_bytes} bytes (the text limit is VIGIE_MAX_TEXT_LENGTH)"
    text, error = _decode(data)
    if text is None:
        return None, error
    try:
        values = next(csv.reader([text.rstrip("\r\n")], strict=True))
    except (csv.Error, StopIteration) as exc:
        return None, f"broken CSV: {exc}"
    if len(values) != len(header):
        return None, f"expected {len(header)} columns as in the header, got {len(values)}"
    return _csv_fields(header, values), None
