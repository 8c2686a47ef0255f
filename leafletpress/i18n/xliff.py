"""XLIFF 1.2 round trip for translation agencies (Trados, memoQ, Phrase): one file per catalog out,
the agency's work back in, nothing of the catalog lost.

Export writes each gettext domain of a language as an XLIFF 1.2 document with translate-toolkit:
one unit per active string (not the header, not obsolete `#~` entries) with its translation, its
state, the `#.` notes for translators, the `#:` references, the previous English of a fuzzy string
(`#|`, which Babel does not read) and a note on every warning-box string. The `<file>` says which
English it was made from (`build-num`: the fingerprint of the domain's English strings). The
language's glossary goes with them, as the TBX file it is (`glossary_<tag>.tbx`), so the agency's
tool holds its translators to the agreed terms.

Import reads a returned file as untrusted XML (translate-toolkit's parser: no entity expansion, no
network; any DOCTYPE is refused), matches it to its catalog by domain and target language, refuses
another English version, unknown strings, markup, and any changed translation that fails the checks
`check` applies (`gating.judge` with the language's glossary, `preflight.glyph_problems`, GNU
msgfmt), and a target a reader cannot see (only white space or invisible characters). A unit with
no target, or an empty one, leaves its translation as it is: a file never erases a translation.
Values from the file are quoted in messages escaped and cut (`shown`). Only translations and
their fuzzy flags change: the catalog is edited with translate-toolkit's PO store and written in its
GNU form, so comments, `#|` lines, obsolete entries, the header, flags and order stay.

Functions take bytes and paths and return data; the command line writes (under the locales lock).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from babel.messages.catalog import Message
from babel.messages.pofile import read_po
from lxml import etree
from lxml.builder import ElementMaker
from translate.storage import pypo, xliff

from leafletpress import __version__
from leafletpress.core.characters import code_points, visible
from leafletpress.core.files import FileProblem, read_input_bytes
from leafletpress.core.problems import Problem
from leafletpress.i18n.catalogs import (
    CatalogError, LanguageCatalogs, LoadedCatalog, catalog_path, header_problems, is_fuzzy, read_catalog_bytes,
    read_headers, source_fingerprint, syntax_problems,
)
from leafletpress.i18n.gating import judge, warning_box_msgids
from leafletpress.i18n.glossary import Glossary, GlossaryError, MAX_GLOSSARY_BYTES, glossary_path, load_glossary, parse_glossary
from leafletpress.i18n.preflight import glyph_problems
from leafletpress.i18n.template_strings import TEMPLATE_DOMAIN
from leafletpress.i18n.workflow import Domain, as_saved, domains, gnu_form
from leafletpress.inputs.fonts import FontLibrary
from leafletpress.inputs.languages import SOURCE_LANGUAGE, Language, LanguageError, parse_language
from leafletpress.inputs.leaflet import load_leaflet
from leafletpress.inputs.project import Project

XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
# A returned file is a few hundred KB at most; the limit stops a hostile one before it is parsed.
MAX_XLIFF_BYTES = 8 * 1024 * 1024
STATE_OF_KIND = {"untranslated": "new", "fuzzy": "needs-review-translation", "translated": "translated"}
DONE_STATES = frozenset({"translated", "final", "signed-off"})
WARNING_BOX_RESTYPE = "x-warning-box"
WARNING_BOX_NOTE = (
    "WARNING BOX: this edition is not printed until every string here is translated. "
    "It is the leaflet's boxed warning: keep it exactly as urgent as the English."
)
NOTE_ORIGIN = "leafletpress"
MAX_SHOWN = 80  # a value from a returned file, in a message, is cut to this many characters
UNSHOWN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})  # escaped in messages
FLAG_SEPARATORS = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class Exchange:
    """What exports and imports are made against: the project's English today."""

    root: Path
    locales: Path
    domains: dict[str, Domain]  # by domain name: each leaflet's id, and the template's words
    warning_box: frozenset[str]  # every English string printed inside a warning box
    fonts: FontLibrary | None = None  # for the glyph check on imported translations
    headings: frozenset[str] = frozenset()  # every English string printed as a heading

    def fingerprint(self, domain: str) -> str:
        return source_fingerprint(template_ids(self.domains[domain]))

    def original(self, language: Language, domain: str) -> str:
        """The catalog's path relative to the project, as `<file original=…>` names it."""
        return catalog_path(self.locales, language, domain).relative_to(self.root).as_posix()

    def located(self, problem: Problem) -> str:
        """A problem as `check` prints it, its path relative to the project."""
        if problem.path is None or not Path(problem.path).is_relative_to(self.root):
            return str(problem)
        return str(replace(problem, path=Path(problem.path).relative_to(self.root)))


