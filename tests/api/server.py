"""A real ``helpline serve`` process on a free port, and an HTTP client for it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx
import yaml

STARTUP_S = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def write_center(path: Path, center: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(center, allow_unicode=True), encoding="utf-8")
    return path


def serve_command(center: Path, db: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "helpline.cli.main", "serve",
        "--center", str(center), "--db", db, "--port", str(port),
    ]  # fmt: skip


class Server:
    """``helpline serve`` as a subprocess; ``kill()`` is a SIGKILL, no clean shutdown."""

    def __init__(self, center: Path, db: str) -> None:
        self.center = center
        self.db = db
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[str] | None = None
        self.client = httpx.Client(base_url=self.base, timeout=20)

    def start(self) -> Self:
        self.proc = subprocess.Popen(
            serve_command(self.center, self.db, self.port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"helpline serve exited: {self.proc.stderr.read()}")  # type: ignore[union-attr]
            try:
                if self.client.get("/health").status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError("helpline serve did not answer /health in time")

    def kill(self) -> None:
        assert self.proc is not None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        self.client.close()

    # --- the API, as a client uses it ---------------------------------------------

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        r = self.client.post(path, json=body)
        assert r.status_code in (200, 201), (path, r.status_code, r.text)
        out: dict[str, Any] = r.json()
        return out

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        r = self.client.get(path, params=params)
        assert r.status_code == 200, (path, r.status_code, r.text)
        out: dict[str, Any] = r.json()
        return out

    def ready(self, *agents: str) -> None:
        for a in agents:
            self.post(f"/agents/{a}/login")
            self.post(f"/agents/{a}/state", {"state": "ready"})
