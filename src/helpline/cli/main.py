"""Entry point of the ``helpline`` command: assembles the sub-commands.

Sub-commands load when invoked, so ``helpline simulate`` does not pay for the
optimiser, SQL and web stacks the other commands need.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click
import typer
from rich.console import Console

from ..core.errors import InputError

# name -> (module, attribute, one-line help); a Typer app is a group, a function a command.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "simulate": ("simulate", "simulate", "Simulate a day (or more) of a center and print KPIs."),
    "kpis": ("kpis", "kpis", "KPIs per queue, interval, agent or team from recorded events."),
    "serve": ("serve", "serve", "Run the live server (HTTP API over the routing engine)."),
    "erlang": ("erlang", "app", "Erlang C and Erlang A for one interval."),
    "import": ("importer", "app", "Import history from another system into the event log."),
    "wfm": ("wfm", "app", "Workforce management: forecast, staff, schedule, what-if, adherence."),
    "qa": ("qa", "app", "Quality inspection: checks, sampling, evaluations, disputes, reports."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module = importlib.import_module(f"{__package__}.{target[0]}")
        obj: Any = getattr(module, target[1])
        command: click.Command
        if isinstance(obj, typer.Typer):
            command = typer.main.get_group(obj)  # a group even when it has one sub-command
        else:
            single = typer.Typer(add_completion=False)
            single.command(cmd_name)(obj)
            command = typer.main.get_command(single)
        command.name = cmd_name
        command.short_help = target[2]
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing the commands must not import them all: the help lines are above.
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_) for name, (_, _, help_) in COMMANDS.items()])


cli = LazyGroup(
    name="helpline",
    help="helpline: contact-center routing, simulation, workforce management and quality.",
    no_args_is_help=True,
)

err_console = Console(stderr=True)


def main() -> None:
    try:
        cli(prog_name="helpline")
    except InputError as exc:
        err_console.print(
            f"[bold red]error:[/] {exc.render()}", highlight=False, markup=True, soft_wrap=True
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
