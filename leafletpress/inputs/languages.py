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


# The modifiers gettext editors write after "@" in a Language header ("sr@latin"), as scripts.
POSIX_SCRIPT_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl", "arabic": "Arab", "devanagari": "Deva", "euro": None}
# Codes that are valid BCP 47 but name no language a leaflet can be written in.
NOT_A_LANGUAGE = {"und", "root", "mul", "zxx", "mis"}
EXAMPLES = "examples: es, pt-PT, pt-BR, zh-Hans"
MAX_SHOWN_TAG = 40  # a tag is a few letters; a longer "tag" in a message is cut


def _shown(tag: str) -> str:
    """A tag as a message quotes it: control and invisible characters escaped, cut if long (the
    tag may come from an untrusted file, such as an agency's XLIFF)."""
    return repr(tag if len(tag) <= MAX_SHOWN_TAG else tag[: MAX_SHOWN_TAG - 1] + "…")


def parse_language(tag: str) -> Language:
    """The language a tag means to CLDR, from a BCP 47 tag ("pt-PT"), a catalog folder name
    ("pt_PT") or the POSIX form editors write in headers ("pt_PT", "sr@latin", "pt_PT.UTF-8").

    Exactly the tag given: case is normalised and a deprecated code replaced by CLDR's ("iw" ->
    "he", "tir" -> "ti"), but no likely region is added ("pt" stays Portuguese as CLDR reads it,
    i.e. Brazilian; "ti" does not become "ti-ET"). English, the source, is only "en".
    """
    text = tag.strip()
    base, at, modifier = text.partition("@")
    subtags = base.split(".")[0].replace("_", "-").split("-")
    if not text or not all(part.isascii() and part.isalnum() for part in subtags) or (at and modifier.lower() not in POSIX_SCRIPT_MODIFIERS):
        raise LanguageError(f"{_shown(tag)} is not a language tag ({EXAMPLES})")
    language, script, territory, variants = _subtags(subtags)
    if at:
        script = POSIX_SCRIPT_MODIFIERS[modifier.lower()] or script
    if language in NOT_A_LANGUAGE:
        raise LanguageError(f"{_shown(tag)} names no particular language: give the language's own tag ({EXAMPLES})")
    locale = _cldr_locale(tag, language, script, territory, variants)
    if locale.language == SOURCE_LANGUAGE and (locale.script, locale.territory, locale.variant) != (None, None, None):
        raise LanguageError(f"{_shown(tag)} is English, the source language: it is written `{SOURCE_LANGUAGE}` and has no catalog")
    return Language(tag=to_bcp47(locale), locale=locale)


def _subtags(subtags: list[str]) -> tuple[str, str | None, str | None, list[str]]:
    language, script, territory, variants = subtags[0].lower(), None, None, []
    alias = get_global("language_aliases").get(language)
    if alias:  # "iw" -> "he", "sh" -> "sr_Latn", "prs" -> "fa_AF": the code's meaning, in CLDR's words
        language, alias_territory, alias_script, *_ = parse_locale(alias)
        script, territory = alias_script, alias_territory
    for part in subtags[1:]:
        if len(part) == 4 and part.isalpha():
            script = part.title()
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            territory = part.upper()
        else:
            variants.append(part.upper())
    return language, script, territory, variants


def _cldr_locale(tag: str, language: str, script: str | None, territory: str | None, variants: list[str]) -> Locale:
    try:
        return Locale(language, territory=territory, script=script, variant="_".join(variants) or None)
    except (ValueError, UnknownLocaleError):
        pass
    # CLDR files some regions under a script ("zh-CN" is zh_Hans_CN): the script may be inferred,
    # a region never.
    try:
        locale = Locale.parse("_".join(filter(None, [language, script, territory, *variants])))
    except (ValueError, UnknownLocaleError):
        # Babel's message repeats the whole tag, uncut: the tag shown (cut) says it all.
        raise LanguageError(f"{_shown(tag)} is not a language known to CLDR ({EXAMPLES})") from None
    if (locale.language, locale.territory, locale.variant) != (language, territory, "_".join(variants) or None):
        raise LanguageError(f"{_shown(tag)} is not a language known to CLDR ({EXAMPLES})")
    return locale


def to_bcp47(locale: Locale) -> str:
    parts = [locale.language]
    if locale.script:
        parts.append(locale.script)
    if locale.territory:
        parts.append(locale.territory)
    if locale.variant:
        parts.extend(variant.lower() for variant in locale.variant.split("_"))
    return "-".join(parts)
