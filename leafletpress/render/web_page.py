"""The accessible web page of an edition (<leaflet>_<lang>.html): the A4 edition's words, laid out
for a screen by templates/web.html.j2 and web.css, in one self-contained file.

It prints exactly what the A4 edition prints (the same page context, already checked and gated);
its pictures come along as `data:` URLs and its styles inline, so it opens from an email, a
phone's downloads or a web server alike, fetching nothing.
"""

from __future__ import annotations

import base64
from pathlib import Path

from markupsafe import Markup

WEB_TEMPLATE = "web.html.j2"
WEB_STYLESHEET = "web.css"
WARNING_ICON = "icons/warning.svg"
SYSTEM_FONTS = "system-ui, sans-serif"


def web_page(environment, context: dict, templates: Path, font_families: list[tuple[str, tuple[str, ...]]]) -> str:
    """The page's HTML. `font_families`: (language tag, font families) of each language on it."""
    pictures = {WARNING_ICON: _data_url(templates / WARNING_ICON)}
    for section in context["columns"][0]["sections"]:
        for block in section["blocks"]:
            found = [block.get("picture")] + [item.get("picture") for item in block.get("items", [])]
            for picture in filter(None, found):
                pictures.setdefault(picture["src"], _data_url(templates / picture["src"]))
    fonts = "".join(f":lang({tag}) {{ font-family: {_quoted(families)}, {SYSTEM_FONTS}; }}\n" for tag, families in font_families)
    css = (templates / WEB_STYLESHEET).read_text(encoding="utf-8") + fonts
    return environment.get_template(WEB_TEMPLATE).render(page=context, web={"css": Markup(css), "pictures": pictures})


def web_page_name(leaflet_id: str, language_tag: str) -> str:
    return f"{leaflet_id}_{language_tag}.html"


def _quoted(families: tuple[str, ...]) -> str:
    return ", ".join(f'"{family}"' for family in families)


def _data_url(path: Path) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
