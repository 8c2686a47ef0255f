"""Characters a reader cannot see, and characters that look like others: what counts as "no
text", which characters untrusted text may not carry, and what text really is underneath.

A translation made only of zero-width spaces, joiners, soft hyphens or bidi marks prints as
nothing; a clinic name hiding a right-to-left override reads differently from what was typed; an
English sentence with one Cyrillic "а" in it is still English.
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
# Symbols drawn as a blank or a box, never as a letter: braille blank, object replacement.
BLANKS = "\u2800\ufffc\ufffd"
# Bidi embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they reorder text.
BIDI_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
BIDI_OVERRIDES = frozenset(chr(code) for code in range(0x202A, 0x202F))
BIDI_MARKS = frozenset("\u200e\u200f\u061c")  # LRM, RLM, ALM
# Joiners that scripts need inside words (Persian, Indic, Arabic): allowed in translations.
JOINERS = frozenset({"\u200c", "\u200d"})

_HIDDEN = "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in DEFAULT_IGNORABLE) + BLANKS + "\\x00-\\x08\\x0e-\\x1f\\x7f-\\x9f"
INVISIBLE = re.compile(f"[{_HIDDEN}\\s]")
HIDDEN = re.compile(f"[{_HIDDEN}]")  # invisible, but not white space: removed from inside words
# Letters that look like Latin ones (Unicode's confusables, the common ones): mapped to the Latin
# letter they imitate, so that a copy of the English with a look-alike in it is still a copy.
LOOKALIKES = str.maketrans({
    **dict(zip("аеорсухіјѕԁԛԝаАВЕКМНОРСТХІЈЅ", "aeopcyxijsdqwaABEKMHOPCTXIJS")),
    **dict(zip("αβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "aBeikvoptuxABEZHIKMNOPTYX")),
    "ı": "i", "ɑ": "a", "ſ": "s", "ℓ": "l", "Ꭺ": "A", "ɡ": "g", "ʏ": "y", "ɩ": "i", "К": "K",
})


def is_invisible(char: str) -> bool:
    """Drawn as nothing: default-ignorable, a control or format character, a blank, white space."""
    return bool(INVISIBLE.match(char)) or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def visible(text: str) -> str:
    """The text without anything a reader cannot see (combining marks on nothing included)."""
    kept = INVISIBLE.sub("", text)
    if any(unicodedata.category(char) == "Cf" for char in kept):
        kept = "".join(char for char in kept if unicodedata.category(char) != "Cf")
    return kept if any(unicodedata.category(char)[0] in "LNSP" for char in kept) else ""


def is_letter(char: str) -> bool:
    """A real letter: not a modifier letter (tatweel, prolonged sound mark, modifier apostrophe)."""
    return unicodedata.category(char) in ("Lu", "Ll", "Lt", "Lo") and not is_invisible(char)


def has_letters(text: str) -> bool:
    return any(is_letter(char) for char in text)


def script_of(char: str) -> str:
    """The script a letter belongs to, by its Unicode name: "LATIN", "CYRILLIC", "ARABIC"…
    (CJK ideographs are "CJK"). "" for anything that is not a letter."""
    if not is_letter(char):
        return ""
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


# The first word of the Unicode names of a script's letters, by ISO 15924 code, where it differs
# from CLDR's name for the script.
SCRIPT_NAMES = {"Latn": "LATIN", "Cyrl": "CYRILLIC", "Grek": "GREEK", "Arab": "ARABIC", "Beng": "BENGALI",
                "Guru": "GURMUKHI", "Deva": "DEVANAGARI", "Taml": "TAMIL", "Ethi": "ETHIOPIC", "Hebr": "HEBREW",
                "Hans": "CJK", "Hant": "CJK", "Orya": "ORIYA", "Thai": "THAI", "Gujr": "GUJARATI", "Knda": "KANNADA",
                "Mlym": "MALAYALAM", "Telu": "TELUGU", "Sinh": "SINHALA", "Khmr": "KHMER", "Mymr": "MYANMAR",
                "Armn": "ARMENIAN", "Geor": "GEORGIAN", "Thaa": "THAANA", "Hang": "HANGUL", "Kore": "HANGUL"}


def script_share(text: str, script: str) -> float | None:
    """The share (0-1) of the letters of `text` that are in `script` (an ISO 15924 code); None when
    the text has no letters or the script is not known."""
    expected = SCRIPT_NAMES.get(script)
    letters = [script_of(char) for char in text if script_of(char)]
    if not expected or not letters:
        return None
    return sum(1 for name in letters if name == expected) / len(letters)


def skeleton(text: str) -> str:
    """What a text reads as, to compare it with another: NFKC (so ó stays ó), letters and digits
    only (loose combining marks, spaces, punctuation and invisible characters gone), look-alikes
    mapped to Latin, case folded."""
    normal = unicodedata.normalize("NFKC", text).translate(LOOKALIKES)
    return "".join(char for char in normal if unicodedata.category(char)[0] in "LN").casefold()


def code_points(chars) -> str:
    """"U+200B, U+202E" for the given characters, in order, each once."""
    return ", ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(chars))


def hidden_characters(text: str, allow: frozenset[str] = frozenset()) -> list[str]:
    """Invisible characters in `text` other than plain spaces (and `allow`), in order."""
    return [char for char in text if char != " " and char not in allow and is_invisible(char)]
