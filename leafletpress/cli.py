"""The command line: parse arguments, call the pure functions, print, set the exit code.

Exit codes: 0 all done; 1 some edition or catalog failed (the rest were still done); 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from leafletpress.pipeline.atomic import write_atomically
from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest
from leafletpress.i18n.catalogs import CatalogError, catalog_path
from leafletpress.inputs.clinic import ClinicError, load_clinic
from leafletpress.inputs.fonts import FontLibrary, load_preferences
from leafletpress.inputs.languages import parse_language
from leafletpress.inputs.problems import LeafletPressError, UsageError
from leafletpress.inputs.project import Project, find_project
from leafletpress.report import BuildReport, summary

COMMANDS = ("build", "extract", "init", "update", "status", "check", "review")

DESCRIPTION = """\
Build printable patient leaflets (PDF) from leaflets/*.toml and the gettext catalogs in locales/.

With no command, builds every leaflet x language x format into build/leaflets/ as
<leaflet>_<lang>_<format>.pdf, in parallel, skipping editions whose inputs have not changed since
the last build (the record is build/leaflets/.leafletpress-build.json; delete it or use --force).
An edition whose warning section is not fully translated, or that fails any check, is not
written; the others still are. build/leaflets/manifest.json lists every PDF.

commands:
  build            build editions (the default)
  extract          write locales/<domain>.pot from the leaflets and the template's words
  init LANG        start catalogs for a new language (BCP 47 tag: es, pt-BR, zh-Hans)
  update           merge the .pot files into every catalog, keeping every translation
  status           translated / fuzzy / untranslated / review state per leaflet and language
  check            lint catalogs: file:line: problem
  review LANG      record a clinical review of a language's catalogs

exit codes: 0 done; 1 an edition or catalog failed (the rest were still done); 2 usage error,
or the build could not start (unwritable output folder, missing template, another build running).
Add --debug anywhere to see a Python traceback instead of a one-line error.
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]
    debug = "--debug" in argv
    argv = [arg for arg in argv if arg != "--debug"]
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        project = find_project(Path.cwd())
        return args.run(project, args)
    except LeafletPressError as error:
        if debug:
            raise
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return error.exit_code
    except OSError as error:
        if debug:
            raise
        print(f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except Exception as error:  # never a traceback for a clinic's staff; --debug shows it
        if debug:
            raise
        print(f"error: internal error ({type(error).__name__}: {error}); run again with --debug for details", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make_leaflets.py", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", metavar="command")

    build_parser = commands.add_parser("build", help="build editions (default)", description="Build editions.")
    build_parser.add_argument("--leaflet", action="append", default=[], metavar="ID", help="only this leaflet (repeatable)")
    build_parser.add_argument("--lang", action="append", default=[], metavar="TAG", help="only this language, e.g. es (repeatable)")
    build_parser.add_argument(
        "--format", action="append", default=[], metavar="NAME",
        help="only this format (repeatable): A4, A5, A4-large (large print), A5-2up (two A5 pages on "
        "A4 landscape, to cut); default: all four",
    )
    build_parser.add_argument(
        "--clinic", type=Path, metavar="FILE",
        help="clinic details (TOML: name, phone, phone_hours, website, logo) printed in every warning box; "
        "see examples/clinic/clinic.toml",
    )
    build_parser.add_argument("--marks", action="store_true", help="crop marks and 3 mm bleed for a print shop (files end -marks.pdf)")
    build_parser.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: build/leaflets)")
    build_parser.add_argument(
        "--draft",
        action="store_true",
        help="build even with untranslated or fuzzy strings outside the warning box: English "
        "fallback and a 'DRAFT - not for patient use' mark on every page",
    )
    build_parser.add_argument(
        "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
        help="render in N worker processes (default: one per core, here %(default)s)",
    )
    build_parser.add_argument("--force", action="store_true", help="rebuild editions whose inputs have not changed")
    build_parser.add_argument("--html", action="store_true", help="also write each edition's HTML beside its PDF")
    build_parser.set_defaults(run=run_build)

    commands.add_parser("extract", help="write the .pot templates").set_defaults(run=run_extract)

    init_parser = commands.add_parser("init", help="start catalogs for a new language")
    init_parser.add_argument("lang", metavar="LANG")
    init_parser.set_defaults(run=run_init)

    commands.add_parser("update", help="merge .pot files into every catalog").set_defaults(run=run_update)

    status_parser = commands.add_parser("status", help="translation and review state")
    status_parser.add_argument("--json", action="store_true", help="machine-readable output")
    status_parser.set_defaults(run=run_status)

    check_parser = commands.add_parser("check", help="lint catalogs")
    check_parser.add_argument("--lang", action="append", default=[], metavar="TAG")
    check_parser.set_defaults(run=run_check)

    review_parser = commands.add_parser("review", help="record a clinical review of a language")
    review_parser.add_argument("lang", metavar="LANG")
    review_parser.add_argument("--by", required=True, metavar="NAME", help="the clinician who checked it")
    review_parser.add_argument("--date", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    review_parser.set_defaults(run=run_review)
    return parser


def run_build(project: Project, args) -> int:
    started = time.perf_counter()
    try:
        clinic = load_clinic(args.clinic) if args.clinic else None
    except ClinicError as error:
        print(f"error: {error}; nothing was built", file=sys.stderr)
        return 2
    request = BuildRequest(
        out=(args.out or project.default_out).resolve(),
        leaflets=tuple(args.leaflet),
        languages=tuple(args.lang),
        formats=tuple(args.format),
        draft=args.draft,
        clinic=clinic,
        marks=args.marks,
        workers=args.jobs,
        force=args.force,
        html=args.html,
    )
    with BuildReport(_display) as report:
        result = build(project, request, on_result=report)
    for problem in result.leaflet_problems:
        print(f"FAILED  {problem}")
    print(summary(result, request.out, _display, time.perf_counter() - started))
    return 0 if result.ok else 1


def run_extract(project: Project, args) -> int:
    from leafletpress.i18n import workflow as workflow

    for domain in workflow.domains(project):
        path = workflow.pot_path(project, domain.name)
        write_atomically(path, workflow.template_bytes(domain))
        print(f"wrote {_display(path)} ({sum(1 for m in domain.template if m.id)} strings)")
    return 0


def run_init(project: Project, args) -> int:
    from leafletpress.i18n import workflow as workflow

    language = parse_language(args.lang)
    if language.is_source:
        raise UsageError("English is the source language; it has no catalog")
    created = 0
    for domain in workflow.domains(project):
        path = catalog_path(project.locales_dir, language, domain.name)
        if path.exists():
            print(f"kept  {_display(path)} (already exists; use `update` to merge new strings)")
            continue
        write_atomically(path, workflow.new_catalog_bytes(domain, language))
        created += 1
        print(f"wrote {_display(path)}")
    print(f"{language.tag} ({language.native_name}, {language.english_name}): {created} catalog(s) created")
    return 0


def run_update(project: Project, args) -> int:
    from leafletpress.i18n import workflow as workflow

    failed = 0
    for domain in workflow.domains(project):
        write_atomically(workflow.pot_path(project, domain.name), workflow.template_bytes(domain))
        for language in project.languages()[1:]:
            path = catalog_path(project.locales_dir, language, domain.name)
            if not path.exists():
                print(f"missing {_display(path)}: run `make_leaflets.py init {language.tag}`")
                continue
            result = workflow.updated_catalog(path, language, domain)
            if result.new is None:
                failed += 1
                for problem in result.problems:
                    print(f"refused {problem}")
                continue
            if result.new != path.read_bytes():
                write_atomically(path, result.new)
            print(
                f"updated {_display(path)}: {result.added} new, {result.changed} changed (fuzzy), "
                f"{result.obsoleted} obsolete"
            )
    return 1 if failed else 0


def run_status(project: Project, args) -> int:
    from leafletpress.i18n import workflow as workflow

    rows = [workflow.catalog_status(project, domain, language) for domain in workflow.domains(project) for language in project.languages()[1:]]
    if args.json:
        print(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Translation status")
    for column in ("domain", "language", "", "translated", "fuzzy", "untranslated", "review"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row.domain,
            row.language.tag,
            f"{row.language.native_name} ({row.language.english_name})",
            f"{row.translated}/{row.total} ({row.percent} %)",
            str(row.fuzzy),
            str(row.untranslated),
            row.review + (f" by {row.reviewer} on {row.review_date}" if row.reviewer else ""),
        )
    Console().print(table)
    return 0


def run_check(project: Project, args) -> int:
    from leafletpress.i18n import workflow as workflow

    languages = project.languages()[1:]
    if args.lang:
        wanted = {parse_language(tag).tag for tag in args.lang}
        languages = [language for language in languages if language.tag in wanted]
        if len(languages) != len(wanted):
            raise UsageError(f"no catalogs for {', '.join(sorted(wanted - {l.tag for l in languages}))}")
    errors = warnings = 0
    fonts = FontLibrary(load_preferences(project.templates_dir / "fonts.toml"))
    for domain in workflow.domains(project):
        for language in languages:
            for problem in workflow.check_catalog(catalog_path(project.locales_dir, language, domain.name), language, domain, fonts):
                print(f"{_display_problem(problem)}")
                errors += problem.is_error
                warnings += not problem.is_error
    print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def run_review(project: Project, args) -> int:
    from leafletpress.i18n import workflow as workflow

    language = parse_language(args.lang)
    day = args.date or dt.date.today()
    try:
        for domain in workflow.domains(project):
            path = catalog_path(project.locales_dir, language, domain.name)
            write_atomically(path, workflow.reviewed_catalog(path, language, domain, args.by, day))
            print(f"recorded review of {_display(path)} by {args.by} on {day}")
    except (CatalogError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _display(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _display_problem(problem) -> str:
    text = str(problem)
    if problem.path:
        text = text.replace(str(problem.path), _display(problem.path), 1)
    return text if problem.is_error else f"{text} (warning)"
