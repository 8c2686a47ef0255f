"""Limits on images, checked on their bytes before anything decodes them.

A decompression bomb (a small PNG that decodes to gigabytes) or an SVG with entity expansion
fails the edition with a clear message instead of exhausting memory or vanishing from the page.
"""

from __future__ import annotations

import io

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 4000 * 4000
RASTER_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def image_problem(data: bytes, content_type: str, max_bytes: int = MAX_IMAGE_BYTES, max_pixels: int = MAX_IMAGE_PIXELS) -> str | None:
    """Why these image bytes may not be used, or None when they may."""
    if len(data) > max_bytes:
        return f"is {len(data) // 1024} KB; images may be at most {max_bytes // 1024} KB"
    if content_type == "image/svg+xml":
        head = data[:4096].decode("utf-8", errors="replace")
        if "<!ENTITY" in head or "<!DOCTYPE" in head:
            return "declares a DOCTYPE or entities, which are not allowed in SVG images"
        return None
    if content_type in RASTER_TYPES:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
        except Image.DecompressionBombError:
            return f"decodes to more than {max_pixels:,} pixels (a decompression bomb)"
        except (UnidentifiedImageError, OSError, ValueError) as error:
            return f"is not a readable image ({error})"
        if width * height > max_pixels:
            return f"is {width}×{height} pixels; images may have at most {max_pixels:,} pixels"
    return None
