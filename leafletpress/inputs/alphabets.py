"""A language's alphabet: the letters CLDR says it is written with (its exemplar characters).

Read from the CLDR data Debian ships (package `unicode-cldr-core`, /usr/share/unicode/cldr), main and
auxiliary sets together, lower case. Babel carries no exemplar characters. Scripts of thousands of
characters (Han, Hangul syllables, kana) have no alphabet worth checking against: None.

The sets are written in ICU's UnicodeSet syntax; CLDR's exemplar sets use only a small part of it:
single characters, ranges `a-z`, strings `{ch}`, and escapes `\\u0301`, `\\-`, `\\[`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

CLDR_MAIN = Path("/usr/share/unicode/cldr/common/main")
LARGE_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Kore", "Hang", "Yiii"})
ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\x\{([0-9A-Fa-f]+)\}|\\(.)")


def alphabet(locale_id: str, script: str, folder: Path = CLDR_MAIN) -> frozenset[str] | None:
    """The lower-case letters (and letter-plus-mark strings) of the language of `locale_id`
    ("pt_PT", "zh_Hans"), looked up as CLDR inherits: pt_PT, then pt. None for a large script, or
    when CLDR has no exemplar characters for it (the check then rests on the script alone)."""
    if script in LARGE_SCRIPTS:
        return None
    if not Path(folder).is_dir():
        raise FileNotFoundError(f"CLDR's locale data is not installed at {folder} (Debian package 'unicode-cldr-core'): run `make setup`")
    parts = locale_id.split("_")
    for length in range(len(parts), 0, -1):
        path = Path(folder) / ("_".join(parts[:length]) + ".xml")
        if path.is_file():
            found = exemplars(path)
            if found:
                return found
    return None


def exemplars(path: Path) -> frozenset[str]:
    """The main and auxiliary exemplar characters of one CLDR locale file."""
    root = ElementTree.parse(path).getroot()
    letters: set[str] = set()
    for element in root.iter("exemplarCharacters"):
        if element.get("type") in (None, "auxiliary") and element.text:
            letters |= parse_unicode_set(element.text)
    return frozenset(item.lower() for item in letters)


def parse_unicode_set(text: str) -> set[str]:
    """The members of a CLDR exemplar set such as `[a á b {ch} \\u0301 c-f]`."""
    body = text.strip()
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1]
    members: set[str] = set()
    tokens = _tokens(body)  # (text, is an unescaped "-")
    index = 0
    while index < len(tokens):
        token, is_range = tokens[index]
        if is_range:
            index += 1
            continue
        ahead = tokens[index + 1:index + 3]
        if len(ahead) == 2 and ahead[0][1] and len(token) == 1 and len(ahead[1][0]) == 1:
            members |= {chr(code) for code in range(ord(token), ord(ahead[1][0]) + 1)}
            index += 3
            continue
        members.add(token)
        index += 1
    return members


def _tokens(body: str) -> list[tuple[str, bool]]:
    """Characters and {strings} with escapes resolved, each with whether it is a range hyphen
    (an unescaped "-"); white space separates."""
    tokens: list[tuple[str, bool]] = []
    position = 0
    while position < len(body):
        char = body[position]
        if char.isspace():
            position += 1
        elif char == "{":
            end = body.index("}", position)
            tokens.append((_unescape(body[position + 1:end]), False))
            position = end + 1
        elif char == "\\" and ESCAPE.match(body, position):
            match = ESCAPE.match(body, position)
            tokens.append((_unescape(match.group(0)), False))
            position = match.end()
        else:
            tokens.append((char, char == "-"))
            position += 1
    return [token for token in tokens if token[0]]


def _unescape(text: str) -> str:
    def replace(match: re.Match) -> str:
        hexadecimal = match.group(1) or match.group(2) or match.group(3)
        return chr(int(hexadecimal, 16)) if hexadecimal else match.group(4)

    return ESCAPE.sub(replace, text)
