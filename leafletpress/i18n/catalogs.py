"""Strict loading of gettext catalogs: a catalog is used whole or not at all.

Babel alone drops malformed entries with a printed warning and ignores duplicates (see GUIDE.md),
so every catalog is first checked by GNU msgfmt and then read by Babel with `abort_invalid`.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from leafletpress.core.files import FileProblem, read_input_bytes, without_bom
from leafletpress.i18n.glossary import Glossary, GlossaryError, load_glossary
from leafletpress.inputs.languages import Language
from leafletpress.core.problems import LeafletPressError, Problem

if TYPE_CHECKING:  # Babel's catalog machinery is imported only when a catalog is read
    from babel.messages.catalog import Catalog, Message

MSGFMT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?:\d+:)? (?P<message>.*)$")
REVIEW_HEADERS = ("X-Clinical-Reviewer", "X-Clinical-Review-Date", "X-Clinical-Review-Source")


class CatalogError(LeafletPressError):
    """A catalog that cannot be used; carries every problem found, each with file and line."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        super().__init__(*problems)


@dataclass(frozen=True)
class ReviewState:
    reviewer: str
    date: str
    source: str  # fingerprint of the English strings the reviewer checked

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewer and self.date and self.source)

    def is_stale(self, current_source: str) -> bool:
        return self.reviewed and self.source != current_source

    def label(self, current_source: str) -> str:
        if not self.reviewed:
            return "unreviewed"
        return "stale" if self.is_stale(current_source) else "reviewed"


@dataclass(frozen=True)
class LoadedCatalog:
    path: Path
    domain: str
    catalog: Catalog
    headers: dict[str, str]

    @property
    def review(self) -> ReviewState:
        return ReviewState(*(self.headers.get(name, "").strip() for name in REVIEW_HEADERS))

    def get(self, msgid: str) -> Message | None:
        message = self.catalog.get(msgid)
        return message if message is not None and message.id else None


def is_fuzzy(message) -> bool:
    """Fuzzy as GNU gettext reads it: Babel splits flags on commas only, so "#, fuzzy python-format"
    (a comma forgotten) would hide the flag from it; msgfmt still calls that entry fuzzy."""
    return bool(message.fuzzy) or any("fuzzy" in flag.replace(",", " ").split() for flag in message.flags)


def catalog_path(locales: Path, language: Language, domain: str) -> Path:
    return Path(locales) / language.catalog_dir / "LC_MESSAGES" / f"{domain}.po"


def source_fingerprint(msgids) -> str:
    """Identifies a version of the English source: changes whenever any English string changes."""
    digest = hashlib.sha256("\x00".join(sorted(set(msgids))).encode("utf-8"))
    return digest.hexdigest()[:12]


def load_catalog(path: Path, language: Language, domain: str) -> LoadedCatalog:
    """Read a catalog strictly; raise CatalogError listing every problem with its line."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise CatalogError([Problem(f"no catalog for {language.tag}: run `make_leaflets.py init {language.tag}`", path=path)])
    from babel.messages.pofile import read_po

    raw = read_catalog_bytes(path)
    problems = syntax_problems(path, raw)
    if problems:
        raise CatalogError(problems)
    text = without_bom(raw).decode("utf-8")
    catalog = read_po(io.StringIO(text), locale=language.locale, domain=domain, abort_invalid=True)
    headers = read_headers(text)
    problems = header_problems(path, headers, language)
    if problems:
        raise CatalogError(problems)
    return LoadedCatalog(path=path, domain=domain, catalog=catalog, headers=headers)


def read_catalog_bytes(path: Path) -> bytes:
    """A catalog's bytes: a regular file inside its locales folder (locales/<lang>/LC_MESSAGES/)."""
    try:
        return read_input_bytes(path, inside=Path(path).parent.parent.parent)
    except FileProblem as problem:
        raise CatalogError([Problem(str(problem), path=path)]) from None


