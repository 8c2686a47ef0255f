"""Planning a build: which editions to make, and a fingerprint of everything each is made from."""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass, field
from pathlib import Path

from leafletpress.core.files import is_scratch_name
from leafletpress.pipeline.currency import Sources, sources_of
from leafletpress.pipeline.record import Hasher, fingerprint, software_identity
from leafletpress.pipeline.workers import Limits
from leafletpress.inputs.clinic import Clinic
from leafletpress.inputs.edition import Edition
from leafletpress.inputs.fonts import FontError, FontLibrary
from leafletpress.inputs.formats import DEFAULT_FORMATS, FORMATS, Format
from leafletpress.inputs.languages import SOURCE_LANGUAGE, Language, parse_language
from leafletpress.inputs.leaflet import LeafletError, load_leaflet
from leafletpress.core.problems import Problem, UsageError
from leafletpress.inputs.project import Project


@dataclass(frozen=True)
class BuildRequest:
    out: Path
    leaflets: tuple[str, ...] = ()  # empty: every leaflet
    languages: tuple[str, ...] = ()  # empty: the project's default languages
    formats: tuple[str, ...] = ()  # empty: the project's default formats
    html: bool = False  # also keep each edition's print HTML beside its PDF (the benchmark reads it)
    email_format: str = "phone"  # the format whose edition the email draft attaches
    draft: bool = False
    clinic: Clinic | None = None
    marks: bool = False
    workers: int = 0  # 0: render in this process; N: in N worker processes, each edition time- and memory-limited
    force: bool = False  # rebuild editions whose inputs are unchanged
    limits: Limits = Limits()
    shard: tuple[int, int] | None = None  # (I, N): build only the I-th of N balanced parts (1-based)


@dataclass(frozen=True)
class NotTranslated:
    """A leaflet the build was not meant to make in a language yet: never a failure."""

    leaflet: str
    language: Language
    reason: str


@dataclass
class Plan:
    editions: list[Edition] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # fingerprint of each edition's inputs
    sources: list[Sources] = field(default_factory=list)  # the files each edition's text comes from
    leaflet_problems: list[Problem] = field(default_factory=list)
    not_translated: list[NotTranslated] = field(default_factory=list)
    hasher: Hasher = field(default_factory=Hasher)


def plan_build(project: Project, request: BuildRequest, fonts: FontLibrary) -> Plan:
    """Which editions to build, each with a fingerprint of everything it is made from."""
    plan = Plan()
    leaflets = []
    for path in select_leaflet_paths(project, request.leaflets):
        try:
            leaflet = load_leaflet(path)
        except LeafletError as error:  # a broken leaflet fails alone
            plan.leaflet_problems.extend(error.problems)
            continue
        if leaflet.past_review(dt.date.today()):
            plan.leaflet_problems.append(past_review_problem(leaflet))
            continue
        leaflets.append(leaflet)
    languages = select_languages(project, request.languages or project.settings.languages)
    formats = select_formats(request.formats, request.marks, project.settings.formats)
    hasher = plan.hasher
    shared = {
        "templates": hasher.files(project.templates_dir, template_files(project.templates_dir)),
        "software": software_identity(hasher),
        "options": f"marks={request.marks} html={request.html}",
        "settings": repr(project.settings),
    }
    english = parse_language(SOURCE_LANGUAGE)
    for leaflet in leaflets:
        for language in languages:
            waiting = not_yet_translated(project, request, leaflet, language)
            if waiting:
                plan.not_translated.append(NotTranslated(leaflet.id, language, waiting))
                continue
            try:
                font_files = [*fonts.stack(language).files, *fonts.stack(english).files]
                font_identity = [hasher.font(path) for path in font_files]
            except FontError as error:
                font_identity = [str(error)]
            sources = sources_of(project, leaflet.id, language, request.clinic.files() if request.clinic else [], request.draft, hasher)
            language_inputs = {**shared, **sources.as_dict(), "fonts": " ".join(font_identity)}
            for page_format in formats:
                if page_format.bilingual and language.is_source:
                    continue
                if page_format.easy_read and leaflet.easy_read is None:
                    continue  # a leaflet without an Easy Read text has no Easy Read edition
                plan.editions.append(Edition(leaflet, language, page_format, marks=request.marks))
                edition = plan.editions[-1]
                plan.inputs.append(fingerprint({**language_inputs, "format": page_format.name, "writes": " ".join(companion_names(edition, request))}))
                plan.sources.append(sources)
    if not request.languages and not project.settings.languages:
        selected = {language.tag for language in languages}
        for leaflet in leaflets:
            for tag in leaflet.languages or ():
                if tag not in selected:
                    plan.not_translated.append(NotTranslated(leaflet.id, parse_language(tag), "no catalog yet"))
    if request.shard:
        keep = set(shard_indices(plan.editions, *request.shard))
        plan.editions, plan.inputs, plan.sources = (
            [item for index, item in enumerate(items) if index in keep] for items in (plan.editions, plan.inputs, plan.sources)
        )
    return plan


