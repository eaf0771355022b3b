"""Every store test runs against a real SQLite file and a real PostgreSQL schema."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    value: str = request.getfixturevalue(name)
    return value
