"""Redis fixtures: the real server at VIGIE_TEST_REDIS_URL (default redis://127.0.0.1:6379/15).

Without a reachable server the worker tests skip locally, and fail when ``VIGIE_REQUIRE_REDIS=1`` (CI).
Each test gets its own key prefix and deletes only its own keys afterwards, so parallel runs never meet.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis

from vigie.workers import bus as bus_module

DEFAULT_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url() -> str:
    return os.environ.get("VIGIE_TEST_REDIS_URL", DEFAULT_URL)


@pytest.fixture
def redis_client(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[redis.Redis]:
    client = bus_module.connect(redis_url)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("VIGIE_REQUIRE_REDIS") == "1":
            pytest.fail(f"VIGIE_REQUIRE_REDIS=1 but Redis is unreachable at {redis_url}: {error}")
        pytest.skip(f"Redis unreachable at {redis_url}: {error}")
    prefix = f"vigie-test-{uuid.uuid4().hex[:10]}:"
    monkeypatch.setattr(bus_module, "PREFIX", prefix)
    monkeypatch.setenv("VIGIE_REDIS_URL", redis_url)
    yield client
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()
