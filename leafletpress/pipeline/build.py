"""The build: plan → skip what is up to date → render the rest (in worker processes) → publish.

One edition's own pipeline (translate → render → lay out → check → write) is
`leafletpress.pipeline.edition.build_edition`.
"""

from __future__ import annotations

import importlib
import os
import signal
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import replace, dataclass, field

from leafletpress.core.locks import exclusive_lock
from leafletpress.core.problems import LeafletPressError, Problem
from leafletpress.inputs.fonts import FontLibrary, load_preferences
from leafletpress.inputs.project import Project
from leafletpress.pipeline.edition import BuildTools, EditionBuilder, EditionResult, thumbnail_path
from leafletpress.pipeline.folder import (
    check_foreign_files,
    check_output_folder,
    check_subfolders,
    foreign_targets,
    prepare_output_folder,
    remove_stale_temp_files,
)
from leafletpress.pipeline.plan import BuildRequest, NotTranslated, companion_names, Plan, expected_cost, plan_build, render_group_key, select_formats
from leafletpress.pipeline.publish import Published, move_out_of_date, publish
from leafletpress.pipeline.record import Record, read_record
from leafletpress.pipeline.workers import run_in_workers
from leafletpress.render.html import INDEX_TEMPLATE, TEMPLATE_NAME, template_environment

REQUIRED_TEMPLATES = (TEMPLATE_NAME, "print.css", "fonts.toml", INDEX_TEMPLATE)


class TemplateError(LeafletPressError):
    """A template file is missing or cannot be parsed: no edition can be built."""


@dataclass
class BuildResult:
    editions: list[EditionResult] = field(default_factory=list)
    leaflet_problems: list[Problem] = field(default_factory=list)
    published: Published = field(default_factory=Published)
    not_translated: list[NotTranslated] = field(default_factory=list)  # not meant to be made yet: not failures

    @property
    def ok(self) -> bool:
        return not self.leaflet_problems and all(result is not None and result.ok for result in self.editions)


