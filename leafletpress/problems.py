"""A problem found in an input file, reported as `file:line: message` like a compiler."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


class InputError(ValueError):
    """An input file that cannot be used; the message names the file and the field."""

    def __init__(self, path: Path | str, field_name: str, problem: str):
        self.path = Path(path)
        self.field_name = field_name
        super().__init__(f"{path}: {field_name}: {problem}")


def read_toml(path: Path, error: type[InputError] = InputError) -> dict:
    """A TOML input file as data, or `error` naming the file and what is wrong with it."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(path, "file", "does not exist") from None
    except UnicodeDecodeError as problem:
        raise error(path, "file", f"is not UTF-8 ({problem.reason} at byte {problem.start})") from None
    except tomllib.TOMLDecodeError as problem:
        raise error(path, "file", f"is not valid TOML: {problem}") from None


@dataclass(frozen=True)
class Problem:
    path: Path | None
    line: int | None
    message: str
    severity: str = "error"  # "error" refuses the edition or fails `check`; "warning" is only shown

    def __str__(self) -> str:
        where = str(self.path) if self.path else ""
        if self.path and self.line:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
