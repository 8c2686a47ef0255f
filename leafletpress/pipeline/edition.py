"""One edition, start to finish: translate → render HTML → check glyphs → lay out → check the
pages → PDF and its text layer → impose → write atomically (and its thumbnail)."""

from __future__ import annotations

import gc
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

from leafletpress.core.atomic import write_all_atomically
from leafletpress.pipeline.plan import BuildRequest, companion_names, makes_email, makes_web_page
from leafletpress.i18n.catalogs import LanguageCatalogs, load_language_catalogs
from leafletpress.i18n.gating import Translation, translate_edition
from leafletpress.i18n.review import EditionReview, edition_review, printed_strings
from leafletpress.i18n.template_strings import TEMPLATE_DOMAIN
from leafletpress.inputs.edition import Edition
from leafletpress.inputs.fonts import FontError, FontLibrary, load_preferences
from leafletpress.inputs.languages import SOURCE_LANGUAGE, parse_language
from leafletpress.core.problems import WARNING, Problem, errors
from leafletpress.inputs.clinic import LANGUAGE_FIELDS, Clinic
from leafletpress.pipeline.currency import Sources, text_fingerprint
from leafletpress.pipeline.record import claim
from leafletpress.render.pdf_finish import finish_pdf, review_metadata
from leafletpress.inputs.project import Project
from leafletpress.render.html import page_context, printed_text, render_html, template_environment
from leafletpress.render.pdf_checks import layout_problems, text_layer_problems

LANGUAGES_KEPT = 4  # leaflet/language pairs whose catalogs a builder keeps
THUMBNAILS = "thumbnails"  # under the output folder: page 1 of each edition, for the index


@dataclass(frozen=True)
class EditionResult:
    edition: Edition
    path: Path | None = None  # set when the PDF was written
    pages: int = 0
    size: int = 0
    review: EditionReview | None = None
    problems: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()  # shown, but do not fail the edition (draft fallbacks, missing clinic text)
    sha256: str = ""
    text: str = ""  # fingerprint of what it says (see pipeline/currency.py)
    checks: dict = field(default_factory=dict)  # Clear Print figures and the structure checks, for the manifest
    draft: bool = False  # a proof copy with the DRAFT mark: never for patients
    companions: tuple[str, ...] = ()  # other files written with it, relative to the output folder
    seconds: float = 0.0  # time to build it (0 when skipped)
    skipped: bool = False  # up to date: inputs unchanged since the recorded build
    companion_sha256: dict = field(default_factory=dict)  # the web page's and email draft's, as written
    title: str = ""  # in the edition's language, for mail merges (the manifest)
    summary: str = ""

    @property
    def ok(self) -> bool:
        return self.path is not None

    @property
    def review_label(self) -> str:
        return self.review.label if self.review else ""


@dataclass
class BuildTools:
    """What a process keeps between editions: templates, fonts and WeasyPrint's caches."""

    environment: object
    fonts: FontLibrary
    layout: object
    cut_sheets: dict = field(default_factory=dict)

    def cut_sheet(self, size_mm: tuple[float, float]) -> bytes:
        if size_mm not in self.cut_sheets:
            from leafletpress.render.impose import cut_line_sheet

            self.cut_sheets[size_mm] = cut_line_sheet(*size_mm)
        return self.cut_sheets[size_mm]

    @classmethod
    def create(cls, project: Project, environment=None) -> "BuildTools":
        from leafletpress.render.layout import LayoutTools  # imported late: planning needs no WeasyPrint

        return cls(
            environment=environment or template_environment(project.templates_dir),
            fonts=FontLibrary(load_preferences(project.templates_dir / "fonts.toml")),
            layout=LayoutTools(),
        )


