"""How a build reports to a person: one line per edition in a stable order, with a progress bar
on a terminal and plain lines everywhere else (CI, logs)."""

from __future__ import annotations

import sys
from pathlib import Path


class BuildReport:
    """Receives results in finishing order; prints them in plan order as soon as each is next."""

    def __init__(self, display, stream=None, progress: bool | None = None):
        self.display = display  # path -> short text
        self.stream = stream or sys.stdout
        self.show_progress = self.stream.isatty() if progress is None else progress
        self.waiting: dict[int, object] = {}
        self.next_index = 0
        self.finished = 0
        self.progress = None
        self.task = None

    def __enter__(self):
        if self.show_progress:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(file=self.stream), transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("planning", total=None)
        return self

    def __exit__(self, *exc):
        if self.progress:
            self.progress.stop()

    def __call__(self, index: int, total: int, result) -> None:
        self.finished += 1
        if self.progress:
            label = "up to date" if result.skipped else result.edition.label
            self.progress.update(self.task, total=total, completed=self.finished, description=label)
        self.waiting[index] = result
        while self.next_index in self.waiting:
            for line in self.lines(self.waiting.pop(self.next_index)):
                self.print(line)
            self.next_index += 1

    def print(self, line: str) -> None:
        if self.progress:
            self.progress.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.stream, flush=True)

    def lines(self, result) -> list[str]:
        if result.skipped:
            return []
        if result.ok:
            lines = [
                f"wrote   {self.display(result.path)}  {result.pages} page(s)  {result.size / 1024:.0f} KB  "
                f"{result.review_label}  {result.seconds:.2f} s"
            ]
        else:
            lines = [f"FAILED  {result.edition.filename}", *(f"        {problem}" for problem in result.problems)]
        return lines + [f"        note: {note}" for note in result.notes]


def summary(result, out: Path, display, seconds: float) -> str:
    editions = [edition for edition in result.editions if edition is not None]
    written = sum(1 for edition in editions if edition.ok and not edition.skipped)
    unchanged = sum(1 for edition in editions if edition.skipped)
    failed = sum(1 for edition in editions if not edition.ok) + len(result.leaflet_problems)
    moved = len(result.published.moved)
    return (
        f"{written} edition(s) written, {unchanged} up to date, {failed} failed, "
        f"{moved} moved to out-of-date/, in {display(out)} ({seconds:.1f} s)"
    )


STATE_WORDS = {"reviewed": "reviewed", "unreviewed": "not reviewed", "stale": "changed since review", "broken": "cannot be read"}


def status_table(rows, detail: bool = False) -> str:
    """A plain table, one row per leaflet and language; with `detail`, the strings changed since
    each sign-off, old and new text."""
    lines = [f"{'leaflet':<16} {'lang':<8} {'translated':>12} {'fuzzy':>5}  review"]
    for row in rows:
        review = STATE_WORDS.get(row.state, row.state)
        signed = row.review.sign_off
        if signed and row.state in ("reviewed", "stale"):
            review += f" (by {signed.reviewer}, {signed.date})"
        translated = f"{row.translated}/{row.total}"
        lines.append(f"{row.leaflet:<16} {row.language.tag:<8} {translated:>8} {row.percent:>3}% {row.fuzzy:>5}  {review}")
        for problem in row.problems:
            lines.append(f"    {problem}")
        if detail:
            for change in row.review.changes:
                lines.append(f"    {change.describe()}")
    return "\n".join(lines)
