"""Leaflets as data: load a leaflet TOML file and check its structure before anything is rendered."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from leafletpress.inputs.formats import FORMATS
from leafletpress.core.files import read_toml
from leafletpress.core.readability import word_count
from leafletpress.core.problems import InputError

SECTION_KINDS = ("text", "list", "steps", "warning")
PICTURE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PICTURE_FOLDER = "icons"  # under templates/: pictures are the project's own files, never fetched
EASY_READ_MAX_WORDS = 15  # NHS / PIF Easy Read: a sentence of at most 15 words
MAX_REVIEW_YEARS = 3
# `languages = "complete"` (the default): every language whose catalog for the leaflet is complete.
EVERY_COMPLETE_CATALOG = "complete"
# The English is printed as text: markup would print literally, and leaflet text has no placeholders.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|[{}]")
LEAFLET_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RESERVED_IDS = frozenset({"leafletpress"})  # the template's own gettext domain


class LeafletError(InputError):
    """A leaflet file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Section:
    id: str
    kind: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    notes: str = ""
    picture: str = ""  # a name in the leaflet's [pictures], printed beside the heading
    item_pictures: tuple[str, ...] = ()  # one per item, beside it

    @property
    def is_warning(self) -> bool:
        return self.kind == "warning"

    @property
    def anchor(self) -> str:
        """The HTML id of the section on the page: how the laid-out pages are searched for it."""
        return f"section-{self.id}"

    def strings(self) -> tuple[str, ...]:
        """Every translatable string of the section, in reading order."""
        return (self.heading, *self.paragraphs, *self.items, *self.after)


@dataclass(frozen=True)
class Picture:
    name: str
    file: str  # relative to templates/icons/
    description: str  # what it shows: the picture's alternative text, translated


@dataclass(frozen=True)
class EasyReadRow:
    picture: str
    text: str


@dataclass(frozen=True)
class EasyReadPart:
    heading: str
    rows: tuple[EasyReadRow, ...]
    warning: bool = False
    notes: str = ""

    @property
    def anchor(self) -> str:
        return "easy-read-warning" if self.warning else ""

    def strings(self) -> tuple[str, ...]:
        return (self.heading, *(row.text for row in self.rows))


@dataclass(frozen=True)
class EasyRead:
    """The Easy Read text: parts of rows, each one short sentence beside a picture; the warning
    part first."""

    title: str
    parts: tuple[EasyReadPart, ...]

    @property
    def warning(self) -> EasyReadPart:
        return next(part for part in self.parts if part.warning)

    def sentences(self) -> tuple[str, ...]:
        return tuple(row.text for part in self.parts for row in part.rows)


