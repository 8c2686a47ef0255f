"""The languages the project speaks, as a table drawn from the catalogs, CLDR and fonts.toml:
`make_leaflets.py status --languages` prints it, and README.md holds a copy that a test compares
with the command's output, so the README cannot drift from the project."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale

from leafletpress.inputs.fonts import FontLibrary
from leafletpress.inputs.languages import Language

ENGLISH = Locale("en")


@dataclass(frozen=True)
class LanguageCoverage:
    language: Language
    font: str
    review: str  # "leaflet: state" for every leaflet published in it

    def cells(self) -> list[str]:
        language = self.language
        script = f"{ENGLISH.scripts.get(language.script, language.script)} ({language.script})"
        numbering = language.locale.default_numbering_system
        numerals = "0123456789" if language.counter_style == "decimal" else language.digits("0123456789")
        name = "English" if language.is_source else f"{language.native_name} · {language.english_name}"
        direction = "right to left" if language.direction == "rtl" else "left to right"
        return [name, f"`{language.tag}`", script, self.font, direction, f"{numerals} ({numbering})", self.review]


HEADER = ["language", "tag", "script", "font", "direction", "numerals (CLDR)", "review"]


def coverage(languages: list[Language], fonts: FontLibrary, reviews: dict[str, str]) -> list[LanguageCoverage]:
    return [LanguageCoverage(language, fonts.stack(language).families[0], reviews.get(language.tag, "")) for language in languages]


def coverage_table(rows: list[LanguageCoverage]) -> str:
    """A Markdown table, one row per language, English first."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)
