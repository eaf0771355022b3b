"""`helpline erlang` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="erlang commands", no_args_is_help=True)
