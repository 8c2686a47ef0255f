"""Glossaries: the terms agreed for each language, and the check that holds translations to them.

A language's glossary is `locales/<lang>/glossary.tbx`, beside its `LC_MESSAGES/` folder: TBX-Basic
(ISO 30042, the `<martif>` form that Trados MultiTerm, memoQ, Phrase and Weblate import), read with
translate-toolkit. One `<termEntry>` per concept holds its definition, its English terms
(`<langSet xml:lang="en">`) and the language's terms, one `<tig>` each, with a TBX administrative
status:

- `preferredTerm-admn-sts` (also `admittedTerm-admn-sts`, or none): an accepted term. A string
  whose English holds one of the concept's English terms must hold one of its accepted terms.
- `deprecatedTerm-admn-sts` (also `supersededTerm-admn-sts`): a forbidden term, reported wherever
  a translation holds it, whatever its English says (a reader sees only the translation).

Matching ignores case, and in Arabic script the short-vowel marks, tatweel and the yeh, kaf, heh and
alef variants; it goes by whole words (Unicode letters, marks and digits; an apostrophe inside a
word is part of it; a hyphen separates words, so "hot-water bottle" finds "hot water bottle").
English terms also match with -s or -es added to the last word. In a language term a `*` at the
end of a word stands for any ending (`skurcz*`: skurcz, skurcze, skurczów, skurczom…), at the
start for any beginning (`*تشنج*` also finds بتشنج and التشنجات, whose prefixes are joined on).
Chinese, Japanese, Thai, Lao, Khmer and Burmese are written without spaces: there a term is found
anywhere in the text.

Notes on a language's term (`<note>`) that start with a keyword instruct the check; any other note
is for people, and is shown with what the check finds:

- `match: skurcz*; kurcz*`: more forms (stems) that count as this term;
- `unless followed by: nóg; nogi`: a forbidden term is right when one of these follows it within
  three words of the same sentence;
- `only in headings`: the term is forbidden in headings only (the title, the section headings),
  where no sentence around it says what it means.

In the warning box a finding is an error that refuses the edition; elsewhere it is a warning.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from leafletpress.core.files import FileProblem, read_input_bytes
from leafletpress.core.problems import LeafletPressError, Problem
from leafletpress.inputs.languages import SOURCE_LANGUAGE, Language

GLOSSARY_NAME = "glossary.tbx"
MAX_GLOSSARY_BYTES = 1024 * 1024  # a glossary is a few dozen terms
ACCEPTED = frozenset({"", "preferredterm-admn-sts", "admittedterm-admn-sts"})
FORBIDDEN = frozenset({"deprecatedterm-admn-sts", "supersededterm-admn-sts"})
MATCH_NOTE = "match:"
UNLESS_NOTE = "unless followed by:"
HEADINGS_NOTE = "only in headings"
FOLLOWING_WORDS = 3  # "unless followed by" looks this many words ahead
FOLLOWING_CHARACTERS = 8  # …or, in a script without spaces, this many characters
UNSPACED_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Thai", "Laoo", "Khmr", "Mymr"})
SENTENCE_ENDS = frozenset(".!?;:…؟؛۔।॥。！？；：")
# Ignored when matching: invisible characters, tatweel, Arabic short vowels and other marks on
# letters (everyday Arabic and Urdu leave them out); and letters that are the same to a reader.
_IGNORED = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u061c\ufeff\u0640\u0670" + "".join(map(chr, range(0x064B, 0x0660)))
_SAME = {
    "ي": "ی", "ى": "ی", "ك": "ک", "ہ": "ه", "ۃ": "ة", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ş": "ș", "ţ": "ț", "’": "'", "ʼ": "'", "‘": "'",
}
_FOLD = str.maketrans({**dict.fromkeys(_IGNORED), **_SAME})
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class GlossaryError(LeafletPressError):
    """A glossary that cannot be used; its problems name the file and, where known, the line."""

    exit_code = 1


def glossary_path(locales: Path, language: Language) -> Path:
    return Path(locales) / language.catalog_dir / GLOSSARY_NAME


# --- matching -------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Text as the glossary check compares it."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)


def _is_word_character(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


@dataclass(frozen=True)
class Word:
    core: str  # folded
    any_start: bool = False  # "*" before it
    any_end: bool = False  # "*" after it
    plural: bool = False  # English: -s and -es too

    def matches(self, token: str) -> bool:
        if self.any_start and self.any_end:
            return self.core in token
        if self.any_start:
            return token.endswith(self.core)
        if self.any_end:
            return token.startswith(self.core)
        if self.plural:
            return token in (self.core, self.core + "s", self.core + "es")
        return token == self.core


@dataclass(frozen=True)
class Form:
    """A term as the check looks for it: one or more words, each perhaps a stem."""

    text: str  # as written in the glossary
    words: tuple[Word, ...]

    @property
    def compact(self) -> str:
        return "".join(word.core for word in self.words)


def parse_form(text: str, english: bool = False) -> Form:
    """`skurcz* nóg` → two words, the first any ending of "skurcz"; ValueError when it is not a form."""
    words = []
    for part, _ in Text.words_of(fold(text), keep_stars=True):
        core = part.strip("*")
        if "*" in core:
            raise ValueError(f"'{text}': a * may stand only at the start or the end of a word")
        if not core:
            continue
        words.append(Word(core, part.startswith("*"), part.endswith("*")))
    if not words:
        raise ValueError(f"'{text}' has no letters")
    if english and not (words[-1].any_start or words[-1].any_end):
        words[-1] = Word(words[-1].core, plural=True)
    return Form(" ".join(text.split()), tuple(words))


class Text:
    """A translation (or an English string) cut into folded words, each with its sentence."""

    def __init__(self, text: str):
        self.folded = fold(text)
        self.words = self.words_of(self.folded)
        self.compact = "".join(char for char in self.folded if not char.isspace())

    @staticmethod
    def words_of(folded: str, keep_stars: bool = False) -> list[tuple[str, int]]:
        """(word, sentence number) of each word of folded text."""
        found: list[tuple[str, int]] = []
        word: list[str] = []
        sentence = 0
        for index, char in enumerate(folded):
            inside = word and index + 1 < len(folded) and _is_word_character(folded[index + 1])
            if _is_word_character(char) or (keep_stars and char == "*") or (char == "'" and inside):
                word.append(char)
                continue
            if word:
                found.append(("".join(word), sentence))
                word = []
            if char in SENTENCE_ENDS:
                sentence += 1
        if word:
            found.append(("".join(word), sentence))
        return found

    def find(self, form: Form, spaced: bool) -> list[int]:
        """Where `form` ends in the text (a word index, or a character index without spaces)."""
        if not spaced:
            ends, start = [], self.compact.find(form.compact)
            while start >= 0:
                ends.append(start + len(form.compact))
                start = self.compact.find(form.compact, start + 1)
            return ends
        size = len(form.words)
        return [
            start + size
            for start in range(len(self.words) - size + 1)
            if all(word.matches(self.words[start + offset][0]) for offset, word in enumerate(form.words))
        ]

    def followed_by(self, end: int, forms: tuple[Form, ...], spaced: bool) -> bool:
        """One of `forms` starts within a few words after `end`, in the same sentence."""
        if not spaced:
            ahead = self.compact[end : end + FOLLOWING_CHARACTERS + max((len(form.compact) for form in forms), default=0)]
            return any(form.compact in ahead for form in forms)
        if end == 0 or end > len(self.words):
            return False
        sentence = self.words[end - 1][1]
        for start in range(end, min(end + FOLLOWING_WORDS, len(self.words))):
            if self.words[start][1] != sentence:
                break
            for form in forms:
                words = self.words[start : start + len(form.words)]
                if len(words) == len(form.words) and all(word.matches(token) for word, (token, _) in zip(form.words, words)):
                    return True
        return False


# --- the glossary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str
    forbidden: bool
    forms: tuple[Form, ...]
    unless_followed_by: tuple[Form, ...] = ()
    headings_only: bool = False
    notes: tuple[str, ...] = ()  # for people
    line: int | None = None


@dataclass(frozen=True)
class Concept:
    id: str
    english: tuple[Form, ...]
    accepted: tuple[Term, ...]
    forbidden: tuple[Term, ...]
    definition: str = ""
    line: int | None = None

    @property
    def english_term(self) -> str:
        return self.english[0].text


@dataclass(frozen=True)
class Glossary:
    path: Path
    name: str  # as messages name it: "locales/pl/glossary.tbx"
    language: Language
    concepts: tuple[Concept, ...]

    @property
    def spaced(self) -> bool:
        return self.language.script not in UNSPACED_SCRIPTS

    def findings(self, english: str, translation: str, heading: bool = False) -> list[str]:
        """What is wrong with this translation of `english` by the glossary: a forbidden term it
        holds, a concept of the English it has none of the accepted terms for. Empty when right."""
        found: list[str] = []
        source, text = Text(english), Text(translation)
        for concept in self.concepts:
            for term in concept.forbidden:
                if term.headings_only and not heading:
                    continue
                used = self._used(text, term)
                if used:
                    where = " in a heading" if term.headings_only else ""
                    why = f": {term.notes[0].rstrip('. ')}" if term.notes else ""
                    found.append(
                        f"uses «{used}»{where}, which the glossary forbids for \"{concept.english_term}\" "
                        f"({self.name}:{term.line}{why}){self._advice(concept)}"
                    )
            if concept.accepted and any(source.find(form, spaced=True) for form in concept.english):
                if not any(text.find(form, self.spaced) for term in concept.accepted for form in term.forms):
                    line = concept.accepted[0].line
                    found.append(
                        f"has none of the glossary's terms for \"{concept.english_term}\" ({self.name}:{line}){self._advice(concept)}"
                    )
        return found

    def _used(self, text: Text, term: Term) -> str | None:
        """The words of `text` that are the forbidden `term` (as compared: lower case, marks
        left out), or None."""
        for form in term.forms:
            for end in text.find(form, self.spaced):
                if term.unless_followed_by and text.followed_by(end, term.unless_followed_by, self.spaced):
                    continue
                if not self.spaced:
                    return text.compact[end - len(form.compact) : end]
                return " ".join(word for word, _ in text.words[end - len(form.words) : end])
        return None

    @staticmethod
    def _advice(concept: Concept) -> str:
        if not concept.accepted:
            return ""
        return "; write " + " or ".join(f"«{term.text}»" for term in concept.accepted[:3])


def load_glossary(locales: Path, language: Language) -> Glossary | None:
    """The language's glossary, or None when it has none; GlossaryError naming the file (and the
    line) when it cannot be used."""
    path = glossary_path(locales, language)
    if not path.exists() and not path.is_symlink():
        return None
    name = f"{Path(locales).name}/{language.catalog_dir}/{GLOSSARY_NAME}"
    try:
        raw = read_input_bytes(path, MAX_GLOSSARY_BYTES, inside=Path(locales).parent)
    except FileProblem as problem:
        raise GlossaryError(Problem(str(problem), path=path)) from None
    return parse_glossary(path, raw, language, name)


def parse_glossary(path: Path, raw: bytes, language: Language, name: str | None = None) -> Glossary:
    """A glossary from a TBX file's bytes, read as untrusted XML (no entity expanded, nothing
    fetched); GlossaryError with file and line when it cannot be used."""
    from lxml import etree
    from translate.storage import tbx

    def refused(message: str, line: int | None = None) -> GlossaryError:
        return GlossaryError(Problem(message, path=path, line=line))

    try:
        store = tbx.tbxfile.parsestring(raw, sourcelanguage=SOURCE_LANGUAGE, targetlanguage=language.tag)
    except etree.XMLSyntaxError as error:
        raise refused(f"not well-formed XML: {error.msg}", error.lineno) from None
    except (AssertionError, ValueError, UnicodeError) as error:
        raise refused(f"not a TBX glossary (a <martif> document){f': {error}' if str(error) else ''}", 1) from None
    # A DOCTYPE naming the TBX DTD (as translate-toolkit and Weblate write it) is harmless: the DTD
    # is never fetched. Declarations inside it (entities) are refused.
    declared = store.document.docinfo.internalDTD
    if declared is not None and (list(declared.iterentities()) or list(declared.iterelements())):
        raise refused("has a DOCTYPE with declarations (entities): refused; a glossary needs none", 1)
    for node in store.document.iter():
        if isinstance(node, etree._Entity):
            raise refused(f"holds an entity reference (&{node.name};): write the character itself", node.sourceline)
    concepts, seen = [], {}
    for unit in store.units:
        concept = _concept(unit, language, refused)
        if concept.id in seen:
            raise refused(f"concept '{concept.id}' is defined twice (also on line {seen[concept.id]})", concept.line)
        seen[concept.id] = concept.line
        concepts.append(concept)
    return Glossary(Path(path), name or str(path), language, tuple(concepts))


def _concept(unit, language: Language, refused) -> Concept:
    element = unit.xmlelement
    line = element.sourceline
    concept_id = element.get("id") or f"line {line}"
    for language_set in unit.getlanguageNodes():
        tag = language_set.get(XML_LANG) or ""
        if tag.replace("_", "-").lower() not in (SOURCE_LANGUAGE, language.tag.lower()):
            raise refused(
                f"concept '{concept_id}' has terms in '{tag}': this glossary holds English and {language.english_name} "
                f"({language.tag}) only (was it copied from another language?)", language_set.sourceline,
            )
    english = [form for term, tig in _terms(unit, unit.get_source_dom()) for form in _forms(term, tig, True, refused)]
    if not english:
        raise refused(f"concept '{concept_id}' has no English term (<langSet xml:lang=\"en\">)", line)
    terms = [_term(term, tig, refused) for term, tig in _terms(unit, unit.get_target_dom(language.tag))]
    definition = next((note.text for note in unit.get_common_notes(source=True) if note.origin == "definition"), "")
    return Concept(
        concept_id, tuple(english), tuple(term for term in terms if not term.forbidden),
        tuple(term for term in terms if term.forbidden), " ".join(definition.split()), line,
    )


def _terms(unit, language_set) -> list:
    """(TBXTerm, its <tig>) for each term of a <langSet> (none when there is no such langSet)."""
    if language_set is None:
        return []
    tigs = language_set.findall(unit.namespaced("tig"))
    if not tigs:
        return [(None, language_set)]
    return list(zip(unit.get_target_terms(language_set.get(XML_LANG)), tigs))


def _instructions(term) -> tuple[list[str], list[str], bool, list[str]]:
    """The keyword notes of a term: its extra forms, its exceptions, headings only; and the rest."""
    match, unless, headings, free = [], [], False, []
    for note in term.notes:
        if note.scope != "term" or note.origin in ("pos", "definition"):
            continue
        text = " ".join(note.text.split())
        lowered = text.lower()
        if lowered.startswith(MATCH_NOTE):
            match += [part.strip() for part in text[len(MATCH_NOTE):].split(";") if part.strip()]
        elif lowered.startswith(UNLESS_NOTE):
            unless += [part.strip() for part in text[len(UNLESS_NOTE):].split(";") if part.strip()]
        elif lowered.rstrip(".") == HEADINGS_NOTE:
            headings = True
        elif text:
            free.append(text)
    return match, unless, headings, free


def _forms(term, tig, english: bool, refused) -> list[Form]:
    if term is None or not term.text.strip():
        raise refused("a term is empty", tig.sourceline)
    match, _, _, _ = _instructions(term)
    try:
        return [parse_form(text, english) for text in [term.text, *match]]
    except ValueError as error:
        raise refused(f"term {error}", tig.sourceline) from None


def _term(term, tig, refused) -> Term:
    status = (term.administrative_status or "").strip().lower()
    if status not in ACCEPTED | FORBIDDEN:
        raise refused(
            f"term '{term.text}': administrative status '{term.administrative_status}' is not one of preferredTerm-admn-sts, "
            "admittedTerm-admn-sts, deprecatedTerm-admn-sts, supersededTerm-admn-sts", tig.sourceline,
        )
    forms = _forms(term, tig, english=False, refused=refused)
    _, unless, headings, free = _instructions(term)
    forbidden = status in FORBIDDEN
    if (unless or headings) and not forbidden:
        raise refused(f"term '{term.text}': 'unless followed by' and 'only in headings' apply to forbidden terms only", tig.sourceline)
    try:
        exceptions = tuple(parse_form(text) for text in unless)
    except ValueError as error:
        raise refused(f"term '{term.text}': unless followed by {error}", tig.sourceline) from None
    return Term(term.text.strip(), forbidden, tuple(forms), exceptions, headings, tuple(free), tig.sourceline)
