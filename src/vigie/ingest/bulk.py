"""Fast multi-row ``INSERT … ON CONFLICT … RETURNING`` for SQLite and PostgreSQL.

SQLAlchemy's generic executemany path spends most of an ingest batch compiling parameters (and, on
PostgreSQL, psycopg re-parses one huge statement per page). Ingest writes thousands of rows per batch,
so this module builds the statement itself, from the table's own columns and types:

* PostgreSQL: one small statement per batch, ``INSERT … SELECT * FROM unnest(%s::type[], …)``, with
  one array parameter per column (psycopg caches the statement; arrays are adapted in C).
* SQLite: ``INSERT … VALUES (?,…),(?,…)…`` in pages under SQLite's parameter limit, each value passed
  through the column type's own bind processor, so stored values are exactly what the ORM would write.

Both take the caller's connection (and so its transaction) and return the ``RETURNING`` rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.types import JSON

SQLITE_MAX_PARAMS = 32_000


def bulk_insert(
    connection: Connection,
    table: Table,
    *,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    conflict: Sequence[str],
    coalesce_update: Sequence[str] = (),
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (tuples in ``columns`` order); on conflict do nothing, or, when
    ``coalesce_update`` is given, set those columns to the new value unless it is null."""
    if not rows:
        return []
    dialect = connection.dialect.name
    quote = connection.dialect.identifier_preparer.quote
    target = quote(table.name)
    column_list = ", ".join(quote(c) for c in columns)
    conflict_list = ", ".join(quote(c) for c in conflict)
    if coalesce_update:
        sets = ", ".join(
            f"{quote(c)} = COALESCE(excluded.{quote(c)}, {target}.{quote(c)})" for c in coalesce_update
        )
        on_conflict = f"ON CONFLICT ({conflict_list}) DO UPDATE SET {sets}"
    else:
        on_conflict = f"ON CONFLICT ({conflict_list}) DO NOTHING"
    returning_sql = f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
    if dialect == "postgresql":
        return _postgresql(connection, table, columns, rows, target, column_list, on_conflict + returning_sql)
    if dialect == "sqlite":
        return _sqlite(connection, table, columns, rows, target, column_list, on_conflict + returning_sql)
    raise NotImplementedError(f"bulk insert supports SQLite and PostgreSQL, not {dialect}")


def _postgresql(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    target: str,
    column_list: str,
    tail: str,
) -> list[tuple[Any, ...]]:
    arrays: list[list[Any]] = [[] for _ in columns]
    for row in rows:
        for index, value in enumerate(row):
            arrays[index].append(value)
    casts: list[str] = []
    for index, name in enumerate(columns):
        column_type = table.c[name].type
        if isinstance(column_type, JSON):
            # JSON travels as text and is cast per element; None stays SQL NULL.
            arrays[index] = [None if v is None else json.dumps(v, ensure_ascii=False) for v in arrays[index]]
        casts.append(f"%s::{column_type.compile(dialect=connection.dialect)}[]")
    sql = f"INSERT INTO {target} ({column_list}) SELECT * FROM unnest({', '.join(casts)}) {tail}"
    result = connection.exec_driver_sql(sql, tuple(arrays))
    return [tuple(r) for r in result] if result.returns_rows else []


def _sqlite(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    target: str,
    column_list: str,
    tail: str,
) -> list[tuple[Any, ...]]:
    processors = [table.c[name].type.bind_processor(connection.dialect) for name in columns]
    placeholder = "(" + ", ".join("?" for _ in columns) + ")"
    page = max(1, SQLITE_MAX_PARAMS // len(columns))
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), page):
        chunk = rows[start : start + page]
        params: list[Any] = []
        for row in chunk:
            for processor, value in zip(processors, row, strict=True):
                params.append(value if processor is None or value is None else processor(value))
        sql = f"INSERT INTO {target} ({column_list}) VALUES {', '.join([placeholder] * len(chunk))} {tail}"
        result = connection.exec_driver_sql(sql, tuple(params))
        if result.returns_rows:
            out.extend(tuple(r) for r in result)
    return out
