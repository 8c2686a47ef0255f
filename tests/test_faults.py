"""The catalogue of faults: bad input and bad luck, each with its expected outcome, all run.

Every row breaks one thing in a throw-away copy of the project (or its environment), runs the
command a person would run, and checks: the exit code, one clear message naming the file or the
field, no Python traceback, no partial or temporary file left, and (where it applies) the other
editions still written. README.md, "What happens when things go wrong", is drawn from this table.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from PIL import Image

from tests.support import FIXTURES, ROOT
from leafletpress.cli import main
from leafletpress.pipeline.workers import Limits, run_in_workers

WARNING_HEADING = "Get help straight away"
TIP = "Drink plenty of water during the day so your body does not dry out."
SOURCE = "Leaflet Press source text on leg cramps in pregnancy (English, reference 000_d15028b075da42d9), rewritten in plain English."
# Our own check, or GNU msgfmt's when the entry carries the python-brace-format flag: either refuses.
PLACEHOLDER_FAULT = r"placeholders differ|format specification for argument|'msgstr' is not a valid Python brace format"
BUILD_ES = ["--lang", "es", "--format", "A5", "--jobs", "1"]
ES_PDF = "leg-cramps_es_A5.pdf"


# Ways to break things ---------------------------------------------------------------------------

def catalog_file(project, lang="es", domain="leg-cramps") -> Path:
    return project.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"


def set_msgstr(msgid: str, text: str, domain: str = "leg-cramps", fuzzy: bool = False):
    def breaks(project, tmp):
        path = catalog_file(project, domain=domain)
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        message = catalog.get(msgid)
        message.string = text
        if fuzzy:
            message.flags.add("fuzzy")
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=100)
    return breaks


def replace_in(relative: str, old: str, new: str, count: int = 1):
    def breaks(project, tmp):
        path = project.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return breaks


def append_to(relative: str, text: str):
    def breaks(project, tmp):
        path = project.root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return breaks


def write_bytes(relative: str, data: bytes):
    def breaks(project, tmp):
        (project.root / relative).write_bytes(data)
    return breaks


def latin1_bytes(project, tmp):
    path = catalog_file(project)
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-8").replace("ó".encode(), "ó".encode("latin-1"), 1))


def delete(relative: str):
    def breaks(project, tmp):
        (project.root / relative).unlink()
    return breaks


def bomb_icon(project, tmp):
    Image.new("1", (20_000, 20_000)).save(project.templates_dir / "icons" / "warning.png", optimize=True)
    replace_in("templates/leaflet.html.j2", "icons/warning.svg", "icons/warning.png")(project, tmp)


def clinic(body: str, logo: Callable[[Path], None] | None = None):
    def breaks(project, tmp):
        folder = tmp / "clinic"
        folder.mkdir(exist_ok=True)
        (folder / "clinic.toml").write_text(body, encoding="utf-8")
        if logo:
            logo(folder)
        return ["--clinic", str(folder / "clinic.toml")]
    return breaks


GOOD_CLINIC = '[clinic]\nname = "Riverside Unit"\nphone = "0161 496 0000"\n'


def nothing(project, tmp):
    return None


# Runs that are not a plain build ------------------------------------------------------------------

def run_main(args: list[str], capsys) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def run_update(project, out, capsys):
    before = catalog_file(project).read_bytes()
    code, text = run_main(["update"], capsys)
    assert catalog_file(project).read_bytes() == before  # refused: the translator's file is untouched
    return code, text


def run_check(project, out, capsys):
    return run_main(["check", "--lang", "es"], capsys)


def run_killed(project, out, capsys):
    """Kill a full build part-way; every PDF left must be whole, and the next build tidies up."""
    command = [sys.executable, str(ROOT / "make_leaflets.py"), "--lang", "es", "--lang", "fr", "--lang", "ar", "--out", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, cwd=project.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and len(list(out.glob("*.pdf"))) < 3:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    (out / ".partial-stale.tmp").write_bytes(b"%PDF-1.7 half a file")  # as a kill mid-write leaves it
    for pdf in out.glob("*.pdf"):
        subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
    code, text = run_main(["--lang", "es", "--format", "A5", "--out", str(out)], capsys)
    assert not list(out.glob(".partial-*")), "temp files must not survive the next build"
    return code, text + "\nkilled build left only complete PDFs"


def run_concurrent(project, out, capsys):
    """A second build into the same folder while one is running is refused, not interleaved."""
    from leafletpress.pipeline.folder import exclusive_lock

    out.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out):
        return run_main([*BUILD_ES, "--out", str(out)], capsys)


def run_disk_full(project, out, capsys, monkeypatch):
    def no_space(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("leafletpress.pipeline.atomic.os.fsync", no_space)
    return run_main(["--lang", "es", "--format", "A5", "--jobs", "1", "--out", str(out)], capsys)


def run_without_msgfmt(project, out, capsys, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr("leafletpress.i18n.catalogs.shutil.which", lambda name: None if name == "msgfmt" else real_which(name))
    return run_main(["--lang", "es", "--format", "A5", "--jobs", "1", "--out", str(out)], capsys)


def run_with_time_limit(project, out, capsys, monkeypatch):
    from leafletpress.pipeline.plan import BuildRequest as original

    def limited(*args, **kwargs):
        kwargs.setdefault("limits", Limits(seconds=3))
        return original(*args, **kwargs)

    monkeypatch.setattr("leafletpress.cli.BuildRequest", limited)
    return run_main([*BUILD_ES, "--out", str(out)], capsys)


def run_output_is_a_file(project, out, capsys):
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("not a folder")
    return run_main([*BUILD_ES, "--out", str(out)], capsys)


# The catalogue -------------------------------------------------------------------------------------

@dataclass
class Fault:
    id: str
    breaks: Callable = nothing
    expect_code: int = 1
    says: str = ""
    command: list[str] = field(default_factory=lambda: list(BUILD_ES))
    run: Callable | None = None
    pdf_written: bool = False  # does leg-cramps_es_A5.pdf end up written?
    slow: bool = False  # left out of `pytest -m "not slow"`


FAULTS = [
    # Hostile and broken catalogs
    Fault("markup in a translation", set_msgstr(TIP, "Beba <b>mucha</b> agua."), says=r"contains markup"),
    Fault("a link that would attach a local file", set_msgstr(TIP, '<link rel="attachment" href="file:///etc/hostname">'), says=r"contains markup"),
    Fault("an image tag in the warning box", set_msgstr(WARNING_HEADING, '<img src="file:///etc/hostname">'), says=r"warning box: .*contains markup"),
    Fault("a URL in a translation", set_msgstr(TIP, "Beba agua: https://example.com"), says=r"web address or URL"),
    Fault("a placeholder dropped", set_msgstr("Page {page} of {pages}", "Página {page}", "leafletpress"), says=PLACEHOLDER_FAULT),
    Fault("a placeholder renamed", set_msgstr("Page {page} of {pages}", "Página {pagina} de {pages}", "leafletpress"), says=PLACEHOLDER_FAULT),
    Fault("a format-string injection", set_msgstr("Page {page} of {pages}", "{page.__class__} {pages}", "leafletpress"), says=PLACEHOLDER_FAULT),
    Fault("a number of the English dropped", set_msgstr(SOURCE, "Texto original de Leaflet Press, reescrito."), says=r"numbers of the English missing"),
    Fault("a whitespace-only translation", set_msgstr(TIP, "   "), says=r"translation is empty"),
    Fault("a fuzzy warning heading, even with --draft", set_msgstr(WARNING_HEADING, "Pida ayuda", fuzzy=True), says=r"warning box: .*fuzzy", command=[*BUILD_ES, "--draft"]),
    Fault("an untranslated tip without --draft", set_msgstr(TIP, ""), says=r"untranslated \(use --draft"),
    Fault("an untranslated tip with --draft builds, marked", set_msgstr(TIP, ""), expect_code=0, says=r"printed in English \(draft\)", command=[*BUILD_ES, "--draft"], pdf_written=True),
    Fault("a bidi override hiding text", set_msgstr(TIP, "Beba\u202e agua"), says=r"invisible control characters U\+202E"),
    Fault("a 100 KB translation", set_msgstr(TIP, "agua " * 20_000), says=r"characters long"),
    Fault("bytes that are not UTF-8", latin1_bytes, says=r"leg-cramps\.po:\d+: not valid UTF-8"),
    Fault("a charset other than UTF-8", replace_in("locales/es/LC_MESSAGES/leg-cramps.po", "charset=UTF-8", "charset=ISO-8859-1"), says=r"charset must be UTF-8"),
    Fault("a duplicate msgid", append_to("locales/es/LC_MESSAGES/leg-cramps.po", f'\nmsgid "{WARNING_HEADING}"\nmsgstr "Otra"\n'), says=r"leg-cramps\.po:\d+: duplicate message definition"),
    Fault("a conflict marker left by a merge", replace_in("locales/es/LC_MESSAGES/leg-cramps.po", f'msgid "{WARNING_HEADING}"', f'<<<<<<< HEAD\nmsgid "{WARNING_HEADING}"'), says=r"leg-cramps\.po:\d+: .*(syntax error|keyword)"),
    Fault("an unterminated string", replace_in("locales/es/LC_MESSAGES/leg-cramps.po", 'msgstr "Busque ayuda de inmediato"', 'msgstr "Busque ayuda de inmediato'), says=r"leg-cramps\.po:\d+: end-of-line within string"),
    Fault("plural forms that disagree with the header", write_bytes("locales/es/LC_MESSAGES/leafletpress.po", (FIXTURES / "catalogs" / "broken_plural.po").read_bytes()), says=r"leafletpress\.po:\d+: .*plural forms"),
    Fault("a Language header for another language", replace_in("locales/es/LC_MESSAGES/leg-cramps.po", '"Language: es\\n"', '"Language: pt\\n"'), says=r"Language header is 'pt' but the folder is for 'es'"),
    Fault("a missing catalog", delete("locales/es/LC_MESSAGES/leafletpress.po"), says=r"no catalog for es: run `make_leaflets.py init es`"),
    Fault("a character no font has", set_msgstr(TIP, "Beba agua க"), says=r"no glyph in Noto Sans for U\+0B95"),
    Fault("update on a broken catalog", replace_in("locales/es/LC_MESSAGES/leg-cramps.po", 'msgstr "Busque ayuda de inmediato"', 'msgstr "Busque ayuda'), run=run_update, says=r"refused .*leg-cramps\.po:\d+"),
    Fault("check on a hostile catalog", set_msgstr(TIP, '<script>alert(1)</script>'), run=run_check, says=r"leg-cramps\.po:\d+: .*contains markup"),
    # Hostile and broken templates and assets
    Fault("a template that reads a local file", replace_in("templates/leaflet.html.j2", "<main>", '<main><img src="file:///etc/hostname">'), says=r"refused to read /etc/hostname"),
    Fault("a template that fetches from the network", replace_in("templates/print.css", "/* Fonts */", '@import url("https://example.com/x.css");\n/* Fonts */'), says=r"refused to fetch https://example\.com"),
    Fault("a CSS mistake WeasyPrint ignores", append_to("templates/print.css", "\nh1 { colour: red; }\n"), says=r"WeasyPrint: Ignored `colour: red`"),
    Fault("a broken icon", write_bytes("templates/icons/warning.svg", b"<svg><g></svg>"), says=r"WeasyPrint: .*(Failed to load|image)"),
    Fault("a decompression-bomb icon", bomb_icon, says=r"refused image warning\.png: .*decompression bomb", slow=True),
    Fault("hundreds of forced page breaks", append_to("templates/print.css", "\n.section, .row { break-before: page; }\n"), says=r"needs \d+ pages; the leaflet allows 4", slow=True),
    Fault("CSS that crashes WeasyPrint", append_to("templates/print.css", "\n* { break-before: page; }\n"), says=r"the renderer failed \(AssertionError"),
    Fault("a huge font size, stopped by the time limit", append_to("templates/a5.css", "\nhtml { font-size: 3000pt !important; } :root { --body-size: 3000pt !important; }\n"), run=run_with_time_limit, says=r"took longer than 3 s and was stopped", slow=True),
    Fault("a missing template file", delete("templates/a5.css"), expect_code=2, says=r"^error: template file .*a5\.css is missing"),
    Fault("a template syntax error", replace_in("templates/leaflet.html.j2", "{% endmacro %}", "{% endmacro"), expect_code=2, says=r"leaflet\.html\.j2:\d+: template error"),
    Fault("a font that is not installed", replace_in("templates/fonts.toml", 'Latn = "Noto Sans"', 'Latn = "Noto Sans Imaginary"'), says=r"font 'Noto Sans Imaginary' is not installed"),
    # Hostile and broken clinic files and images
    Fault("a clinic file without a phone number", clinic('[clinic]\nname = "Riverside Unit"\n'), expect_code=2, says=r"clinic\.toml: phone: is missing; nothing was built"),
    Fault("a clinic phone number that is not one", clinic(GOOD_CLINIC.replace("0161 496 0000", "ring the ward")), expect_code=2, says=r"clinic\.toml: phone: 'ring the ward' is not a phone number"),
    Fault("a clinic logo outside the clinic folder", clinic(GOOD_CLINIC + 'logo = "../../../etc/hostname"\n'), expect_code=2, says=r"clinic\.toml: logo: .* must be in the clinic file's folder"),
    Fault("a decompression-bomb clinic logo", clinic(GOOD_CLINIC + 'logo = "logo.png"\n', lambda folder: Image.new("1", (20_000, 20_000)).save(folder / "logo.png")), expect_code=2, says=r"clinic\.toml: logo: 'logo\.png' decodes to more than"),
    Fault("a clinic logo with XML entities", clinic(GOOD_CLINIC + 'logo = "logo.svg"\n', lambda folder: (folder / "logo.svg").write_text('<!DOCTYPE svg [<!ENTITY a "a">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')), expect_code=2, says=r"clinic\.toml: logo: 'logo\.svg' declares a DOCTYPE or entities"),
    # Leaflets
    Fault("a leaflet without its warning section", replace_in("leaflets/leg-cramps.toml", 'kind = "warning"', 'kind = "text"'), says=r"leg-cramps\.toml: section: needs exactly one section of kind 'warning'"),
    Fault("a leaflet that is not valid TOML", append_to("leaflets/leg-cramps.toml", "\n[[section]\n"), says=r"leg-cramps\.toml: file: is not valid TOML"),
    # Files and processes
    Fault("a build killed part-way", run=run_killed, expect_code=0, says=r"killed build left only complete PDFs", pdf_written=True, slow=True),
    Fault("two builds into one folder at once", run=run_concurrent, expect_code=2, says=r"another build \(pid \d+\) is writing to"),
    Fault("an output folder that is a file", run=run_output_is_a_file, expect_code=2, says=r"cannot write to .* \(File exists\): choose another folder with --out"),
    Fault("a full disk", run=run_disk_full, says=r"could not write .*leg-cramps_es_A5\.pdf \(No space left on device\): free some disk space"),
    Fault("GNU msgfmt not installed", run=run_without_msgfmt, says=r"GNU msgfmt is not installed \(Debian package 'gettext'\): run `make setup`"),
]


def test_the_catalogue_has_at_least_thirty_faults():
    assert len(FAULTS) >= 30
    assert len({fault.id for fault in FAULTS}) == len(FAULTS)


@pytest.mark.parametrize(
    "fault", [pytest.param(fault, id=fault.id, marks=[pytest.mark.slow] if fault.slow else []) for fault in FAULTS]
)
def test_fault(fault, project, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(project.root)
    out = tmp_path / "out"
    extra = fault.breaks(project, tmp_path) or []
    if fault.run is None:
        code, text = run_main([*fault.command, *extra, "--out", str(out)], capsys)
    elif "monkeypatch" in fault.run.__code__.co_varnames:
        code, text = fault.run(project, out, capsys, monkeypatch)
    else:
        code, text = fault.run(project, out, capsys)
    assert code == fault.expect_code, text
    assert re.search(fault.says, text, re.MULTILINE), text
    assert "Traceback" not in text
    if out.is_dir():
        assert (out / ES_PDF).exists() == fault.pdf_written, text
        assert not list(out.glob(".partial-*"))


# The worker engine on its own: limits and crashes fail one job, never the others -------------------

def slow_or_fail(job):
    if job == "sleep":
        time.sleep(30)
    if job == "memory":
        bytearray(3 * 1024**3)
    if job == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    return f"built {job}"


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_worker_limits_fail_only_their_job(workers):
    jobs = ["a", "sleep", "b", "memory", "c", "crash", "d"]
    results = {}
    run_in_workers(
        workers, jobs, make_builder=lambda: slow_or_fail, failure=lambda job, message: f"failed {job}: {message}",
        on_result=lambda index, result: results.__setitem__(jobs[index], result), limits=Limits(seconds=2, memory=1024**3),
    )
    assert [results[job] for job in "abcd"] == ["built a", "built b", "built c", "built d"]
    assert results["sleep"] == "failed sleep: took longer than 2 s and was stopped"
    assert results["memory"] == "failed memory: needed more than 1024 MB of memory and was stopped"
    assert results["crash"].startswith("failed crash: the renderer was killed by SIGKILL")


def test_debug_shows_the_traceback(project, tmp_path, monkeypatch):
    monkeypatch.chdir(project.root)
    (project.templates_dir / "a5.css").unlink()
    with pytest.raises(Exception, match="a5.css is missing"):
        main([*BUILD_ES, "--out", str(tmp_path / "out"), "--debug"])