def syntax_problems(path: Path, raw: bytes) -> list[Problem]:
    """Everything that stops a catalog from being read whole: encoding, syntax, duplicates.
    A UTF-8 byte-order mark at the start is accepted (Notepad writes one)."""
    from babel.messages.pofile import PoFileError, read_po

    raw = without_bom(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [Problem(f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8", path=path, line=line)]
    problems = [
        Problem(message, path=path, line=line, severity="warning" if message.startswith("warning:") else "error")
        for line, message in msgfmt_problems(raw)
    ]
    if any(problem.is_error for problem in problems):
        return [problem for problem in problems if problem.is_error]
    try:
        read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as error:
        return [Problem(f"cannot be read: {error}", path=path, line=getattr(error, "lineno", None))]
    return []


def msgfmt_problems(raw: bytes) -> list[tuple[int | None, str]]:
    """GNU msgfmt's own checks (syntax, duplicates, headers, format strings, plural forms) on the
    bytes already read: msgfmt never opens the file itself, so it cannot be handed a FIFO."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return [(None, "GNU msgfmt is not installed (Debian package 'gettext'): run `make setup`")]
    result = subprocess.run(
        [msgfmt, "--check-format", "--check-header", "--check-domain", "-o", "/dev/null", "-"],
        input=raw,
        capture_output=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    found: list[tuple[int | None, str]] = []
    for line in result.stderr.decode("utf-8", errors="replace").splitlines():
        match = MSGFMT_LINE.match(line)
        if match:
            found.append((int(match["line"]), match["message"].strip()))
        elif line.strip() and "found" not in line and "fatal errors" not in line:
            found.append((None, line.removeprefix(f"{msgfmt}: ").strip()))
    if result.returncode != 0 and not found:
        found.append((None, "msgfmt rejected the file"))
    return found


def read_headers(text: str) -> dict[str, str]:
    """The header entry's fields, including the X- fields that Babel's Catalog does not keep."""
    from babel.messages.pofile import unescape

    lines = text.splitlines()
    headers: dict[str, str] = {}
    in_header = False
    chunks: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith('msgid ""') and not in_header and not chunks:
            in_header = True
            continue
        if in_header and stripped.startswith("msgstr"):
            chunks.append(stripped[len("msgstr") :].strip())
            continue
        if in_header and chunks and stripped.startswith('"'):
            chunks.append(stripped)
            continue
        if in_header and chunks:
            break
    value = "".join(unescape(chunk) for chunk in chunks if chunk)
    for field in value.split("\n"):
        name, sep, content = field.partition(":")
        if sep:
            headers[name.strip()] = content.strip()
    return headers


def header_problems(path: Path, headers: dict[str, str], language: Language) -> list[Problem]:
    problems = []
    charset = re.search(r"charset=([\w-]+)", headers.get("Content-Type", ""))
    if not charset or charset.group(1).lower() != "utf-8":
        problems.append(Problem("Content-Type charset must be UTF-8", path=path, line=1))
    declared = headers.get("Language", "")
    if _header_language(declared) != language.tag:
        problems.append(
            Problem(
                f"Language header is '{headers.get('Language', '')}' but the folder is for "
                f"'{language.catalog_dir}' ({language.tag})", path=path, line=1,
            )
        )
    return problems


def _header_language(declared: str) -> str | None:
    """The BCP 47 tag a Language header means; editors write POSIX forms ("pt_PT", "sr@latin")."""
    from leafletpress.inputs.languages import LanguageError, parse_language

    try:
        return parse_language(declared).tag
    except LanguageError:
        return None


def with_headers(text: str, fields: dict[str, str]) -> str:
    """The PO text with these header fields set, every other byte as it was.

    Used instead of a Babel round trip: Babel's Catalog forgets X- fields, and its writer breaks
    long `#|` previous-msgid comments across lines (invalid PO); editing the header in place
    changes nothing a translator wrote.
    """
    lines = text.splitlines(keepends=True)
    start = next(index for index, line in enumerate(lines) if line.startswith('msgid ""'))
    end = start + 1
    while end < len(lines) and lines[end].lstrip().startswith(("msgstr", '"')):
        end += 1
    header = lines[start:end]
    for name, value in fields.items():
        field_line = f'"{name}: {_escape_header(value)}\\n"\n'
        existing = [index for index, line in enumerate(header) if line.startswith(f'"{name}:')]
        if existing:
            header[existing[0]] = field_line
        else:
            header.append(field_line)
    return "".join(lines[:start] + header + lines[end:])


def _escape_header(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")


@dataclass(frozen=True)
class LanguageCatalogs:
    """One language's catalogs for one leaflet (its own domain and the template's words), or the
    problems that stop them from being used; and the language's glossary, if it has one, or the
    problems that stop it from being used (they refuse the language's editions at the gates, but
    leave the catalogs readable for `status`). English, the source, has none."""

    leaflet: LoadedCatalog | None = None
    words: LoadedCatalog | None = None
    problems: tuple[Problem, ...] = ()
    glossary: Glossary | None = None
    glossary_problems: tuple[Problem, ...] = ()


def load_language_catalogs(locales: Path, leaflet_id: str, language: Language, words_domain: str) -> LanguageCatalogs:
    if language.is_source:
        return LanguageCatalogs()
    loaded, problems = {}, []
    for domain in (leaflet_id, words_domain):
        try:
            loaded[domain] = load_catalog(catalog_path(locales, language, domain), language, domain)
        except CatalogError as error:
            problems += error.problems
    if problems:
        return LanguageCatalogs(problems=tuple(problems))
    try:
        glossary, glossary_problems = load_glossary(locales, language), ()
    except GlossaryError as error:
        glossary, glossary_problems = None, error.problems
    return LanguageCatalogs(leaflet=loaded[leaflet_id], words=loaded[words_domain], glossary=glossary, glossary_problems=glossary_problems)
