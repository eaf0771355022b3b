"""`helpline wfm` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="wfm commands", no_args_is_help=True)
