"""An edition: one leaflet, in one language, in one format. Its file name says all three."""

from __future__ import annotations

from dataclasses import dataclass

from leafletpress.inputs.formats import Format
from leafletpress.inputs.languages import SOURCE_LANGUAGE, Language
from leafletpress.inputs.leaflet import Leaflet


@dataclass(frozen=True)
class Edition:
    leaflet: Leaflet
    language: Language
    format: Format
    marks: bool = False  # crop marks and bleed for a print shop

    @property
    def bilingual(self) -> bool:
        return self.format.bilingual

    @property
    def easy_read(self) -> bool:
        return self.format.easy_read

    @property
    def warning_anchor(self) -> str:
        """The HTML id of the warning box on this edition's pages."""
        if self.easy_read:
            return "section-easy-read-warning"
        return self.leaflet.warning.anchor

    def warning_strings(self) -> tuple[str, ...]:
        """The strings printed in this edition's warning box, in reading order."""
        if self.easy_read:
            return self.leaflet.easy_read.warning.strings()
        return self.leaflet.warning.strings()

    @property
    def title_msgid(self) -> str:
        return self.leaflet.easy_read.title if self.easy_read else self.leaflet.title

    @property
    def format_label(self) -> str:
        return f"{self.format.file_label}-marks" if self.marks else self.format.file_label

    @property
    def language_label(self) -> str:
        return f"{self.language.tag}+{SOURCE_LANGUAGE}" if self.bilingual else self.language.tag

    @property
    def filename(self) -> str:
        return f"{self.leaflet.id}_{self.language_label}_{self.format_label}.pdf"

    @property
    def label(self) -> str:
        return f"{self.leaflet.id} {self.language_label} {self.format_label}"
