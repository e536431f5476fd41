"""Shared fixtures. Storage tests run on SQLite and on PostgreSQL (``db_url`` is parametrised).

PostgreSQL comes from ``VIGIE_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1/postgres``).
Without it the PostgreSQL variants skip locally, and fail when ``VIGIE_REQUIRE_POSTGRES=1`` (set by CI).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from vigie.storage.db import make_engine, make_session_factory
from vigie.storage.registry import metadata

SHARED_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


def dataset_dir(name: str) -> Path:
    """The shared dataset folder, or a clean skip saying what is missing."""
    path = Path(os.environ.get("VIGIE_DATASETS", SHARED_DATASETS)) / name
    if not path.exists():
        pytest.skip(f"dataset {name!r} not found at {path} (set VIGIE_DATASETS to ../shared/datasets)")
    return path


BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_benchmark(name: str) -> ModuleType:
    """A script of ``benchmarks/`` imported as a module (the folder is not a package), to reuse its loaders
    and reference definitions in a test."""
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def _postgres_admin_url() -> str | None:
    url = os.environ.get("VIGIE_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("VIGIE_REQUIRE_POSTGRES") == "1":
        pytest.fail("VIGIE_REQUIRE_POSTGRES=1 but VIGIE_TEST_POSTGRES_URL is not set")
    return None


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 at production cost takes ~0.3 s a hash; tests only need it to be argon2."""
    from argon2 import PasswordHasher

    from vigie.accounts import service

    original = service._hasher
    service._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    service._hasher = original


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip("PostgreSQL tests skipped: set VIGIE_TEST_POSTGRES_URL to run them")
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"vigie_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any connection failure means "no server"
        if os.environ.get("VIGIE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but unreachable at {admin_url}: {error}")
        pytest.skip(f"PostgreSQL unreachable at {admin_url}: {error}")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _postgres_schema_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL with the full schema and no rows, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'vigie.sqlite3'}"
        engine = make_engine(url)
        metadata.create_all(engine)
        engine.dispose()
        yield url
        return
    engine: Engine = request.getfixturevalue("_postgres_schema_engine")
    with engine.begin() as connection:
        # DELETE is much faster than TRUNCATE on the small tables tests leave behind.
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
    yield engine.url.render_as_string(hide_password=False)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point the CLI (which reads settings from the environment) at the test database."""
    monkeypatch.setenv("VIGIE_DATABASE_URL", db_url)
    monkeypatch.setenv("VIGIE_DATA_DIR", str(tmp_path / "data"))
    return db_url