def shard_indices(editions: list[Edition], shard: int, count: int) -> list[int]:
    """The planned editions of part `shard` of `count`: the same on every machine for the same
    inputs, and balanced by expected render time (the longest groups first, each to the part with
    the least so far). An A5 and its two-up sheet stay together: the sheet is made from its pages."""
    groups: dict[tuple, list[int]] = {}
    for index, edition in enumerate(editions):
        groups.setdefault(render_group_key(edition), []).append(index)
    ordered = sorted(groups.values(), key=lambda group: (-sum(expected_cost(editions[i]) for i in group), editions[group[0]].filename))
    loads = [0.0] * count
    mine: list[int] = []
    for group in ordered:
        part = min(range(count), key=lambda number: (loads[number], number))
        loads[part] += sum(expected_cost(editions[index]) for index in group)
        if part == shard - 1:
            mine += group
    return sorted(mine)


def render_group_key(edition: Edition) -> tuple:
    """Editions made from the same laid-out pages: an edition and the imposed sheets of its pages."""
    return (edition.leaflet.id, edition.language.tag, edition.format.page_name, edition.marks)


def not_yet_translated(project: Project, request: BuildRequest, leaflet, language: Language) -> str | None:
    """Why the build is not meant to make this leaflet in this language, or None when it is.

    Meant: English; a language the leaflet lists; one asked for with --lang, unless the leaflet's
    list leaves it out (then only as a --draft proof); with the
    default `languages = "complete"`, a language whose catalog is complete (or any, with --draft).
    A language asked for or listed whose catalog is incomplete or broken is meant, and fails."""
    from leafletpress.i18n.catalogs import catalog_path
    from leafletpress.i18n.status import translation_progress

    if language.is_source:
        return None
    path = catalog_path(project.locales_dir, language, leaflet.id)
    if not path.exists() and not path.is_symlink():
        return "no catalog yet"
    if leaflet.languages is not None and language.tag not in leaflet.languages:
        if request.languages and request.draft:
            return None  # a proof of a language not yet published: DRAFT on every page
        return "not among the leaflet's languages" + (f"; a proof: --lang {language.tag} --draft" if request.languages else "")
    if request.languages or leaflet.languages is not None:
        return None
    if request.draft:
        return None
    progress = translation_progress(project.locales_dir, leaflet, language)
    return None if progress is None or progress.complete else progress.describe()


def template_files(templates: Path) -> list[Path]:
    """Every file the templates are made of; an editor's swap or backup file beside them is not."""
    return [
        path for path in sorted(templates.rglob("*"))
        if path.is_file() and not any(map(is_scratch_name, path.relative_to(templates).parts))
    ]


