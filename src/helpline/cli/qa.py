"""`helpline qa`: automatic checks, fair sampling, evaluations, calibration and reports.

Thin: reading files and the event log, progress bars and printing live here;
every rule is in ``helpline.qa``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..config import read_yaml
from ..core.errors import InputError, Problem
from ..qa.checks import Checker, queue_norms
from ..qa.rules import Rules, default_rules, parse_rules
from ..qa.transcript import Transcript, parse_line

app = typer.Typer(
    help="quality inspection (质检): checks, sampling, evaluations", no_args_is_help=True
)
out = Console()
if not out.is_terminal:
    out = Console(width=170)
err = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), [Problem("", "file not found", None, False)]) from None
    except OSError as exc:
        raise InputError(str(path), [Problem("", f"cannot read: {exc}", None, False)]) from None
    with handle:
        try:
            for i, raw in enumerate(handle, start=1):
                if raw.strip():
                    yield i, raw
        except UnicodeDecodeError as exc:
            problem = Problem("", f"not UTF-8 text: {exc}", None, False)
            raise InputError(str(path), [problem]) from None


def read_transcripts(path: Path) -> list[Transcript]:
    found = [parse_line(raw, str(path), i) for i, raw in _lines(path)]
    seen: dict[str, int] = {}
    for i, t in enumerate(found):
        if t.call_id in seen:
            raise InputError(
                str(path), [Problem(f"transcript {i + 1}: call_id", "appears twice", t.call_id)]
            )
        seen[t.call_id] = i
    return found


def load_rules(path: Path | None) -> Rules:
    return default_rules() if path is None else parse_rules(read_yaml(path), str(path))


@app.command("check")
def check(
    transcripts: Path = typer.Argument(..., help="transcripts, JSON Lines (- for stdin)"),
    rules_file: Path | None = typer.Option(None, "--rules", help="rules YAML (default: shipped)"),
    as_json: bool = typer.Option(False, "--json", help="one JSON line per call on stdout"),
) -> None:
    """Automatic checks on every call: phrases, silences, holds, talk-over, sentiment."""
    rules = load_rules(rules_file)
    calls = read_transcripts(transcripts)
    checker = Checker(rules, queue_norms(calls, rules.handle_time.min_calls))
    results = []
    with _progress() as bar:
        task = bar.add_task("checking", total=len(calls))
        for t in calls:
            r = checker.check(t)
            if as_json:
                sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
            else:
                results.append(r)
            bar.advance(task)
    if as_json:
        return
    table = Table(title=f"automatic checks: {len(results)} calls")
    for col in ("call", "agent", "score", "sentiment start→end", "failed checks"):
        table.add_column(col)
    for r in results:
        s = r.sentiment
        senti = f"{s.start:+.2f} → {s.end:+.2f}" if s else "-"
        failed = ", ".join(f"{f.check}({f.detail})" if f.detail else f.check for f in r.failed())
        table.add_row(r.call_id, r.agent_id or "-", f"{r.auto_score:g}", senti, failed or "-")
    out.print(table)


def _dump(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
