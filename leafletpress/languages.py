"""Language tags: BCP 47 for people and file names, Babel locales for data, one place to convert."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale

SOURCE_LANGUAGE = "en"
SOURCE_DATE_LOCALE = "en_GB"  # the English text is British ("womb", "midwife"): 25 November 2029


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
    def date_locale(self) -> Locale:
        return Locale.parse(SOURCE_DATE_LOCALE) if self.is_source else self.locale

    @property
    def script(self) -> str:
        """ISO 15924 script code, from the tag or CLDR's likely subtags: "Latn", "Arab", "Hans"."""
        if self.locale.script:
            return self.locale.script
        likely = get_global("likely_subtags").get(self.locale.language)
        _, _, script, *_ = parse_locale(likely) if likely else (None, None, None)
        return script or "Latn"

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
