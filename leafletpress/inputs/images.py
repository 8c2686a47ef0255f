"""Limits on images, checked on their bytes before anything decodes them.

A decompression bomb (a small PNG that decodes to gigabytes), an SVG with entity expansion, or an
SVG that pulls in another file or URL fails with a clear message instead of exhausting memory or
vanishing from the page. An SVG is read whole: every image it embeds as a `data:` URL is held to
the same limits, and a reference to anything outside the SVG itself is refused.
"""

from __future__ import annotations

import base64
import io
import re
from urllib.parse import unquote_to_bytes

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 4000 * 4000
MAX_NESTING = 3  # an SVG in a data: URL in an SVG…
RASTER_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
ENCODING = re.compile(r"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']*)["']""")
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
CSS_IMPORT = re.compile(r"@import", re.IGNORECASE)
REFERENCE_ATTRIBUTES = ("href", "src")


def image_problem(
    data: bytes, content_type: str, max_bytes: int = MAX_IMAGE_BYTES, max_pixels: int = MAX_IMAGE_PIXELS, depth: int = 0
) -> str | None:
    """Why these image bytes may not be used, or None when they may."""
    if len(data) > max_bytes:
        return f"is {len(data) // 1024} KB; images may be at most {max_bytes // 1024} KB"
    if content_type == "image/svg+xml":
        return svg_problem(data, max_bytes, max_pixels, depth)
    if content_type in RASTER_TYPES:
        return raster_problem(data, max_pixels)
    return f"is of type {content_type or 'unknown'}, which is not an image this project uses"


def raster_problem(data: bytes, max_pixels: int) -> str | None:
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


def svg_problem(data: bytes, max_bytes: int, max_pixels: int, depth: int = 0) -> str | None:
    import xml.etree.ElementTree as ElementTree

    # Checked on the decoded text: in UTF-16 "<!DOCTYPE" is not those bytes, and would slip past.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "is not UTF-8 text; save the SVG as UTF-8"
    declared = ENCODING.match(text)
    if "\x00" in text or (declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii", "ascii")):
        return "is not UTF-8 text; save the SVG as UTF-8"
    if DECLARATION.search(text):
        return "declares a DOCTYPE or entities, which are not allowed in SVG images"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"is not a well-formed SVG file ({error})"
    if not root.tag.endswith("svg"):
        return "is not an SVG image"
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1].lower()
        if local in ("script", "foreignobject") or any(name.rsplit("}", 1)[-1].lower().startswith("on") for name in element.attrib):
            return "holds a script, an event handler or foreign content; an SVG image must be a plain picture"
        references = [value for name, value in element.attrib.items() if name.rsplit("}", 1)[-1] in REFERENCE_ATTRIBUTES]
        styles = [element.attrib.get("style", "")] + ([element.text or ""] if element.tag.endswith("style") else [])
        for style in styles:
            if "\\" in style:  # a CSS escape can spell url( or @import in a way no pattern sees
                return "has a backslash escape in its styles; an SVG image's styles must be plain"
            if CSS_IMPORT.search(style):
                return "imports a stylesheet; an SVG image must be self-contained"
            references += [match.group(2) for match in CSS_URL.finditer(style)]
        references += [match.group(2) for name, value in element.attrib.items() for match in CSS_URL.finditer(value) if name != "style"]
        for reference in references:
            problem = reference_problem(reference.strip(), max_bytes, max_pixels, depth)
            if problem:
                return problem
    return None


def reference_problem(reference: str, max_bytes: int, max_pixels: int, depth: int) -> str | None:
    """An SVG may point inside itself (#id) or embed data: images within the limits; nothing else."""
    if not reference or reference.startswith("#"):
        return None
    if not reference.lower().startswith("data:"):
        return f"refers to {reference[:80]!r}; an SVG image must be self-contained (no files, no URLs)"
    if depth >= MAX_NESTING:
        return "nests images more than three deep"
    decoded = decode_data_url(reference)
    if decoded is None:
        return "holds a data: URL that cannot be decoded"
    content_type, payload = decoded
    problem = image_problem(payload, content_type, max_bytes, max_pixels, depth + 1)
    return f"embeds an image that {problem}" if problem else None


def decode_data_url(url: str) -> tuple[str, bytes] | None:
    """(content type, bytes) of a `data:` URL, or None when it is malformed."""
    header, comma, body = url.partition(",")
    if not comma:
        return None
    parts = header[len("data:"):].split(";")
    content_type = (parts[0] or "text/plain").strip().lower()
    try:
        if "base64" in (part.strip().lower() for part in parts[1:]):
            return content_type, base64.b64decode(unquote_to_bytes(body), validate=False)
        return content_type, unquote_to_bytes(body)
    except (ValueError, TypeError):
        return None
