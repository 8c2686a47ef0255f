"""HTML -> laid-out document -> checked PDF bytes, with WeasyPrint confined to the project's assets.

WeasyPrint promises no safety for untrusted input, so it gets a URL fetcher that serves only
`data:` URLs and files under the asset folders, and any log record at WARNING or above (a missing
glyph, an image that failed to load, a CSS error) fails the edition instead of passing silently.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from leafletpress.inputs.images import MAX_IMAGE_BYTES, decode_data_url, image_problem
from leafletpress.core.problems import Problem
from leafletpress.render.compact_fonts import compact_fonts
from leafletpress.render.structure import tagging
from leafletpress.render.text_layer import lines_carry_their_text

class RefusedURL(FatalURLFetchingError):
    """The document asked for something outside the project's assets; rendering stops."""


class ConfinedURLFetcher(URLFetcher):
    """Serves `data:` URLs and regular files whose real path lies under one of `roots`."""

    def __init__(self, roots: Iterable[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(Path(root).resolve() for root in roots)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            if len(url) > MAX_IMAGE_BYTES * 2:
                raise RefusedURL(f"refused a data: URL of {len(url) // 1024} KB")
            decoded = decode_data_url(url)
            if decoded is None or not decoded[0].startswith("image/"):
                raise RefusedURL("refused a data: URL that is not an image")
            problem = image_problem(decoded[1], decoded[0])
            if problem:
                raise RefusedURL(f"refused an image in a data: URL: it {problem}")
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedURL(f"refused to fetch {url[:120]}: only the project's own assets may be used")
        asked = Path(unquote(urlparse(url).path))
        path = asked.resolve()
        if any(path.is_relative_to(root) for root in self.roots) and not path.exists():
            raise RefusedURL(f"{asked} does not exist (a picture named in the leaflet, or a file the template uses)")
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise RefusedURL(f"refused to read {path}: it is not one of the project's assets")
        if path.stat().st_size > MAX_IMAGE_BYTES * 2:
            raise RefusedURL(f"refused {path.name}: {path.stat().st_size // 1024} KB is too large for an asset")
        body = path.read_bytes()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        problem = image_problem(body, content_type) if content_type.startswith("image/") else None
        if problem:
            raise RefusedURL(f"refused image {path.name}: it {problem}")
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


@dataclass
class LayoutTools:
    """What one process reuses across renders: fonts and images are loaded once (GUIDE.md)."""

    font_config: FontConfiguration = field(default_factory=FontConfiguration)
    cache: dict = field(default_factory=dict)
    renumbered_fonts: dict = field(default_factory=dict)  # render/compact_fonts.py's work, by program


@dataclass(frozen=True)
class LaidOut:
    document: weasyprint.Document | None
    problems: tuple[Problem, ...]


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings():
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def lay_out(html: str, base_dir: Path, asset_roots: Iterable[Path], tools: LayoutTools) -> LaidOut:
    """Lay out the HTML; any refused fetch or WeasyPrint warning comes back as a problem."""
    fetcher = ConfinedURLFetcher(asset_roots)
    with _weasyprint_warnings() as warnings:
        try:
            document = weasyprint.HTML(
                string=html, base_url=str(Path(base_dir).resolve()) + os.sep, url_fetcher=fetcher
            ).render(font_config=tools.font_config, cache=tools.cache, presentational_hints=False)
        except RefusedURL as refused:
            return LaidOut(None, (Problem(str(refused)),))
    return LaidOut(document, tuple(Problem(f"WeasyPrint: {message}") for message in warnings))


MM_PER_PX = 25.4 / 96
LONGEST_PAGE_MM = 5000  # PDF pages may be 5080 mm long (200 inches)


def lay_out_as_one_page(
    html: str, base_dir: Path, asset_roots: Iterable[Path], tools: LayoutTools, width_mm: float, min_height_mm: float, bottom_margin_mm: float
) -> LaidOut:
    """One page as long as the content (a phone scrolls; it never turns pages): laid out on a page
    far longer than needed, measured, then laid out again on a page of exactly that length."""

    def with_page(height_mm: float) -> str:
        style = f"<style>@page {{ size: {width_mm}mm {height_mm:.1f}mm; }}</style>"
        return html.replace("</head>", style + "</head>", 1)

    first = lay_out(with_page(LONGEST_PAGE_MM), base_dir, asset_roots, tools)
    if first.document is None or first.problems:
        return first
    root = first.document.pages[0]._page_box.children[0]  # the <html> box
    content_mm = (root.position_y + root.margin_height()) * MM_PER_PX
    height = max(min_height_mm, content_mm + bottom_margin_mm + 2)
    return lay_out(with_page(height), base_dir, asset_roots, tools)


def pdf_bytes(document: weasyprint.Document, tools: LayoutTools | None = None) -> bytes:
    """Tagged PDF/UA output: structure tree, /Lang, XMP metadata, title shown by readers; large
    embedded fonts holding only the glyphs drawn (render/compact_fonts.py: Chinese 350 -> 80 KB)."""
    with lines_carry_their_text(), tagging():
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return compact_fonts(pdf, tools.renumbered_fonts if tools else None)
