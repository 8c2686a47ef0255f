"""Planning a build: which editions to make, and a fingerprint of everything each is made from."""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass, field
from pathlib import Path

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
    draft: bool = False
    clinic: Clinic | None = None
    marks: bool = False
    workers: int = 0  # 0: render in this process; N: in N worker processes, each edition time- and memory-limited
    force: bool = False  # rebuild editions whose inputs are unchanged
    html: bool = False  # also write each edition's HTML beside its PDF
    limits: Limits = Limits()


@dataclass
class Plan:
    editions: list[Edition] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # fingerprint of each edition's inputs
    sources: list[Sources] = field(default_factory=list)  # the files each edition's text comes from
    leaflet_problems: list[Problem] = field(default_factory=list)
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
        "templates": hasher.files(project.templates_dir, (path for path in project.templates_dir.rglob("*") if path.is_file())),
        "software": software_identity(hasher),
        "options": f"marks={request.marks} html={request.html}",
        "settings": repr(project.settings),
    }
    english = parse_language(SOURCE_LANGUAGE)
    for leaflet in leaflets:
        for language in languages:
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
                plan.editions.append(Edition(leaflet, language, page_format, marks=request.marks))
                plan.inputs.append(fingerprint({**language_inputs, "format": page_format.name}))
                plan.sources.append(sources)
    return plan


def past_review_problem(leaflet) -> Problem:
    return Problem(
        f"is past its review date ({leaflet.review_due.isoformat()}): a clinician must check the content, then give it a "
        "new version and review date; none of its editions is built",
        path=leaflet.path, field="review",
    )


def expected_cost(edition: Edition) -> float:
    """Rough relative render time, measured here: CJK fonts are big to subset, more pages cost more."""
    script = 3.0 if edition.language.script in ("Hans", "Hant", "Jpan", "Kore") else 1.0
    layout = {"A4-large": 1.3, "A5-2up": 1.2}.get(edition.format.name, 1.0)
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
            f"unknown language {', '.join(unknown)}; available: {', '.join(language.tag for language in available)}"
        )
    return list({by_tag[tag.lower()].tag: by_tag[tag.lower()] for tag in wanted}.values())


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
