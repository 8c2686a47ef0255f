"""Two-up imposition with pypdf: each A5 page twice, side by side, on an A4 landscape sheet with a
dashed cut line, so an office printer makes A5 handouts."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, TextStringObject

PT_PER_MM = 72 / 25.4
CUT_LINE_HTML = """<!DOCTYPE html><html><head><style>
@page { size: %(width)smm %(height)smm; margin: 0; }
html, body { margin: 0; height: 100%%; }
.cut { position: absolute; left: 50%%; top: 8mm; bottom: 8mm; border-left: 0.6pt dashed #777; }
</style></head><body><div class="cut"></div></body></html>"""


def cut_line_sheet(width_mm: float, height_mm: float) -> bytes:
    """A blank sheet with the dashed cut line, drawn by WeasyPrint rather than by hand."""
    import weasyprint

    return weasyprint.HTML(string=CUT_LINE_HTML % {"width": width_mm, "height": height_mm}).write_pdf()


def impose_two_up(pages_pdf: bytes, sheet_pdf: bytes, title: str, author: str, subject: str, lang: str) -> bytes:
    sheet = PdfReader(io.BytesIO(sheet_pdf)).pages[0]
    width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pages_pdf)).pages:
        page_width = float(page.mediabox.width)
        target = writer.add_blank_page(width=width, height=height)
        target.merge_page(sheet)
        gap = (width - 2 * page_width) / 2
        for left in (0.0, page_width + 2 * gap):
            target.merge_transformed_page(page, Transformation().translate(tx=left, ty=0))
        target.compress_content_streams()
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Producer": "Leaflet Press (pypdf)"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
