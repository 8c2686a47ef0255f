"""The state of every leaflet in every language, for a coordinator: how much is translated, and
whether (and by whom) it was clinically checked — English included."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leafletpress.i18n.catalogs import LanguageCatalogs, catalog_path, is_fuzzy, load_language_catalogs, read_catalog_bytes
from leafletpress.i18n.review import ReviewStatus, SignOffError, UNREVIEWED, printed_strings, read_sign_off, review_status, sign_off_path
from leafletpress.i18n.template_strings import TEMPLATE_DOMAIN
from leafletpress.inputs.languages import Language
from leafletpress.inputs.leaflet import Leaflet


@dataclass(frozen=True)
class LeafletStatus:
    leaflet: str
    language: Language
    total: int
    translated: int
    fuzzy: int
    review: ReviewStatus
    problems: tuple[str, ...] = field(default=())  # why the catalogs cannot be read
    has_catalog: bool = True
    fuzzy_strings: tuple[tuple[str, str], ...] = field(default=())  # (old English, new English) of fuzzy strings

    @property
    def untranslated(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 0

    @property
    def state(self) -> str:
        if not self.has_catalog:
            return "no catalog"
        return "broken" if self.problems else self.review.state

    def as_dict(self) -> dict:
        review = self.review.as_dict()
        return {
            "leaflet": self.leaflet,
            "language": self.language.tag,
            "language_name": self.language.native_name if not self.language.is_source else "English",
            "language_name_en": self.language.english_name if not self.language.is_source else "English",
            "total": self.total,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "percent": self.percent,
            "review": self.state,
            "reviewer": review["reviewer"],
            "review_date": review["date"],
            "changed_since_review": review["changed_since"],
            "problems": list(self.problems),
            "fuzzy_strings": [{"old": old, "new": new} for old, new in self.fuzzy_strings],
        }


@dataclass(frozen=True)
class Progress:
    total: int
    translated: int
    fuzzy: int

    @property
    def complete(self) -> bool:
        return self.translated == self.total

    def describe(self) -> str:
        fuzzy = f", {self.fuzzy} fuzzy" if self.fuzzy else ""
        return f"{self.translated} of {self.total} strings translated{fuzzy}"


def translation_progress(locales: Path, leaflet: Leaflet, language: Language) -> Progress | None:
    """How much of the leaflet (and the template's words) is translated; None when the catalogs
    cannot be read (the build then says why)."""
    catalogs = load_language_catalogs(locales, leaflet.id, language, TEMPLATE_DOMAIN)
    if catalogs.problems:
        return None
    return _progress(leaflet, catalogs, language, printed_strings(leaflet, catalogs))


def _progress(leaflet: Leaflet, catalogs: LanguageCatalogs, language: Language, strings) -> Progress:
    fuzzy = 0
    if not language.is_source:
        for loaded, domain in ((catalogs.leaflet, leaflet.id), (catalogs.words, TEMPLATE_DOMAIN)):
            fuzzy += sum(1 for item in strings if item.domain == domain and (message := loaded.get(item.english)) is not None and is_fuzzy(message))
    return Progress(len(strings), sum(1 for item in strings if item.translation), fuzzy)


def leaflet_status(root: Path, locales: Path, leaflet: Leaflet, language: Language) -> LeafletStatus:
    if not language.is_source and not has_catalog(locales, leaflet.id, language):
        total = len(printed_strings(leaflet, LanguageCatalogs()))
        return LeafletStatus(leaflet.id, language, total, 0, 0, ReviewStatus(UNREVIEWED), has_catalog=False)
    catalogs = load_language_catalogs(locales, leaflet.id, language, TEMPLATE_DOMAIN)
    strings = printed_strings(leaflet, catalogs if not catalogs.problems else LanguageCatalogs())
    if catalogs.problems:
        return LeafletStatus(leaflet.id, language, len(strings), 0, 0, ReviewStatus(UNREVIEWED), tuple(map(str, catalogs.problems)))
    progress = _progress(leaflet, catalogs, language, strings)
    try:
        sign_off = read_sign_off(sign_off_path(root, leaflet.id, language))
        problems: tuple[str, ...] = ()
    except SignOffError as error:
        sign_off, problems = None, (str(error),)
    return LeafletStatus(
        leaflet.id, language, progress.total, progress.translated, progress.fuzzy, review_status(strings, sign_off), problems,
        fuzzy_strings=tuple(pair for loaded in (catalogs.leaflet, catalogs.words) if loaded for pair in fuzzy_changes(loaded.path)),
    )


def has_catalog(locales: Path, leaflet_id: str, language: Language) -> bool:
    path = catalog_path(locales, language, leaflet_id)
    return path.exists() or path.is_symlink()


def fuzzy_changes(path: Path) -> list[tuple[str, str]]:
    """(old English, new English) of each fuzzy string, from msgmerge's `#| msgid` (which Babel
    does not read; translate-toolkit does)."""
    from translate.storage import pypo

    store = pypo.pofile(read_catalog_bytes(path))
    return [
        (unit.prev_source or "", unit.source)
        for unit in store.units
        if not unit.isheader() and not unit.isobsolete() and unit.isfuzzy()
    ]