def exchange_for(project: Project, fonts: FontLibrary | None = None) -> Exchange:
    leaflets = [load_leaflet(path) for path in project.leaflet_paths()]
    box = frozenset(msgid for leaflet in leaflets for msgid in warning_box_msgids(leaflet))
    headings = frozenset(heading for leaflet in leaflets for heading in leaflet.headings())
    return Exchange(project.root, project.locales_dir, {domain.name: domain for domain in domains(project)}, box, fonts, headings)


def template_ids(domain: Domain) -> list[str]:
    return [message.id for message in domain.template if message.id]


def version_of(domain: Domain) -> str:
    return str(domain.template.version or "")


@dataclass(frozen=True)
class Entry:
    """One string's translation as gettext sees it; a text a reader cannot see (empty, or only
    white space and invisible characters) is untranslated, fuzzy or not, as the gate reads it."""

    text: str
    fuzzy: bool

    @property
    def kind(self) -> str:
        if not visible(self.text):
            return "untranslated"
        return "fuzzy" if self.fuzzy else "translated"

    def same_as(self, other: Entry) -> bool:
        return (self.text, self.kind) == (other.text, other.kind)


def catalog_entry(message) -> Entry:
    text = message.string if isinstance(message.string, str) else ""
    return Entry(text, is_fuzzy(message))


@dataclass(frozen=True)
class CatalogState:
    """A catalog as read once: its bytes, Babel's view (the project's authority on what is fuzzy)
    and its GNU form, for translate-toolkit's PO store (which keeps `#|` lines)."""

    path: Path
    raw: bytes
    loaded: LoadedCatalog
    gnu: bytes  # LF, no BOM, flags as msgfmt reads them

    def entries(self) -> dict[str, Entry]:
        return {message.id: catalog_entry(message) for message in self.loaded.catalog if message.id}

    def po_store(self) -> pypo.pofile:
        """A fresh store: callers edit it."""
        return pypo.pofile(io.BytesIO(self.gnu))


def read_catalog_state(path: Path, language: Language, domain: str) -> CatalogState:
    raw = read_catalog_bytes(path)
    loaded = loaded_from_bytes(path, raw, language, domain)
    # In GNU form "#, fuzzy python-brace-format" is "#, fuzzy, python-brace-format": translate-toolkit
    # then reads the flag as msgfmt does.
    return CatalogState(path, raw, loaded, gnu_form(as_saved(raw).plain))


def loaded_from_bytes(path: Path, raw: bytes, language: Language, domain: str) -> LoadedCatalog:
    """The catalog these bytes hold, read as `load_catalog` reads a file; CatalogError if broken."""
    problems = [problem for problem in syntax_problems(path, raw) if problem.is_error]
    if problems:
        raise CatalogError(problems)
    text = as_saved(raw).plain.decode("utf-8")
    headers = read_headers(text)
    problems = header_problems(path, headers, language)
    if problems:
        raise CatalogError(problems)
    catalog = read_po(io.StringIO(text), locale=language.locale, domain=domain, abort_invalid=True)
    return LoadedCatalog(path=path, domain=domain, catalog=catalog, headers=headers)


def out_of_step(state: CatalogState, domain: Domain) -> str | None:
    """Why the catalog does not hold exactly the English of today's template, if it does not."""
    catalog_ids, english = set(state.entries()), set(template_ids(domain))
    if catalog_ids == english:
        return None
    return (
        f"holds other English than the leaflets today ({len(english - catalog_ids)} string(s) new, "
        f"{len(catalog_ids - english)} gone): run `make_leaflets.py update` first"
    )


# --- export -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    catalog: Path
    name: str  # the XLIFF file's name: <domain>_<tag>.xlf
    data: bytes | None  # None when refused
    problems: tuple[Problem, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)  # "translated", "fuzzy", "untranslated"


