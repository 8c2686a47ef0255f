"""The build pipeline: load → validate → translate → render → lay out → check → write."""

from __future__ import annotations

import gc
import hashlib
import importlib
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import unescape
from pathlib import Path

from .catalogs import CatalogError, LoadedCatalog, catalog_path, load_catalog, source_fingerprint
from .content import Leaflet, LeafletError, load_leaflet
from .fonts import FontError, FontLibrary, load_preferences
from .formats import DEFAULT_FORMATS, FORMATS, Format
from .languages import SOURCE_LANGUAGE, Language, parse_language
from .localize import Translation, keep_english, merge, translate
from .output import exclusive_lock, remove_stale_temp_files, write_atomically
from .project import Project
from .clinic import Clinic
from .engine import Limits, run_in_workers
from .record import RECORD, Hasher, fingerprint, is_up_to_date, read_record, record_bytes, software_identity
from .manifest import MANIFEST, entry, merged_manifest, read_manifest
from .markup import split_placeholders
from .render import Edition, page_context, render_html, template_environment
from .verify import WARNING_ANCHOR, layout_problems, pdf_problems
from .words import TEMPLATE_DOMAIN, WARNING_BOX_WORDS, WORDS


TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"\w+")


class UsageError(ValueError):
    """A request that names something the project does not have."""


class BuildError(RuntimeError):
    """The build cannot start: its output folder or templates are unusable. One line says why."""


REQUIRED_TEMPLATES = ("leaflet.html.j2", "print.css", "fonts.toml", "index.html.j2")


@dataclass(frozen=True)
class BuildRequest:
    out: Path
    leaflets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    draft: bool = False
    clinic: Clinic | None = None
    marks: bool = False
    jobs: int = 0  # 0: render in this process; N: in N worker processes, each edition time- and memory-limited
    force: bool = False  # rebuild editions whose inputs are unchanged
    html: bool = False  # also write each edition's HTML beside its PDF
    limits: Limits = Limits()


@dataclass(frozen=True)
class EditionResult:
    edition: Edition
    path: Path | None = None  # set when the PDF was written
    pages: int = 0
    size: int = 0
    review: str = ""
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # shown, but do not fail the edition (draft fallbacks)
    sha256: str = ""
    seconds: float = 0.0  # time to build it (0 when skipped)
    skipped: bool = False  # up to date: inputs unchanged since the recorded build

    @property
    def ok(self) -> bool:
        return self.path is not None


@dataclass(frozen=True)
class LanguageCatalogs:
    """One language's catalogs for one leaflet, or the reason they cannot be used."""

    leaflet: LoadedCatalog | None = None
    words: LoadedCatalog | None = None
    problems: tuple[str, ...] = ()


@dataclass
class BuildResult:
    editions: list[EditionResult] = field(default_factory=list)
    leaflet_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.leaflet_problems and all(result.ok for result in self.editions)


@dataclass
class BuildTools:
    """What a process keeps between editions: templates, fonts and WeasyPrint's caches."""

    environment: object
    fonts: FontLibrary
    layout: object
    cut_sheets: dict = field(default_factory=dict)

    def cut_sheet(self, size_mm: tuple[float, float]) -> bytes:
        if size_mm not in self.cut_sheets:
            from .impose import cut_line_sheet

            self.cut_sheets[size_mm] = cut_line_sheet(*size_mm)
        return self.cut_sheets[size_mm]

    @classmethod
    def create(cls, project: Project) -> "BuildTools":
        from .layout import LayoutTools  # imported late: usage errors and planning need no WeasyPrint

        return cls(
            environment=template_environment(project.templates_dir),
            fonts=FontLibrary(load_preferences(project.templates_dir / "fonts.toml")),
            layout=LayoutTools(),
        )


def build(
    project: Project,
    request: BuildRequest,
    tools: BuildTools | None = None,
    on_result: Callable[[int, int, EditionResult], None] | None = None,
) -> BuildResult:
    """Build every requested edition; one failing edition never stops the others.

    `on_result(index, total, result)` is called as each edition finishes, in finishing order;
    `BuildResult.editions` is in plan order (leaflet, language, format) whatever that order.
    """
    check_templates(project, request)
    prepare_output_folder(request.out)
    with exclusive_lock(request.out):
        return _build_locked(project, request, tools, on_result)


