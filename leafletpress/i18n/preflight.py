"""`check`, the translator's pre-flight: every reason the build would refuse an edition because of
a catalog is an error here, with file and line, and what only a draft may print is a warning.

It runs the very gates the build runs (`gating.translate_edition`, as for a draft with a clinic
named, so the clinic's words are checked too, and the language's glossary with them) and the glyph
check on every translated string.
"""

from __future__ import annotations

from leafletpress.core.problems import Problem
from leafletpress.i18n.catalogs import LanguageCatalogs, load_language_catalogs
from leafletpress.i18n.gating import translate_edition
from leafletpress.i18n.template_strings import TEMPLATE_DOMAIN
from leafletpress.inputs.fonts import FontError, FontLibrary
from leafletpress.inputs.languages import Language
from leafletpress.inputs.leaflet import Leaflet


def language_problems(locales, leaflets: list[Leaflet], language: Language, fonts: FontLibrary | None) -> list[Problem]:
    """Every problem in the language's catalogs for these leaflets, each once."""
    problems: list[Problem] = []
    for leaflet in leaflets:
        catalogs = load_language_catalogs(locales, leaflet.id, language, TEMPLATE_DOMAIN)
        if catalogs.problems:
            problems += catalogs.problems
            continue
        problems += leaflet_problems(leaflet, catalogs, language, fonts)
    return list(dict.fromkeys(problems))


def leaflet_problems(leaflet: Leaflet, catalogs: LanguageCatalogs, language: Language, fonts: FontLibrary | None) -> list[Problem]:
    translation = translate_edition(leaflet, catalogs, language, draft=True, with_clinic=True)
    return [*translation.problems, *glyph_problems(catalogs, translation.texts, language, fonts)]


def glyph_problems(catalogs: LanguageCatalogs, texts: dict[str, str], language: Language, fonts: FontLibrary | None) -> list[Problem]:
    """A printed character that none of the language's fonts has refuses the edition."""
    if fonts is None:
        return []
    try:
        stack = fonts.stack(language)
    except FontError as error:
        return list(error.problems)
    problems = []
    for loaded in (catalogs.leaflet, catalogs.words):
        for msgid, text in texts.items():
            message = loaded.get(msgid)
            if message is None or message.string != text:
                continue
            missing = fonts.missing(text, stack)
            if missing:
                families = " or ".join(stack.families)
                problems.append(Problem(f"no glyph in {families} for {', '.join(missing[:10])}", path=loaded.path, line=message.lineno))
    return problems