def export_name(domain: str, language: Language) -> str:
    return f"{domain}_{language.tag}.xlf"


def export_language(exchange: Exchange, language: Language) -> list[ExportResult]:
    """One XLIFF file per catalog, and the language's glossary (when it has one) beside them."""
    results = [export_domain(exchange, language, name) for name in exchange.domains]
    glossary = export_glossary(exchange, language)
    return results + ([glossary] if glossary is not None else [])


def glossary_export_name(language: Language) -> str:
    return f"glossary_{language.tag}.tbx"


def export_glossary(exchange: Exchange, language: Language) -> ExportResult | None:
    """The language's glossary as it is in the project (TBX-Basic, which the agency's tool imports),
    once it has been read whole; refused when it cannot be used. None when there is none."""
    path = glossary_path(exchange.locales, language)
    name = glossary_export_name(language)
    if not path.exists() and not path.is_symlink():
        return None
    try:
        raw = read_input_bytes(path, MAX_GLOSSARY_BYTES, inside=exchange.root)
        glossary = parse_glossary(path, raw, language)
    except FileProblem as problem:
        return ExportResult(path, name, None, (Problem(str(problem), path=path),))
    except GlossaryError as error:
        return ExportResult(path, name, None, error.problems)
    return ExportResult(path, name, raw, (), {"concepts": len(glossary.concepts)})


def export_domain(exchange: Exchange, language: Language, name: str) -> ExportResult:
    domain = exchange.domains[name]
    path = catalog_path(exchange.locales, language, name)
    try:
        state = read_catalog_state(path, language, name)
    except CatalogError as error:
        return ExportResult(path, export_name(name, language), None, error.problems)
    behind = out_of_step(state, domain)
    if behind:
        return ExportResult(path, export_name(name, language), None, (Problem(behind, path=path),))
    document = new_document(exchange, language, domain)
    original = exchange.original(language, name)
    entries = state.entries()
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, unit in enumerate(active_units(state.po_store()), start=1):
        entry = entries[unit.source]
        add_unit(document, original, number, unit, entry, in_box=unit.source in exchange.warning_box)
        counts[entry.kind] += 1
    # Units are made in translate-toolkit's XLIFF 1.1 namespace and moved into 1.2: drop the
    # leftover declarations.
    etree.cleanup_namespaces(document.document)
    return ExportResult(path, export_name(name, language), bytes(document), (), counts)


def active_units(store: pypo.pofile) -> list[pypo.pounit]:
    return [unit for unit in store.units if not unit.isheader() and not unit.isobsolete() and unit.source]


def new_document(exchange: Exchange, language: Language, domain: Domain) -> xliff.xlifffile:
    """An empty XLIFF 1.2 document for one catalog (translate-toolkit writes 1.1 by default, so the
    skeleton is made with lxml and handed to it)."""
    maker = ElementMaker(namespace=XLIFF_NAMESPACE, nsmap={None: XLIFF_NAMESPACE})
    fingerprint = exchange.fingerprint(domain.name)
    what = "the words printed on every leaflet" if domain.name == TEMPLATE_DOMAIN else f"leaflet {domain.name}"
    header = maker.header(
        maker.tool(**{"tool-id": NOTE_ORIGIN, "tool-name": "Leaflet Press", "tool-version": __version__}),
        maker.note(
            f"Leaflet Press: {what}, version {version_of(domain)}, English fingerprint {fingerprint} "
            f"({len(template_ids(domain))} strings), into {language.english_name} ({language.tag}). "
            "Translate each target; keep {placeholders} exactly; add no markup, numbers, phone numbers "
            "or web addresses. Return this file as it is: a file for other English is refused.",
            **{"from": NOTE_ORIGIN},
        ),
    )
    attributes = {
        "original": exchange.original(language, domain.name),
        "source-language": SOURCE_LANGUAGE,
        "target-language": language.tag,
        "datatype": "po",
        "tool-id": NOTE_ORIGIN,
        "product-name": f"Leaflet Press {domain.name}",
        "product-version": version_of(domain),
        "build-num": fingerprint,
    }
    skeleton = maker.xliff(maker.file(header, maker.body(), **attributes), version="1.2")
    return xliff.xlifffile(etree.tostring(skeleton, xml_declaration=True, encoding="UTF-8"))