def check_template_syntax(project: Project) -> None:
    import jinja2

    environment = template_environment(project.templates_dir)
    for name in ("leaflet.html.j2", "index.html.j2"):
        try:
            environment.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            raise BuildError(f"{error.filename}:{error.lineno}: template error: {error.message}") from None


def check_templates(project: Project, request: BuildRequest) -> None:
    names = [*REQUIRED_TEMPLATES, *(page_format.stylesheet for page_format in select_formats(request.formats, request.marks))]
    for name in dict.fromkeys(names):
        if not (project.templates_dir / name).is_file():
            raise BuildError(f"template file {project.templates_dir / name} is missing: restore it (git checkout templates/)")


def prepare_output_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise BuildError(f"cannot write to {out} ({error.strerror}): choose another folder with --out") from None


def _build_locked(project, request, tools, on_result) -> BuildResult:
    result = BuildResult()
    out = request.out
    # Plan: the editions, and a fingerprint of everything each one is made from.
    plan = plan_build(project, request, tools.fonts if tools else FontLibrary(load_preferences(project.templates_dir / "fonts.toml")))
    result.leaflet_problems = plan.leaflet_problems
    remove_stale_temp_files(out)
    # Skip editions whose inputs and output are unchanged since the recorded build.
    record = {} if request.force else read_record(out)
    done: list[EditionResult | None] = [None] * len(plan.editions)
    todo = []
    for index, (edition, inputs) in enumerate(zip(plan.editions, plan.inputs)):
        if is_up_to_date(record, out, edition.filename, inputs, plan.hasher):
            entry = record[edition.filename]
            done[index] = EditionResult(
                edition, path=out / edition.filename, pages=entry["pages"], size=entry["bytes"],
                review=entry["review"], sha256=entry["sha256"], skipped=True,
            )
        else:
            todo.append(index)

    def finished(index: int, edition_result: EditionResult) -> None:
        done[index] = edition_result
        if on_result:
            on_result(index, len(plan.editions), edition_result)

    for index, edition_result in enumerate(done):
        if edition_result is not None:
            finished(index, edition_result)
    if todo:
        check_template_syntax(project)
    # Build the rest: here, or in worker processes with a time and memory limit each.
    if todo and request.jobs:
        importlib.import_module("weasyprint")  # imported once here, inherited by every forked worker

        todo.sort(key=lambda index: -expected_cost(plan.editions[index]))  # longest first: no straggler at the end
        run_in_workers(
            request.jobs,
            [plan.editions[index] for index in todo],
            make_builder=lambda: EditionBuilder(project, request),
            failure=lambda edition, message: EditionResult(edition, problems=(message,)),
            on_result=lambda position, edition_result: finished(todo[position], edition_result),
            limits=request.limits,
        )
    elif todo:
        builder = EditionBuilder(project, request, tools)
        for index in todo:
            finished(index, builder(plan.editions[index]))
    result.editions = list(done)
    # Record what was built from what, and list the output folder in the manifest.
    built = [edition for edition in result.editions if edition.ok and not edition.skipped]
    if built:
        for edition_result, inputs in zip(result.editions, plan.inputs):
            if edition_result.ok and not edition_result.skipped:
                record[edition_result.edition.filename] = {
                    "inputs": inputs, "sha256": edition_result.sha256, "pages": edition_result.pages,
                    "bytes": edition_result.size, "review": edition_result.review,
                }
        write_atomically(out / RECORD, record_bytes(record))
        entries = [manifest_entry(edition, request.clinic) for edition in built]
        write_atomically(out / MANIFEST, merged_manifest(out, entries))
        write_index(project, out, [edition.path for edition in built])
    return result