@dataclass(frozen=True)
class Leaflet:
    path: Path
    id: str
    code: str
    version: str
    published: dt.date
    review_due: dt.date  # the date by which the leaflet must be checked again
    title: str
    summary: str
    sources: tuple[str, ...]
    page_budget: dict[str, int]
    sections: tuple[Section, ...] = field(default=())
    # Open questions for the clinician who reviews the content: shown in the review packet only,
    # never printed on the leaflet, not translated.
    questions_for_reviewer: tuple[str, ...] = field(default=())
    # The languages (BCP 47 tags) the leaflet is published in; None: every language with a
    # complete catalog for it. English always.
    languages: tuple[str, ...] | None = None
    pictures: dict[str, Picture] = field(default_factory=dict)
    easy_read: EasyRead | None = None

    def past_review(self, today: dt.date) -> bool:
        """Its review date has passed: its advice may be out of date, and it is not printed."""
        return today > self.review_due

    @property
    def warning(self) -> Section:
        return next(section for section in self.sections if section.is_warning)

    def warning_strings(self) -> tuple[str, ...]:
        """Every string printed inside a warning box, in any edition: the warning section's, the
        Easy Read warning part's, and the descriptions of the pictures in them (a screen reader
        reads those inside the box)."""
        found = list(self.warning.strings())
        if self.easy_read:
            part = self.easy_read.warning
            found += [*part.strings(), *(self.pictures[row.picture].description for row in part.rows)]
        return tuple(dict.fromkeys(found))

    def pictures_in_warning(self) -> frozenset[str]:
        return frozenset(row.picture for row in self.easy_read.warning.rows) if self.easy_read else frozenset()

    def strings(self) -> tuple[str, ...]:
        """Every translatable string, in reading order, each once."""
        return tuple(self.places())

    def headings(self) -> tuple[str, ...]:
        """The strings printed as headings: the title and every section's heading. A heading
        stands alone (and screen readers list headings on their own), so no sentence around it
        says what its words mean."""
        easy = (self.easy_read.title, *(part.heading for part in self.easy_read.parts)) if self.easy_read else ()
        return tuple(dict.fromkeys((self.title, *(section.heading for section in self.sections), *easy)))

    def places(self) -> dict[str, str]:
        """Every translatable string, in reading order, with where it is printed: "title",
        "summary", "sources", "warning box" or "section <id> (<kind>)"; a string printed in more
        than one place names them all. Moving a sentence into or out of the warning box changes
        what a clinician signed off, as much as changing its words does."""
        placed = [(self.title, "title"), (self.summary, "summary"), *((source, "sources") for source in self.sources)]
        for section in self.sections:
            where = "warning box" if section.is_warning else f"section {section.id} ({section.kind})"
            placed += [(text, where) for text in section.strings()]
        in_box = self.pictures_in_warning()
        for picture in self.pictures.values():
            placed.append((picture.description, "picture description" + ("; warning box" if picture.name in in_box else "")))
        if self.easy_read:
            placed.append((self.easy_read.title, "Easy Read title"))
            for part in self.easy_read.parts:
                where = "warning box" if part.warning else "Easy Read"
                placed += [(text, where) for text in part.strings()]
        places: dict[str, list[str]] = {}
        for text, where in placed:
            if where not in places.setdefault(text, []):
                places[text].append(where)
        return {text: "; ".join(wheres) for text, wheres in places.items()}


def load_leaflet(path: Path) -> Leaflet:
    path = Path(path)
    data = read_toml(path, LeafletError, inside=path.parent)
    return parse_leaflet(path, data)


def parse_leaflet(path: Path, data: dict) -> Leaflet:
    meta = _table(path, data, "leaflet")
    leaflet_id = _text(path, meta, "leaflet.id")
    if leaflet_id != path.stem:
        raise LeafletError(path, "leaflet.id", f"'{leaflet_id}' must match the file name '{path.stem}'")
    if not LEAFLET_ID.fullmatch(leaflet_id) or leaflet_id in RESERVED_IDS:
        raise LeafletError(
            path, "leaflet.id", f"'{leaflet_id}' cannot be a leaflet id: use lower-case letters a-z, digits and single hyphens "
            f"(it names files, catalogs and web links), and not {', '.join(sorted(RESERVED_IDS))}",
        )
    published = _date(path, meta, "leaflet.published")
    review = _date(path, meta, "leaflet.review")
    if review <= published:
        raise LeafletError(path, "leaflet.review", "must be after the publication date")
    if review > _add_years(published, MAX_REVIEW_YEARS):
        raise LeafletError(
            path, "leaflet.review", f"must be at most {MAX_REVIEW_YEARS} years after publication ({published})"
        )
    sections = tuple(_section(path, raw, index) for index, raw in enumerate(_sections(path, data)))
    _check_sections(path, sections)
    pictures = _pictures(path, data)
    easy_read = _easy_read(path, data)
    _check_picture_names(path, pictures, sections, easy_read)
    return Leaflet(
        path=path,
        id=leaflet_id,
        code=_text(path, meta, "leaflet.code"),
        version=_text(path, meta, "leaflet.version"),
        published=published,
        review_due=review,
        title=_text(path, meta, "leaflet.title"),
        summary=_text(path, meta, "leaflet.summary"),
        sources=_texts(path, meta, "leaflet.sources", required=True),
        page_budget=_page_budget(path, meta),
        sections=sections,
        questions_for_reviewer=_texts(path, meta, "leaflet.questions_for_reviewer"),
        languages=_languages(path, meta),
        pictures=pictures,
        easy_read=easy_read,
    )


