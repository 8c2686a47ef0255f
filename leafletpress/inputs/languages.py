"""Language tags: BCP 47 for people and file names, Babel locales for data, one place to convert."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale

from leafletpress.core.problems import UsageError

SOURCE_LANGUAGE = "en"
SOURCE_DATE_LOCALE = "en_GB"
# CLDR numbering systems WeasyPrint has a counter style for, with the code point of their zero.
NUMBERING_SYSTEMS = {
    "arab": ("arabic-indic", 0x0660),
    "arabext": ("persian", 0x06F0),
    "beng": ("bengali", 0x09E6),
    "deva": ("devanagari", 0x0966),
    "gujr": ("gujarati", 0x0AE6),
    "guru": ("gurmukhi", 0x0A66),
    "knda": ("kannada", 0x0CE6),
    "khmr": ("khmer", 0x17E0),
    "laoo": ("lao", 0x0ED0),
    "mlym": ("malayalam", 0x0D66),
    "mymr": ("myanmar", 0x1040),
    "orya": ("oriya", 0x0B66),
    "tamldec": ("tamil", 0x0BE6),
    "telu": ("telugu", 0x0C66),
    "thai": ("thai", 0x0E50),
}  # the English text is British ("womb", "midwife"): 25 November 2029


class LanguageError(UsageError):
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

    @cached_property
    def alphabet(self) -> frozenset[str] | None:
        """The letters the language is written with (CLDR's exemplar characters), lower case; None
        for scripts of thousands of characters (see inputs/alphabets.py)."""
        from leafletpress.inputs.alphabets import alphabet

        return alphabet(str(self.locale), self.script)

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
    def counter_style(self) -> str:
        """CSS counter style for page numbers and numbered steps, from CLDR's default numbering."""
        return NUMBERING_SYSTEMS.get(self.locale.default_numbering_system, ("decimal", 0x30))[0]

    def digits(self, text: str) -> str:
        """ASCII digits in `text` written in the language's own digits (CLDR's default numbering)."""
        zero = NUMBERING_SYSTEMS.get(self.locale.default_numbering_system, ("decimal", 0x30))[1]
        return text.translate({0x30 + value: zero + value for value in range(10)})

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
