"""The translators' workflow over Babel's API: extract, init, update, status, mark a review.

Every function takes paths and data and returns data (catalogs as bytes, tables as dicts); the CLI
prints and writes. Nothing here re-implements PO parsing: Babel reads and writes, GNU msgfmt checks.
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
from leafletpress.i18n.catalogs import (
    REVIEW_HEADERS,
    CatalogError,
    catalog_path,
    load_catalog,
    source_fingerprint,
    syntax_problems,
    with_headers,
)
from leafletpress.i18n.translation_checks import translation_problems
from leafletpress.inputs.leaflet import Leaflet, load_leaflet
from leafletpress.i18n.extract import extract_leaflet
from leafletpress.inputs.fonts import FontError, FontLibrary
from leafletpress.inputs.languages import Language
from leafletpress.inputs.problems import Problem
from leafletpress.inputs.project import Project
from leafletpress.i18n.template_strings import TEMPLATE_DOMAIN, TEMPLATE_WORDS

WORDS_SOURCE = Path(__file__).with_name("template_strings.py")
WORDS_REFERENCE = "leafletpress/i18n/template_strings.py"  # as .pot source references name it
WORDS_DATE = dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc)
DRAFT_TRANSLATOR = "Leaflet Press draft translation (not clinically reviewed)"


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
    write_po(buffer, domain.template, width=100, omit_header=False, sort_output=False)
    return buffer.getvalue()


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
    write_po(buffer, catalog, width=100, sort_output=False)
    return with_headers(buffer.getvalue().decode("utf-8"), {name: "" for name in REVIEW_HEADERS}).encode("utf-8")


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    new: bytes | None  # None when refused
    problems: tuple[Problem, ...] = ()
    changed: int = 0  # strings now fuzzy because their English changed
    added: int = 0
    obsoleted: int = 0


def updated_catalog(path: Path, language: Language, domain: Domain) -> UpdateResult:
    """Merge the domain's template into one catalog, refusing anything that could lose work.

    The merge is GNU msgmerge's (`--previous`): it keeps the header as the translator left it and
    writes valid `#|` previous msgids, which Babel's writer breaks for long strings.
    """
    raw = path.read_bytes()
    problems = syntax_problems(path, raw)
    if problems:
        return UpdateResult(path, None, tuple(problems))
    before = read_po(io.BytesIO(raw), locale=language.locale, domain=domain.name)
    try:
        merged = msgmerge(raw, template_bytes(domain))
    except CatalogError as error:
        return UpdateResult(path, None, tuple(error.problems))
    after = read_po(io.BytesIO(merged), locale=language.locale, domain=domain.name)
    lost = _translations(before) - _translations(after)
    if lost:
        message = f"update would lose {len(lost)} translation(s), e.g. {sorted(lost)[0][:60]!r}; nothing written"
        return UpdateResult(path, None, (Problem(message, path=path),))
    active_before = {message.id for message in before if message.id}
    active_after = {message.id for message in after if message.id}
    return UpdateResult(
        path,
        merged,
        changed=sum(1 for message in after if message.id and message.fuzzy and message.id not in active_before),
        added=len(active_after - active_before),
        obsoleted=len(active_before - active_after),
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
            [tool, "--quiet", "--previous", "--width=100", "--output-file=-", str(old), str(pot)],
            capture_output=True, env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}, check=False,
        )
    if result.returncode != 0:
        raise CatalogError([Problem(f"msgmerge failed: {result.stderr.decode(errors='replace').strip()}")])
    return result.stdout


def _translations(catalog: Catalog) -> set[str]:
    """Every translation a translator wrote, in active or obsolete entries."""
    return {
        message.string
        for message in [*catalog, *catalog.obsolete.values()]
        if message.id and isinstance(message.string, str) and message.string
    }


@dataclass(frozen=True)
class CatalogStatus:
    domain: str
    language: Language
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    review: str  # reviewed / unreviewed / stale / broken / missing
    reviewer: str = ""
    review_date: str = ""
    problems: tuple[str, ...] = ()

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 0

    def as_dict(self) -> dict:
        return {
            "domain": self.domain,
            "language": self.language.tag,
            "language_name": self.language.native_name,
            "language_name_en": self.language.english_name,
            "total": self.total,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "percent": self.percent,
            "review": self.review,
            "reviewer": self.reviewer,
            "review_date": self.review_date,
            "stale": self.review == "stale",
            "problems": list(self.problems),
        }


def catalog_status(project: Project, domain: Domain, language: Language) -> CatalogStatus:
    msgids = [message.id for message in domain.template if message.id]
    path = catalog_path(project.locales_dir, language, domain.name)
    try:
        loaded = load_catalog(path, language, domain.name)
    except CatalogError as error:
        state = "missing" if not path.exists() else "broken"
        return CatalogStatus(domain.name, language, len(msgids), 0, 0, len(msgids), state, problems=tuple(map(str, error.problems)))
    translated = fuzzy = 0
    for msgid in msgids:
        message = loaded.get(msgid)
        if message is not None and message.fuzzy:
            fuzzy += 1
        elif message is not None and message.string and not translation_problems(msgid, message.string):
            translated += 1
    review = loaded.review
    return CatalogStatus(
        domain.name,
        language,
        len(msgids),
        translated,
        fuzzy,
        len(msgids) - translated - fuzzy,
        review.label(source_fingerprint(msgids)),
        reviewer=review.reviewer,
        review_date=review.date,
    )


def check_catalog(path: Path, language: Language, domain: Domain, fonts: FontLibrary | None = None) -> list[Problem]:
    """Everything `check` reports for one catalog: syntax, header, each translation's checks and,
    given the font library, every character having a glyph in the language's fonts."""
    try:
        loaded = load_catalog(path, language, domain.name)
    except CatalogError as error:
        return list(error.problems)
    problems = []
    stack = None
    if fonts is not None:
        try:
            stack = fonts.stack(language)
        except FontError as error:
            problems.append(Problem(str(error), path=path))
    expected = {message.id for message in domain.template if message.id}
    for message in loaded.catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        for problem in translation_problems(message.id, message.string):
            problems.append(Problem(f"{message.id[:50]!r}: {problem}", path=path, line=message.lineno))
        missing = fonts.missing(message.string, stack) if stack else []
        if missing:
            families = " or ".join(stack.families)
            problems.append(Problem(f"no glyph in {families} for {', '.join(missing[:10])}", path=path, line=message.lineno))
    missing = expected - {message.id for message in loaded.catalog if message.id}
    if missing:
        problems.append(Problem(f"{len(missing)} English string(s) missing: run `make_leaflets.py update`", path=path, severity="warning"))
    return problems


def reviewed_catalog(path: Path, language: Language, domain: Domain, reviewer: str, day: dt.date) -> bytes:
    """The catalog with its clinical review recorded for the current English source."""
    raw = path.read_bytes()
    problems = syntax_problems(path, raw)
    if problems:
        raise CatalogError(problems)
    msgids = [message.id for message in domain.template if message.id]
    fields = {
        "X-Clinical-Reviewer": reviewer,
        "X-Clinical-Review-Date": day.isoformat(),
        "X-Clinical-Review-Source": source_fingerprint(msgids),
    }
    return with_headers(raw.decode("utf-8"), fields).encode("utf-8")