class EditionBuilder:
    """Builds editions one after another in one process, keeping tools and catalogs between them."""

    def __init__(self, project: Project, request: BuildRequest, tools: BuildTools | None = None):
        self.project = project
        self.request = request
        self.tools = tools or BuildTools.create(project)
        # The catalogs and translation of the last few leaflet/language pairs (the same for every
        # format): editions come in plan order, so a few suffice, and memory stays flat however
        # many editions a worker makes.
        self.catalogs: OrderedDict[tuple[str, str], LanguageCatalogs] = OrderedDict()
        self.translations: OrderedDict[tuple[str, str], Translation] = OrderedDict()

    def build_group(self, tasks: list[tuple[Edition, Sources]]) -> list[EditionResult]:
        """Editions made from the same pages, one after another: an A5 is laid out once and its
        two-up sheet imposed from those pages (see `rendered_together` in pipeline/build.py)."""
        laid_out: dict[str, LaidOutPages] = {}
        return [self(task, laid_out) for task in tasks]

    def __call__(self, task: tuple[Edition, Sources], laid_out: dict[str, "LaidOutPages"] | None = None) -> EditionResult:
        edition, sources = task
        key = (edition.leaflet.id, edition.language.tag)
        if key not in self.catalogs:
            self.catalogs[key] = load_language_catalogs(
                self.project.locales_dir, edition.leaflet.id, edition.language, TEMPLATE_DOMAIN
            )
        for cache in (self.catalogs, self.translations):
            if key in cache:
                cache.move_to_end(key)
            while len(cache) > LANGUAGES_KEPT:
                cache.popitem(last=False)
        started = time.perf_counter()
        try:
            if key not in self.translations:
                self.translations[key] = translate_edition(
                    edition.leaflet, self.catalogs[key], edition.language, self.request.draft, self.request.clinic is not None
                )
            result = build_edition(
                self.project, edition, self.catalogs[key], self.request, self.tools, sources, self.translations[key], laid_out,
            )
        except Exception as error:  # a renderer bug must fail one edition, not the build
            detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            problem = Problem(f"the renderer failed ({detail}); check recent changes to the templates and CSS")
            result = EditionResult(edition, problems=(problem,))
        seconds = round(time.perf_counter() - started, 4)
        gc.collect()  # WeasyPrint's documents hold reference cycles: free each one now, not in bursts
        return replace(result, seconds=seconds)