def write_index(project: Project, out: Path, rebuilt: list[Path]) -> None:
    """Thumbnails for new PDFs (and missing ones), none for PDFs that are gone, and index.html."""
    from .index import INDEX, THUMBNAILS, index_context, render_index, thumbnail_png

    entries = read_manifest(out)
    folder = out / THUMBNAILS
    wanted = {Path(item["file"]).stem for item in entries}
    for path in [*rebuilt, *(out / item["file"] for item in entries)]:
        thumbnail = folder / f"{path.stem}.png"
        if path in rebuilt or not thumbnail.exists():
            write_atomically(thumbnail, thumbnail_png(path))
    for thumbnail in folder.glob("*.png"):
        if thumbnail.stem not in wanted:
            thumbnail.unlink()
    titles = {}
    for path in project.leaflet_paths():
        try:
            titles[path.stem] = load_leaflet(path).title
        except LeafletError:
            continue
    html = render_index(project.templates_dir, index_context(entries, titles))
    write_atomically(out / INDEX, html.encode("utf-8"))


def expected_cost(edition: Edition) -> float:
    """Rough relative render time, measured here: CJK fonts are big to subset, more pages cost more."""
    script = 3.0 if edition.language.script in ("Hans", "Hant", "Jpan", "Kore") else 1.0
    layout = {"A4-large": 1.3, "A5-2up": 1.2}.get(edition.format.name, 1.0)
    return script * layout


@dataclass
class Plan:
    editions: list[Edition] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # fingerprint of each edition's inputs
    leaflet_problems: list[str] = field(default_factory=list)
    hasher: Hasher = field(default_factory=Hasher)


def plan_build(project: Project, request: BuildRequest, fonts: FontLibrary) -> Plan:
    """Which editions to build, each with a fingerprint of everything it is made from."""
    plan = Plan()
    leaflets = []
    for path in select_leaflet_paths(project, request.leaflets):
        try:
            leaflets.append(load_leaflet(path))
        except LeafletError as error:  # a broken leaflet fails alone
            plan.leaflet_problems.append(str(error))
    languages = select_languages(project, request.languages)
    formats = select_formats(request.formats, request.marks)
    hasher = plan.hasher
    shared = {
        "templates": hasher.files(path for path in project.templates_dir.rglob("*") if path.is_file()),
        "software": software_identity(hasher),
        "clinic": hasher.files(request.clinic.files()) if request.clinic else "",
        "options": f"draft={request.draft} marks={request.marks} html={request.html}",
    }
    english = parse_language(SOURCE_LANGUAGE)
    for leaflet in leaflets:
        for language in languages:
            try:
                font_files = [*fonts.stack(language).files, *fonts.stack(english).files]
                font_identity = [hasher.font(path) for path in font_files]
            except FontError as error:
                font_identity = [str(error)]
            catalogs = [catalog_path(project.locales_dir, language, domain) for domain in (leaflet.id, TEMPLATE_DOMAIN)]
            language_inputs = {
                **shared,
                "leaflet": hasher.file(leaflet.path),
                "catalogs": "" if language.is_source else hasher.files(catalogs),
                "fonts": " ".join(font_identity),
            }
            for page_format in formats:
                if page_format.bilingual and language.is_source:
                    continue
                plan.editions.append(Edition(leaflet, language, page_format, marks=request.marks))
                plan.inputs.append(fingerprint({**language_inputs, "format": page_format.name}))
    return plan


class EditionBuilder:
    """Builds editions one after another in one process, keeping tools and catalogs between them."""

    def __init__(self, project: Project, request: BuildRequest, tools: BuildTools | None = None):
        self.project = project
        self.request = request
        self.tools = tools or BuildTools.create(project)
        self.catalogs: dict[tuple[str, str], LanguageCatalogs] = {}

    def __call__(self, edition: Edition) -> EditionResult:
        key = (edition.leaflet.id, edition.language.tag)
        if key not in self.catalogs:
            self.catalogs[key] = load_language_catalogs(self.project, edition.leaflet, edition.language)
        started = time.perf_counter()
        try:
            result = build_edition(self.project, edition, self.catalogs[key], self.request, self.tools)
        except Exception as error:  # a renderer bug must fail one edition, not the build
            detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            problem = f"the renderer failed ({detail}); check recent changes to the templates and CSS"
            result = EditionResult(edition, problems=(problem,))
        seconds = round(time.perf_counter() - started, 4)
        gc.collect()  # WeasyPrint's documents hold reference cycles: free each one now, not in bursts
        return replace(result, seconds=seconds)