def add_unit(document: xliff.xlifffile, original: str, number: int, unit: pypo.pounit, entry: Entry, in_box: bool) -> None:
    added = document.addsourceunit(unit.source, original, True)
    added.setid(str(number))
    added.target = entry.text
    added.set_state_n(added.statemap[STATE_OF_KIND[entry.kind]])
    if in_box:
        added.xmlelement.set("restype", WARNING_BOX_RESTYPE)
        added.addnote(WARNING_BOX_NOTE, origin=NOTE_ORIGIN)
    added.addnote(unit.getnotes("developer"), origin="developer")
    if entry.kind == "fuzzy" and unit.prev_source:
        added.addnote(
            f"The English changed; this translation was made for the previous English: {unit.prev_source}",
            origin=NOTE_ORIGIN,
        )
    added.addnote(unit.getnotes("translator"), origin="po-translator")
    # Strict XLIFF 1.2 wants context-group names unique in the file (po2xliff repeats "po-reference").
    for index, location in enumerate(unit.getlocations(), start=1):
        added.createcontextgroup(f"po-reference-{number}-{index}", location_contexts(location), purpose="location")


def location_contexts(location: str) -> list[tuple[str, str]]:
    """A `#:` reference as XLIFF context (as translate-toolkit's po2xliff writes it)."""
    source_file, _, line = location.rpartition(":")
    if source_file and line.isdigit():
        return [("sourcefile", source_file), ("linenumber", line)]
    return [("sourcefile", location)]


# --- import -------------------------------------------------------------------------------------


class Refused(Exception):
    """A returned file that is not imported; the message is one line naming the file."""

    def __init__(self, message: str, details: tuple[str, ...] = ()):
        # Values from the file are quoted with shown(); escaping the whole line as well means that
        # nothing in a returned file can print a line of its own.
        super().__init__(escaped(message))
        self.details = tuple(escaped(detail) for detail in details)


@dataclass(frozen=True)
class Change:
    msgid: str
    before: Entry
    after: Entry


@dataclass(frozen=True)
class ImportResult:
    source: Path  # the XLIFF file
    catalog: Path | None = None
    old: bytes = b""  # the catalog as read: it is replaced only if it still holds these bytes
    new: bytes | None = None  # None when refused
    changes: tuple[Change, ...] = ()
    problem: str = ""  # why it was refused: one line naming the file
    details: tuple[str, ...] = ()  # each failed check, when there are several
    without_translation: int = 0  # units with no <target>, or an empty one: left as they are

    @property
    def refused(self) -> bool:
        return self.new is None

    @property
    def unchanged(self) -> bool:
        return self.new == self.old

    def counts(self) -> dict[str, int]:
        counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
        for change in self.changes:
            counts[change.after.kind] += 1
        return counts


def read_xliff_bytes(path: Path) -> bytes:
    """A returned file's bytes: a regular file (not a FIFO, device or folder), at most 8 MB.

    It may be anywhere (agencies' files arrive in Downloads); a link is followed, but it is read as
    untrusted data and nothing in it names a file that is then opened.
    """
    try:
        return read_input_bytes(path, max_bytes=MAX_XLIFF_BYTES)
    except FileProblem as problem:
        raise Refused(f"{path}: {problem}") from None


def import_file(exchange: Exchange, path: Path) -> ImportResult:
    try:
        return import_xliff(exchange, path, read_xliff_bytes(path))
    except Refused as refusal:
        return ImportResult(Path(path), problem=str(refusal), details=refusal.details)


def import_xliff(exchange: Exchange, name: Path, data: bytes) -> ImportResult:
    """What importing this returned file would do to its catalog; nothing is written here."""
    try:
        document = parse_xliff(name, data)
        language, domain = identify(exchange, name, document)
        path = catalog_path(exchange.locales, language, domain.name)
        try:
            state = read_catalog_state(path, language, domain.name)
        except CatalogError as error:
            raise Refused(f"{name}: its catalog cannot be used: {exchange.located(error.problems[0])}") from None
        behind = out_of_step(state, domain)
        if behind:
            raise Refused(f"{name}: the catalog {exchange.original(language, domain.name)} {behind}")
        changes, without_translation = wanted_changes(name, document, state.entries())
        if not changes:
            return ImportResult(Path(name), path, state.raw, state.raw, without_translation=without_translation)
        try:
            glossary = load_glossary(exchange.locales, language)
        except GlossaryError as error:
            raise Refused(f"{name}: the {language.english_name} glossary cannot be used: {exchange.located(error.problems[0])}") from None
        new = rewritten(state, changes)
        check_rewrite(exchange, name, state, new, changes, language, glossary)
    except Refused as refusal:
        return ImportResult(Path(name), problem=str(refusal), details=refusal.details)
    return ImportResult(Path(name), path, state.raw, new, tuple(changes), without_translation=without_translation)


