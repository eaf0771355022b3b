"""Entry point of the ``helpline`` command: assembles the sub-commands."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from ..core.errors import InputError
from . import erlang, importer, kpis, qa, serve, simulate, wfm

app = typer.Typer(
    name="helpline",
    help="helpline: contact-center routing, simulation, workforce management and quality.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("simulate")(simulate.simulate)
app.command("kpis")(kpis.kpis)
app.command("serve")(serve.serve)
app.add_typer(erlang.app, name="erlang")
app.add_typer(importer.app, name="import")
app.add_typer(wfm.app, name="wfm")
app.add_typer(qa.app, name="qa")

err_console = Console(stderr=True)


def main() -> None:
    try:
        app()
    except InputError as exc:
        err_console.print(f"[bold red]error:[/] {exc.render()}", highlight=False, markup=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
