"""Reading YAML files into validated models; the one place that parses YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .core.errors import InputError, Problem, from_validation_error

M = TypeVar("M", bound=BaseModel)


def read_yaml(path: str | Path) -> Any:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(p), [Problem("", "file not found", None, False)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(p), [Problem("", f"cannot read: {exc}", None, False)]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(str(p), [Problem(where, f"not valid YAML: {exc}", None, False)]) from None


def load_model(path: str | Path, model: type[M]) -> M:
    data = read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, str(path)) from None
