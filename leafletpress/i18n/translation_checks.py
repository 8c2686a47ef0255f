"""Checks on one translation against its English source, beyond what gettext tools look at."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
MARKUP = re.compile(r"<\s*[A-Za-z/!?]|&#?\w+;")
URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|(?:javascript|data|file|mailto|tel):|www\.)")
CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})", re.MULTILINE)
# Bidi overrides and embeddings can reorder what a reader sees; isolates and marks are allowed.
FORBIDDEN_CONTROLS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e"}
MAX_GROWTH = 6  # a translation this many times longer than its source (plus slack) is not a translation
LENGTH_SLACK = 200


def translation_problems(source: str, translation: str) -> list[str]:
    """What is wrong with a translation of `source`; empty when it passes."""
    if not translation.strip():
        return ["the translation is empty"]
    problems = []
    if CONFLICT.search(translation):
        problems.append("contains a version-control conflict marker")
    expected, found = Counter(PLACEHOLDER.findall(source)), Counter(PLACEHOLDER.findall(translation))
    if expected != found:
        problems.append(f"placeholders differ: the English has {_names(expected)}, the translation {_names(found)}")
    if MARKUP.search(translation) and not MARKUP.search(source):
        problems.append("contains markup (<…> or &…;), which the English does not")
    if URL.search(translation) and not URL.search(source):
        problems.append("contains a web address or URL, which the English does not")
    missing = Counter(numbers(source)) - Counter(numbers(translation))
    if missing:
        problems.append(f"numbers of the English missing from the translation: {', '.join(sorted(missing))}")
    controls = sorted({f"U+{ord(ch):04X}" for ch in translation if _is_forbidden_control(ch)})
    if controls:
        problems.append(f"contains invisible control characters {', '.join(controls)}")
    if len(translation) > MAX_GROWTH * len(source) + LENGTH_SLACK:
        problems.append(f"is {len(translation)} characters long for an English text of {len(source)}")
    return problems


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


def _is_forbidden_control(char: str) -> bool:
    if char in FORBIDDEN_CONTROLS:
        return True
    return unicodedata.category(char) == "Cc" and char not in "\n\t"


def _names(placeholders: Counter) -> str:
    return ", ".join(sorted(placeholders.elements())) or "none"