def build_edition(
    project: Project, edition: Edition, catalogs: LanguageCatalogs, request: BuildRequest, tools: BuildTools, sources: Sources,
    translation: Translation | None = None, laid_out_before: dict[str, "LaidOutPages"] | None = None,
) -> EditionResult:
    """`laid_out_before`: pages made earlier in this group of editions, by their HTML."""
    if catalogs.problems:
        return EditionResult(edition, problems=catalogs.problems)
    # Translate, refusing what is unsafe to print (the same for every format of a language).
    if translation is None:
        translation = translate_edition(edition.leaflet, catalogs, edition.language, request.draft, request.clinic is not None)
    notes = tuple(problem for problem in translation.problems if not problem.is_error)
    if translation.refused:
        return EditionResult(edition, problems=tuple(errors(translation.problems)), notes=notes)
    review, review_notes = edition_review(project.root, edition.leaflet, edition.language, catalogs)
    notes += tuple(Problem(note, severity=WARNING) for note in review_notes) + clinic_notes(request.clinic, edition)
    # Render the HTML, in the fonts of the language's script.
    try:
        stacks = [tools.fonts.stack(edition.language), tools.fonts.stack(parse_language(SOURCE_LANGUAGE))]
    except FontError as error:
        return EditionResult(edition, problems=error.problems, notes=notes)
    draft = request.draft or translation.english_fallbacks > 0

    def html_for(keep_lists: bool) -> tuple[dict, str]:
        context = page_context(
            edition, translation.texts, review, draft=draft, clinic=request.clinic, keep_lists=keep_lists,
            font_css="\n".join(stack.css() for stack in reversed(stacks)), publisher=project.settings.publisher,
        )
        return context, render_html(tools.environment, context)

    context, html = html_for(keep_lists=True)
    # Check every character has a glyph in the edition's fonts.
    missing = tools.fonts.missing(printed_text(html), stacks[0])
    if missing:
        problem = Problem(f"no glyph in {' or '.join(stacks[0].families)} for {', '.join(missing[:20])}")
        return EditionResult(edition, problems=(problem,), notes=notes)
    # Lay out and check the pages, or take those of the edition just made from the same HTML
    # (an A5 and its two-up sheet): they are the same pages, laid out once.
    key = html
    made = (laid_out_before or {}).get(key) or checked_pages(project, edition, request, tools, translation, html_for, context, html)
    if made.problems:
        return EditionResult(edition, pages=made.pages, problems=made.problems, notes=notes)
    if laid_out_before is not None:
        laid_out_before[key] = made
    context, html, pages, pdf = made.context, made.html, made.pages, made.pdf
    page_format = edition.format
    if page_format.imposed:
        from leafletpress.render.impose import impose_two_up

        pdf = impose_two_up(
            pdf, tools.cut_sheet(page_format.sheet_mm), title=context["title"],
            author=context["publisher"], subject=context["subject"], lang=edition.language.tag,
        )
    pdf = finish_pdf(pdf, review_metadata(review), tagged=not page_format.imposed, marks=edition.marks)
    # Measure what was made against Clear Print and PDF/UA; refuse what a reader could not use.
    checks, problems = standards(pdf, page_format, pictures=html.count("<img "))
    if problems:
        return EditionResult(edition, pages=pages, problems=tuple(problems), notes=notes)
    # Write atomically, all or nothing: the last good files stay until the new ones are complete.
    path = request.out / edition.filename
    outputs = {path: pdf, thumbnail_path(request.out, edition.filename): thumbnail_png(pdf)}
    if request.html:
        outputs[path.with_suffix(".html")] = html.encode("utf-8")
    if makes_web_page(edition):
        from leafletpress.render.web_page import web_page, web_page_name

        families = [(stack_language.tag, stack.families) for stack_language, stack in ((edition.language, stacks[0]), (parse_language(SOURCE_LANGUAGE), stacks[1]))]
        page = web_page(tools.environment, context, project.templates_dir, families)
        outputs[request.out / web_page_name(edition.leaflet.id, edition.language.tag)] = page.encode("utf-8")
    if makes_email(edition, request):
        from leafletpress.render.email_draft import email_draft, email_name

        draft_bytes = email_draft(edition, translation.texts, request.clinic, pdf, review.notice_keys())
        outputs[request.out / email_name(edition.leaflet.id, edition.language.tag, edition.format_label)] = draft_bytes
    companions = tuple(str(target.relative_to(request.out)) for target in outputs if target != path)
    try:
        claim(request.out, [edition.filename, *companions])
        write_all_atomically(outputs)
    except OSError as error:
        problem = Problem(f"could not write {path} ({error.strerror or error}): free some disk space or choose another folder with --out")
        return EditionResult(edition, pages=pages, problems=(problem,), notes=notes)
    return EditionResult(
        edition, path=path, pages=pages, size=len(pdf), review=review, notes=notes,
        sha256=hashlib.sha256(pdf).hexdigest(), companions=companions,
        title=translation.texts[edition.title_msgid], summary=translation.texts[edition.leaflet.summary],
        companion_sha256={
            str(target.relative_to(request.out)): hashlib.sha256(data).hexdigest()
            for target, data in outputs.items() if target.suffix in (".html", ".eml") and target != path.with_suffix(".html")
        },
        text=text_fingerprint(edition.leaflet, printed_strings(edition.leaflet, catalogs), sources, review), checks=checks, draft=draft,
    )


@dataclass(frozen=True)
class LaidOutPages:
    """An edition's pages, laid out, checked and made into a PDF with its text layer checked;
    not yet imposed or finished. Or the problems that stopped them."""

    context: dict
    html: str
    pages: int = 0
    pdf: bytes = b""
    problems: tuple[Problem, ...] = ()


