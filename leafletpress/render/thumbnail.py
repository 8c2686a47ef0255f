"""Page 1 of a PDF as a small picture for the index, rendered by PDFium."""

from __future__ import annotations

import io

THUMBNAIL_WIDTH = 150  # pixels
TALLEST = 1.5  # a long page (the phone edition's) shows its top, as tall as an A4 page would be


def thumbnail_png(pdf: bytes) -> bytes:
    """Page 1 as a small palette PNG (a few KB)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = THUMBNAIL_WIDTH / page.get_width()
        width, height = page.get_size()
        crop_bottom = max(0.0, height - width * TALLEST)  # in points, from the bottom edge
        image = page.render(scale=scale, crop=(0, crop_bottom, 0, 0)).to_pil().convert("RGB")
    finally:
        document.close()
    buffer = io.BytesIO()
    image.quantize(colors=32).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
