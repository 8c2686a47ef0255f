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


# The first words of the Unicode names of a script's letters, by ISO 15924 code. A script that writes
# with several (Japanese: kanji and kana) names them all.
SCRIPT_NAMES: dict[str, frozenset[str]] = {
    code: frozenset(names.split()) for code, names in {
        "Latn": "LATIN", "Cyrl": "CYRILLIC", "Grek": "GREEK", "Arab": "ARABIC", "Beng": "BENGALI",
        "Guru": "GURMUKHI", "Deva": "DEVANAGARI", "Taml": "TAMIL", "Ethi": "ETHIOPIC", "Hebr": "HEBREW",
        "Hans": "CJK", "Hant": "CJK", "Jpan": "CJK HIRAGANA KATAKANA", "Kore": "HANGUL CJK", "Hang": "HANGUL",
        "Orya": "ORIYA", "Thai": "THAI", "Gujr": "GUJARATI", "Knda": "KANNADA", "Mlym": "MALAYALAM",
        "Telu": "TELUGU", "Sinh": "SINHALA", "Khmr": "KHMER", "Mymr": "MYANMAR", "Armn": "ARMENIAN",
        "Geor": "GEORGIAN", "Thaa": "THAANA", "Laoo": "LAO", "Tibt": "TIBETAN", "Syrc": "SYRIAC",
        "Nkoo": "NKO", "Cher": "CHEROKEE", "Cans": "CANADIAN", "Yiii": "YI", "Tfng": "TIFINAGH",
        "Olck": "OL", "Vaii": "VAI", "Adlm": "ADLAM",
    }.items()
}


def script_share(text: str, script: str) -> float | None:
    """The share (0-1) of the letters of `text` that are in `script` (an ISO 15924 code); None when
    the text has no letters. A script not in SCRIPT_NAMES raises KeyError: a check that silently
    did nothing would pass anything."""
    expected = SCRIPT_NAMES[script]
    letters = [script_of(char) for char in text if script_of(char)]
    if not letters:
        return None
    return sum(1 for name in letters if name in expected) / len(letters)


# Small capitals and other letter forms that read as a plain Latin letter: "LATIN LETTER SMALL
# CAPITAL E" reads as e. Matched by name, so every such letter Unicode has is covered.
LETTER_FORM = re.compile(r"^LATIN (?:LETTER|CAPITAL LETTER|SMALL LETTER) (?:SMALL CAPITAL|DOTLESS|TURNED|SCRIPT|OPEN) ([A-Z])\b")


def skeleton(text: str, keep_accents: bool = False) -> str:
    """What a text reads as, to compare it with another: compatibility forms unfolded (full-width,
    mathematical letters), accents and other marks dropped, look-alike letters of other scripts and
    small capitals mapped to the Latin letter they imitate, letters and digits only (spaces,
    punctuation and invisible characters gone), case folded. Only for comparing: "été" and "ete"
    have the same skeleton, unless `keep_accents`."""
    normal = unicodedata.normalize("NFKD", text).translate(LOOKALIKES)
    kept = []
    for char in normal:
        category = unicodedata.category(char)
        if category[0] not in "LN" and not (keep_accents and category == "Mn" and kept):
            continue
        form = LETTER_FORM.match(unicodedata.name(char, "")) if ord(char) > 0x7F else None
        kept.append(form.group(1).lower() if form else char)
    joined = "".join(kept).casefold()
    return unicodedata.normalize("NFC", joined) if keep_accents else joined


# Letters that read as digits: with a real digit beside them, or where the letter itself is a
# stranger to ordinary writing (Ƨ, Ʒ, Ȣ), a run of them is a number ("OȢOO lƧƷ" reads 0800 123).
DIGIT_LOOKALIKES = {
    **dict.fromkeys("OoОоΟοՕօ〇", "0"), **dict.fromkeys("lIǀӀ|ℓ", "1"), **dict.fromkeys("ƧƨᒿՁ", "2"),
    **dict.fromkeys("ƷʒЗзӠӡᏃꝪ", "3"), **dict.fromkeys("ЧчᏎ", "4"), **dict.fromkeys("Ƽƽ", "5"),
    **dict.fromkeys("бᏮ", "6"), **dict.fromkeys("Ȣȣ", "8"), **dict.fromkeys("Ꝯꝯ", "9"),
}
ORDINARY_LOOKALIKES = frozenset("OoОоΟοՕօlI|ЗзЧчб")  # letters of everyday words: a number only beside a digit


def code_points(chars) -> str:
    """"U+200B, U+202E" for the given characters, in order, each once."""
    return ", ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(chars))


def hidden_characters(text: str, allow: frozenset[str] = frozenset()) -> list[str]:
    """Invisible characters in `text` other than plain spaces (and `allow`), in order."""
    return [char for char in text if char != " " and char not in allow and is_invisible(char)]
