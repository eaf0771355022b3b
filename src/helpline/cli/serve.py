"""`helpline serve`: the live server (placeholder until the store lands)."""

from __future__ import annotations

import typer


def serve(
    db: str = typer.Option("sqlite:///helpline.sqlite", help="database URL"),
) -> None:
    """Run the live server."""
    raise typer.Exit(code=1)
