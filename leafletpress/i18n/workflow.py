"""The life of a catalog over Babel's API and GNU gettext: extract the .pot templates, start a
language's catalogs (init), merge new English into them (update).

Every function takes paths and data and returns data (catalogs as bytes); the CLI prints, takes the
lock on locales/ and writes. Nothing here re-implements PO parsing: Babel reads and writes, GNU
msgfmt checks, GNU msgmerge merges. A catalog is rewritten as it was saved: CRLF line endings and a
byte-order mark stay, and so do its mode and group (see core/atomic.py).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from leafletpress import __version__
from leafletpress.core.files import UTF8_BOM, without_bom
from leafletpress.core.problems import Problem
from leafletpress.i18n.catalogs import CatalogError, is_fuzzy, read_catalog_bytes, syntax_problems
from leafletpress.i18n.extract import extract_leaflet
from leafletpress.i18n.template_strings import TEMPLATE_DOMAIN, TEMPLATE_WORDS
from leafletpress.inputs.languages import Language
from leafletpress.inputs.leaflet import Leaflet, load_leaflet
from leafletpress.inputs.project import Project

WORDS_SOURCE = Path(__file__).with_name("template_strings.py")
WORDS_REFERENCE = "leafletpress/i18n/template_strings.py"  # as .pot source references name it
WORDS_DATE = dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc)
DRAFT_TRANSLATOR = "Leaflet Press draft translation (not clinically reviewed)"
# Catalogs are kept exactly as GNU gettext (msgcat, msgmerge) and Poedit write them: wrapped at 79
# columns. A translator's save in those tools then changes only what they translated.
CATALOG_WIDTH = 79
GETTEXT_ENV = {"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}


@dataclass(frozen=True)
class Domain:
    name: str
    source: Path  # the file its English strings come from
    template: Catalog  # the .pot content


def domains(project: Project) -> list[Domain]:
    """Every gettext domain: one per leaflet, then the template's own words."""
    found = [leaflet_domain(project, load_leaflet(path)) for path in project.leaflet_paths()]
    return [*found, words_domain(project)]


def leaflet_domain(project: Project, leaflet: Leaflet) -> Domain:
    template = _new_template(leaflet.id, dt.datetime.combine(leaflet.published, dt.time(), dt.timezone.utc))
    template.version = leaflet.version
    relative = leaflet.path.resolve().relative_to(project.root.resolve())
    for line, message, comments, context in extract_from_file(extract_leaflet, leaflet.path):
        template.add(message, locations=[(relative.as_posix(), line)], auto_comments=comments, context=context)
    return Domain(leaflet.id, leaflet.path, template)


def words_domain(project: Project) -> Domain:
    template = _new_template(TEMPLATE_DOMAIN, WORDS_DATE)
    found = extract_from_file("python", WORDS_SOURCE, keywords={"N_": None}, comment_tags=("TRANSLATORS:",), strip_comment_tags=True)
    for line, message, comments, context in found:
        template.add(message, locations=[(WORDS_REFERENCE, line)], auto_comments=comments, context=context)
    missing = set(TEMPLATE_WORDS.values()) - {message.id for message in template if message.id}
    assert not missing, f"words not extracted: {missing}"
    return Domain(TEMPLATE_DOMAIN, WORDS_SOURCE, template)


def _new_template(domain: str, created: dt.datetime) -> Catalog:
    return Catalog(
        domain=domain,
        project=f"Leaflet Press {domain}",
        version=__version__,
        msgid_bugs_address="translations@leaflet-press.invalid",
        copyright_holder="Leaflet Press",
        creation_date=created,
        revision_date=created,
        fuzzy=False,
        charset="utf-8",
    )


def pot_path(project: Project, domain: str) -> Path:
    return project.locales_dir / f"{domain}.pot"


def template_bytes(domain: Domain) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, domain.template, width=CATALOG_WIDTH, omit_header=False, sort_output=False)
    return gnu_form(buffer.getvalue())


def new_catalog_bytes(domain: Domain, language: Language) -> bytes:
    """A fresh catalog for `language`: header from CLDR (plural forms), every string untranslated."""
    catalog = Catalog(
        locale=language.locale,
        domain=domain.name,
        project=domain.template.project,
        version=domain.template.version,
        copyright_holder="Leaflet Press",
        msgid_bugs_address=domain.template.msgid_bugs_address,
        creation_date=domain.template.creation_date,
        revision_date=domain.template.creation_date,
        language_team=f"{language.english_name} <translations@leaflet-press.invalid>",
        last_translator="",
        header_comment=f"# {language.english_name} translation of Leaflet Press: {domain.name}.\n"
        "# Translators: see README.md, 'Add a language'. Keep {placeholders} as they are.",
        fuzzy=False,
        charset="utf-8",
    )
    catalog.update(domain.template, no_fuzzy_matching=True, update_creation_date=True)
    catalog.last_translator = ""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=CATALOG_WIDTH, sort_output=False)
    return gnu_form(buffer.getvalue())


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    old: bytes  # the catalog as it was read: it is replaced only if it still holds these bytes
    new: bytes | None  # None when refused
    problems: tuple[Problem, ...] = ()
    changed: int = 0  # strings now fuzzy because their English changed
    added: int = 0
    obsoleted: int = 0

    @property
    def unchanged(self) -> bool:
        return self.new == self.old


