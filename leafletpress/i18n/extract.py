"""A Babel extractor for leaflet TOML files, so `pybabel extract` reads leaflets like source code.

Registered as the `babel.extractors` entry point `leaflet`; use it in a mapping file as
`[leaflet: leaflets/*.toml]`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from leafletpress.inputs.leaflet import parse_leaflet

BOX_NOTE = "WARNING BOX: this edition is not printed until every string here is translated."
# One message as Babel wants it: (line number, function name, message, translator comments).
Message = tuple[int, str | None, str, list[str]]


def extract_leaflet(fileobj: BinaryIO, keywords, comment_tags, options) -> Iterator[Message]:
    source = fileobj.read().decode("utf-8")
    path = Path(getattr(fileobj, "name", "leaflet.toml"))
    leaflet = parse_leaflet(path, tomllib.loads(source))
    lines = source.splitlines()
    for text, notes in _strings_with_notes(leaflet):
        yield _line_of(text, lines), None, text, notes


def _strings_with_notes(leaflet) -> Iterator[tuple[str, list[str]]]:
    yield leaflet.title, ["Leaflet title: also the PDF title that mail clients show."]
    yield leaflet.summary, []
    for source in leaflet.sources:
        yield source, ["A source of the leaflet: translate the description, keep names and numbers."]
    for section in leaflet.sections:
        notes = [section.notes] if section.notes else []
        if section.is_warning:
            notes = [BOX_NOTE, *notes]
        for text in section.strings():
            yield text, notes
    in_box = leaflet.pictures_in_warning()
    for picture in leaflet.pictures.values():
        notes = ["Description of a picture, read aloud by screen readers: say what it shows, in a few words."]
        if picture.name in in_box:
            notes.insert(0, BOX_NOTE)
        yield picture.description, notes
    if leaflet.easy_read:
        yield leaflet.easy_read.title, ["Title of the Easy Read edition: short sentences and everyday words, each beside a picture."]
        for part in leaflet.easy_read.parts:
            notes = [part.notes] if part.notes else []
            if part.warning:
                notes = [BOX_NOTE, *notes]
            for text in part.strings():
                yield text, notes


def _line_of(text: str, lines: list[str]) -> int:
    """Line of the first TOML string that holds the text; 0 when it is written with escapes."""
    probe = text[:40]
    for number, line in enumerate(lines, start=1):
        if probe in line and not line.lstrip().startswith("#"):
            return number
    return 0