def manifest_entry(result: EditionResult, clinic: Clinic | None) -> dict:
    edition = result.edition
    return entry(
        result.path, edition.leaflet.id, edition.language_label, edition.format_label, result.pages,
        edition.leaflet.version, result.review, clinic.name if clinic else None,
    )


def build_edition(
    project: Project, edition: Edition, catalogs: LanguageCatalogs, request: BuildRequest, tools: BuildTools
) -> EditionResult:
    from .layout import lay_out, pdf_bytes

    if catalogs.problems:
        return EditionResult(edition, problems=catalogs.problems)
    # Translate, refusing what is unsafe to print.
    translation = translate_edition(edition.leaflet, catalogs, request.draft, request.clinic is not None)
    notes = tuple(str(problem) for problem in translation.problems if not problem.is_error)
    if translation.refused:
        return EditionResult(edition, problems=tuple(str(p) for p in translation.problems if p.is_error), notes=notes)
    review = review_label(edition.leaflet, catalogs)
    # Render the HTML, in the fonts of the language's script.
    try:
        stacks = [tools.fonts.stack(edition.language), tools.fonts.stack(parse_language(SOURCE_LANGUAGE))]
    except FontError as error:
        return EditionResult(edition, problems=(str(error),), notes=notes)
    draft = request.draft or translation.english_fallbacks > 0
    context = page_context(
        edition, translation.texts, review, draft=draft, clinic=request.clinic,
        font_css="\n".join(stack.css() for stack in reversed(stacks)),
    )
    html = render_html(tools.environment, context)
    # Check every character has a glyph in the edition's fonts.
    missing = tools.fonts.missing(printed_text(html), stacks[0])
    if missing:
        return EditionResult(edition, problems=(f"no glyph in {' or '.join(stacks[0].families)} for {', '.join(missing[:20])}",), notes=notes)
    # Lay out the pages, confined to the project's assets and the clinic's logo folder.
    roots = [project.templates_dir, *([request.clinic.assets_dir] if request.clinic and request.clinic.logo else [])]
    laid_out = lay_out(html, project.templates_dir, roots, tools.layout)
    if laid_out.document is None or laid_out.problems:
        return EditionResult(edition, problems=laid_out.problems, notes=notes)
    document = laid_out.document
    # Check the laid-out pages: budget, size, the warning section whole on one page.
    page_format = edition.format
    problems = layout_problems(
        document,
        page_format.width_mm,
        page_format.height_mm,
        page_format.page_budget(edition.leaflet.page_budget),
        WARNING_ANCHOR,
    )
    if problems:
        return EditionResult(edition, pages=len(document.pages), problems=tuple(problems), notes=notes)
    # Make the PDF and check its text layer holds the whole warning, clinic number included.
    pdf = pdf_bytes(document)
    problems = text_layer_problems(edition, pdf, translation.texts, request.clinic)
    if problems:
        return EditionResult(edition, pages=len(document.pages), problems=tuple(problems), notes=notes)
    if page_format.imposed:
        from .impose import impose_two_up

        pdf = impose_two_up(
            pdf, tools.cut_sheet(page_format.sheet_mm), title=context["title"],
            author=context["publisher"], subject=context["subject"], lang=edition.language.tag,
        )
    # Write atomically: the last good file stays until the new one is complete.
    path = request.out / edition.filename
    try:
        write_atomically(path, pdf)
        if request.html:
            write_atomically(path.with_suffix(".html"), html.encode("utf-8"))
    except OSError as error:
        problem = f"could not write {path} ({error.strerror}): free some disk space or choose another folder with --out"
        return EditionResult(edition, pages=len(document.pages), problems=(problem,), notes=notes)
    return EditionResult(
        edition, path=path, pages=len(document.pages), size=len(pdf), review=review, notes=notes,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )


