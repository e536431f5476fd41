from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from vigie.storage.db import make_engine
from vigie.storage.migrate import current_revision, upgrade
from vigie.storage.registry import metadata


def _migrated_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    # A fresh PostgreSQL database with nothing created by create_all.
    from sqlalchemy import text

    admin_url: str = request.getfixturevalue("postgres_url")
    engine = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return admin_url


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_migrations_build_exactly_the_models(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = _migrated_url(backend, tmp_path, request)
    upgrade(url)
    assert current_revision(url) is not None
    engine = make_engine(url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert {"workspace", "message", "audit_entry", "mandate"} <= tables
    assert diff == [], f"models and migrations differ: run scripts/regenerate-initial-migration.sh\n{diff}"
    if backend == "postgresql":
        # Leave the shared session database with the create_all schema for the other tests.
        pg = make_engine(url, isolation_level="AUTOCOMMIT")
        from sqlalchemy import text

        with pg.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        metadata.create_all(pg)
        pg.dispose()