def parse_xliff(name: Path, data: bytes) -> xliff.xlifffile:
    """The document, parsed as untrusted: translate-toolkit's parser resolves no entities and
    fetches nothing; a DOCTYPE (where entities are declared) is refused outright."""
    try:
        document = xliff.xlifffile(data)
    except etree.XMLSyntaxError as error:
        raise Refused(f"{name}:{error.lineno}: not well-formed XML: {escaped(error.msg, 200)}") from None
    except (AssertionError, ValueError, StopIteration) as error:
        raise Refused(f"{name}: not an XLIFF 1.2 document{f' ({escaped(str(error), 200)})' if str(error) else ''}") from None
    info = document.document.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise Refused(f"{name}:1: has a DOCTYPE (entity declarations, external references): refused; XLIFF needs none")
    root = document.document.getroot()
    if etree.QName(root).localname != "xliff" or not root.get("version", "").startswith("1."):
        raise Refused(f"{name}: not an XLIFF 1.2 document")
    return document


def identify(exchange: Exchange, name: Path, document: xliff.xlifffile) -> tuple[Language, Domain]:
    """The catalog a returned file belongs to, refusing one for another language or English."""
    files = list(document.document.getroot().iterchildren(document.namespaced("file")))
    if len(files) != 1:
        raise Refused(f"{name}: holds {len(files)} <file> elements; import each exported file as it was exported")
    attributes = files[0].attrib
    if attributes.get("source-language", "").split("-")[0].lower() != SOURCE_LANGUAGE:
        raise Refused(f"{name}: source-language is {shown(attributes.get('source-language', ''))}, not English ({SOURCE_LANGUAGE})")
    try:
        language = parse_language(attributes.get("target-language", ""))
    except LanguageError as error:  # the message quotes the tag escaped and cut
        raise Refused(f"{name}: target-language: {escaped(error.problems[0].message, 200)}") from None
    if language.is_source:
        raise Refused(f"{name}: target-language is English, the source language: it has no catalog")
    domain = domain_of(exchange, name, attributes.get("original", ""), language)
    exported = attributes.get("build-num", "")
    today = exchange.fingerprint(domain.name)
    if exported != today:
        raise Refused(
            f"{name}: exported from other English ({domain.name} {shown(attributes.get('product-version', '?'))}, "
            f"fingerprint {shown(exported) if exported else 'missing'}; today {version_of(domain)}, {today}): strings were added, "
            f"removed or changed since; export again and give the agency the new file"
        )
    return language, domain


def domain_of(exchange: Exchange, name: Path, original: str, language: Language) -> Domain:
    """The domain named by `original` (locales/<lang>/LC_MESSAGES/<domain>.po), which must be the
    target language's catalog; the path itself is never opened."""
    parts = PurePosixPath(original).parts
    relative_locales = exchange.locales.relative_to(exchange.root).as_posix()
    if len(parts) != 4 or parts[0] != relative_locales or parts[2] != "LC_MESSAGES" or not parts[3].endswith(".po"):
        raise Refused(f"{name}: original {shown(original)} is not a catalog of this project (locales/<lang>/LC_MESSAGES/<domain>.po)")
    domain = parts[3].removesuffix(".po")
    if domain not in exchange.domains:
        raise Refused(f"{name}: {shown(domain)} is not a leaflet of this project nor its template words; known: {', '.join(exchange.domains)}")
    if parts[1] != language.catalog_dir:
        raise Refused(
            f"{name}: target-language is {language.tag} but the file was exported from the catalog {escaped(original, MAX_SHOWN)}: "
            f"refused (a file for one language is never imported into another)"
        )
    return exchange.domains[domain]


