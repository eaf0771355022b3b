"""`helpline import`: history from another center into the event log."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from ..store.calls_import import import_calls

app = typer.Typer(help="import history from another system", no_args_is_help=True)
err = Console(stderr=True)


@app.command("calls")
def calls(
    csv_file: Path = typer.Argument(..., help="per-call records, CSV with a header row"),
    mapping: Path = typer.Option(..., help="YAML naming the columns and time formats"),
    db: str = typer.Option("sqlite:///helpline.sqlite", help="event log URL"),
    on_error: str = typer.Option("skip", help="bad rows: skip (and list them) or reject the file"),
) -> None:
    """Load per-call records into the event log: every KPI and forecast then works on them."""
    with err.status("reading calls...") as status:
        report = import_calls(
            csv_file, mapping, db, on_error,
            progress=lambda n: status.update(f"reading calls... {n} rows"),
        )  # fmt: skip
    for p in report.skipped[:50]:
        err.print(f"[yellow]skipped[/] {p.render()}", markup=True, highlight=False)
    if len(report.skipped) > 50:
        err.print(f"... and {len(report.skipped) - 50} more skipped rows")
    err.print(
        f"imported {report.calls} calls ({report.events} events) from {report.rows} rows; "
        f"{len(report.skipped)} skipped"
    )