def checked_pages(project, edition, request, tools, translation, html_for, context, html) -> LaidOutPages:
    from leafletpress.render.layout import lay_out, lay_out_as_one_page, pdf_bytes

    # Lay out the pages, confined to the project's assets and the clinic's logo folder.
    roots = [project.templates_dir, *([request.clinic.assets_dir] if request.clinic and request.clinic.logo else [])]
    page_format = edition.format
    if page_format.one_page_mm:
        laid_out = lay_out_as_one_page(
            html, project.templates_dir, roots, tools.layout, page_format.width_mm, page_format.one_page_mm, page_format.bottom_margin_mm
        )
    else:
        laid_out = lay_out(html, project.templates_dir, roots, tools.layout)
    if laid_out.document is None or laid_out.problems:
        return LaidOutPages(context, html, problems=tuple(laid_out.problems))
    document = laid_out.document
    budget = edition.format.page_budget(edition.leaflet.page_budget)
    if len(document.pages) > budget:  # lists are kept whole only where the page budget allows
        split_context, split_html = html_for(keep_lists=False)
        split = lay_out(split_html, project.templates_dir, roots, tools.layout)
        if split.document is not None and not split.problems:
            context, html, document = split_context, split_html, split.document
    pages = len(document.pages)
    # Check the laid-out pages: budget, size, the warning section whole on one page.
    height_mm = document.pages[0].height * 25.4 / 96 if page_format.one_page_mm else page_format.height_mm
    problems = layout_problems(document, page_format.width_mm, height_mm, budget, edition.warning_anchor)
    if problems:
        return LaidOutPages(context, html, pages, problems=tuple(problems))
    # Make the PDF and check its text layer holds the whole warning, clinic number included.
    pdf = pdf_bytes(document, tools.layout)
    return LaidOutPages(context, html, pages, pdf, tuple(text_layer_problems(edition, pdf, translation.texts, request.clinic)))


SAFE_MARGIN_MM = 5.0  # office printers cannot print nearer the edge; nothing may come closer


def standards(pdf: bytes, page_format, pictures: int = 0) -> tuple[dict, list[Problem]]:
    """Clear Print sizes and the safe margin, measured; PDF/UA structure, checked (not for a
    two-up print sheet, which carries no structure: its A5 is the edition to read), with every
    picture of the page (`pictures`, counted in its HTML) a figure with its description."""
    from leafletpress.render.measure import measure
    from leafletpress.render.pdf_ua import check_structure

    figures = measure(pdf)
    problems = []
    if figures.closest and figures.closest.distance_mm < SAFE_MARGIN_MM:
        problems.append(Problem(f"{figures.closest.describe()}; nothing may come closer than {SAFE_MARGIN_MM:g} mm"))
    if figures.body_size_pt < page_format.min_body_pt:
        problems.append(Problem(f"the body text is {figures.body_size_pt:g} pt; Clear Print asks for {page_format.min_body_pt:g} pt or more"))
    if figures.smallest_size_pt < page_format.min_text_pt:
        problems.append(Problem(f"some text is {figures.smallest_size_pt:g} pt; nothing may be smaller than {page_format.min_text_pt:g} pt"))
    checks = {"clear_print": figures.as_dict()}
    if page_format.imposed:
        checks["structure"] = {"tagged": False, "note": "a print sheet: read the A5 edition"}
    else:
        report = check_structure(pdf)
        checks["structure"] = {"tagged": True, **report.as_dict()}
        problems += [Problem(f"PDF/UA: {problem}") for problem in report.problems]
        if len(report.figures) != pictures:
            problems.append(Problem(f"PDF/UA: the page shows {pictures} picture(s) but the tags hold {len(report.figures)} figure(s)"))
    return checks, problems


def clinic_notes(clinic: Clinic | None, edition: Edition) -> tuple[Problem, ...]:
    """Clinic text given in other languages but not in this edition's: left out of its box."""
    if clinic is None:
        return ()
    languages = [edition.language.tag] + (["en"] if edition.bilingual else [])
    return tuple(
        Problem(f"{clinic.source.name}: {field_name} is not given in {tag}; left out of the {tag} warning box", severity=WARNING)
        for field_name in LANGUAGE_FIELDS
        for tag in languages
        if clinic.lacks(field_name, tag)
    )


def thumbnail_path(out: Path, pdf_name: str) -> Path:
    return out / THUMBNAILS / f"{Path(pdf_name).stem}.png"


def thumbnail_png(pdf: bytes) -> bytes:
    from leafletpress.render.thumbnail import thumbnail_png as render

    return render(pdf)
