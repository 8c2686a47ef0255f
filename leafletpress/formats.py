"""Print formats: the stylesheet that lays out the page, the size every page is checked against,
and, for office printing, the sheet the pages are imposed on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # as in file names and --format: "A4", "A5-2up"
    stylesheet: str  # under templates/
    width_mm: float  # the laid-out page
    height_mm: float
    budget_key: str  # which leaflet.pages entry limits this format
    sheet_mm: tuple[float, float] | None = None  # imposed two-up on this sheet (landscape)

    @property
    def imposed(self) -> bool:
        return self.sheet_mm is not None


FORMATS = {
    "A4": Format("A4", "a4.css", 210, 297, "A4"),
    "A5": Format("A5", "a5.css", 148, 210, "A5"),
    # Clear-print guidance: body 16 pt or more, generous spacing, left-aligned.
    "A4-large": Format("A4-large", "a4-large.css", 210, 297, "A4-large"),
    # Every A5 page twice, side by side, on A4 landscape: an office printer makes A5 handouts.
    "A5-2up": Format("A5-2up", "a5.css", 148, 210, "A5", sheet_mm=(297, 210)),
}
DEFAULT_FORMATS = ("A4", "A5", "A4-large", "A5-2up")
BLEED_MM = 3
