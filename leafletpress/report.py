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
        self.noted: set[tuple[str, str]] = set()  # (language, note): a note is said once per language

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
        language = result.edition.language.tag
        fresh = [note for note in result.notes if (language, note) not in self.noted]
        self.noted.update((language, note) for note in fresh)
        return lines + [f"        note: {note}" for note in fresh]


def not_translated_lines(items) -> list[str]:
    """One line per leaflet naming the languages it is not yet translated into, and why."""
    by_leaflet: dict[str, dict[str, list[str]]] = {}
    for item in items:
        by_leaflet.setdefault(item.leaflet, {}).setdefault(item.reason, []).append(item.language.tag)
    lines = []
    for leaflet, reasons in by_leaflet.items():
        parts = [f"{', '.join(tags)} ({reason})" for reason, tags in reasons.items()]
        lines.append(f"not yet translated: {leaflet} in {'; '.join(parts)}")
    if any(item.reason == "no catalog yet" for item in items):
        lines.append("        (start a language's catalogs with `make_leaflets.py init LANG`; see `make_leaflets.py status`)")
    return lines


def after_build_lines(result, out: Path, display, seconds: float) -> list[str]:
    """What a build says once every edition is reported: leaflets that failed, notes, editions
    moved aside, what is not yet translated, and the summary."""
    return [
        *(f"FAILED  {problem}" for problem in result.leaflet_problems),
        *(f"note: {note}" for note in result.published.notes),
        *(f"moved   {name} to out-of-date/: {reason}" for name, reason in result.published.moved),
        *not_translated_lines(result.not_translated),
        summary(result, out, display, seconds),
    ]


def summary(result, out: Path, display, seconds: float) -> str:
    editions = [edition for edition in result.editions if edition is not None]
    written = sum(1 for edition in editions if edition.ok and not edition.skipped)
    unchanged = sum(1 for edition in editions if edition.skipped)
    failed = sum(1 for edition in editions if not edition.ok) + len(result.leaflet_problems)
    moved = len(result.published.moved)
    waiting = len({(item.leaflet, item.language.tag) for item in result.not_translated})
    waiting_text = f", {waiting} not yet translated" if waiting else ""
    return (
        f"{written} edition(s) written, {unchanged} up to date, {failed} failed{waiting_text}, "
        f"{moved} moved to out-of-date/, in {display(out)} ({seconds:.1f} s)"
    )


STATE_WORDS = {
    "reviewed": "reviewed", "unreviewed": "not reviewed", "stale": "changed since review",
    "broken": "cannot be read", "no catalog": "not yet translated",
}
STATUS_WIDTH = 80  # the table fits a terminal of 80 columns, and reads the same piped into a file
STATUS_COLUMNS = "  {lang:<{width}} {translated:>10} {fuzzy:>6}  {review:<20}  "


def status_table(rows, detail: bool = False) -> str:
    """A plain table, one row per leaflet and language, grouped by leaflet, within 80 columns:
    translated strings, fuzzy ones, the review state (reviewer and date on the line below) and the
    language in its own script and in English. With `detail`, the strings changed since each
    sign-off and the fuzzy ones, old and new English."""
    from textwrap import wrap

    lines: list[str] = []
    width = max([8, *(len(row.language.tag) for row in rows)])  # "ca-ES-valencia" widens the column
    for leaflet in dict.fromkeys(row.leaflet for row in rows):
        lines += [leaflet, STATUS_COLUMNS.format(lang="lang", translated="translated", fuzzy="fuzzy", review="review", width=width) + "language"]
        for row in (row for row in rows if row.leaflet == leaflet):
            translated = "-" if row.state == "no catalog" else f"{row.translated}/{row.total} {row.percent:>3}%"
            start = STATUS_COLUMNS.format(
                lang=row.language.tag, translated=translated, fuzzy="-" if row.state == "no catalog" else row.fuzzy,
                review=STATE_WORDS.get(row.state, row.state), width=width,
            )
            lines += _cells_wrapped(start, language_label(row.language), STATUS_WIDTH)
            signed = row.review.sign_off
            indent = " " * 11
            if signed and row.state in ("reviewed", "stale"):
                lines += wrap(f"by {signed.reviewer} on {signed.date}", STATUS_WIDTH, initial_indent=indent, subsequent_indent=indent)
            for problem in row.problems:
                lines += wrap(str(problem), STATUS_WIDTH, initial_indent=indent, subsequent_indent=indent)
            if detail:
                for change in row.review.changes:
                    lines += wrap(change.describe(), STATUS_WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")
                for old, new in row.fuzzy_strings:
                    text = f"fuzzy: {old!r} -> {new!r}" if old else f"fuzzy: {new!r}"
                    lines += wrap(text, STATUS_WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")
    return "\n".join(lines)


def language_label(language) -> str:
    if language.is_source:
        return "English"
    return f"{language.native_name} · {language.english_name}"


def _cells_wrapped(start: str, label: str, width: int) -> list[str]:
    """`start` then `label`; a label too wide for the rest of the line continues on the next,
    aligned (counted in terminal cells: Chinese characters take two)."""
    from rich.cells import cell_len

    if cell_len(start + label) <= width:
        return [start + label]
    native, _, english = label.partition(" · ")
    parts = [native + " ·", english] if english else [native]
    indent = " " * cell_len(start)
    if all(cell_len(indent + part) <= width for part in parts):
        return [start + parts[0], *(indent + part for part in parts[1:])]
    return [start.rstrip(), *("    " + part for part in parts)]  # too wide beside the columns: below them
