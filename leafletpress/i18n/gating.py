"""Pick the text an edition prints for every English string, and the gates that refuse an edition.

The warning section (and the template words printed inside its box) must be fully translated, not
fuzzy, and pass every check, or the edition is refused, draft or not: there is never English inside
a translated warning box. Other strings may fall back to English only in a draft edition.

The language's glossary (`i18n/glossary.py`) is one of the checks: a forbidden term, or none of the
agreed terms for a term of the English, refuses the edition in the warning box and is a warning
elsewhere. A glossary that cannot be read refuses every edition of its language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from leafletpress.i18n.catalogs import LanguageCatalogs, LoadedCatalog, is_fuzzy
from leafletpress.i18n.glossary import Glossary
from leafletpress.i18n.template_strings import WARNING_BOX_WORDS, TEMPLATE_WORDS
from leafletpress.inputs.languages import Language
from leafletpress.inputs.leaflet import Leaflet
from leafletpress.core.characters import has_letters, visible
from leafletpress.i18n.translation_checks import SAME_AS_ENGLISH, box_problems, same_as_english, translation_problems
from leafletpress.core.problems import WARNING, Problem


@dataclass(frozen=True)
class Translation:
    texts: dict[str, str] = field(default_factory=dict)  # English -> what the edition prints
    problems: tuple[Problem, ...] = ()
    english_fallbacks: int = 0

    @property
    def refused(self) -> bool:
        return any(problem.is_error for problem in self.problems)


def keep_english(msgids: Iterable[str]) -> Translation:
    return Translation(texts={msgid: msgid for msgid in msgids})


@dataclass(frozen=True)
class Verdict:
    """What the gates say of one string: untranslated (and how), or translated with its problems."""

    untranslated: str | None = None  # "untranslated", "fuzzy (…)", "missing from the catalog (…)"
    errors: tuple[str, ...] = ()  # refuse the edition
    warnings: tuple[str, ...] = ()  # shown by `check`

    @property
    def passes(self) -> bool:
        return self.untranslated is None and not self.errors


def judge(
    msgid: str, message, in_box: bool, language: Language, glossary: Glossary | None = None, heading: bool = False,
) -> Verdict:
    """The checks one string of a catalog must pass; `in_box` for the warning box's strings,
    `heading` for the leaflet's title and section headings (some glossary terms are wrong only
    there)."""
    state = _untranslated_state(message)
    if state is not None:
        return Verdict(untranslated=state)
    marked_same = any(SAME_AS_ENGLISH in comment for comment in message.user_comments)
    errors = translation_problems(msgid, message.string, language.script, language.direction)
    if in_box:
        errors += box_problems(msgid, message.string, language.script, marked_same, language.direction, language.alphabet)
    terms = glossary.findings(msgid, message.string, heading) if glossary is not None else []
    if in_box:
        errors += terms
    warnings = [] if in_box else list(terms)
    # Outside the box only a copy with the very same letters is worth a warning ("Versión" is Spanish).
    if not in_box and not marked_same and same_as_english(msgid, message.string, keep_accents=True) and has_letters(msgid):
        warnings.append(f"is the same as the English; if that is right, mark it '# {SAME_AS_ENGLISH}'")
    return Verdict(errors=tuple(errors), warnings=tuple(warnings))


def translate(
    catalog: LoadedCatalog, msgids: Iterable[str], language: Language, required: Iterable[str] = (), draft: bool = False,
    glossary: Glossary | None = None, headings: Iterable[str] = (),
) -> Translation:
    """Translate `msgids` into `language` with `catalog`. `required` strings (the warning box's)
    may never fall back to English, nor be the English copied over; every string is held to the
    `glossary` (`headings` are the strings printed as headings)."""
    required, headings = set(required), set(headings)
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    fallbacks = 0
    for msgid in dict.fromkeys(msgids):
        message = catalog.get(msgid)
        line = getattr(message, "lineno", None)
        in_box = msgid in required
        verdict = judge(msgid, message, in_box, language, glossary, msgid in headings)
        where = "warning box: " if in_box else ""
        if verdict.untranslated is None:
            problems += [Problem(f"{where}{_quote(msgid)} {error}", path=catalog.path, line=line) for error in verdict.errors]
            problems += [Problem(f"{_quote(msgid)} {note}", path=catalog.path, line=line, severity=WARNING) for note in verdict.warnings]
            if not verdict.errors:
                texts[msgid] = message.string
        elif in_box:
            problems.append(Problem(f"warning box: {_quote(msgid)} is {verdict.untranslated}; the edition is refused", path=catalog.path, line=line))
        elif draft:
            problems.append(Problem(f"{_quote(msgid)} is {verdict.untranslated}; printed in English (draft)", path=catalog.path, line=line, severity=WARNING))
            texts[msgid] = msgid
            fallbacks += 1
        else:
            problems.append(Problem(f"{_quote(msgid)} is {verdict.untranslated} (use --draft for a proof copy)", path=catalog.path, line=line))
    return Translation(texts=texts, problems=tuple(problems), english_fallbacks=fallbacks)


def merge(*translations: Translation) -> Translation:
    texts: dict[str, str] = {}
    for translation in translations:
        texts.update(translation.texts)
    return Translation(
        texts=texts,
        problems=tuple(problem for translation in translations for problem in translation.problems),
        english_fallbacks=sum(translation.english_fallbacks for translation in translations),
    )


def _untranslated_state(message) -> str | None:
    if message is None:
        return "missing from the catalog (run `make_leaflets.py update`)"
    if is_fuzzy(message):
        return "fuzzy (a translator must confirm it)"
    if not isinstance(message.string, str) or not visible(message.string):
        return "untranslated"
    return None


def _quote(msgid: str) -> str:
    short = msgid if len(msgid) <= 50 else msgid[:47] + "…"
    return f'"{short}"'


def translate_edition(leaflet: Leaflet, catalogs: LanguageCatalogs, language: Language, draft: bool, with_clinic: bool) -> Translation:
    """Every string an edition prints, in its language: the leaflet's and the template's words
    (the clinic's only when a clinic is named), with the warning box's strings required."""
    clinic_words = {"clinic_contact", "clinic_hours", "clinic_website"}
    word_keys = [key for key in TEMPLATE_WORDS if with_clinic or key not in clinic_words]
    word_ids = [TEMPLATE_WORDS[key] for key in word_keys]
    box_word_ids = [TEMPLATE_WORDS[key] for key in word_keys if key in WARNING_BOX_WORDS]
    if catalogs.leaflet is None:  # the source language
        return merge(keep_english(leaflet.strings()), keep_english(word_ids))
    glossary = catalogs.glossary
    return merge(
        Translation(problems=catalogs.glossary_problems),
        translate(catalogs.leaflet, leaflet.strings(), language, leaflet.warning_strings(), draft, glossary, leaflet.headings()),
        translate(catalogs.words, word_ids, language, box_word_ids, draft, glossary),
    )


def warning_box_msgids(leaflet: Leaflet) -> set[str]:
    """Every string printed inside the warning box: its own, and the template's words there."""
    return {*leaflet.warning_strings(), *(TEMPLATE_WORDS[key] for key in WARNING_BOX_WORDS)}
