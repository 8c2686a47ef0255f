"""Language tags: BCP 47 for people and file names, Babel locales for data, one place to convert."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

SOURCE_LANGUAGE = "en"


class LanguageError(ValueError):
    """A language tag that is malformed or unknown to CLDR."""


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47, as in file names: "es", "zh-Hans"
    locale: Locale

    @property
    def catalog_dir(self) -> str:
        """Folder name under locales/: Babel's identifier ("zh_Hans")."""
        return str(self.locale)

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    @property
    def native_name(self) -> str:
        return self.locale.get_display_name(self.locale) or self.tag

    @property
    def english_name(self) -> str:
        return self.locale.get_display_name("en") or self.tag

    @property
    def is_source(self) -> bool:
        return self.tag == SOURCE_LANGUAGE


def parse_language(tag: str) -> Language:
    """Parse a BCP 47 tag ("pt-BR") or a catalog folder name ("pt_BR") strictly."""
    text = tag.strip()
    if not text or not all(part.isalnum() for part in text.replace("_", "-").split("-")):
        raise LanguageError(f"'{tag}' is not a language tag (examples: es, pt-BR, zh-Hans)")
    try:
        locale = Locale.parse(text.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError) as error:
        raise LanguageError(f"'{tag}' is not a language known to CLDR: {error}") from None
    return Language(tag=to_bcp47(locale), locale=locale)


def to_bcp47(locale: Locale) -> str:
    parts = [locale.language]
    if locale.script:
        parts.append(locale.script)
    if locale.territory:
        parts.append(locale.territory)
    if locale.variant:
        parts.append(locale.variant)
    return "-".join(parts)
