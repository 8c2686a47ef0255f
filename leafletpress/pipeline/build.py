"""The build: plan → skip what is up to date → render the rest (in worker processes) → publish.

One edition's own pipeline (translate → render → lay out → check → write) is
`leafletpress.pipeline.edition.build_edition`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from leafletpress.pipeline.edition import BuildTools, EditionBuilder, EditionResult
from leafletpress.pipeline.folder import exclusive_lock, prepare_output_folder, remove_stale_temp_files
from leafletpress.pipeline.plan import BuildRequest, Plan, expected_cost, plan_build, select_formats
from leafletpress.pipeline.publish import publish
from leafletpress.pipeline.record import is_up_to_date, read_record
from leafletpress.pipeline.workers import run_in_workers
from leafletpress.inputs.fonts import FontLibrary, load_preferences
from leafletpress.inputs.problems import LeafletPressError, Problem
from leafletpress.inputs.project import Project
from leafletpress.render.html import INDEX_TEMPLATE, TEMPLATE_NAME, template_environment

REQUIRED_TEMPLATES = (TEMPLATE_NAME, "print.css", "fonts.toml", INDEX_TEMPLATE)


class TemplateError(LeafletPressError):
    """A template file is missing or cannot be parsed: no edition can be built."""


@dataclass
class BuildResult:
    editions: list[EditionResult] = field(default_factory=list)
    leaflet_problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.leaflet_problems and all(result.ok for result in self.editions)


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
        out = request.out
        # Plan: the editions, and a fingerprint of everything each one is made from.
        fonts = tools.fonts if tools else FontLibrary(load_preferences(project.templates_dir / "fonts.toml"))
        plan = plan_build(project, request, fonts)
        remove_stale_temp_files(out)
        # Skip editions whose inputs and output are unchanged since the recorded build.
        record = {} if request.force else read_record(out)
        results: list[EditionResult | None] = [None] * len(plan.editions)

        def finished(index: int, result: EditionResult) -> None:
            results[index] = result
            if on_result:
                on_result(index, len(plan.editions), result)

        todo = []
        for index, result in enumerate(skipped(plan, record, request)):
            if result is None:
                todo.append(index)
            else:
                finished(index, result)
        # Render the rest: here, or in worker processes with a time and memory limit each.
        if todo:
            check_template_syntax(project)
            render(project, request, plan, todo, tools, finished)
        # Publish: the record, the manifest, thumbnails and the index.
        publish(project, out, results, plan.inputs, record, request.clinic)
        return BuildResult(editions=results, leaflet_problems=plan.leaflet_problems)


def skipped(plan: Plan, record: dict, request: BuildRequest) -> list[EditionResult | None]:
    """For each planned edition, its result when it is up to date (None when it must be built)."""
    found = []
    for edition, inputs in zip(plan.editions, plan.inputs):
        if is_up_to_date(record, request.out, edition.filename, inputs, plan.hasher):
            entry = record[edition.filename]
            found.append(EditionResult(
                edition, path=request.out / edition.filename, pages=entry["pages"], size=entry["bytes"],
                review=entry["review"], sha256=entry["sha256"], skipped=True,
            ))
        else:
            found.append(None)
    return found


def render(project: Project, request: BuildRequest, plan: Plan, todo: list[int], tools, finished) -> None:
    if not request.workers:
        builder = EditionBuilder(project, request, tools)
        for index in todo:
            finished(index, builder(plan.editions[index]))
        return
    importlib.import_module("weasyprint")  # imported once here, inherited by every forked worker
    todo = sorted(todo, key=lambda index: -expected_cost(plan.editions[index]))  # longest first: no straggler
    run_in_workers(
        request.workers,
        [plan.editions[index] for index in todo],
        make_builder=lambda: EditionBuilder(project, request),
        failure=lambda edition, message: EditionResult(edition, problems=(Problem(message),)),
        on_result=lambda position, result: finished(todo[position], result),
        limits=request.limits,
    )


def check_template_syntax(project: Project) -> None:
    import jinja2

    environment = template_environment(project.templates_dir)
    for name in (TEMPLATE_NAME, INDEX_TEMPLATE):
        try:
            environment.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(Problem(f"template error: {error.message}", path=error.filename, line=error.lineno)) from None


def check_templates(project: Project, request: BuildRequest) -> None:
    formats = select_formats(request.formats, request.marks, project.settings.formats)
    names = [*REQUIRED_TEMPLATES, *(page_format.stylesheet for page_format in formats)]
    for name in dict.fromkeys(names):
        if not (project.templates_dir / name).is_file():
            raise TemplateError(f"template file {project.templates_dir / name} is missing: restore it (git checkout templates/)")
