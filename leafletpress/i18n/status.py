"""The state of every leaflet in every language, for a coordinator: how much is translated, and
whether (and by whom) it was clinically checked — English included."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leafletpress.i18n.catalogs import LanguageCatalogs, is_fuzzy, load_language_catalogs
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

    @property
    def untranslated(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 0

    @property
    def state(self) -> str:
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
        }


def leaflet_status(root: Path, locales: Path, leaflet: Leaflet, language: Language) -> LeafletStatus:
    catalogs = load_language_catalogs(locales, leaflet.id, language, TEMPLATE_DOMAIN)
    strings = printed_strings(leaflet, catalogs if not catalogs.problems else LanguageCatalogs())
    if catalogs.problems:
        return LeafletStatus(leaflet.id, language, len(strings), 0, 0, ReviewStatus(UNREVIEWED), tuple(map(str, catalogs.problems)))
    fuzzy = 0
    if not language.is_source:
        for loaded, domain in ((catalogs.leaflet, leaflet.id), (catalogs.words, TEMPLATE_DOMAIN)):
            fuzzy += sum(1 for item in strings if item.domain == domain and (message := loaded.get(item.english)) is not None and is_fuzzy(message))
    translated = sum(1 for item in strings if item.translation)
    try:
        sign_off = read_sign_off(sign_off_path(root, leaflet.id, language))
        problems: tuple[str, ...] = ()
    except SignOffError as error:
        sign_off, problems = None, (str(error),)
    return LeafletStatus(leaflet.id, language, len(strings), translated, fuzzy, review_status(strings, sign_off), problems)
