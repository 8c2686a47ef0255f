"""What many tests share: where the project is, copies of it to break, and reading its catalogs."""

from __future__ import annotations

import shutil

import pypdfium2
from pathlib import Path

from leafletpress.inputs.languages import parse_language
from leafletpress.inputs.project import Project, load_project
from leafletpress.render.pdf_checks import comparable

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT_FOLDERS = ("leaflets", "locales", "templates")


def shipped_languages() -> list[str]:
    """Every translation the project ships (BCP 47 tags), English left out."""
    return [language.tag for language in load_project(ROOT).languages() if not language.is_source]


def copy_project(destination: Path) -> Project:
    """A throw-away copy of the project's inputs, for tests that break or change them."""
    for folder in PROJECT_FOLDERS:
        shutil.copytree(ROOT / folder, destination / folder)
    for name in ("leafletpress.toml",):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, destination / name)
    return load_project(destination)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def translated(lang: str, msgid: str, domain: str = "leg-cramps") -> str:
    """What the shipped catalog of `lang` says for `msgid` (English for en)."""
    if lang == "en":
        return msgid
    from babel.messages.pofile import read_po

    language = parse_language(lang)
    with open(ROOT / "locales" / language.catalog_dir / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        return read_po(handle).get(msgid).string


def heading_box(pdf_path, heading):
    """(left, right, page width) of the warning heading on its page, in points."""
    document = pypdfium2.PdfDocument(str(pdf_path))
    target = comparable(heading)
    for page in document:
        textpage = page.get_textpage()
        chars = textpage.count_chars()
        content = textpage.get_text_range()
        boxes = [textpage.get_charbox(index) for index in range(chars)]
        squashed = [(char, box) for char, box in zip(content, boxes) if comparable(char)]
        joined = "".join(comparable(char) for char, _ in squashed)
        start = joined.find(target)
        if start >= 0:
            found = [box for _, box in squashed[start : start + len(target)]]
            return min(box[0] for box in found), max(box[2] for box in found), page.get_width()
    raise AssertionError(f"heading {heading!r} not found")


def sign_off_code(project, lang: str, leaflet_id: str = "leg-cramps") -> str:
    """The sign-off code a review packet of this text, made now, would print."""
    from leafletpress.inputs.leaflet import load_leaflet
    from leafletpress.pipeline.review_packet import todays_code

    return todays_code(project, load_leaflet(project.leaflets_dir / f"{leaflet_id}.toml"), parse_language(lang))


def publish_in(project, tag: str, leaflet_id: str = "leg-cramps") -> None:
    """Add a language to a leaflet's `languages`, as a coordinator does once it is translated."""
    path = project.leaflets_dir / f"{leaflet_id}.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("languages = [") + len("languages = [")
    path.write_text(f'{text[:start]}"{tag}", {text[start:]}', encoding="utf-8")
