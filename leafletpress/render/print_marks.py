"""Crop marks for a print shop, drawn on the finished PDF with pikepdf.

The page is the trim (A4 or A5) with 3 mm of bleed; around it the sheet has room for the marks.
Each corner gets two marks, 5 mm long, starting 3 mm outside the trim (so they never reach into
the bleed), as printer's marks (/Artifact of type /Page). TrimBox, BleedBox and MediaBox say which is which.
"""

from __future__ import annotations

PT_PER_MM = 72 / 25.4
BLEED_MM = 3.0
MARK_OFFSET_MM = 3.0  # from the trim to where a mark starts
MARK_LENGTH_MM = 5.0
SHEET_MARGIN_MM = 10.0  # trim to the sheet's edge: offset, mark and a little paper
MARK_WIDTH_PT = 0.25


def add_crop_marks(document) -> None:
    """Every page: boxes set from its TrimBox, and the eight crop marks drawn."""
    import pikepdf

    for page in document.pages:
        left, bottom, right, top = (float(value) for value in page.get("/TrimBox", page.MediaBox))
        bleed, sheet = BLEED_MM * PT_PER_MM, SHEET_MARGIN_MM * PT_PER_MM
        page.BleedBox = pikepdf.Array([left - bleed, bottom - bleed, right + bleed, top + bleed])
        page.MediaBox = pikepdf.Array([left - sheet, bottom - sheet, right + sheet, top + sheet])
        page.CropBox = page.MediaBox
        page.TrimBox = pikepdf.Array([left, bottom, right, top])
        # The page's own drawing is wrapped in q…Q, so the marks are drawn in plain page space.
        page.contents_add(document.make_stream(b"q"), prepend=True)
        marks = "Q " + crop_marks(left, bottom, right, top)
        page.contents_add(document.make_stream(marks.encode("ascii")), prepend=False)


def crop_marks(left: float, bottom: float, right: float, top: float) -> str:
    """PDF drawing operators for the eight marks, in page space, wrapped as an artifact."""
    start, end = MARK_OFFSET_MM * PT_PER_MM, (MARK_OFFSET_MM + MARK_LENGTH_MM) * PT_PER_MM
    lines = []
    for x, direction_x in ((left, -1), (right, 1)):
        for y, direction_y in ((bottom, -1), (top, 1)):
            lines.append((x + direction_x * start, y, x + direction_x * end, y))  # horizontal, level with the trim
            lines.append((x, y + direction_y * start, x, y + direction_y * end))  # vertical
    path = " ".join(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S" for x1, y1, x2, y2 in lines)
    return f"/Artifact <</Type /Page>> BDC q 0 G {MARK_WIDTH_PT} w {path} Q EMC"  # printer's marks
