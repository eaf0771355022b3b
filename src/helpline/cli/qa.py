"""`helpline qa` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="qa commands", no_args_is_help=True)
