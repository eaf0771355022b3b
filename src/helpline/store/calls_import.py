"""Load another system's call records (CSV) into the event log."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..config import load_model
from ..core import events as ev
from ..core.errors import InputError, Problem
from ..history.mapping import CallMapping, RowError, RowReader, to_events
from .eventlog import EventLog

Progress = Callable[[int], None]


@dataclass
class ImportReport:
    rows: int = 0
    calls: int = 0
    events: int = 0
    skipped: list[Problem] = field(default_factory=list)


def _open(path: Path) -> TextIO:
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        problem = Problem("", f"cannot read: {exc.strerror}", None, False)
        raise InputError(str(path), [problem]) from None


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with _open(path) as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            raise InputError(str(path), [Problem("line 1", "no header row", None, False)])
        for row in reader:
            yield reader.line_num, row


def _check_header(path: Path, mapping: CallMapping) -> None:
    with _open(path) as handle:
        header = next(csv.reader(handle), [])
    wanted = {k: v for k, v in mapping.columns.model_dump().items() if v is not None}
    missing = [Problem(f"columns.{k}", f"no column {v!r} in the CSV header", v)
               for k, v in wanted.items() if v not in header]  # fmt: skip
    if missing:
        raise InputError(str(path), missing)


def read_calls(
    path: Path, mapping: CallMapping, on_error: str, progress: Progress | None = None
) -> tuple[list[ev.Event], ImportReport]:
    """Events of every good row, in time order; bad rows skipped or the whole file rejected."""
    reader = RowReader(mapping)
    report = ImportReport()
    seen: set[str] = set()
    batches: list[list[ev.Event]] = []
    for line, row in _rows(path):
        report.rows += 1
        try:
            record = reader.record(row, line)
            if record.call_id in seen:
                raise RowError(Problem(f"line {line}: {mapping.columns.call_id}",
                                       "duplicate call id", record.call_id))  # fmt: skip
        except RowError as bad:
            report.skipped.append(bad.problem)
            continue
        seen.add(record.call_id)
        batches.append(to_events(record))
        if progress is not None and report.rows % 5000 == 0:
            progress(report.rows)
    if report.skipped and on_error == "reject":
        raise InputError(str(path), report.skipped)
    # One log in time order; a call's own events keep their order at equal times.
    flat = [(e.ts, i, k, e) for i, batch in enumerate(batches) for k, e in enumerate(batch)]
    flat.sort(key=lambda x: (x[0], x[1], x[2]))
    events = [x[3] for x in flat]
    report.calls = len(batches)
    report.events = len(events)
    return events, report


def import_calls(
    csv_path: Path,
    mapping_path: Path,
    db_url: str,
    on_error: str = "skip",
    progress: Progress | None = None,
) -> ImportReport:
    if on_error not in ("skip", "reject"):
        raise InputError("import", [Problem("--on-error", "skip or reject", on_error)])
    mapping = load_model(mapping_path, CallMapping)
    _check_header(csv_path, mapping)
    events, report = read_calls(csv_path, mapping, on_error, progress)
    with EventLog.open(db_url) as log:
        for start in range(0, len(events), 20_000):
            log.append(events[start : start + 20_000])
    return report
