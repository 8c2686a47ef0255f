"""The command line: parse arguments, call the pure functions, print, set the exit code.

Exit codes: 0 all done; 1 some edition or catalog failed (the rest were still done); 2 usage errors
or a command that cannot start; 130 interrupted (Ctrl-C), 143 stopped (SIGTERM).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from leafletpress import __version__
from leafletpress.core.atomic import ChangedMeanwhile, replace_if_unchanged, write_all_atomically, write_atomically
from leafletpress.core.locks import exclusive_lock
from leafletpress.core.problems import LeafletPressError, UsageError
from leafletpress.i18n.catalogs import catalog_path
from leafletpress.inputs.clinic import ClinicError, load_clinic
from leafletpress.inputs.fonts import FontLibrary, load_preferences
from leafletpress.inputs.languages import parse_language
from leafletpress.inputs.leaflet import LeafletError, load_leaflet
from leafletpress.inputs.project import Project, find_project
from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest
from leafletpress.report import BuildReport, after_build_lines

COMMANDS = ("build", "extract", "init", "update", "status", "check", "review", "review-packet", "export", "import", "watch", "merge", "email")

DESCRIPTION = """\
Build printable patient leaflets (PDF) from leaflets/*.toml and the gettext catalogs in locales/.

With no command, builds every leaflet x language x format into build/leaflets/ as
<leaflet>_<lang>_<format>.pdf (with <leaflet>_<lang>.html, the accessible web page, and
<leaflet>_<lang>.eml, an email draft), in parallel, skipping editions whose inputs have not changed since
the last build (use --force to rebuild them). An edition whose warning section is not fully
translated, or that fails any check, is not written; the others still are. An edition that no
longer says what today's leaflet and translations say is moved to build/leaflets/out-of-date/.
build/leaflets/manifest.json lists every PDF.

commands:
  build                build editions (the default)
  extract              write locales/<domain>.pot from the leaflets and the template's words
  init LANG            start catalogs for a new language (BCP 47 tag: es, pt-BR, zh-Hans)
  update               merge the .pot files into every catalog, keeping every translation
  status [--lang L]    translation and clinical review state per leaflet and language (80 columns)
  check                the translator's pre-flight: file:line: problem
  review LANG --by N   record a clinician's sign-off of a language's text (en: the content)
  review-packet LANG   the PDF a clinical reviewer works through before signing off
  export LANG --xliff DIR   XLIFF 1.2 files of a language's catalogs for a translation agency
  import FILE...       bring an agency's XLIFF back into the catalogs, checked like `check`
  watch                rebuild what a saved file affects and serve the output on 127.0.0.1
  merge DIR... --out D one folder, manifest and index from the folders of a sharded build (--shard I/N)
  email --lang L       an unsent email draft (.eml) with the phone edition attached and the warning
                       box in the message itself, in the language and in English

exit codes: 0 done; 1 an edition or catalog failed (the rest were still done); 2 usage error,
or the command could not start (unwritable output folder, missing template, another build
running); 130 interrupted. Add --debug anywhere to see a Python traceback instead of one line.
"""


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is a UsageError in words: one line, exit 2, no usage dump."""

    def error(self, message: str):
        command = self.prog.split()[-1] if " " in self.prog else ""
        raise UsageError(f"{in_words(message)} (see `make_leaflets.py {command} --help`)".replace("  ", " "))


def in_words(message: str) -> str:
    """argparse's messages, as a person would say them."""
    required = re.fullmatch(r"the following arguments are required: (.+)", message)
    if required:
        names = required.group(1).split(", ")
        return f"{' and '.join(names)} {'is' if len(names) == 1 else 'are'} required"
    argument = re.fullmatch(r"argument ([^:]+): (.+)", message)
    if argument:
        name, problem = argument.group(1).split("/")[-1], argument.group(2)
        if problem == "expected one argument":
            return f"{name} needs a value"
        invalid = re.fullmatch(r"invalid choice: (.+?) \(choose from (.+)\)", problem)
        if invalid:
            return f"{name}: {invalid.group(1)} is not one of {invalid.group(2)}"
        return f"{name}: {problem}"
    return message


def unknown_arguments(extras: list[str], command: str, parser: argparse.ArgumentParser) -> UsageError:
    """'--lnag' -> "unknown option --lnag for build. Did you mean --lang?"."""
    import difflib

    options = sorted(option for action in parser._actions for option in action.option_strings)
    first = extras[0]
    if first.startswith("-"):
        name = first.split("=", 1)[0]
        close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]}?" if close else f" Options: {', '.join(options)}"
        return UsageError(f"unknown option {name} for {command}.{hint}")
    return UsageError(f"unexpected {first!r} after {command} (see `make_leaflets.py {command} --help`)")


def unknown_command(word: str) -> UsageError:
    import difflib

    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
    hint = f" Did you mean '{close[0]}'?" if close else f" Commands: {', '.join(COMMANDS)}."
    try:
        hint += f" To build one language: `make_leaflets.py --lang {parse_language(word).tag}`."
    except UsageError:
        pass
    return UsageError(f"unknown command '{word}'.{hint} (see `make_leaflets.py --help`)")


class Stopped(BaseException):
    """SIGTERM: unwinds like Ctrl-C, so temporary files are removed and workers stopped."""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = [arg for arg in argv if arg != "--debug"]
    if argv[:1] == ["--version"]:
        print(f"make_leaflets.py (Leaflet Press) {__version__}")
        return 0
    if not argv or (argv[0] not in COMMANDS and argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]
    with stop_on_sigterm():
        try:
            if argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
                raise unknown_command(argv[0])
            parser, commands = _parser()
            args, extras = parser.parse_known_args(argv)
            if extras:
                raise unknown_arguments(extras, args.command, commands[args.command])
            project = find_project(Path.cwd())
            return args.run(project, args)
        except LeafletPressError as error:
            if debug:
                raise
            for problem in error.problems:
                print(f"error: {problem}", file=sys.stderr)
            return error.exit_code
        except KeyboardInterrupt:
            print("interrupted: stopped; files already written are complete, nothing half-written was left", file=sys.stderr)
            return 130
        except Stopped:
            print("stopped (SIGTERM); files already written are complete, nothing half-written was left", file=sys.stderr)
            return 143
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


@contextmanager
def stop_on_sigterm():
    def stop(signum, frame):
        raise Stopped()

    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield  # embedded in a program with its own handling: leave it alone
        return
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = Parser(prog="make_leaflets.py", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"make_leaflets.py (Leaflet Press) {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="command", parser_class=Parser)

    build_parser = commands.add_parser("build", help="build editions (default)", description="Build editions.")
    _add_edition_options(build_parser)
    build_parser.add_argument("--marks", action="store_true", help="crop marks and 3 mm bleed for a print shop (files end -marks.pdf)")
    build_parser.add_argument("--force", action="store_true", help="rebuild editions whose inputs have not changed")
    build_parser.add_argument(
        "--shard", type=_shard, metavar="I/N",
        help="build only part I of N (balanced, the same on every machine), e.g. one job of a CI matrix; "
        "combine the parts with `make_leaflets.py merge`",
    )
    build_parser.set_defaults(run=run_build)

    email_parser = commands.add_parser(
        "email", help="a ready-to-send email draft with the leaflet attached",
        description="Build one edition (the phone edition unless --format says otherwise) and write "
        "<leaflet>_<lang>.eml beside it: an unsent draft with no recipient, the title as subject, a short "
        "message in the language and in English with the warning box in full and the clinic's number, "
        "and the PDF attached. Refused when the edition is refused.",
    )
    email_parser.add_argument("--lang", required=True, metavar="TAG", help="the patient's language, e.g. so")
    email_parser.add_argument("--leaflet", action="append", default=[], metavar="ID", help="only this leaflet (default: every leaflet)")
    email_parser.add_argument("--clinic", type=Path, metavar="FILE", help="the clinic that sends it: its name and number go in the email")
    email_parser.add_argument("--format", default="phone", metavar="NAME", help="the edition attached (default: phone)")
    email_parser.add_argument("--out", type=_folder, metavar="DIR", help="output folder (default: build/leaflets)")
    email_parser.set_defaults(run=run_email)

    commands.add_parser("extract", help="write the .pot templates").set_defaults(run=run_extract)

    init_parser = commands.add_parser("init", help="start catalogs for a new language")
    init_parser.add_argument("lang", metavar="LANG")
    init_parser.set_defaults(run=run_init)

    commands.add_parser("update", help="merge .pot files into every catalog").set_defaults(run=run_update)

    status_parser = commands.add_parser("status", help="translation and review state")
    status_parser.add_argument("--lang", metavar="TAG", help="one language, with the strings changed since its sign-off and the fuzzy ones")
    status_parser.add_argument("--leaflet", action="append", default=[], metavar="ID", help="only this leaflet (repeatable)")
    status_parser.add_argument("--json", action="store_true", help="machine-readable output")
    status_parser.add_argument(
        "--languages", action="store_true",
        help="the table of languages (script, font, direction, numerals, review state) that README.md holds",
    )
    status_parser.set_defaults(run=run_status)

    check_parser = commands.add_parser("check", help="the translator's pre-flight")
    check_parser.add_argument("--lang", action="append", default=[], metavar="TAG")
    check_parser.set_defaults(run=run_check)

    review_parser = commands.add_parser(
        "review", help="record a clinician's sign-off",
        description="Record that a clinician checked the text of a language (en: the English content). "
        "Refused while any string is untranslated, fuzzy or fails a check.",
    )
    review_parser.add_argument("lang", metavar="LANG")
    review_parser.add_argument("--by", required=True, metavar="NAME", help='the clinician, e.g. "Dr Ana García, consultant obstetrician"')
    review_parser.add_argument("--date", type=_date, default=None, metavar="YYYY-MM-DD", help="the day of the review (default: today)")
    review_parser.add_argument("--leaflet", action="append", default=[], metavar="ID", help="only this leaflet (repeatable)")
    review_parser.add_argument("--code", type=_code, metavar="CODE", help="the sign-off code printed on the review packet: refused if the text changed since")
    review_parser.set_defaults(run=run_review)

    packet_parser = commands.add_parser("review-packet", help="the PDF a clinical reviewer works through")
    packet_parser.add_argument("lang", metavar="LANG")
    packet_parser.add_argument("--leaflet", action="append", default=[], metavar="ID", help="only this leaflet (repeatable)")
    packet_parser.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: build/review-packets)")
    packet_parser.set_defaults(run=run_review_packet)

    watch_parser = commands.add_parser(
        "watch", help="build, then rebuild on every save and serve the PDFs to a browser",
        description="Build as `build` does, then watch leaflets/, locales/, templates/ and reviews/ (and the clinic "
        "file) and rebuild the editions a save affects. The output folder is served on 127.0.0.1 only; its index "
        "page reloads itself after each rebuild. A failed build is reported and watching goes on. Ctrl-C stops it.",
    )
    _add_edition_options(watch_parser)
    watch_parser.add_argument("--port", type=int, default=8000, metavar="N", help="serve on http://127.0.0.1:N/ (default: 8000; 0: any free port)")
    watch_parser.set_defaults(run=run_watch)

    export_parser = commands.add_parser(
        "export", help="XLIFF 1.2 files of a language's catalogs, for a translation agency",
        description="Write one XLIFF 1.2 file per catalog of LANG (each leaflet's and the template's words) "
        "for a translation agency's tool (Trados, memoQ, Phrase), and the language's glossary beside them "
        "(glossary_LANG.tbx, TBX-Basic); bring their work back with `import`.",
    )
    export_parser.add_argument("lang", metavar="LANG")
    export_parser.add_argument("--xliff", required=True, type=_folder, metavar="DIR", help="folder for the .xlf files and the glossary")
    export_parser.set_defaults(run=run_export)

    import_parser = commands.add_parser(
        "import", help="bring an agency's XLIFF files back into the catalogs",
        description="Import XLIFF files made by `export` and returned by a translation agency: only "
        "translations and their state change; a file for another language or other English, or with a "
        "translation that fails the checks of `check`, is refused whole.",
    )
    import_parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    import_parser.set_defaults(run=run_import)
    merge_parser = commands.add_parser(
        "merge", help="one folder from the folders of a sharded build",
        description="Copy the editions of each shard's output folder (built with --shard I/N) into one folder "
        "and write one manifest and index; a shard folder whose files changed since its build is refused.",
    )
    merge_parser.add_argument("folders", nargs="+", type=Path, metavar="DIR", help="the shards' output folders")
    merge_parser.add_argument("--out", type=_folder, metavar="DIR", help="the merged folder (default: build/leaflets)")
    merge_parser.set_defaults(run=run_merge)
    return parser, commands.choices


def _add_edition_options(parser: argparse.ArgumentParser) -> None:
    """The options that choose and shape editions, the same for `build` and `watch`."""
    parser.add_argument("--leaflet", action="append", default=[], metavar="ID", help="only this leaflet (repeatable)")
    parser.add_argument("--lang", action="append", default=[], metavar="TAG", help="only this language, e.g. es (repeatable)")
    parser.add_argument(
        "--format", action="append", default=[], metavar="NAME",
        help="only this format (repeatable): A4, A5, A4-large (large print), A5-2up (two A5 pages on "
        "A4 landscape, to cut), A4-bilingual, easy-read (Easy Read, picture beside each sentence), phone "
        "(one 90 mm wide page, for screens); default: the project's formats",
    )
    parser.add_argument(
        "--clinic", type=Path, metavar="FILE",
        help="clinic details (TOML: name, phone, phone_hours, note, website, logo, online_url) printed in every warning box; "
        "see examples/clinic/clinic.toml",
    )
    parser.add_argument("--out", type=_folder, metavar="DIR", help="output folder (default: build/leaflets)")
    parser.add_argument(
        "--draft",
        action="store_true",
        help="build even with untranslated or fuzzy strings outside the warning box: English "
        "fallback and a 'DRAFT - not for patient use' mark on every page",
    )
    parser.add_argument(
        "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
        help="render in N worker processes (default: one per core, here %(default)s)",
    )


def _clinic(args):
    from leafletpress.i18n.clinic_text import check_clinic_text

    try:
        clinic = load_clinic(args.clinic) if args.clinic else None
        check_clinic_text(clinic)
    except ClinicError as error:
        raise ClinicError(error.path, error.field_name, f"{error.problems[0].message}; nothing was built") from None
    return clinic


def run_email(project: Project, args) -> int:
    """The email command is a build of one edition per leaflet whose format is the one emailed."""
    from leafletpress.inputs.formats import FORMATS
    from leafletpress.pipeline.plan import select_formats
    from leafletpress.render.email_draft import email_name

    page_format = select_formats((args.format,))[0]
    if page_format.imposed or page_format.bilingual:
        names = ", ".join(name for name, found in FORMATS.items() if not found.imposed and not found.bilingual)
        raise UsageError(f"an email attaches an edition a patient reads on her own: choose one of {names}")
    language = parse_language(args.lang)
    out = Path(args.out if args.out is not None else project.default_out).resolve()
    started = time.perf_counter()
    request = BuildRequest(
        out=out, leaflets=tuple(args.leaflet), languages=(language.tag,), formats=(page_format.name,), clinic=_clinic(args),
        workers=1, email_format=page_format.name,
    )
    with BuildReport(_display) as report:
        result = build(project, request, on_result=report, on_note=lambda note: print(f"note: {note}"))
    for line in after_build_lines(result, request.out, _display, time.perf_counter() - started):
        print(line)
    written = [edition for edition in result.editions if edition.ok]
    for edition in written:
        print(f"email   {_display(out / email_name(edition.edition.leaflet.id, language.tag, edition.edition.format_label))}")
    if not result.editions:
        print(f"no edition to email: no leaflet has a {page_format.name} edition in {language.tag}")
    return 0 if result.ok and written else 1


def run_build(project: Project, args) -> int:
    started = time.perf_counter()
    clinic = _clinic(args)
    out = args.out if args.out is not None else project.default_out
    request = BuildRequest(
        out=Path(out).resolve(),
        leaflets=tuple(args.leaflet),
        languages=tuple(args.lang),
        formats=tuple(args.format),
        draft=args.draft,
        clinic=clinic,
        marks=args.marks,
        workers=args.jobs,
        force=args.force,
        shard=args.shard,
    )
    with BuildReport(_display) as report:
        result = build(project, request, on_result=report, on_note=lambda note: print(f"note: {note}"))
    for line in after_build_lines(result, request.out, _display, time.perf_counter() - started):
        print(line)
    return 0 if result.ok else 1


def run_extract(project: Project, args) -> int:
    from leafletpress.i18n import workflow

    with locales_held(project, "catalog command"):
        for domain in workflow.domains(project):
            path = workflow.pot_path(project, domain.name)
            write_atomically(path, workflow.template_bytes(domain))
            print(f"wrote {_display(path)} ({sum(1 for m in domain.template if m.id)} strings)")
    return 0


@contextmanager
def locales_held(project: Project, what: str):
    """Catalog commands hold locales/ as builds hold their output folder: one at a time."""
    project.locales_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(project.locales_dir, what, note=lambda note: print(f"note: {note}")):
        yield


def run_init(project: Project, args) -> int:
    from leafletpress.i18n import workflow

    language = parse_language(args.lang)
    if language.is_source:
        raise UsageError("English is the source language; it has no catalog")
    created = 0
    with locales_held(project, "catalog command"):
        for domain in workflow.domains(project):
            path = catalog_path(project.locales_dir, language, domain.name)
            if path.exists() or path.is_symlink():
                print(f"kept  {_display(path)} (already exists; use `update` to merge new strings)")
                continue
            write_atomically(path, workflow.new_catalog_bytes(domain, language))
            created += 1
            print(f"wrote {_display(path)}")
    print(f"{language.tag} ({language.native_name}, {language.english_name}): {created} catalog(s) created")
    return 0


def run_update(project: Project, args) -> int:
    from leafletpress.i18n import workflow

    failed = 0
    with locales_held(project, "catalog command"):
        for domain in workflow.domains(project):
            write_atomically(workflow.pot_path(project, domain.name), workflow.template_bytes(domain))
            for language in project.languages()[1:]:
                path = catalog_path(project.locales_dir, language, domain.name)
                if not path.exists() and not path.is_symlink():
                    print(f"missing {_display(path)}: run `make_leaflets.py init {language.tag}`")
                    continue
                result = workflow.updated_catalog(path, language, domain)
                if result.new is None:
                    failed += 1
                    for problem in result.problems:
                        print(f"refused {problem}")
                    continue
                if result.unchanged:
                    print(f"unchanged {_display(path)}")
                    continue
                try:
                    replace_if_unchanged(path, result.old, result.new)
                except ChangedMeanwhile as error:
                    failed += 1
                    print(f"refused {error}")
                    continue
                print(
                    f"updated {_display(path)}: {result.added} new, {result.changed} changed (fuzzy), "
                    f"{result.obsoleted} obsolete"
                )
    return 1 if failed else 0


def _leaflets(project: Project, wanted: list[str]):
    from leafletpress.pipeline.plan import select_leaflet_paths

    return [load_leaflet(path) for path in select_leaflet_paths(project, tuple(wanted))]


def run_status(project: Project, args) -> int:
    from leafletpress.i18n.status import leaflet_status
    from leafletpress.report import status_table

    if args.languages:
        return print_languages(project, args)

    rows = []
    for leaflet in _leaflets(project, args.leaflet):
        languages = {language.tag: language for language in project.languages()}
        languages.update({tag: parse_language(tag) for tag in leaflet.languages or () if tag not in languages})
        if args.lang:
            wanted = parse_language(args.lang)
            languages = {wanted.tag: wanted}
        rows += [leaflet_status(project.root, project.locales_dir, leaflet, language) for language in languages.values()]
    if args.json:
        print(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
        return 0
    print(status_table(rows, detail=bool(args.lang)))
    for leaflet in _leaflets(project, args.leaflet):
        if leaflet.easy_read:
            print(easy_read_line(leaflet))
    return 0


def print_languages(project: Project, args) -> int:
    from leafletpress.i18n.coverage import coverage, coverage_table
    from leafletpress.i18n.status import leaflet_status

    leaflets = _leaflets(project, args.leaflet)
    languages = project.languages()
    reviews: dict[str, list[str]] = {}
    for leaflet in leaflets:
        for language in languages:
            if language.is_source or leaflet.languages is None or language.tag in leaflet.languages:
                state = leaflet_status(project.root, project.locales_dir, leaflet, language).state
                reviews.setdefault(language.tag, []).append(f"{leaflet.id}: {state}")
    fonts = FontLibrary(load_preferences(project.templates_dir / "fonts.toml"))
    print(coverage_table(coverage(languages, fonts, {tag: "; ".join(states) for tag, states in reviews.items()})))
    return 0


def easy_read_line(leaflet) -> str:
    """The English Easy Read text measured: sentence count and length, Flesch-Kincaid grade."""
    from leafletpress.core.readability import flesch_kincaid_grade, longest_sentence_words
    from leafletpress.inputs.leaflet import EASY_READ_MAX_WORDS

    sentences = leaflet.easy_read.sentences()
    grade = flesch_kincaid_grade(" ".join(sentences))
    return (
        f"{leaflet.id} Easy Read (English): {len(sentences)} sentences, longest {longest_sentence_words(sentences)} words "
        f"(at most {EASY_READ_MAX_WORDS}),\n  Flesch-Kincaid grade {grade:.1f} (target 4 or lower)"
    )


def run_check(project: Project, args) -> int:
    from leafletpress.i18n.preflight import language_problems

    languages = project.languages()[1:]
    if args.lang:
        wanted = {parse_language(tag).tag for tag in args.lang}
        languages = [language for language in languages if language.tag in wanted]
        if len(languages) != len(wanted):
            raise UsageError(f"no catalogs for {', '.join(sorted(wanted - {l.tag for l in languages}))}")
    fonts = FontLibrary(load_preferences(project.templates_dir / "fonts.toml"))
    leaflets = _leaflets(project, [])
    errors = warnings = 0
    for leaflet in leaflets:
        if leaflet.past_review(dt.date.today()):
            from leafletpress.pipeline.plan import past_review_problem

            print(_display_problem(past_review_problem(leaflet)))
            errors += 1
    for folder, problem in project.misnamed_catalog_folders():
        print(f"{_display(folder)}: {problem}")
        errors += 1
    for language in languages:
        for problem in language_problems(project.locales_dir, leaflets, language, fonts):
            print(_display_problem(problem))
            errors += problem.is_error
            warnings += not problem.is_error
    print(f"{errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


MAX_SIGN_OFF_AGE_DAYS = 3 * 366  # the longest a leaflet may go between reviews


def run_review(project: Project, args) -> int:
    from leafletpress.i18n.catalogs import load_language_catalogs
    from leafletpress.i18n.preflight import leaflet_problems
    from leafletpress.i18n.review import (
        SignOff, printed_strings, reviewer_problem, sign_off_bytes, sign_off_path, unsignable,
    )
    from leafletpress.i18n.template_strings import TEMPLATE_DOMAIN

    language = parse_language(args.lang)
    problem = reviewer_problem(args.by)
    if problem:
        raise UsageError(f"--by {problem}")
    reviewer = " ".join(args.by.split())
    day = args.date or dt.date.today()
    if day > dt.date.today():
        raise UsageError(f"--date {day} is in the future: record a review on or after the day it happened")
    if day < dt.date.today() - dt.timedelta(days=MAX_SIGN_OFF_AGE_DAYS):
        raise UsageError(f"--date {day} is more than three years ago: a review that old is due again; review the text anew")
    if args.code is None:
        raise UsageError(
            f"give the sign-off code printed on the review packet with --code: a sign-off records exactly the text "
            f"the clinician checked (make the packet with `make_leaflets.py review-packet {args.lang}`)"
        )
    fonts = FontLibrary(load_preferences(project.templates_dir / "fonts.toml"))
    refused = 0
    with locales_held(project, "catalog command"):
        for leaflet in _leaflets(project, args.leaflet):
            catalogs = load_language_catalogs(project.locales_dir, leaflet.id, language, TEMPLATE_DOMAIN)
            strings = printed_strings(leaflet, catalogs)
            found = catalogs.problems or (() if language.is_source else leaflet_problems(leaflet, catalogs, language, fonts))
            reasons = unsignable(strings, found) if not language.is_source else []
            sign_off = SignOff(leaflet.id, language.tag, reviewer, day, strings)
            if not sign_off.fingerprint.startswith(args.code):
                reasons.append(f"the text changed since the review packet with code {args.code} was made: make a new packet")
            if reasons:
                refused += 1
                print(f"refused {leaflet.id} {language.tag}: a sign-off must cover a complete, checked text")
                for reason in reasons[:30]:
                    print(f"        {reason}")
                continue
            path = sign_off_path(project.root, leaflet.id, language)
            write_atomically(path, sign_off_bytes(sign_off, language.english_name))
            print(f"recorded the review of {leaflet.id} in {language.tag} by {reviewer} on {day} ({_display(path)})")
    return 1 if refused else 0


def run_review_packet(project: Project, args) -> int:
    from leafletpress.pipeline.review_packet import write_review_packets

    language = parse_language(args.lang)
    out = (args.out or project.root / "build" / "review-packets").resolve()
    for path, written in write_review_packets(project, language, _leaflets(project, args.leaflet), out):
        print(f"{'wrote' if written else 'unchanged'} {_display(path)}")
    return 0


def run_watch(project: Project, args) -> int:
    """Runs until Ctrl-C (KeyboardInterrupt: exit 130) or SIGTERM; a failed build does not stop it."""
    from leafletpress.i18n.clinic_text import check_clinic_text
    from leafletpress.preview import Preview

    clinic = load_clinic(args.clinic) if args.clinic else None
    check_clinic_text(clinic)
    out = args.out if args.out is not None else project.default_out
    request = BuildRequest(
        out=Path(out).resolve(), leaflets=tuple(args.leaflet), languages=tuple(args.lang), formats=tuple(args.format),
        draft=args.draft, clinic=clinic, workers=args.jobs,
    )
    Preview(project, request, port=args.port, display=_display).run()
    return 0


def run_export(project: Project, args) -> int:
    from leafletpress.i18n import xliff

    language = parse_language(args.lang)
    if language.is_source:
        raise UsageError("English is the source language: export a translation (es, zh-Hans…)")
    if language.tag not in {known.tag for known in project.languages()}:
        raise UsageError(f"no catalogs for {language.tag}; languages: {', '.join(l.tag for l in project.languages()[1:])}")
    folder = Path(args.xliff)
    blocking = next((path for path in (folder, *folder.parents) if os.path.lexists(path)), None)
    if blocking is not None and not blocking.is_dir():
        raise UsageError(f"--xliff {_display(folder)}: {_display(blocking)} is a file, not a folder: give the folder to write the .xlf files into")
    results = xliff.export_language(xliff.exchange_for(project), language)
    # A file already there (the agency's returned work, perhaps) is never overwritten: all or nothing.
    clashes = [folder / result.name for result in results if result.data is not None and _differs(folder / result.name, result.data)]
    if clashes:
        more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
        print(
            f"refused {_display(clashes[0])}{more}: already there and not what this export writes (an agency's returned "
            f"file?); nothing was written for {language.tag}: import it, move it away or export into another folder"
        )
        return 1
    refused, lines, writes = 0, [], {}
    for result in results:
        if result.data is None:
            refused += 1
            lines.append(f"refused {_display_problem(result.problems[0])}; nothing exported")
            continue
        path = folder / result.name
        counts = ", ".join(f"{count} {kind}" for kind, count in result.counts.items())
        if os.path.lexists(path):
            lines.append(f"unchanged {_display(path)} ({counts})")
        else:
            writes[path] = result.data
            lines.append(f"wrote {_display(path)} ({counts})")
    if writes:
        write_all_atomically(writes)
    for line in lines:
        print(line)
    return 1 if refused else 0


def _differs(path: Path, data: bytes) -> bool:
    """Whether `path` is there and is not a regular file holding exactly `data`."""
    if not os.path.lexists(path):
        return False
    if path.is_symlink() or not path.is_file():
        return True
    return path.stat().st_size != len(data) or path.read_bytes() != data


def run_import(project: Project, args) -> int:
    from leafletpress.i18n import xliff

    exchange = xliff.exchange_for(project, FontLibrary(load_preferences(project.templates_dir / "fonts.toml")))
    refused = 0
    with locales_held(project, "catalog command"):
        for file in args.files:
            result = xliff.import_file(exchange, file)
            if result.refused:
                refused += 1
                print(f"refused {result.problem}")
                for detail in result.details[:30]:
                    print(f"        {detail}")
                continue
            left = (
                f"; {result.without_translation} unit(s) without a translation were left as they are"
                if result.without_translation else ""
            )
            if result.unchanged:
                print(f"unchanged {_display(result.catalog)} ({_display(file)} brings no change{left})")
                continue
            try:
                replace_if_unchanged(result.catalog, result.old, result.new)
            except ChangedMeanwhile as error:
                refused += 1
                print(f"refused {error}")
                continue
            counts = ", ".join(f"{count} now {kind}" for kind, count in result.counts().items() if count)
            print(f"imported {_display(file)} into {_display(result.catalog)}: {len(result.changes)} string(s) changed ({counts}){left}")
    return 1 if refused else 0


def run_merge(project: Project, args) -> int:
    from leafletpress.pipeline.merge import merge_folders
    from leafletpress.render.html import template_environment

    out = (args.out if args.out is not None else project.default_out).resolve()
    merged = merge_folders(project, args.folders, out, template_environment(project.templates_dir))
    for note in merged.notes:
        print(f"note: {note}")
    print(f"merged {merged.editions} edition(s) ({merged.out_of_date} out of date) from {len(args.folders)} folder(s) into {_display(out)}")
    return 0


def _shard(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise argparse.ArgumentTypeError(f"'{text}' is not a part such as 1/3 (part I of N, 1 <= I <= N)")
    return int(match.group(1)), int(match.group(2))


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number (for example 2)") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _folder(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give the output folder")
    return Path(text)


def _code(text: str) -> str:
    code = text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", code):
        raise argparse.ArgumentTypeError(f"'{text}' is not a sign-off code: copy the 12 letters and digits printed on the review packet")
    return code


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date as YYYY-MM-DD (for example 2026-11-25)") from None


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
