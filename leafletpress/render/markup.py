"""Untrusted text to safe HTML: translated strings are escaped here, never trusted as markup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from markupsafe import Markup, escape

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class PlaceholderError(KeyError):
    """A message names a placeholder the page has no value for."""


def fill(message: str, values: Mapping[str, object] | None = None) -> Markup:
    """Escape a translated message and put values into its `{name}` placeholders.

    Values that are Markup are inserted as they are; anything else is escaped. Unlike
    str.format, nothing but a bare name is looked up: no attributes, no indexes, no conversions.
    """
    values = values or {}
    pieces: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(message):
        name = match.group(1)
        if name not in values:
            raise PlaceholderError(f"no value for placeholder {{{name}}} in {message!r}")
        pieces.append(escape(message[last : match.start()]))
        pieces.append(escape(values[name]))
        last = match.end()
    pieces.append(escape(message[last:]))
    return Markup("").join(pieces)


def isolate(value: str, direction: str = "ltr", css_class: str = "") -> Markup:
    """Wrap a value so the text around it cannot reorder it: phone numbers and dates keep their
    reading order in right-to-left text, a Latin clinic name stays whole in Arabic."""
    class_attr = Markup(' class="{}"').format(css_class) if css_class else Markup("")
    return Markup('<bdi dir="{}"{}>{}</bdi>').format(direction, class_attr, value)


def split_placeholders(message: str) -> list[tuple[str, str]]:
    """Split "Page {page} of {pages}" into [("text", "Page "), ("field", "page"), ...]."""
    parts: list[tuple[str, str]] = []
    last = 0
    for match in PLACEHOLDER.finditer(message):
        if match.start() > last:
            parts.append(("text", message[last : match.start()]))
        parts.append(("field", match.group(1)))
        last = match.end()
    if last < len(message):
        parts.append(("text", message[last:]))
    return parts


def text_direction(value: str) -> str:
    """"rtl" when the first strong character is right-to-left (Arabic, Hebrew…), else "ltr"."""
    for char in value:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