def text_layer_problems(edition: Edition, pdf: bytes, texts: dict[str, str], clinic: Clinic | None) -> list[str]:
    """The warning must be in the PDF's text layer; in a bilingual edition, each language in its
    own column (English left, the language right)."""
    must_say = warning_texts(edition.leaflet, texts, clinic)
    if not edition.bilingual:
        return pdf_problems(pdf, must_say)
    english = warning_texts(edition.leaflet, {text: text for text in texts}, clinic)
    right_to_left = edition.language.direction == "rtl"
    return pdf_problems(pdf, english, half="left") + pdf_problems(pdf, must_say, half="right", in_order=not right_to_left)


def warning_texts(leaflet: Leaflet, texts: dict[str, str], clinic: Clinic | None) -> list[str]:
    """What the warning box says, as plain text: its strings, and the clinic's contact line word by
    word (readers put the runs of a line that mixes directions in different orders)."""
    found = [texts[msgid] for msgid in leaflet.warning.strings()]
    if clinic:
        words = [value for kind, value in split_placeholders(texts[WORDS["clinic_contact"]]) if kind == "text"]
        found += WORD.findall(" ".join([*words, clinic.name, clinic.phone]))
    return found


def printed_text(html: str) -> str:
    """The characters a page prints: the HTML without its head, tags and entities."""
    body = html[html.find("<body"):]
    return unescape(TAG.sub(" ", body))


def translate_edition(leaflet: Leaflet, catalogs: LanguageCatalogs, draft: bool, with_clinic: bool) -> Translation:
    clinic_words = {"clinic_contact", "clinic_hours", "clinic_website"}
    word_keys = [key for key in WORDS if with_clinic or key not in clinic_words]
    word_ids = [WORDS[key] for key in word_keys]
    box_word_ids = [WORDS[key] for key in word_keys if key in WARNING_BOX_WORDS]
    if catalogs.leaflet is None:  # the source language
        return merge(keep_english(leaflet.strings()), keep_english(word_ids))
    return merge(
        translate(catalogs.leaflet, leaflet.strings(), required=leaflet.warning.strings(), draft=draft),
        translate(catalogs.words, word_ids, required=box_word_ids, draft=draft),
    )


def review_label(leaflet: Leaflet, catalogs: LanguageCatalogs) -> str:
    """"source" for English; else the weakest state of the leaflet's and the template's catalogs."""
    if catalogs.leaflet is None:
        return "source"
    labels = {
        catalogs.leaflet.review.label(source_fingerprint(leaflet.strings())),
        catalogs.words.review.label(source_fingerprint(WORDS.values())),
    }
    return next(label for label in ("unreviewed", "stale", "reviewed") if label in labels)


def load_language_catalogs(project: Project, leaflet: Leaflet, language: Language) -> LanguageCatalogs:
    if language.is_source:
        return LanguageCatalogs()
    loaded, problems = {}, []
    for domain in (leaflet.id, TEMPLATE_DOMAIN):
        try:
            loaded[domain] = load_catalog(catalog_path(project.locales_dir, language, domain), language, domain)
        except CatalogError as error:
            problems += [str(problem) for problem in error.problems]
    if problems:
        return LanguageCatalogs(problems=tuple(problems))
    return LanguageCatalogs(leaflet=loaded[leaflet.id], words=loaded[TEMPLATE_DOMAIN])


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


def select_formats(wanted: tuple[str, ...], marks: bool = False) -> list[Format]:
    by_name = {name.lower(): page_format for name, page_format in FORMATS.items()}
    names = wanted or [name for name in DEFAULT_FORMATS if not (marks and FORMATS[name].imposed)]
    unknown = [name for name in names if name.lower() not in by_name]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; available: {', '.join(FORMATS)}")
    chosen = list({by_name[name.lower()].name: by_name[name.lower()] for name in names}.values())
    if marks and any(page_format.imposed for page_format in chosen):
        raise UsageError("--marks is for a print shop's single pages; two-up sheets are for office printers")
    return chosen
