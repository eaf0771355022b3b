"""`helpline serve`: the live server over an event log (SQLite file by default)."""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from ..config import read_yaml
from ..core.center import Center, parse_center
from ..core.errors import InputError, Problem

err = Console(stderr=True)


def serve(
    center: Path = typer.Option(..., "--center", help="center YAML (or a scenario with center:)"),
    db: str = typer.Option("sqlite:///helpline.sqlite", help="event log URL: SQLite or PostgreSQL"),
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
    log_level: str = typer.Option("warning", help="uvicorn log level"),
) -> None:
    """Run the live server: replay the log, then route calls over HTTP."""
    import uvicorn

    from ..adapters.clock import WallClock
    from ..api.app import create_app
    from ..store.eventlog import EventLog

    _check_listen(host, port)
    model = load_center(center)
    log = EventLog.open(db)
    try:
        app = create_app(model, log, WallClock())
        live = app.state.live
        err.print(
            f"helpline: {model.name} · {len(model.queues)} queues · "
            f"{len(live.engine.agents)} agents · log {_shown(db)} at seq {live.last_seq} · "
            f"http://{host}:{port}",
            highlight=False,
            soft_wrap=True,
        )
        uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
    finally:
        log.close()


def load_center(path: Path) -> Center:
    """A center file, or a simulation scenario whose ``center:`` section is used."""
    data: Any = read_yaml(path)
    if isinstance(data, dict) and isinstance(data.get("center"), dict):
        try:
            return parse_center(data["center"], str(path))
        except InputError as exc:
            problems = [Problem(f"center.{p.path}", p.message, p.value, p.has_value)
                        for p in exc.problems]  # fmt: skip
            raise InputError(str(path), problems) from None
    return parse_center(data, str(path))


def _check_listen(host: str, port: int) -> None:
    if not 1 <= port <= 65535:
        raise InputError("serve", [Problem("--port", "must be between 1 and 65535", port)])
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        why = "already in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise InputError(
            "serve", [Problem("--host/--port", f"cannot listen on {host}:{port}: {why}", port)]
        ) from None


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
