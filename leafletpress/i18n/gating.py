"""Pick the text an edition prints for every English string, and the gates that refuse an edition.

The warning section (and the template words printed inside its box) must be fully translated, not
fuzzy, and pass every check, or the edition is refused, draft or not: there is never English inside
a translated warning box. Other strings may fall back to English only in a draft edition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from leafletpress.i18n.catalogs import LanguageCatalogs, LoadedCatalog
from leafletpress.i18n.template_strings import WARNING_BOX_WORDS, TEMPLATE_WORDS
from leafletpress.inputs.leaflet import Leaflet
from leafletpress.i18n.translation_checks import translation_problems
from leafletpress.inputs.problems import Problem


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


def translate(
    catalog: LoadedCatalog, msgids: Iterable[str], required: Iterable[str] = (), draft: bool = False
) -> Translation:
    """Translate `msgids` with `catalog`. `required` strings may never fall back to English."""
    required = set(required)
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    fallbacks = 0
    for msgid in dict.fromkeys(msgids):
        message = catalog.get(msgid)
        line = getattr(message, "lineno", None)
        state = _untranslated_state(message)
        in_box = msgid in required
        if state is None:
            found = translation_problems(msgid, message.string)
            if found:
                where = "warning box: " if in_box else ""
                problems += [Problem(f"{where}{_quote(msgid)} {problem}", path=catalog.path, line=line) for problem in found]
                continue
            texts[msgid] = message.string
        elif in_box:
            problems.append(Problem(f"warning box: {_quote(msgid)} is {state}; the edition is refused", path=catalog.path, line=line))
        elif draft:
            problems.append(Problem(f"{_quote(msgid)} is {state}; printed in English (draft)", path=catalog.path, line=line, severity="warning"))
            texts[msgid] = msgid
            fallbacks += 1
        else:
            problems.append(Problem(f"{_quote(msgid)} is {state} (use --draft for a proof copy)", path=catalog.path, line=line))
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
    if message.fuzzy:
        return "fuzzy (a translator must confirm it)"
    if not isinstance(message.string, str) or not message.string:
        return "untranslated"
    return None


def _quote(msgid: str) -> str:
    short = msgid if len(msgid) <= 50 else msgid[:47] + "…"
    return f'"{short}"'


def translate_edition(leaflet: Leaflet, catalogs: LanguageCatalogs, draft: bool, with_clinic: bool) -> Translation:
    """Every string an edition prints, in its language: the leaflet's and the template's words
    (the clinic's only when a clinic is named), with the warning box's strings required."""
    clinic_words = {"clinic_contact", "clinic_hours", "clinic_website"}
    word_keys = [key for key in TEMPLATE_WORDS if with_clinic or key not in clinic_words]
    word_ids = [TEMPLATE_WORDS[key] for key in word_keys]
    box_word_ids = [TEMPLATE_WORDS[key] for key in word_keys if key in WARNING_BOX_WORDS]
    if catalogs.leaflet is None:  # the source language
        return merge(keep_english(leaflet.strings()), keep_english(word_ids))
    return merge(
        translate(catalogs.leaflet, leaflet.strings(), required=leaflet.warning.strings(), draft=draft),
        translate(catalogs.words, word_ids, required=box_word_ids, draft=draft),
    )
