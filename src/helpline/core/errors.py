"""One error type for bad input, turned into a message by the CLI and the API.

Every problem names where it was found (file, field path such as
``queues[3].sl_target.seconds``, CSV line) and the offending value, so a user
can fix the input without reading a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    value: Any = None
    has_value: bool = True

    def render(self) -> str:
        shown = f" (got {self.value!r})" if self.has_value else ""
        where = self.path or "<root>"
        return f"{where}: {self.message}{shown}"


@dataclass
class InputError(Exception):
    """Bad input from a user: a file, a CLI option or an API body."""

    source: str
    problems: Sequence[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{self.source}: {len(self.problems)} problem(s)"]
        lines += [f"  - {p.render()}" for p in self.problems]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "problems": [
                {"path": p.path, "message": p.message, "value": _jsonable(p.value)}
                for p in self.problems
            ],
        }


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, str | int | float | bool):
        return v
    return repr(v)


def format_loc(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def from_validation_error(exc: ValidationError, source: str) -> InputError:
    problems = []
    for err in exc.errors():
        has_value = err["type"] != "missing"
        value = err.get("input") if has_value else None
        problems.append(Problem(format_loc(err["loc"]), _clean(err["msg"]), value, has_value))
    return InputError(source, problems)


def _clean(msg: str) -> str:
    return msg.removeprefix("Value error, ")