def build(
    project: Project,
    request: BuildRequest,
    tools: BuildTools | None = None,
    on_result: Callable[[int, int, EditionResult], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build every requested edition; one failing edition never stops the others.

    `on_result(index, total, result)` is called as each edition finishes, in finishing order;
    `BuildResult.editions` is in plan order (leaflet, language, format) whatever that order.
    """
    check_templates(project, request)
    check_output_folder(project, request.out)
    prepare_output_folder(request.out)
    with exclusive_lock(request.out, "build", note=on_note):
        out = request.out
        check_subfolders(out)
        remove_stale_temp_files(out)
        record = read_record(out)
        check_foreign_files(out, record)
        # Plan: the editions, and a fingerprint of everything each one is made from.
        fonts = tools.fonts if tools else FontLibrary(load_preferences(project.templates_dir / "fonts.toml"))
        plan = plan_build(project, request, fonts)
        results: list[EditionResult | None] = [None] * len(plan.editions)
        # One template environment for the build: each template is compiled once, here, and
        # forked workers inherit it.
        environment = tools.environment if tools else template_environment(project.templates_dir)

        def finished(index: int, result: EditionResult) -> None:
            results[index] = result
            if on_result:
                on_result(index, len(plan.editions), result)

        # Skip editions whose inputs and output are unchanged; refuse to overwrite files not ours.
        todo = []
        for index, result in enumerate(before_rendering(plan, record, request)):
            if result is None:
                todo.append(index)
            else:
                finished(index, result)
        moved: list[tuple[str, str]] = []
        try:
            # An edition changed by another program (annotated, signed, "fixed") is kept, not overwritten.
            moved += set_aside_changed(out, record, [plan.editions[index].filename for index in todo], plan.hasher)
            # Render the rest: here, or in worker processes with a time and memory limit each.
            if todo:
                check_template_syntax(environment)
                render(project, request, plan, todo, tools, environment, finished)
        finally:
            # Publish: the record, out-of-date editions moved aside, the manifest, the index. A second
            # Ctrl-C waits until the folder is consistent again (it takes a fraction of a second).
            with interrupts_deferred():
                remove_stale_temp_files(out)
                published = publish(project, out, plan, results, record, request.clinic, request.draft, plan.hasher, environment)
                published.moved[:0] = moved
        return BuildResult(editions=results, leaflet_problems=plan.leaflet_problems, published=published, not_translated=plan.not_translated)


@contextmanager
def interrupts_deferred():
    """Hold SIGINT and SIGTERM while the output folder is made consistent; deliver them after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {number: signal.signal(number, lambda signum, frame: received.append(signum)) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if received:
            os.kill(os.getpid(), received[0])


def set_aside_changed(out, record: Record, names: list[str], hasher) -> list[tuple[str, str]]:
    """Editions about to be rebuilt whose file is no longer what the build wrote: moved to
    out-of-date/ first, so that nobody's changes are overwritten."""
    moved = []
    for name in names:
        recorded = record.editions.get(name)
        if recorded and (out / name).is_file() and hasher.file(out / name) != recorded.sha256:
            reason = "its bytes differ from what the build wrote (changed after the build, by hand or by another program)"
            move_out_of_date(out, record, name, reason)
            moved.append((name, reason))
    return moved


def before_rendering(plan: Plan, record: Record, request: BuildRequest) -> list[EditionResult | None]:
    """For each planned edition: its result when it is up to date or must be refused because a file
    of someone else's is in its place; None when it is to be built."""
    found = []
    out = request.out
    for edition, inputs in zip(plan.editions, plan.inputs):
        recorded = record.editions.get(edition.filename)
        if (
            not request.force and recorded and recorded.inputs == inputs and plan.hasher.file(out / edition.filename) == recorded.sha256
            and companions_intact(out, recorded, plan.hasher)
        ):
            entry = recorded.entry
            found.append(EditionResult(
                edition, path=out / edition.filename, pages=entry["pages"], size=entry["bytes"], sha256=recorded.sha256,
                text=recorded.text, companions=tuple(recorded.companions), skipped=True, draft=bool(entry.get("draft", False)),
            ))
            continue
        targets = [edition.filename, str(thumbnail_path(out, edition.filename).relative_to(out))]
        if request.html:
            targets.append(edition.filename.removesuffix(".pdf") + ".html")
        targets += companion_names(edition, request)
        foreign = foreign_targets(out, record, targets)
        if foreign:
            problem = Problem(
                f"{out / foreign[0]} is already there and was not made by a build here (it is not in the build "
                "record): move it away, or choose another --out"
            )
            found.append(EditionResult(edition, problems=(problem,)))
            continue
        found.append(None)
    return found


def companions_intact(out, recorded, hasher) -> bool:
    """The web page and email draft made with an edition are still there, as written; otherwise the
    edition is made again, and they with it."""
    return all((out / name).is_file() and hasher.file(out / name) == digest for name, digest in recorded.companion_sha256.items())


def render(project: Project, request: BuildRequest, plan: Plan, todo: list[int], tools, environment, finished) -> None:
    """`environment` holds the templates compiled once, here; forked workers inherit them."""
    groups = rendered_together(plan, todo)
    tasks = [[(plan.editions[index], plan.sources[index]) for index in group] for group in groups]

    def group_finished(position: int, results: list[EditionResult]) -> None:
        for index, result in zip(groups[position], results):
            finished(index, replace(result, edition=plan.editions[index]))

    if not request.workers:
        builder = EditionBuilder(project, request, tools or BuildTools.create(project, environment))
        for position, task in enumerate(tasks):
            group_finished(position, builder.build_group(task))
        return
    importlib.import_module("weasyprint")  # imported once here, inherited by every forked worker
    order = sorted(range(len(groups)), key=lambda position: -sum(expected_cost(plan.editions[index]) for index in groups[position]))
    run_in_workers(
        request.workers,
        [tasks[position] for position in order],
        make_builder=lambda: results_without_editions(EditionBuilder(project, request, BuildTools.create(project, environment)).build_group),
        failure=lambda task, message: [EditionResult(edition, problems=(Problem(message),)) for edition, _ in task],
        on_result=lambda position, results: group_finished(order[position], results),
        limits=request.limits,
    )


def results_without_editions(build_group):
    """A worker sends results back without their edition, which the parent already has: pickled,
    an edition carries its leaflet and its language's CLDR data (140 KB), and the parent would keep
    a copy for every edition of the build."""
    return lambda tasks: [replace(result, edition=None) for result in build_group(tasks)]


def rendered_together(plan: Plan, todo: list[int]) -> list[list[int]]:
    """The editions to render, in groups rendered one after another in one process: an edition
    with the imposed formats made from its pages (an A5 and its A5-2up), so the pages are laid out
    once. Every other edition is a group of its own."""
    groups: dict[tuple, list[int]] = {}
    for index in todo:
        groups.setdefault(render_group_key(plan.editions[index]), []).append(index)
    return [sorted(group, key=lambda index: plan.editions[index].format.imposed) for group in groups.values()]


def check_template_syntax(environment) -> None:
    """Compile the templates: a syntax error stops the build before any edition is rendered."""
    import jinja2

    for name in (TEMPLATE_NAME, INDEX_TEMPLATE):
        try:
            environment.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(Problem(f"template error: {error.message}", path=error.filename, line=error.lineno)) from None
        except jinja2.TemplateNotFound as error:
            raise TemplateError(f"template {error.message} cannot be used: restore it (git checkout templates/)") from None


def check_templates(project: Project, request: BuildRequest) -> None:
    formats = select_formats(request.formats, request.marks, project.settings.formats)
    names = [*REQUIRED_TEMPLATES, *(page_format.stylesheet for page_format in formats)]
    for name in dict.fromkeys(names):
        if not (project.templates_dir / name).is_file():
            raise TemplateError(f"template file {project.templates_dir / name} is missing: restore it (git checkout templates/)")
