"""Clear Print, measured on the PDF itself (RNIB/UKAAF): the size of the type, the length and
spacing of lines, and how close anything comes to the edge of the page.

Sizes are read by PDFium from the text layer. WeasyPrint draws in CSS pixels under a 0.75 scale
(96 px to the inch), so a size in the text layer is a CSS pixel size: 16 px is 12 pt.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

PT_PER_PX = 0.75
MM_PER_PT = 25.4 / 72
LINE_TOLERANCE = 0.25  # of the size: characters whose baselines differ by less are on the same line


@dataclass(frozen=True)
class Edge:
    """The thing closest to a page edge."""

    page: int
    distance_mm: float
    what: str  # the text, or "a drawing" / "an image"

    def describe(self) -> str:
        return f"page {self.page}: {self.what!r} is {self.distance_mm:.1f} mm from the edge"


@dataclass(frozen=True)
class Measurements:
    body_size_pt: float  # the most common glyph size
    smallest_size_pt: float
    median_line_characters: float  # full lines of body text (not the last line of a paragraph)
    line_spacing: float  # baseline to baseline within a paragraph, over the body size (the most common)
    closest: Edge | None
    sizes: dict[float, int] = field(default_factory=dict)  # glyph size (pt) -> how many glyphs

    def as_dict(self) -> dict:
        return {
            "body_size_pt": self.body_size_pt,
            "smallest_size_pt": self.smallest_size_pt,
            "median_line_characters": self.median_line_characters,
            "line_spacing": self.line_spacing,
            "closest_to_edge_mm": round(self.closest.distance_mm, 1) if self.closest else None,
        }


@dataclass
class _Char:
    text: str
    size: float  # pt
    left: float
    bottom: float
    right: float
    top: float
    baseline: float


def measure(pdf: bytes) -> Measurements:
    """Glyph sizes, body-text lines and the closest approach to the page edges (of the trim box)."""
    import pypdfium2
    import pypdfium2.raw as pdfium

    document = pypdfium2.PdfDocument(pdf)
    sizes: Counter = Counter()
    lines: list[list[_Char]] = []
    gaps: list[tuple[float, float]] = []
    full_lines: list[list[_Char]] = []
    closest: Edge | None = None
    try:
        for number, page in enumerate(document, start=1):
            left, bottom, right, top = page.get_trimbox()
            textpage = page.get_textpage()
            # Text drawn inside a picture (a clinic logo's lettering) is part of the picture.
            in_pictures = {
                _address(item.raw) for item in page.get_objects(max_depth=4)
                if item.type == pdfium.FPDF_PAGEOBJ_TEXT and (item.level > 0 or "Figure" in _marks(pdfium, item.raw))
            }
            chars = []
            for index in range(textpage.count_chars()):
                if _address(pdfium.FPDFText_GetTextObject(textpage.raw, index)) in in_pictures:
                    continue
                code = pdfium.FPDFText_GetUnicode(textpage.raw, index)
                text = chr(code) if code else ""
                if not text.strip() or pdfium.FPDFText_IsGenerated(textpage.raw, index):
                    continue
                if unicodedata.category(text) in ("Mn", "Me"):
                    continue  # a mark sits on its letter: not a character of the line, and raised
                size = round(pdfium.FPDFText_GetFontSize(textpage.raw, index) * PT_PER_PX, 1)
                box = textpage.get_charbox(index)
                origin_x, origin_y = _origin(pdfium, textpage, index)
                chars.append(_Char(text, size, *box, baseline=origin_y))
                sizes[size] += 1
            page_lines = _lines(chars)
            lines += page_lines
            for line, gap, size in _gaps(page_lines):
                gaps.append((gap, size))
                full_lines.append(line)
            for char in chars:
                distance = min(char.left - left, right - char.right, char.bottom - bottom, top - char.top)
                if closest is None or distance * MM_PER_PT < closest.distance_mm:
                    closest = Edge(number, distance * MM_PER_PT, _line_text(lines, char))
            for item in page.get_objects(max_depth=4):
                if item.type == pdfium.FPDF_PAGEOBJ_TEXT:
                    continue
                x0, y0, x1, y1 = item.get_bounds()
                if x1 < left or x0 > right or y1 < bottom or y0 > top:
                    continue  # outside the trim: a print shop's crop marks
                distance = min(x0 - left, right - x1, y0 - bottom, top - y1)
                if closest is None or distance * MM_PER_PT < closest.distance_mm:
                    kind = "an image" if item.type == pdfium.FPDF_PAGEOBJ_IMAGE else "a drawing (rule, border or picture)"
                    closest = Edge(number, distance * MM_PER_PT, kind)
    finally:
        document.close()
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    body_lines = [line for line in full_lines if _size(line) == body]
    pitches = Counter(round(gap * 2) / 2 for gap, size in gaps if size == body)
    return Measurements(
        body_size_pt=body,
        smallest_size_pt=min(sizes) if sizes else 0.0,
        median_line_characters=statistics.median(_length(line) for line in body_lines) if body_lines else 0.0,
        line_spacing=round(pitches.most_common(1)[0][0] / body, 2) if pitches else 0.0,
        closest=closest,
        sizes=dict(sizes),
    )


def _marks(pdfium, handle) -> set[str]:
    """The names of the marked-content sequences a page object is drawn in (Figure, Span…)."""
    import ctypes

    names = set()
    for position in range(pdfium.FPDFPageObj_CountMarks(handle)):
        mark = pdfium.FPDFPageObj_GetMark(handle, position)
        length = ctypes.c_ulong()
        pdfium.FPDFPageObjMark_GetName(mark, None, 0, length)
        buffer = (ctypes.c_ushort * (length.value // 2 + 1))()
        pdfium.FPDFPageObjMark_GetName(mark, buffer, length.value, length)
        names.add(bytes(buffer)[: length.value].decode("utf-16-le", errors="replace").rstrip("\x00"))
    return names


def _address(handle) -> int:
    import ctypes

    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _origin(pdfium, textpage, index: int) -> tuple[float, float]:
    import ctypes

    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
    return x.value, y.value


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped into lines: same baseline, in the same column (no large horizontal gap)."""
    lines: list[list[_Char]] = []
    for char in sorted(chars, key=lambda char: (-round(char.baseline), char.left)):
        line = lines[-1] if lines else None
        if line and abs(line[-1].baseline - char.baseline) < LINE_TOLERANCE * char.size and char.left - line[-1].right < 4 * char.size:
            line.append(char)
        else:
            lines.append([char])
    return lines


def _length(line: list[_Char]) -> int:
    """Characters in the line, counting the spaces between words (as RNIB counts them)."""
    words = 1 + sum(1 for before, after in zip(line, line[1:]) if after.left - before.right > before.size * 0.15)
    return len(line) + words - 1


def _size(line: list[_Char]) -> float:
    return Counter(char.size for char in line).most_common(1)[0][0]


def _gaps(lines: list[list[_Char]]) -> list[tuple[list[_Char], float, float]]:
    """(line, distance to the next line's baseline, glyph size) for every line that wraps on to a
    next line of the same paragraph: same size, just below, overlapping horizontally."""
    found = []
    for above in lines:
        size = _size(above)
        below = [
            line for line in lines
            if 0 < above[0].baseline - line[0].baseline < 1.9 * size
            and min(above[-1].right, line[-1].right) > max(above[0].left, line[0].left)
            and _size(line) == size
        ]
        if below:
            nearest = max(below, key=lambda line: line[0].baseline)
            found.append((above, above[0].baseline - nearest[0].baseline, size))
    return found


def _line_text(lines: list[list[_Char]], char: _Char) -> str:
    for line in lines:
        if char in line:
            return "".join(c.text for c in line)[:60]
    return char.text
