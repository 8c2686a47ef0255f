"""Print formats: which stylesheet lays out the page, and the page size every edition is checked against."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # as in file names and --format: "A4"
    stylesheet: str  # under templates/
    width_mm: float
    height_mm: float
    budget_key: str  # which leaflet.pages entry limits this format


FORMATS = {
    "A4": Format("A4", "a4.css", 210, 297, "A4"),
    "A5": Format("A5", "a5.css", 148, 210, "A5"),
}
DEFAULT_FORMATS = ("A4", "A5")