def _pictures(path: Path, data: dict) -> dict[str, Picture]:
    raw = data.get("pictures", {})
    if not isinstance(raw, dict):
        raise LeafletError(path, "pictures", 'must be a table of name = { file = "…svg", description = "…" }')
    pictures = {}
    for name, value in raw.items():
        where = f"pictures.{name}"
        if not PICTURE_NAME.fullmatch(name):
            raise LeafletError(path, where, "a picture's name uses lower-case letters a-z, digits and single hyphens")
        if not isinstance(value, dict) or set(value) != {"file", "description"}:
            raise LeafletError(path, where, 'must be { file = "…svg", description = "what the picture shows" }')
        file = _text(path, value, f"{where}.file", key="file")
        parts = Path(file).parts
        if not file.endswith(".svg") or Path(file).is_absolute() or ".." in parts or "\\" in file:
            raise LeafletError(path, f"{where}.file", f"'{file}' must be an SVG file under templates/{PICTURE_FOLDER}/, such as healthicons/leg.svg")
        pictures[name] = Picture(name, file, _text(path, value, f"{where}.description", key="description"))
    return pictures


def _easy_read(path: Path, data: dict) -> EasyRead | None:
    raw = data.get("easy_read")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise LeafletError(path, "easy_read", "must be a table with a title and [[easy_read.part]] tables")
    unknown = set(raw) - {"title", "part"}
    if unknown:
        raise LeafletError(path, f"easy_read.{sorted(unknown)[0]}", "is not an Easy Read field")
    title = _text(path, raw, "easy_read.title", key="title")
    parts_raw = raw.get("part")
    if not isinstance(parts_raw, list) or not parts_raw:
        raise LeafletError(path, "easy_read.part", "is missing: the Easy Read text needs [[easy_read.part]] tables")
    parts = tuple(_easy_read_part(path, part, index) for index, part in enumerate(parts_raw))
    warnings = [index for index, part in enumerate(parts) if part.warning]
    if warnings != [0]:
        raise LeafletError(path, "easy_read.part", "the first part, and only it, must be the warning (warning = true): it is printed first, in a box")
    return EasyRead(title, parts)


def _easy_read_part(path: Path, raw: object, index: int) -> EasyReadPart:
    where = f"easy_read.part[{index}]"
    if not isinstance(raw, dict):
        raise LeafletError(path, where, "must be a table")
    unknown = set(raw) - {"heading", "warning", "rows", "notes"}
    if unknown:
        raise LeafletError(path, f"{where}.{sorted(unknown)[0]}", "is not an Easy Read part field")
    warning = raw.get("warning", False)
    if not isinstance(warning, bool):
        raise LeafletError(path, f"{where}.warning", "must be true or false")
    rows_raw = raw.get("rows")
    if not isinstance(rows_raw, list) or not rows_raw:
        raise LeafletError(path, f"{where}.rows", 'is missing: give rows as { picture = "name", text = "One short sentence." }')
    rows = []
    for number, row in enumerate(rows_raw):
        row_where = f"{where}.rows[{number}]"
        if not isinstance(row, dict) or set(row) != {"picture", "text"}:
            raise LeafletError(path, row_where, 'every row needs a picture and a sentence: { picture = "name", text = "…" }')
        text = _text(path, row, f"{row_where}.text", key="text")
        if not any(char.isalpha() for char in text):
            raise LeafletError(path, f"{row_where}.text", "has no words: an Easy Read row is a sentence")
        words = word_count(text)
        if words > EASY_READ_MAX_WORDS:
            raise LeafletError(path, f"{row_where}.text", f"has {words} words; an Easy Read sentence has at most {EASY_READ_MAX_WORDS}")
        rows.append(EasyReadRow(_text(path, row, f"{row_where}.picture", key="picture"), text))
    return EasyReadPart(
        heading=_text(path, raw, f"{where}.heading", key="heading"),
        rows=tuple(rows),
        warning=warning,
        notes=_notes(path, raw.get("notes", ""), f"{where}.notes"),
    )


