"""Checks on one translation against its English source, beyond what gettext tools look at.

`translation_problems` holds every rule that applies to any string; `box_problems` the stricter
rules for the warning box. The build's gates and `check` both call them, so a catalog that
`check` passes is one the build prints, and the other way round.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from leafletpress.core.characters import BIDI_OVERRIDES, code_points, has_letters, visible

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
MARKUP = re.compile(r"<\s*[A-Za-z/!?]|&#?\w+;")
# Web addresses in any form a reader could type: with a scheme, www., or a bare domain name.
URL = re.compile(
    r"(?i)(?:\b[a-z][a-z0-9+.-]*://\S+|\b(?:javascript|data|file|mailto|tel):\S*|\bwww\.\S+"
    r"|\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:[a-z]{2,24})\b(?:/\S*)?)"
)
# A bare domain must end in a known kind of top-level name, or "e.g." and "i.e." would count.
TOP_LEVEL = re.compile(r"(?i)\.(?:com|org|net|info|biz|gov|edu|nhs|uk|ie|eu|us|de|fr|es|it|pl|pt|ro|so|nl|be|ch|at|io|co|me|ly|app|site|online|health|example|invalid|test)\b")
CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})", re.MULTILINE)
MAX_GROWTH = 6  # a translation this many times longer than its source (plus slack) is not a translation
LENGTH_SLACK = 200
# A translator marks a string that is rightly the same as the English with this translator comment
# (`# same-as-english` above the entry; Poedit: "Comment"), e.g. a Latin-script "Version {version}".
SAME_AS_ENGLISH = "same-as-english"


def translation_problems(source: str, translation: str) -> list[str]:
    """What is wrong with a translation of `source`; empty when it passes."""
    if not visible(translation):
        return ["the translation is empty, or holds only characters a reader cannot see"]
    problems = []
    if CONFLICT.search(translation):
        problems.append("contains a version-control conflict marker")
    expected, found = Counter(PLACEHOLDER.findall(source)), Counter(PLACEHOLDER.findall(translation))
    if expected != found:
        problems.append(f"placeholders differ: the English has {_names(expected)}, the translation {_names(found)}")
    if MARKUP.search(translation) and not MARKUP.search(source):
        problems.append("contains markup (<…> or &…;), which the English does not")
    added_urls = sorted(set(web_addresses(translation)) - set(web_addresses(source)))
    if added_urls:
        problems.append(f"contains a web address or URL the English does not have: {added_urls[0][:60]}")
    source_numbers, translated_numbers = Counter(numbers(source)), Counter(numbers(translation))
    missing, added = source_numbers - translated_numbers, translated_numbers - source_numbers
    if missing:
        problems.append(f"numbers of the English missing from the translation: {', '.join(sorted(missing))}")
    if added:
        problems.append(f"adds numbers the English does not have: {', '.join(sorted(added))}")
    controls = [char for char in translation if _is_forbidden_control(char)]
    if controls:
        problems.append(f"contains invisible control characters {code_points(controls)}")
    if has_letters(source) and not has_letters(translation):
        problems.append("has no letters, though the English has")
    if len(translation) > MAX_GROWTH * len(source) + LENGTH_SLACK:
        problems.append(f"is {len(translation)} characters long for an English text of {len(source)}")
    return problems


def same_as_english(source: str, translation: str) -> bool:
    """The translation is the English, give or take invisible characters, spacing and case:
    what a tool's "copy source" leaves behind."""
    return _comparable(source) == _comparable(translation)


def box_problems(source: str, translation: str, script: str, marked_same: bool) -> list[str]:
    """The warning box's own rule: never English inside a translated box. A translation identical
    to the English is refused for every script but Latin, and for Latin unless the translator
    marked it `same-as-english`."""
    if not same_as_english(source, translation):
        return []
    if script != "Latn":
        return ["is the English text, not a translation (a non-Latin script cannot share it)"]
    if not marked_same:
        return [f"is the English text, not a translation; if it is right in this language, mark it with a translator comment '# {SAME_AS_ENGLISH}'"]
    return []


def numbers(text: str) -> list[str]:
    """Digit runs outside placeholders, in ASCII digits whatever the script (٣ and ৩ count as 3)."""
    text = PLACEHOLDER.sub(" ", text)
    runs, current = [], []
    for char in text:
        if char.isdigit():
            current.append(str(unicodedata.digit(char, 0)))
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def web_addresses(text: str) -> list[str]:
    """Web addresses and URLs in the text, lower-cased, placeholders left out."""
    found = []
    for match in URL.finditer(PLACEHOLDER.sub(" ", text)):
        address = match.group(0).rstrip(".,;:!?)»\"'").lower()
        scheme_or_www = "://" in address or address.startswith(("www.", "javascript:", "data:", "file:", "mailto:", "tel:"))
        if scheme_or_www or TOP_LEVEL.search(address):
            found.append(address)
    return found


def _comparable(text: str) -> str:
    return " ".join(visible(unicodedata.normalize("NFKC", text)).casefold().split()) if visible(text) else ""


def _is_forbidden_control(char: str) -> bool:
    if char in BIDI_OVERRIDES:
        return True
    return unicodedata.category(char) == "Cc" and char not in "\n\t"


def _names(placeholders: Counter) -> str:
    return ", ".join(sorted(placeholders.elements())) or "none"
