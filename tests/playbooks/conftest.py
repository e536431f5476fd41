from __future__ import annotations

import pytest
from alembic import command

from vigie.storage.migrate import alembic_config


@pytest.fixture
def cli(cli_env: str) -> str:
    """The CLI on the test database (SQLite stamped at head so the CLI does not re-create tables)."""
    if cli_env.startswith("sqlite"):
        command.stamp(alembic_config(cli_env), "head")
    return cli_env
