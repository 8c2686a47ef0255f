"""Characters a reader cannot see: what counts as "no text", and which characters untrusted text
may not carry.

A translation made only of zero-width spaces, joiners, soft hyphens or bidi marks prints as
nothing; a clinic name hiding a right-to-left override reads differently from what was typed.
"""

from __future__ import annotations

import re
import unicodedata

# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt): drawn as nothing.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
# Bidi embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they reorder text.
BIDI_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
BIDI_OVERRIDES = frozenset(chr(code) for code in range(0x202A, 0x202F))
# Joiners that scripts need inside words (Persian, Indic, Arabic): allowed in translations.
JOINERS = frozenset({"\u200c", "\u200d"})


INVISIBLE = re.compile(
    "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in DEFAULT_IGNORABLE) + "\\s\\x00-\\x1f\\x7f-\\x9f]"
)


def is_invisible(char: str) -> bool:
    """Drawn as nothing: default-ignorable, a control or format character, or white space."""
    return bool(INVISIBLE.match(char)) or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def visible(text: str) -> str:
    """The text without anything a reader cannot see (combining marks on nothing included)."""
    kept = INVISIBLE.sub("", text)
    if any(unicodedata.category(char) == "Cf" for char in kept):
        kept = "".join(char for char in kept if unicodedata.category(char) != "Cf")
    return kept if any(unicodedata.category(char)[0] in "LNSP" for char in kept) else ""


def has_letters(text: str) -> bool:
    return any(unicodedata.category(char).startswith("L") and not is_invisible(char) for char in text)


def code_points(chars) -> str:
    """"U+200B, U+202E" for the given characters, in order, each once."""
    return ", ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(chars))


def hidden_characters(text: str, allow: frozenset[str] = frozenset()) -> list[str]:
    """Invisible characters in `text` other than plain spaces (and `allow`), in order."""
    return [char for char in text if char != " " and char not in allow and is_invisible(char)]
