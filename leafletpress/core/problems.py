"""One kind of problem, end to end, and one exception for "this command cannot go on".

A `Problem` says what is wrong, where (file, line, field) and how bad it is. Checks return lists of
problems; an edition that has any error is refused, and `check` prints them like a compiler does:
`file:line: field: message`. `LeafletPressError` is raised when a command cannot start or carry on
(a broken leaflet or clinic file, an unknown language, an output folder in use); the command line
prints its problems, one line each, and exits with its code. Nothing else is caught by the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ERROR = "error"  # refuses the edition, fails `check`
WARNING = "warning"  # shown, never refuses


@dataclass(frozen=True)
class Problem:
    message: str
    path: Path | None = None
    line: int | None = None
    field: str | None = None  # "leaflet.review", "phone", a section's id…
    severity: str = ERROR

    def __str__(self) -> str:
        where = str(self.path) if self.path else ""
        if self.path and self.line:
            where += f":{self.line}"
        parts = [part for part in (where, self.field, self.message) if part]
        return ": ".join(parts)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def errors(problems) -> list[Problem]:
    return [problem for problem in problems if problem.is_error]


class LeafletPressError(Exception):
    """A command cannot start or go on; `problems` say why, one line each.

    Subclasses name the kind (a bad input file, a usage error, an unusable output folder) so a
    caller can catch one kind; the command line catches only this base.
    """

    exit_code = 2

    def __init__(self, *problems: Problem | str):
        self.problems = tuple(problem if isinstance(problem, Problem) else Problem(problem) for problem in problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class UsageError(LeafletPressError):
    """A request that names something the project does not have, or options that do not go together."""


class InputError(LeafletPressError):
    """An input file that cannot be used; the message names the file and the field."""

    def __init__(self, path: Path | str | None, field_name: str, problem: str):
        self.path = Path(path) if path else None
        self.field_name = field_name
        super().__init__(Problem(problem, path=self.path, field=field_name))
