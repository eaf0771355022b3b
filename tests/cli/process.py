"""Run ``helpline`` as a user does: a real process, its exit code and output."""

from __future__ import annotations

import subprocess
import sys

HELPLINE = [sys.executable, "-m", "helpline.cli.main"]


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HELPLINE, *args], capture_output=True, text=True, timeout=timeout)