def wanted_changes(name: Path, document: xliff.xlifffile, current: dict[str, Entry]) -> tuple[list[Change], int]:
    """Every string whose translation or state the returned file changes, in file order, and how
    many units bring no translation (no <target>, or an empty one: CAT tools return partial and
    source-only files). Those leave the catalog's translation as it is: a file never erases one.
    A target that holds characters but nothing a reader can see (zero-width spaces, a no-break
    space, white space alone) refuses the whole file: it would pass for a translation."""
    changes: list[Change] = []
    seen: set[str] = set()
    without_translation = 0
    for index, unit in enumerate(document.units, start=1):
        unit_id = unit.xmlelement.get("id")
        where = f"{name}: unit {shown(unit_id) if unit_id else index} (line {unit.xmlelement.sourceline})"
        source = plain_text(unit.source_dom, f"{where}: source")
        if source not in current:
            raise Refused(f"{where}: its English {short(source)} is not in the catalog; nothing was imported from this file")
        if source in seen:
            raise Refused(f"{where}: {short(source)} appears twice in the file")
        seen.add(source)
        after = returned_entry(unit, where)
        if after is None:
            without_translation += 1
            continue
        if after.same_as(current[source]):
            continue
        if not visible(after.text):
            raise Refused(
                f"{where}: the translation of {short(source)} holds only characters a reader cannot see "
                f"({code_points(after.text)}); nothing was imported from this file"
            )
        changes.append(Change(source, current[source], after))
    return changes, without_translation


def returned_entry(unit: xliff.xliffunit, where: str) -> Entry | None:
    """The agency's translation and state: "translated", "final" and "signed-off" are done; any
    other state with a target (needs-review-translation, new…) is fuzzy. None when the unit brings
    no translation: no <target>, or an empty one (whatever its state)."""
    target = unit.get_target_dom()
    if target is None:
        return None
    text = plain_text(target, f"{where}: target")
    if not text:
        return None
    state = target.get("state")
    done = state in DONE_STATES or (state is None and unit.xmlelement.get("approved") == "yes")
    return Entry(text, fuzzy=not done)


def plain_text(node, where: str) -> str:
    """The text of a <source> or <target>: plain text only (segment markers from a CAT tool's
    segmentation allowed). Inline elements would be lost by reading the text alone, so they refuse."""
    if node is None:
        raise Refused(f"{where} is missing")
    for child in node.iterdescendants():
        if not is_segment_marker(child):
            raise Refused(f"{where} holds markup ({describe(child)}): a leaflet's text is plain text")
    return "".join(node.itertext())


def is_segment_marker(node) -> bool:
    return (
        isinstance(node.tag, str)
        and etree.QName(node).localname == "mrk"
        and node.get("mtype") == "seg"
        and len(node) == 0
    )


def describe(node) -> str:
    if isinstance(node, etree._Entity):
        return f"entity &{escaped(node.name, 40)};"
    if not isinstance(node.tag, str):
        return "a comment or processing instruction"
    return f"<{escaped(etree.QName(node).localname, 40)}>"


def short(text: str) -> str:
    return repr(text if len(text) <= 50 else text[:47] + "…")


def cut(text: str, limit: int = MAX_SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value) -> str:
    """A value from a returned file (an id, an attribute) as a message quotes it: repr() (line
    breaks, control, bidi and invisible characters escaped), cut to MAX_SHOWN characters, so that
    it cannot forge lines or reorder the message."""
    return repr(cut(str(value)))


def escaped(text: str, limit: int | None = None) -> str:
    """Text for a message line: control, format (bidi, zero-width) and line/paragraph separator
    characters written as escapes (\\n, \\u202e), cut to `limit` characters when given."""
    text = cut(text, limit) if limit else text
    return "".join(repr(char)[1:-1] if unicodedata.category(char) in UNSHOWN_CATEGORIES else char for char in text)


def rewritten(state: CatalogState, changes: list[Change]) -> bytes:
    """The catalog with these translations and fuzzy flags, in GNU form, saved as it was saved."""
    store = state.po_store()
    units = {unit.source: unit for unit in active_units(store)}
    for change in changes:
        unit = units[change.msgid]
        unit.target = change.after.text
        unit.markfuzzy(change.after.kind == "fuzzy")
    return as_saved(state.raw).restore(gnu_form(bytes(store)))


