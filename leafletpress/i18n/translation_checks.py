"""Checks on one translation against its English source, beyond what gettext tools look at.

`translation_problems` holds every rule that applies to any string; `box_problems` the stricter
rules for the warning box. The build's gates and `check` both call them, so a catalog that
`check` passes is one the build prints, and the other way round.

Translators' text is untrusted. A translation may not add a number (in any numeral system), a
phone number or a web address the English does not have; may not hide bidi controls that reorder
what a reader sees; may not be the English again, however disguised (look-alike letters, case,
spacing, invisible characters, one changed mark); and in the warning box it must be written in
the language's own script.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter

from leafletpress.core.characters import (
    BIDI_CONTROLS,
    BIDI_MARKS,
    DIGIT_LOOKALIKES,
    HIDDEN,
    JOINERS,
    ORDINARY_LOOKALIKES,
    SCRIPT_NAMES,
    code_points,
    hidden_characters,
    has_letters,
    is_letter,
    script_of,
    script_share,
    skeleton,
    visible,
)

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
MARKUP = re.compile(r"<\s*[A-Za-z/!?]|&#?\w+;")
CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})", re.MULTILINE)
MAX_GROWTH = 6  # a translation this many times longer than its source (plus slack) is not a translation
LENGTH_SLACK = 200
# A translator marks a string that is rightly the same as the English with this translator comment
# (`# same-as-english` above the entry; Poedit: "Comment"), e.g. a Latin-script "Version {version}".
SAME_AS_ENGLISH = "same-as-english"
COPY_SIMILARITY = 0.85  # letters this alike (0-1) to the English are the English, not a translation
SHORT = 12  # below this many letters only an exact copy counts (short words are alike by chance)
OWN_SCRIPT_SHARE = 0.6  # in the warning box, at least this share of letters in the language's script
CONFUSABLE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK"}
# Web addresses in any form a reader could type or follow: a scheme, //host, www., an e-mail, or
# a name with a dot and a top-level name (of any script) glued to it. A dot may be disguised as
# another dot-like sign, a bracketed dot or the word "dot" in a few languages.
DOTS = str.maketrans({"｡": ".", "．": ".", "﹒": ".", "·": ".", "•": ".", "∙": ".", "⋅": ".", "‧": ".", "●": ".", "・": "."})
IDEOGRAPHIC_DOT = re.compile(r"(?<=\w)。(?=[A-Za-z0-9])")  # "evil。com", "百度。com"; prose ends sentences with 。 and a space or a letter of its own script
SPELLED_DOT = re.compile(
    r"(?i)(?<=\w)\s*(?:[\[({<]\s*(?:\.|dot|punto|point|kropka|punct|крапка|точка)\s*[\])}>]"
    r"|\s+(?:\.|dot|punto|point|kropka|punct|крапка|точка|dhibic)\s+)\s*(?=[a-z]{2,6}\b)"
)
URL = re.compile(
    r"(?i)(?:(?<![a-z0-9+.\-])[a-z][a-z0-9+.\-]*://\S+|(?<![\w/])//[\w.\-]+\S*|(?:javascript|data|file|mailto|tel|sms):\S*"
    r"|\bwww\.\S+|(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+|(?<![\w.\-])[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,63}(?![\w\-])(?:/\S*)?)"
)
IDEOGRAPHIC_NUMERALS = "〇零一二三四五六七八九十百千万幺两"
FINANCIAL_NUMERALS = "壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬"  # written only in numbers (cheques, contracts)
# Chinese numerals as a number: three or more in a row, or any run holding a financial numeral or
# numerals spaced apart ("九 九 九"); a single 一 or 十 in a word ("一起", "十分") is not a number.
NUMERAL_RUN = re.compile(
    f"[{IDEOGRAPHIC_NUMERALS}{FINANCIAL_NUMERALS}](?:[\\s\\-.,、，·]*[{IDEOGRAPHIC_NUMERALS}{FINANCIAL_NUMERALS}])+"
)
# Marks that strike through, underline, enclose or pile up on a letter: a warning crossed out is
# still "translated" to every check that reads only the letters.
DECORATING_MARKS = frozenset("\u0305\u0332\u0333\u033f\u0347\u0353\u0359\u035a\u20e8")
MAX_MARKS_ON_A_LETTER = 3  # Vietnamese needs two; Indic clusters keep theirs between letters


def translation_problems(source: str, translation: str, script: str = "Latn", direction: str = "ltr") -> list[str]:
    """What is wrong with a translation of `source` into a language written in `script`; empty
    when it passes."""
    if not visible(translation):
        return ["the translation is empty, or holds only characters a reader cannot see"]
    if len(translation) > MAX_GROWTH * len(source) + LENGTH_SLACK:
        # Checked first and alone: the other rules need not (and should not) scan a text this long.
        return [f"is {len(translation)} characters long for an English text of {len(source)}"]
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
    controls = [char for char in translation if _is_forbidden_control(char, direction)]
    if controls:
        problems.append(f"contains invisible control characters {code_points(controls)}, which can reorder what is read")
    hidden = [char for char in hidden_characters(translation, allow=JOINERS | BIDI_MARKS | SPACES) if char not in controls]
    if hidden:
        problems.append(f"contains characters a reader cannot see ({code_points(hidden)}): they can hide text or split words for search; remove them")
    if ENCODED_WORD.search(translation) and not ENCODED_WORD.search(source):
        problems.append("contains a MIME encoded word (=?…?=), which mail programs would decode into other text")
    breaks = [char for char in LINE_BREAKS if translation.count(char) > source.count(char)]
    if breaks:
        problems.append(f"breaks lines where the English does not ({code_points(breaks)}): the page sets its own lines; write one line")
    decorations = decorating_marks(translation)
    if decorations:
        problems.append(f"has marks that cross out, underline, enclose or pile up on letters ({code_points(decorations)}): write the plain letters")
    mixed = mixed_script_words(translation)
    if mixed:
        problems.append(f"mixes look-alike letters of different scripts in {mixed[0]!r}")
    if has_letters(source) and not has_letters(translation):
        problems.append("has no letters, though the English has")
    return problems


def same_as_english(source: str, translation: str, keep_accents: bool = False) -> bool:
    """The translation is the English, give or take case, spacing, punctuation, marks, invisible
    characters and look-alike letters, or nearly so: what a tool's "copy source" leaves behind,
    disguised or not."""
    english = skeleton(PLACEHOLDER.sub(" ", source), keep_accents)
    translated = skeleton(PLACEHOLDER.sub(" ", translation), keep_accents)
    if not english or not translated:
        return False
    if english == translated:
        return True
    if min(len(english), len(translated)) < SHORT:
        return False
    matcher = difflib.SequenceMatcher(a=english, b=translated, autojunk=False)
    # The cheap upper bounds first: the full comparison is quadratic in the worst case.
    return matcher.real_quick_ratio() >= COPY_SIMILARITY and matcher.quick_ratio() >= COPY_SIMILARITY and matcher.ratio() >= COPY_SIMILARITY


def box_problems(
    source: str, translation: str, script: str, marked_same: bool, direction: str = "ltr", alphabet: frozenset[str] | None = None,
) -> list[str]:
    """The warning box's own rules: never English inside a translated box. A translation
    identical to the English is refused for every script but Latin, and for Latin unless the
    translator marked it `same-as-english`; a language not written in Latin letters must write
    its box in its own script; every letter must belong to the language's alphabet (`alphabet`,
    CLDR's exemplar characters, lower case; None for scripts of thousands of characters), or to
    the English one. Right-to-left text carries no combining marks (vowel signs, tanwin,
    shadda): PDF readers put them on the wrong letter in the text layer, so a screen reader
    would misread the warning (README, "Text layer")."""
    problems = []
    if script not in SCRIPT_NAMES:
        return [f"the script {script} is not one the own-script check knows: add it to SCRIPT_NAMES in leafletpress/core/characters.py"]
    if alphabet is not None:
        strangers = [char for char in PLACEHOLDER.sub(" ", translation) if is_letter(char) and not _in_alphabet(char, alphabet)]
        if strangers:
            problems.append(f"has letters that are not part of the language's alphabet: {', '.join(dict.fromkeys(strangers))} ({code_points(strangers)})")
    marks = [char for char in PLACEHOLDER.sub(" ", translation) if unicodedata.category(char) == "Mn"]
    if direction == "rtl" and marks:
        problems.append(
            f"has combining marks ({code_points(marks)}) that PDF readers attach to the wrong letter, so screen "
            "readers would misread the warning; write the words without them (e.g. فورا, not فورًا)"
        )
    if same_as_english(source, translation):
        if script != "Latn":
            problems.append("is the English text, not a translation (a non-Latin script cannot share it)")
        elif not marked_same:
            problems.append(f"is the English text, not a translation; if it is right in this language, mark it with a translator comment '# {SAME_AS_ENGLISH}'")
    share = script_share(PLACEHOLDER.sub(" ", translation), script)
    if script != "Latn" and share is not None and share < OWN_SCRIPT_SHARE and not any("is the English text" in problem for problem in problems):
        problems.append(f"is mostly not in the {_script_name(script)} script ({round(share * 100)} % of its letters)")
    return problems


def _script_name(code: str) -> str:
    from babel import Locale

    return {"Hans": "Simplified Chinese", "Hant": "Traditional Chinese"}.get(code) or Locale("en").scripts.get(code, code)


ENGLISH_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz")


def _in_alphabet(char: str, alphabet: frozenset[str]) -> bool:
    """A letter of the language (in any case, as written or decomposed), or of plain English."""
    lower = char.lower()
    if lower in alphabet or lower in ENGLISH_ALPHABET:
        return True
    base = unicodedata.normalize("NFD", lower)[0]
    return unicodedata.normalize("NFC", lower) in alphabet or (base != lower and base in alphabet and lower in alphabet)


def decorating_marks(text: str) -> list[str]:
    """Marks that strike through (overlays), underline, enclose, or pile up (more than three on one
    letter)."""
    found, run = [], []
    for char in unicodedata.normalize("NFD", text):
        category = unicodedata.category(char)
        if category == "Me" or unicodedata.combining(char) == 1 or char in DECORATING_MARKS:
            found.append(char)
        if category == "Mn":
            run.append(char)
            if len(run) > MAX_MARKS_ON_A_LETTER:
                found.extend(run)
        else:
            run = []
    return list(dict.fromkeys(found))


def mixed_script_words(text: str) -> list[str]:
    """Words that mix Latin, Cyrillic or Greek letters: a look-alike slipped into a word."""
    found = []
    for word in re.split(r"[\W_]+", PLACEHOLDER.sub(" ", text)):
        scripts = {script_of(char) for char in word} & CONFUSABLE_SCRIPTS
        if len(scripts) > 1:
            found.append(word)
    return found


def numbers(text: str) -> list[str]:
    """Numbers outside placeholders, in ASCII digits whatever the script: digit runs (٣ and ৩
    count as 3), numbers written as one sign (½, ⑩, Ⅻ, ௰), runs of Chinese numerals (〇一六一,
    九 九 九, 玖零) and words of letters that read as digits ("OȢOO lƧƷ" is 0800 123)."""
    text = PLACEHOLDER.sub(" ", HIDDEN.sub("", text))
    text = DIGIT_WORD.sub(lambda match: _as_digits(match.group(0)), text)
    signs = [
        _number(unicodedata.numeric(char)) for char in text
        if unicodedata.category(char) in ("No", "Nl") and unicodedata.numeric(char, None) is not None and char not in IDEOGRAPHIC_NUMERALS
    ]
    text = "".join(" " if unicodedata.category(char) in ("No", "Nl") and char not in IDEOGRAPHIC_NUMERALS else char for char in text)
    text = unicodedata.normalize("NFKC", text)
    runs, current = [], []
    for char in text:
        if char.isdigit() and unicodedata.digit(char, None) is not None:
            current.append(str(unicodedata.digit(char)))
            continue
        if current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs + signs + [match.group(0) for match in NUMERAL_RUN.finditer(text)]


def web_addresses(text: str) -> list[str]:
    """Web addresses, URLs and e-mail addresses in the text, lower-cased, placeholders left out."""
    plain = unicodedata.normalize("NFKC", HIDDEN.sub("", PLACEHOLDER.sub(" ", text))).translate(DOTS)
    plain = SPELLED_DOT.sub(".", IDEOGRAPHIC_DOT.sub(".", plain))
    return [match.group(0).rstrip(".,;:!?)»\"'").lower() for match in URL.finditer(plain)]


DIGIT_WORD = re.compile(f"(?<![^\\W\\d_])[\\d{''.join(DIGIT_LOOKALIKES)}]+(?![^\\W\\d_])")


def _as_digits(word: str) -> str:
    """A word of digits and letters that read as digits, as the digits it reads as, when it is
    meant as a number: it has a real digit, or a look-alike no everyday word uses. Otherwise the
    word as it was ("Il", "ЗО")."""
    digits = any(char.isdigit() for char in word)
    strange = any(char in DIGIT_LOOKALIKES and char not in ORDINARY_LOOKALIKES for char in word)
    if not (digits or strange) or all(char.isdigit() for char in word):
        return word
    return "".join(DIGIT_LOOKALIKES.get(char, char) for char in word)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


LINE_BREAKS = "\n\r\t\v\f\u0085\u2028\u2029"  # a translation may break lines only where the English does
SPACES = frozenset("\u00a0\u202f\u2009")  # no-break, narrow no-break and thin spaces: French punctuation
ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[^?\s]*\?[^?\s]*\?=")  # RFC 2047: an email subject would show its decoding


def _is_forbidden_control(char: str, direction: str) -> bool:
    if char in BIDI_CONTROLS:
        return True
    if char in BIDI_MARKS and direction != "rtl":  # right-to-left text may need a mark by its punctuation
        return True
    return unicodedata.category(char) == "Cc" and char not in "\n\t"


def _names(placeholders: Counter) -> str:
    return ", ".join(sorted(placeholders.elements())) or "none"
