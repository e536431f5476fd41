"""Server settings: typed, read from the environment (prefix ``VIGIE_``), never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(user_data_dir("vigie", appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'vigie.sqlite3'}"


class Settings(BaseSettings):
    """Everything the server process needs; organisation policy lives in the database instead."""

    model_config = SettingsConfigDict(env_prefix="VIGIE_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    redis_url: str = "redis://127.0.0.1:6379/0"
    # inline: each ingest run analyses what it stores; queue: it publishes to Redis and `vigie worker` analyses.
    analysis_mode: Literal["inline", "queue"] = "inline"
    data_dir: Path = Field(default_factory=default_data_dir)
    secret_key: str = ""
    ingest_batch_size: int = Field(default=1000, ge=1, le=100_000)
    max_text_length: int = Field(default=10_000, ge=1)
    # Session cookies carry the Secure flag; browsers accept it on http://localhost and 127.0.0.1.
    cookie_secure: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_from: str = "vigie@localhost"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def get_settings() -> Settings:
    return Settings()