def past_review_problem(leaflet) -> Problem:
    return Problem(
        f"is past its review date ({leaflet.review_due.isoformat()}): a clinician must check the content, then give it a "
        "new version and review date; none of its editions is built",
        path=leaflet.path, field="review",
    )


WEB_PAGE_FORMAT = "A4"  # the web page says what this edition says, and is written with it


def makes_web_page(edition: Edition) -> bool:
    return edition.format.name == WEB_PAGE_FORMAT and not edition.marks


def makes_email(edition: Edition, request: BuildRequest) -> bool:
    """The email draft attaches the edition of the request's email format (phone by default)."""
    return edition.format.name == request.email_format and not edition.marks


def companion_names(edition: Edition, request: BuildRequest) -> list[str]:
    """The web page and email draft an edition writes beside it, relative to the output folder."""
    from leafletpress.render.email_draft import email_name
    from leafletpress.render.web_page import web_page_name

    names = [web_page_name(edition.leaflet.id, edition.language.tag)] if makes_web_page(edition) else []
    return names + ([email_name(edition.leaflet.id, edition.language.tag, edition.format_label)] if makes_email(edition, request) else [])



def expected_cost(edition: Edition) -> float:
    """Rough relative render time, measured here: CJK fonts are big to subset, more pages cost more."""
    script = 3.0 if edition.language.script in ("Hans", "Hant", "Jpan", "Kore") else 1.0
    layout = {"A4-large": 1.3, "A5-2up": 1.2, "easy-read": 1.3}.get(edition.format.name, 1.0)
    return script * layout


def select_leaflet_paths(project: Project, wanted: tuple[str, ...]) -> list[Path]:
    paths = project.leaflet_paths()
    if not wanted:
        return paths
    by_id = {path.stem: path for path in paths}
    unknown = [name for name in wanted if name not in by_id]
    if unknown:
        raise UsageError(f"unknown leaflet {', '.join(unknown)}; available: {', '.join(by_id) or 'none'}")
    return [by_id[name] for name in dict.fromkeys(wanted)]


def select_languages(project: Project, wanted: tuple[str, ...]) -> list[Language]:
    available = project.languages()
    if not wanted:
        return available
    by_tag = {language.tag.lower(): language for language in available}
    by_tag.update({language.catalog_dir.lower(): language for language in available})
    unknown = [tag for tag in wanted if tag.lower() not in by_tag]
    if unknown:
        raise UsageError(
            f"no catalogs for {', '.join(unknown)}{_closest_language(unknown[0], available)}; "
            f"available: {', '.join(language.tag for language in available)}"
        )
    return list({by_tag[tag.lower()].tag: by_tag[tag.lower()] for tag in wanted}.values())


def _closest_language(wanted: str, available: list[Language]) -> str:
    """" (did you mean zh-Hans or zh-Hant?)" for "zh" or "zh_hans"; "" when nothing is close."""
    import difflib

    tags = [language.tag for language in available]
    same_language = [tag for tag in tags if tag.split("-")[0].lower() == wanted.replace("_", "-").split("-")[0].lower()]
    close = same_language or difflib.get_close_matches(wanted, tags, n=1, cutoff=0.6)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def select_formats(wanted: tuple[str, ...], marks: bool = False, defaults: tuple[str, ...] = DEFAULT_FORMATS) -> list[Format]:
    """The formats asked for, or the defaults (without two-up sheets when crop marks are asked for)."""
    by_name = {name.lower(): page_format for name, page_format in FORMATS.items()}
    names = wanted or [name for name in defaults if not (marks and FORMATS[name].imposed)]
    unknown = [name for name in names if name.lower() not in by_name]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; available: {', '.join(FORMATS)}")
    chosen = list({by_name[name.lower()].name: by_name[name.lower()] for name in names}.values())
    if marks and any(page_format.imposed for page_format in chosen):
        raise UsageError("--marks is for a print shop's single pages; two-up sheets are for office printers")
    return chosen