def updated_catalog(path: Path, language: Language, domain: Domain) -> UpdateResult:
    """Merge the domain's template into one catalog, refusing anything that could lose work.

    The merge is GNU msgmerge's (`--previous`): it keeps the header as the translator left it and
    writes valid `#|` previous msgids, which Babel's writer breaks for long strings.
    """
    try:
        raw = read_catalog_bytes(path)
    except CatalogError as error:
        return UpdateResult(path, b"", None, error.problems)
    problems = syntax_problems(path, raw)
    if problems:
        return UpdateResult(path, raw, None, tuple(problems))
    plain = as_saved(raw).plain
    before = read_po(io.BytesIO(plain), locale=language.locale, domain=domain.name)
    try:
        merged = msgmerge(plain, template_bytes(domain))
    except CatalogError as error:
        return UpdateResult(path, raw, None, tuple(error.problems))
    after = read_po(io.BytesIO(merged), locale=language.locale, domain=domain.name)
    lost = _translations(before) - _translations(after)
    if lost:
        message = f"update would lose {len(lost)} translation(s), e.g. {sorted(lost)[0][:60]!r}; nothing written"
        return UpdateResult(path, raw, None, (Problem(message, path=path),))
    active_before = {message.id for message in before if message.id}
    active_after = {message.id for message in after if message.id}
    # A changed English string is a new msgid, fuzzy, carrying the old one as `#|` (Babel does not
    # read `#|`, so they are counted): report it as changed, not as one new and one obsolete.
    changed = sum(1 for message in after if message.id and message.id not in active_before and is_fuzzy(message))
    return UpdateResult(
        path,
        raw,
        as_saved(raw).restore(merged),
        changed=changed,
        added=max(0, len(active_after - active_before) - changed),
        obsoleted=max(0, len(active_before - active_after) - changed),
    )


def msgmerge(catalog: bytes, template: bytes) -> bytes:
    tool = shutil.which("msgmerge")
    if tool is None:
        raise CatalogError([Problem("GNU msgmerge is not installed (Debian package 'gettext'): run `make setup`")])
    with tempfile.TemporaryDirectory(prefix="leafletpress-") as folder:
        old, pot = Path(folder) / "old.po", Path(folder) / "new.pot"
        old.write_bytes(catalog)
        pot.write_bytes(template)
        result = subprocess.run(
            [tool, "--quiet", "--previous", f"--width={CATALOG_WIDTH}", "--output-file=-", str(old), str(pot)],
            capture_output=True, env=GETTEXT_ENV, check=False,
        )
    if result.returncode != 0:
        raise CatalogError([Problem(f"msgmerge failed: {result.stderr.decode(errors='replace').strip()}")])
    return result.stdout


def gnu_form(catalog: bytes) -> bytes:
    """The catalog as GNU msgcat writes it (and Poedit saves it): same entries, wrapped at 79."""
    tool = shutil.which("msgcat")
    if tool is None:
        raise CatalogError([Problem("GNU msgcat is not installed (Debian package 'gettext'): run `make setup`")])
    result = subprocess.run(
        [tool, "--force-po", f"--width={CATALOG_WIDTH}", "--output-file=-", "-"],
        input=catalog, capture_output=True, env=GETTEXT_ENV, check=False,
    )
    if result.returncode != 0:
        raise CatalogError([Problem(f"msgcat failed: {result.stderr.decode(errors='replace').strip()}")])
    return result.stdout


def _translations(catalog: Catalog) -> set[str]:
    """Every translation a translator wrote, in active or obsolete entries."""
    return {
        message.string
        for message in [*catalog, *catalog.obsolete.values()]
        if message.id and isinstance(message.string, str) and message.string
    }


@dataclass(frozen=True)
class SavedForm:
    """How a catalog file was saved: with a byte-order mark, with CRLF line endings."""

    plain: bytes  # the text with neither, as the gettext tools read it
    bom: bool
    crlf: bool

    def restore(self, text: bytes) -> bytes:
        """`text` (LF, no BOM) saved the way the original was."""
        if self.crlf:
            text = text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        return UTF8_BOM + text if self.bom else text


def as_saved(raw: bytes) -> SavedForm:
    plain = without_bom(raw)
    crlf = plain.count(b"\r\n") > plain.count(b"\n") // 2
    return SavedForm(plain.replace(b"\r\n", b"\n") if crlf else plain, raw.startswith(UTF8_BOM), crlf)
