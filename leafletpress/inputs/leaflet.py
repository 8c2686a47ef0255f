"""Leaflets as data: load a leaflet TOML file and check its structure before anything is rendered."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from leafletpress.inputs.formats import FORMATS
from leafletpress.core.files import read_toml
from leafletpress.core.problems import InputError

SECTION_KINDS = ("text", "list", "steps", "warning")
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

    def past_review(self, today: dt.date) -> bool:
        """Its review date has passed: its advice may be out of date, and it is not printed."""
        return today > self.review_due

    @property
    def warning(self) -> Section:
        return next(section for section in self.sections if section.is_warning)

    def strings(self) -> tuple[str, ...]:
        """Every translatable string, in reading order, each once."""
        return tuple(self.places())

    def headings(self) -> tuple[str, ...]:
        """The strings printed as headings: the title and every section's heading. A heading
        stands alone (and screen readers list headings on their own), so no sentence around it
        says what its words mean."""
        return tuple(dict.fromkeys((self.title, *(section.heading for section in self.sections))))

    def places(self) -> dict[str, str]:
        """Every translatable string, in reading order, with where it is printed: "title",
        "summary", "sources", "warning box" or "section <id> (<kind>)"; a string printed in more
        than one place names them all. Moving a sentence into or out of the warning box changes
        what a clinician signed off, as much as changing its words does."""
        placed = [(self.title, "title"), (self.summary, "summary"), *((source, "sources") for source in self.sources)]
        for section in self.sections:
            where = "warning box" if section.is_warning else f"section {section.id} ({section.kind})"
            placed += [(text, where) for text in section.strings()]
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
    )


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
    unknown = set(raw) - {"id", "kind", "heading", "paragraphs", "items", "after", "notes"}
    if unknown:
        raise LeafletError(path, f"{where}.{sorted(unknown)[0]}", "is not a section field")
    return Section(
        id=section_id,
        kind=kind,
        heading=_text(path, raw, f"{where}.heading", key="heading"),
        paragraphs=_texts(path, raw, f"{where}.paragraphs", key="paragraphs"),
        items=items,
        after=_texts(path, raw, f"{where}.after", key="after"),
        notes=_notes(path, raw.get("notes", ""), f"{where}.notes"),
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
    for name in sorted({page_format.budget_key for page_format in FORMATS.values()} - set(pages)):
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
