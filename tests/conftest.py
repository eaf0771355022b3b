"""Shared fixtures: real SQLite files and a real PostgreSQL server.

PostgreSQL tests skip with a reason when no server answers, except where
HELPLINE_REQUIRE_PG=1 (CI), where an unreachable server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
PG_URL = os.environ.get("HELPLINE_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")


def _pg_unavailable_reason() -> str | None:
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means "no server here"
        return f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    reason = _pg_unavailable_reason()
    if reason:
        if os.environ.get("HELPLINE_REQUIRE_PG") == "1":
            pytest.fail(f"HELPLINE_REQUIRE_PG=1 but {reason}")
        pytest.skip(reason)
    return PG_URL


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for one test, dropped afterwards."""
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_server_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'create schema "{schema}"'))
    sep = "&" if "?" in pg_server_url else "?"
    yield f"{pg_server_url}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'drop schema "{schema}" cascade'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'helpline.sqlite'}"