def _check_picture_names(path: Path, pictures: dict[str, Picture], sections: tuple[Section, ...], easy_read: EasyRead | None) -> None:
    used = [(f"section '{section.id}'.picture", section.picture) for section in sections if section.picture]
    used += [(f"section '{section.id}'.item_pictures", name) for section in sections for name in section.item_pictures]
    if easy_read:
        used += [
            (f"easy_read.part[{index}].rows[{number}].picture", row.picture)
            for index, part in enumerate(easy_read.parts) for number, row in enumerate(part.rows)
        ]
    for where, name in used:
        if name not in pictures:
            hint = f"one of {', '.join(sorted(pictures))}" if pictures else "a picture named in a [pictures] table"
            raise LeafletError(path, where, f"'{name}' is not a picture of this leaflet: use {hint}")


def _languages(path: Path, meta: dict) -> tuple[str, ...] | None:
    from leafletpress.inputs.languages import LanguageError, SOURCE_LANGUAGE, parse_language

    value = meta.get("languages", EVERY_COMPLETE_CATALOG)
    if value == EVERY_COMPLETE_CATALOG:
        return None
    hint = f'a list of language tags, e.g. ["es", "ar"], or "{EVERY_COMPLETE_CATALOG}" for every language with a complete catalog'
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise LeafletError(path, "leaflet.languages", f"must be {hint}")
    tags = []
    for tag in value:
        try:
            language = parse_language(tag)
        except LanguageError as error:
            raise LeafletError(path, "leaflet.languages", str(error)) from None
        if language.tag != SOURCE_LANGUAGE and language.tag not in tags:
            tags.append(language.tag)
    return tuple(tags)


def _check_sections(path: Path, sections: tuple[Section, ...]) -> None:
    warnings = [section for section in sections if section.is_warning]
    if len(warnings) != 1:
        raise LeafletError(path, "section", f"needs exactly one section of kind 'warning', found {len(warnings)}")
    if not warnings[0].paragraphs:
        raise LeafletError(path, f"section '{warnings[0].id}'.paragraphs", "the warning section needs its text")
    seen: set[str] = set()
    for section in sections:
        if section.id in seen:
            raise LeafletError(path, f"section '{section.id}'.id", "is used twice")
        seen.add(section.id)


def _sections(path: Path, data: dict) -> list[dict]:
    sections = data.get("section")
    if not isinstance(sections, list) or not sections:
        raise LeafletError(path, "section", "is missing: a leaflet needs [[section]] tables")
    return sections


def _section(path: Path, raw: object, index: int) -> Section:
    if not isinstance(raw, dict):
        raise LeafletError(path, f"section[{index}]", "must be a table")
    section_id = _text(path, raw, f"section[{index}].id", key="id")
    where = f"section '{section_id}'"
    kind = _text(path, raw, f"{where}.kind", key="kind")
    if kind not in SECTION_KINDS:
        raise LeafletError(path, f"{where}.kind", f"'{kind}' is not one of {', '.join(SECTION_KINDS)}")
    items = _texts(path, raw, f"{where}.items", key="items")
    if kind in ("list", "steps") and not items:
        raise LeafletError(path, f"{where}.items", f"a '{kind}' section needs items")
    if kind in ("text", "warning") and items:
        raise LeafletError(path, f"{where}.items", f"a '{kind}' section has paragraphs, not items")
    unknown = set(raw) - {"id", "kind", "heading", "paragraphs", "items", "after", "notes", "picture", "item_pictures"}
    if unknown:
        raise LeafletError(path, f"{where}.{sorted(unknown)[0]}", "is not a section field")
    picture = raw.get("picture", "")
    if not isinstance(picture, str):
        raise LeafletError(path, f"{where}.picture", "must be the name of a picture")
    if picture and kind == "warning":
        raise LeafletError(path, f"{where}.picture", "the warning section carries the warning triangle; give pictures to the other sections")
    item_pictures = _texts(path, raw, f"{where}.item_pictures", key="item_pictures")
    if item_pictures and len(item_pictures) != len(items):
        raise LeafletError(
            path, f"{where}.item_pictures", f"has {len(item_pictures)} pictures for {len(items)} items: give one picture per item, in order"
        )
    return Section(
        id=section_id,
        kind=kind,
        heading=_text(path, raw, f"{where}.heading", key="heading"),
        paragraphs=_texts(path, raw, f"{where}.paragraphs", key="paragraphs"),
        items=items,
        after=_texts(path, raw, f"{where}.after", key="after"),
        notes=_notes(path, raw.get("notes", ""), f"{where}.notes"),
        picture=picture,
        item_pictures=item_pictures,
    )


