"""Read labelled training/evaluation files: CSV with ``text,label`` columns, or JSONL objects."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from vigie.analysis.classifiers.tasks import check_label
from vigie.core.errors import ValidationFailedError


@dataclass(frozen=True)
class LabelledRow:
    text: str
    label: str
    line: int


def read_labelled(path: str | Path, task: str) -> list[LabelledRow]:
    """Rows of ``path`` (``.csv`` with a header naming ``text`` and ``label``, or ``.jsonl``).

    Every error names the file and the line to fix.
    """
    source = Path(path)
    if not source.is_file():
        raise ValidationFailedError(f"Data file '{source}' does not exist.")
    suffix = source.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        rows = _read_jsonl(source, task)
    elif suffix in {".csv", ".tsv"}:
        rows = _read_csv(source, task, delimiter="\t" if suffix == ".tsv" else ",")
    else:
        raise ValidationFailedError(
            f"'{source}': unknown file type '{suffix}'; use .csv (columns text,label) or .jsonl "
            '(one {"text": ..., "label": ...} per line).'
        )
    if not rows:
        raise ValidationFailedError(f"'{source}' has no labelled rows.")
    return rows


def _read_jsonl(source: Path, task: str) -> list[LabelledRow]:
    rows: list[LabelledRow] = []
    with source.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{source}:{number}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValidationFailedError(f"{where}: not valid JSON ({error.msg}).") from None
            if not isinstance(item, dict):
                raise ValidationFailedError(f'{where}: expected an object {{"text": ..., "label": ...}}.')
            text, label = item.get("text"), item.get("label")
            if not isinstance(text, str) or not text.strip():
                raise ValidationFailedError(f'{where}: "text" must be a non-empty string.')
            if not isinstance(label, str):
                raise ValidationFailedError(f'{where}: "label" must be a string.')
            rows.append(LabelledRow(text, check_label(task, label, where=where), number))
    return rows


def _read_csv(source: Path, task: str, *, delimiter: str) -> list[LabelledRow]:
    rows: list[LabelledRow] = []
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise ValidationFailedError(
                f"'{source}' is empty; expected a header line 'text,label'."
            ) from None
        if "text" not in header or "label" not in header:
            raise ValidationFailedError(
                f"{source}:1: the header must name the columns 'text' and 'label' (found: {', '.join(header)})."
            )
        ti, li = header.index("text"), header.index("label")
        start = reader.line_num
        for record in reader:
            line = start + 1
            start = reader.line_num
            if not any(field.strip() for field in record):
                continue
            where = f"{source}:{line}"
            if len(record) <= max(ti, li):
                raise ValidationFailedError(f"{where}: expected {len(header)} columns, found {len(record)}.")
            text = record[ti]
            if not text.strip():
                raise ValidationFailedError(f"{where}: the text is empty.")
            rows.append(LabelledRow(text, check_label(task, record[li], where=where), line))
    return rows