def check_rewrite(
    exchange: Exchange, name: Path, state: CatalogState, new: bytes, changes: list[Change], language: Language,
    glossary: Glossary | None = None,
) -> None:
    """Refuse a rewrite that breaks the catalog, loses anything but the changed translations, or
    brings a translation that fails the checks `make_leaflets.py check` applies."""
    try:
        loaded = loaded_from_bytes(state.path, new, language, state.loaded.domain)
    except CatalogError as error:
        raise Refused(
            f"{name}: the catalog would not pass GNU msgfmt; nothing was written",
            tuple(exchange.located(problem) for problem in error.problems),
        ) from None
    lost = lost_entries(state.po_store(), pypo.pofile(io.BytesIO(as_saved(new).plain)), {change.msgid for change in changes})
    if lost:
        raise Refused(f"{name}: importing would change more than translations ({lost[0]}); nothing was written")
    problems = translation_problems(exchange, loaded, changes, language, glossary)
    if problems:
        count = len(problems)
        raise Refused(
            f"{name}: {count} translation(s) fail the checks `make_leaflets.py check` applies; nothing was written",
            tuple(problems),
        )


def translation_problems(
    exchange: Exchange, loaded: LoadedCatalog, changes: list[Change], language: Language, glossary: Glossary | None = None,
) -> list[str]:
    """The check gates (`gating.judge` with the glossary, `preflight.glyph_problems`) on every
    changed translation — fuzzy ones too: a fuzzy string is printed in drafts' proofs and confirmed
    later as it is. What is only a warning for `check` (outside the warning box) does not refuse."""
    problems: list[str] = []
    texts: dict[str, str] = {}
    for change in changes:
        message = loaded.get(change.msgid)
        in_box = change.msgid in exchange.warning_box
        verdict = judge(change.msgid, confirmed(message), in_box, language, glossary, change.msgid in exchange.headings)
        where = f"{'warning box: ' if in_box else ''}{short(change.msgid)}"
        if verdict.untranslated is not None:  # an import only ever brings translations
            problems.append(exchange.located(Problem(f"{where} would be {verdict.untranslated}", path=loaded.path, line=message.lineno)))
            continue
        problems += [exchange.located(Problem(f"{where} {error}", path=loaded.path, line=message.lineno)) for error in verdict.errors]
        texts[change.msgid] = message.string
    catalogs = LanguageCatalogs(leaflet=loaded, words=loaded)
    problems += [exchange.located(problem) for problem in dict.fromkeys(glyph_problems(catalogs, texts, language, exchange.fonts))]
    return problems


def confirmed(message):
    """The message as if a translator had confirmed it, so the checks look at a fuzzy text too."""
    flags = [flag for flag in message.flags if "fuzzy" not in FLAG_SEPARATORS.split(flag)]
    return Message(message.id, message.string, flags=flags, user_comments=message.user_comments, lineno=message.lineno)


def lost_entries(before: pypo.pofile, after: pypo.pofile, changed: set[str]) -> list[str]:
    """What differs between two forms of a catalog besides the changed strings' translations and
    fuzzy flags: comments, references, `#|`, other flags, obsolete entries, header, order."""
    if len(before.units) != len(after.units):
        return [f"{len(before.units)} entries before, {len(after.units)} after"]
    return [
        f"entry {short(old.source) if old.source else 'header'}"
        for old, new in zip(before.units, after.units)
        if kept_part(old, changed) != kept_part(new, changed)
    ]


def kept_part(unit: pypo.pounit, changed: set[str]) -> tuple:
    """Everything of an entry an import must keep; a changed string's translation and fuzzy flag
    are left out."""
    flags = {flag for line in unit.typecomments for flag in FLAG_SEPARATORS.split(line.removeprefix("#,"))} - {"", "fuzzy"}
    translation_changes = unit.source in changed and not unit.isobsolete()
    return (
        unit.getid(), unit.isheader(), unit.isobsolete(), unit.getnotes("translator"), unit.getnotes("developer"),
        tuple(unit.getlocations()), unit.prev_source, tuple(sorted(flags)),
        None if translation_changes else (str(unit.target), unit.isfuzzy()),
    )