def _notes(path: Path, value: object, where: str) -> str:
    """Notes for translators travel into every catalog and XLIFF file: plain text, nothing hidden."""
    from leafletpress.core.characters import code_points, hidden_characters

    if not isinstance(value, str):
        raise LeafletError(path, where, "must be text")
    hidden = hidden_characters(value.replace("\n", " "))
    if hidden:
        raise LeafletError(path, where, f"contains characters a reader cannot see ({code_points(hidden)}): remove them")
    return value


def _page_budget(path: Path, meta: dict) -> dict[str, int]:
    pages = meta.get("pages")
    if not isinstance(pages, dict) or not pages:
        raise LeafletError(path, "leaflet.pages", "is missing: give the most pages per format, e.g. A4 = 2")
    for name in sorted({page_format.budget_key for page_format in FORMATS.values() if not page_format.max_pages} - set(pages)):
        raise LeafletError(path, f"leaflet.pages.{name}", "is missing: give the most pages for this format")
    for name, value in pages.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise LeafletError(path, f"leaflet.pages.{name}", "must be a whole number of pages, 1 or more")
    return dict(pages)


def _table(path: Path, data: dict, name: str) -> dict:
    value = data.get(name)
    if not isinstance(value, dict):
        raise LeafletError(path, name, f"is missing: the file needs a [{name}] table")
    return value


def _text(path: Path, table: dict, where: str, key: str | None = None) -> str:
    key = key or where.rsplit(".", 1)[-1]
    value = table.get(key)
    if value is None:
        raise LeafletError(path, where, "is missing")
    if not isinstance(value, str) or not value.strip():
        raise LeafletError(path, where, "must be non-empty text")
    return _source_text(path, where, value)


def _source_text(path: Path, where: str, value: str) -> str:
    """English as it will be printed and translated: no markup, no placeholders, nothing hidden."""
    from leafletpress.core.characters import code_points, hidden_characters

    if MARKUP.search(value):
        raise LeafletError(path, where, f"contains markup ({MARKUP.search(value).group()!r}): leaflet text is printed as written; use plain text")
    if PLACEHOLDER.search(value):
        raise LeafletError(
            path, where, f"contains {PLACEHOLDER.search(value).group()!r}: leaflet text has no placeholders; "
            "write the words themselves (clinic details come from --clinic)",
        )
    hidden = hidden_characters(value)
    if hidden:
        raise LeafletError(path, where, f"contains characters a reader cannot see ({code_points(hidden)}): remove them")
    return value


def _texts(path: Path, table: dict, where: str, key: str | None = None, required: bool = False) -> tuple[str, ...]:
    key = key or where.rsplit(".", 1)[-1]
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise LeafletError(path, where, "must be a list of non-empty texts")
    if required and not value:
        raise LeafletError(path, where, "is missing")
    return tuple(_source_text(path, f"{where}[{index}]", item) for index, item in enumerate(value))


def _date(path: Path, table: dict, where: str) -> dt.date:
    value = table.get(where.rsplit(".", 1)[-1])
    if value is None:
        raise LeafletError(path, where, "is missing")
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise LeafletError(path, where, "must be a date such as 2026-11-25")
    return value


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def find_leaflets(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("*.toml"))
