"""`helpline serve`: bad options are named, never a traceback.

Most cases call the command's function in-process (it raises the InputError the
CLI prints); one runs the real command to see the exit code and the message.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from helpline.cli.serve import serve
from helpline.core import events as ev
from helpline.core.errors import InputError
from helpline.store.eventlog import EventLog

from .server import Server, free_port, serve_command, write_center

REPO = Path(__file__).resolve().parents[2]
SMALL = {"queues": [{"name": "billing", "skills": {"billing": 1}}],
         "agents": [{"id": "a1", "team": "t", "skills": {"billing": 3}}]}  # fmt: skip


def run(center: Path, db: str, port: int | None = None) -> str:
    """The error ``helpline serve`` would print."""
    with pytest.raises(InputError) as err:
        serve(center=center, db=db, host="127.0.0.1", port=port or free_port(), log_level="error")
    message: str = err.value.render()
    return message


def assert_refused(message: str, *needles: str) -> None:
    flat = " ".join(message.split())
    for needle in needles:
        assert needle in flat, message


def test_the_command_exits_2_with_the_message(center: Path) -> None:
    cmd = serve_command(center, "mysql://root:secret@localhost/hl", free_port())
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "unsupported database 'mysql'" in result.stderr
    assert "secret" not in result.stderr


@pytest.fixture
def center(tmp_path: Path) -> Path:
    return write_center(tmp_path / "center.yaml", SMALL)


def test_a_bad_database_url_is_named(center: Path) -> None:
    assert_refused(run(center, "mysql://root@localhost/hl"), "url", "unsupported database")


def test_a_missing_directory_for_the_log_is_named(center: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/nowhere/helpline.sqlite"
    assert_refused(run(center, db), "does not exist", "nowhere")


def test_a_missing_center_file_is_named(tmp_path: Path, sqlite_url: str) -> None:
    assert_refused(run(tmp_path / "nope.yaml", sqlite_url), "nope.yaml", "file not found")


def test_a_bad_field_in_a_scenario_center_is_named(tmp_path: Path, sqlite_url: str) -> None:
    bad = {"center": {**SMALL, "routing": {"rona_s": -5}}, "traffic": {}}
    path = write_center(tmp_path / "scenario.yaml", bad)
    assert_refused(run(path, sqlite_url), "center.routing.rona_s", "-5")


def test_a_port_in_use_is_named(center: Path, sqlite_url: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        assert_refused(run(center, sqlite_url, port), "--host/--port", "already in use")


def test_a_log_from_another_center_is_refused_and_kept(center: Path, sqlite_url: str) -> None:
    with EventLog.open(sqlite_url) as log:
        log.append([ev.AgentLoggedIn(ts=1, agent_id="a1"), ev.AgentLoggedIn(ts=2, agent_id="zz9")])
    assert_refused(run(center, sqlite_url), "seq 2", "does not fit this center")
    with EventLog.open(sqlite_url) as log:
        assert log.last_seq() == 2


def test_a_second_server_on_the_same_log_is_refused(center: Path, sqlite_url: str) -> None:
    with Server(center, sqlite_url) as first:
        pid = first.proc.pid if first.proc else 0
        assert_refused(run(center, sqlite_url), "already writing this event log", f"pid {pid}")
        assert first.get("/health")["status"] == "ok"


def test_the_example_scenario_serves_its_center(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'helpline.sqlite'}"
    with Server(REPO / "examples" / "10086.yaml", db) as server:
        health = server.get("/health")
        assert health["center"].startswith("10086")
        names = [q["queue"] for q in server.get("/queues")["queues"]]
        assert {"billing", "complaints", "vip", "second_line"} <= set(names)
