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
    bilingual: bool = False  # English beside the language; not made for English itself
    extra_pages: int = 0  # pages allowed beyond the leaflet's budget for budget_key
    file_name: str = ""  # the format's part of the file name, when it differs from `name`
    min_body_pt: float = 12.0  # Clear Print: the most common glyph size at least this
    min_text_pt: float = 9.0  # and no glyph smaller
    pages_of: str = ""  # an imposed format: the format whose pages it puts on the sheet
    easy_read: bool = False  # the leaflet's Easy Read text (picture rows), not its sections
    max_pages: int = 0  # a limit set by the format's standard, not by the leaflet's [leaflet.pages]
    one_page_mm: float = 0  # one page as long as the content, at least this long (bottom margin: below)
    bottom_margin_mm: float = 0

    @property
    def imposed(self) -> bool:
        return self.sheet_mm is not None

    @property
    def page_name(self) -> str:
        """The format of the laid-out pages: an A5-2up sheet is made of A5 pages."""
        return self.pages_of or self.name

    @property
    def file_label(self) -> str:
        return self.file_name or self.name

    def page_budget(self, budgets: dict[str, int]) -> int:
        if self.max_pages:
            return self.max_pages
        return budgets.get(self.budget_key, 0) + self.extra_pages


FORMATS = {
    "A4": Format("A4", "a4.css", 210, 297, "A4"),
    "A5": Format("A5", "a5.css", 148, 210, "A5"),
    # Clear Print large print: all text 16 pt or more, generous spacing, left-aligned.
    "A4-large": Format("A4-large", "a4-large.css", 210, 297, "A4-large", min_body_pt=16.0, min_text_pt=16.0),
    # Every A5 page twice, side by side, on A4 landscape: an office printer makes A5 handouts.
    "A5-2up": Format("A5-2up", "a5.css", 148, 210, "A5", sheet_mm=(297, 210), pages_of="A5"),
    # English beside the patient's language, so the midwife sees what the patient reads:
    # <leaflet>_<lang>+en_A4.pdf, one page more than the A4 budget.
    "A4-bilingual": Format("A4-bilingual", "a4-bilingual.css", 210, 297, "A4", bilingual=True, extra_pages=2, file_name="A4"),
    # Easy Read (NHS / PIF): one short sentence per row beside its picture, 16 pt and more, at most
    # 8 pages: <leaflet>_<lang>_easy-read.pdf. Made for leaflets with an [easy_read] text.
    "easy-read": Format(
        "easy-read", "easy-read.css", 210, 297, "", min_body_pt=16.0, min_text_pt=16.0, easy_read=True, max_pages=8
    ),
    # Phone: a narrow page read on a screen, the format emails attach (see PHONE_SCREEN_PX).
    # One page as long as the content: a phone scrolls, and the warning box is never cut by a page
    # end, whatever the language's length; the footer (page furniture) ends the page.
    "phone": Format("phone", "phone.css", 90, 0, "", min_body_pt=14.0, min_text_pt=12.0, max_pages=1, one_page_mm=160, bottom_margin_mm=72),
}
DEFAULT_FORMATS = ("A4", "A5", "A4-large", "A5-2up", "A4-bilingual", "easy-read", "phone")
# A phone shows a page at the screen's width: 90 mm (340 pt) across 390 CSS px is 1.147 px a point,
# so 14 pt body text is 16.1 px on the screen, WCAG's and the phone makers' smallest body size.
PHONE_SCREEN_PX = 390
CSS_PX_PER_PT = 4 / 3
BLEED_MM = 3
