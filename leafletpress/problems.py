"""A problem found in an input file, reported as `file:line: message` like a compiler."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
