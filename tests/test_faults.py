"""The catalogue of faults: bad input and bad luck, each with its expected outcome, all run.

Every row breaks one thing in a throw-away copy of the project (or its environment), runs the
command a person would run, and checks: the exit code, one clear message naming the file or the
field, no Python traceback, no partial or temporary file left, and (where it applies) the other
editions still written. README.md, "What happens when things go wrong", is drawn from this table.
"""

from __future__ import annotations

import hashlib
import json
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

from tests.support import FIXTURES, ROOT, sign_off_code
from leafletpress.cli import main
from leafletpress.pipeline.workers import Limits, run_in_workers

WARNING_HEADING = "Get help straight away"
TIP = "Drink plenty of water during the day so your body does not dry out."
SOURCE = "Leaflet Press source text on leg cramps in pregnancy (English, reference 000_d15028b075da42d9), rewritten in plain English."
# Our own check, or GNU msgfmt's when the entry carries the python-brace-format flag: either refuses.
PLACEHOLDER_FAULT = r"placeholders differ|format specification for argument|'msgstr' is not a valid Python brace format"
BUILD_ES = ["--lang", "es", "--format", "A5", "--jobs", "1"]
BOX = "Contact your doctor or midwife straight away if your leg keeps aching, rather than a cramp that comes and goes. Your leg may also be swollen."
BOX_ES = "Avise de inmediato a su médico o a su matrona (partera profesional) si tiene un dolor en la pierna que no se le quita, y no un calambre que va y viene. También puede tener la pierna hinchada."
SUPPLEMENT = "Always ask your doctor before you take any supplement or vitamin product."
ES_PDF = "leg-cramps_es_A5.pdf"


# Ways to break things ---------------------------------------------------------------------------

def catalog_file(project, lang="es", domain="leg-cramps") -> Path:
    return project.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"


def set_msgstr(msgid: str, text: str, domain: str = "leg-cramps", fuzzy: bool = False, lang: str = "es", comment: str = ""):
    def breaks(project, tmp):
        path = catalog_file(project, lang=lang, domain=domain)
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        message = catalog.get(msgid)
        message.string = text
        if fuzzy:
            message.flags.add("fuzzy")
        if comment:
            message.user_comments.append(comment)
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
    from leafletpress.core.locks import exclusive_lock

    out.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out):
        return run_main([*BUILD_ES, "--out", str(out)], capsys)


def run_disk_full(project, out, capsys, monkeypatch):
    def no_space(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("leafletpress.core.atomic.os.fsync", no_space)
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


def fifo_at(relative: str):
    def breaks(project, tmp):
        path = project.root / relative
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    return breaks


def folder_at(relative: str):
    def breaks(project, tmp):
        path = project.root / relative
        path.unlink()
        path.mkdir()
    return breaks


def symlink_at(relative: str, target: str):
    def breaks(project, tmp):
        path = project.root / relative
        path.unlink(missing_ok=True)
        os.symlink(target, path)
    return breaks


def with_bom(relative: str):
    def breaks(project, tmp):
        path = project.root / relative
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return breaks


def clinic_with_bom(project, tmp):
    folder = tmp / "clinic"
    folder.mkdir(exist_ok=True)
    (folder / "clinic.toml").write_bytes(b"\xef\xbb\xbf" + GOOD_CLINIC.encode("utf-8"))
    return ["--clinic", str(folder / "clinic.toml")]


def in_output(relative: str, data: bytes | None = None, link_to: str | None = None, folder: bool = False):
    """Something already in the output folder before the build: a file, a link or a folder."""
    def breaks(project, tmp):
        path = tmp / "out" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if link_to is not None:
            os.symlink(link_to, path)
        elif folder:
            path.mkdir()
        else:
            path.write_bytes(data or b"")
    return breaks


def icon_svg(body: str):
    """The warning icon replaced by this SVG."""
    return write_bytes("templates/icons/warning.svg", body.encode("utf-8"))


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{}</svg>'


def png_bomb_data_url() -> str:
    import base64
    import io

    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def run_clinic_from_dev_zero(project, out, capsys):
    return run_main([*BUILD_ES, "--clinic", "/dev/zero", "--out", str(out)], capsys)


def run_out_inside_templates(project, out, capsys):
    return run_main([*BUILD_ES, "--out", str(project.templates_dir / "pdfs")], capsys)


def run_out_empty(project, out, capsys):
    return run_main([*BUILD_ES, "--out", ""], capsys)


def run_build_twice(project, out, capsys):
    """Build, then break or remove something in the folder, then build again."""
    run_main([*BUILD_ES, "--out", str(out)], capsys)
    return None


def damaged_after_first_build(damage: Callable[[Path], None]):
    def run(project, out, capsys):
        first, _ = run_main(["--lang", "es", "--lang", "fr", "--format", "A5", "--jobs", "1", "--out", str(out)], capsys)
        assert first == 0
        damage(out)
        code, text = run_main(["--lang", "es", "--lang", "fr", "--format", "A5", "--jobs", "1", "--out", str(out)], capsys)
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        listed = sorted(item["file"] for item in manifest["files"])
        assert listed == sorted(path.name for path in out.glob("*.pdf")), (listed, text)
        for item in manifest["files"]:
            assert hashlib.sha256((out / item["file"]).read_bytes()).hexdigest() == item["sha256"]
        thumbnails = sorted(path.stem for path in (out / "thumbnails").glob("*.png"))
        assert thumbnails == sorted(Path(name).stem for name in listed)
        return code, text + "\nmanifest, thumbnails and index match the folder"
    return run


def run_disk_full_half_way(project, out, capsys, monkeypatch):
    """The disk fills up after the first PDF: the manifest still lists exactly the PDFs there."""
    import leafletpress.core.atomic as atomic

    real = atomic._write_temp
    written = []

    def fill_up(path, data, keep):
        if path.suffix == ".pdf" and written:
            raise OSError(28, "No space left on device")
        if path.suffix == ".pdf":
            written.append(path)
        return real(path, data, keep)

    monkeypatch.setattr(atomic, "_write_temp", fill_up)
    code, text = run_main(["--lang", "es", "--lang", "fr", "--format", "A5", "--jobs", "1", "--out", str(out)], capsys)
    monkeypatch.setattr(atomic, "_write_temp", real)
    listed = [item["file"] for item in json.loads((out / "manifest.json").read_text())["files"]]
    assert listed == sorted(path.name for path in out.glob("*.pdf")) and len(listed) == 1, (listed, text)
    return code, text + "\nmanifest matches the folder"


def run_html_companion_fails(project, out, capsys, monkeypatch):
    """Writing the web page beside the A4 edition fails: the PDF is not replaced either."""
    build_a4 = ["--lang", "es", "--format", "A4", "--jobs", "1"]
    first, _ = run_main([*build_a4, "--out", str(out)], capsys)
    before = (out / "leg-cramps_es_A4.pdf").read_bytes()
    import leafletpress.core.atomic as atomic

    real = atomic._write_temp

    def fail_html(path, data, keep):
        if path.suffix == ".html" and path.name != "index.html":
            raise OSError(28, "No space left on device")
        return real(path, data, keep)

    monkeypatch.setattr(atomic, "_write_temp", fail_html)
    code, text = run_main([*build_a4, "--force", "--out", str(out)], capsys)
    assert (out / "leg-cramps_es_A4.pdf").read_bytes() == before and (out / "leg-cramps_es.html").exists()
    return code, text + "\nthe last good PDF stayed"


def run_stale_lock(project, out, capsys):
    """A lock file left by a build that was killed: taken over, saying so."""
    out.mkdir(parents=True)
    (out / ".leafletpress.lock").write_text("pid 999999")
    return run_main([*BUILD_ES, "--out", str(out)], capsys)


def run_update_while_locked(project, out, capsys):
    from leafletpress.core.locks import exclusive_lock

    before = catalog_file(project).read_bytes()
    with exclusive_lock(project.locales_dir, "catalog command"):
        code, text = run_main(["update"], capsys)
    assert catalog_file(project).read_bytes() == before
    return code, text


def run_update_during_a_save(project, out, capsys, monkeypatch):
    """A translator saves the catalog while `update` merges it: their save is kept."""
    from leafletpress.i18n import workflow

    path = catalog_file(project)
    edit_in_progress = path.read_bytes().replace(b"Busque ayuda de inmediato", b"Busque ayuda enseguida")
    real = workflow.msgmerge

    def merge_while_saving(catalog, template):
        merged = real(catalog, template)
        if b'"Language: es\\n"' in catalog and b"Leg cramps" in template:
            path.write_bytes(edit_in_progress)  # the translator's editor saves now
        return merged

    monkeypatch.setattr(workflow, "msgmerge", merge_while_saving)
    edit_leaflet = project.leaflets_dir / "leg-cramps.toml"
    edit_leaflet.write_text(edit_leaflet.read_text(encoding="utf-8").replace("Have a hot bath", "Take a hot bath"), encoding="utf-8")
    code, text = run_main(["update"], capsys)
    assert path.read_bytes() == edit_in_progress, "the translator's save was reverted"
    return code, text


def run_update_keeps_crlf_mode_and_group(project, out, capsys):
    path = catalog_file(project)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    os.chmod(path, 0o640)
    os.chown(path, -1, 4)  # group adm: root may give any group
    edit_leaflet = project.leaflets_dir / "leg-cramps.toml"
    edit_leaflet.write_text(edit_leaflet.read_text(encoding="utf-8").replace("Have a hot bath", "Take a hot bath"), encoding="utf-8")
    code, text = run_main(["update"], capsys)
    raw = path.read_bytes()
    assert b"Take a hot bath" in raw and raw.count(b"\r\n") == raw.count(b"\n"), "CRLF line endings lost"
    assert (os.stat(path).st_mode & 0o777, os.stat(path).st_gid) == (0o640, 4)
    return code, text + "\nCRLF, mode and group kept"


def run_review_with_control_character(project, out, capsys):
    return run_main(["review", "es", "--by", "Dr A\x0bsecret line"], capsys)


def run_catalog_linked_outside(project, out, capsys):
    secret = project.root.parent / "secret.po"
    secret.write_text('msgid ""\nmsgstr "TOP-SECRET-CONTENT"\n\nmsgid "x"\nmsgstr TOP-SECRET-LINE\n')
    path = catalog_file(project)
    path.unlink()
    os.symlink(secret, path)
    code, text = run_main([*BUILD_ES, "--out", str(out)], capsys)
    check_code, check_text = run_main(["check", "--lang", "es"], capsys)
    assert "TOP-SECRET" not in text + check_text
    return code, text + check_text


def run_signal(signum: int, expect: int):
    """Send a signal to a running build: it ends with one line and this exit code, no worker left
    running, no temporary file anywhere."""
    def run(project, out, capsys):
        command = [sys.executable, str(ROOT / "make_leaflets.py"), "--lang", "es", "--lang", "fr", "--lang", "ar", "--out", str(out), "--jobs", "2"]
        process = subprocess.Popen(command, cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline and len(list(out.glob("*.pdf"))) < 2:
            time.sleep(0.05)
        workers = children_of(process.pid)
        assert workers, "the build had no worker processes to check"
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
        time.sleep(0.5)
        left = [pid for pid in workers if pid_alive(pid)]
        assert not left, f"workers still running after the build ended: {left}"
        temp = [path for path in project.root.rglob(".partial-*")] + list(out.rglob(".partial-*"))
        assert not temp, temp
        assert process.returncode == expect, (process.returncode, stderr)
        return process.returncode, stderr.strip() + f"\nworkers gone, exit {process.returncode}"
    return run


def run_killed_main_leaves_no_worker(project, out, capsys):
    command = [sys.executable, str(ROOT / "make_leaflets.py"), "--lang", "es", "--lang", "fr", "--lang", "ar", "--out", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, cwd=project.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    workers = []
    while time.time() < deadline and not workers:
        workers = children_of(process.pid)
        time.sleep(0.05)
    process.kill()
    process.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(pid_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(pid_alive(pid) for pid in workers), "a worker outlived its killed parent"
    code, text = run_main([*BUILD_ES, "--out", str(out)], capsys)  # the lock is free again
    return code, text + "\nno worker outlived the killed build"


def children_of(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"



def run_with_sign_off_edited(project, out, capsys):
    """A sign-off whose reviewer was changed by hand: read as no sign-off at all, and said so."""
    code, _ = run_main(["review", "es", "--by", "Dr Test Reviewer, consultant midwife", "--code", sign_off_code(project, "es")], capsys)
    assert code == 0
    path = project.root / "reviews" / "leg-cramps" / "es.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Dr Test Reviewer", "Prof Famous Name"), encoding="utf-8")
    code, text = run_main([*BUILD_ES, "--out", str(out)], capsys)
    assert "Prof Famous Name" not in (out / ES_PDF).read_bytes().decode("latin-1")
    return code, text


def run_review(*args: str):
    def run(project, out, capsys):
        code, text = run_main(["review", "es", *args], capsys)
        assert not (project.root / "reviews" / "leg-cramps" / "es.toml").exists()
        return code, text
    return run


def run_update_through_a_link(project, out, capsys):
    """A catalog that is a link to a file inside the project (a shared translation memory, say):
    update rewrites the file it leads to, keeps its mode, and the link stays a link."""
    shared = project.locales_dir / "shared"
    shared.mkdir()
    target = shared / "leg-cramps-es.po"
    os.replace(catalog_file(project), target)
    os.chmod(target, 0o640)
    os.symlink(os.path.relpath(target, catalog_file(project).parent), catalog_file(project))
    leaflet = project.leaflets_dir / "leg-cramps.toml"
    leaflet.write_text(leaflet.read_text(encoding="utf-8").replace("Have a hot bath", "Take a hot bath"), encoding="utf-8")
    code, text = run_main(["update"], capsys)
    assert catalog_file(project).is_symlink() and b"Take a hot bath" in target.read_bytes()
    assert os.stat(target).st_mode & 0o777 == 0o640
    return code, text + "\nthe link stayed a link; its target was updated, mode kept"


def run_extract_while_locked(project, out, capsys):
    from leafletpress.core.locks import exclusive_lock

    with exclusive_lock(project.locales_dir, "catalog command"):
        return run_main(["extract"], capsys)


def run_out_inside(folder: str):
    def run(project, out, capsys):
        return run_main([*BUILD_ES, "--out", str(project.root / folder / "pdfs")], capsys)
    return run


def fuzzy_without_comma(project, tmp):
    path = catalog_file(project)
    text = path.read_text(encoding="utf-8")
    anchor = f'msgid "{WARNING_HEADING}"'
    assert anchor in text
    path.write_text(text.replace(anchor, "#,fuzzy\n" + anchor, 1), encoding="utf-8")


UTF16_SVG = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>'
             '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&a;</text></svg>').encode("utf-16")



def run_with_new_clinic_file(project, out, capsys):
    """A folder built for one clinic file, then a build for another: the first clinic's editions
    (with its number) are moved out of date, not left looking current."""
    for name, phone in (("old", "0161 496 0000"), ("new", "0161 496 0999")):
        (out.parent / name).mkdir(parents=True, exist_ok=True)
        (out.parent / name / "clinic.toml").write_text(f'[clinic]\nname = "Riverside Unit"\nphone = "{phone}"\n', encoding="utf-8")
    first, _ = run_main(["--lang", "es", "--format", "A4", "--format", "A5", "--jobs", "1", "--clinic", str(out.parent / "old" / "clinic.toml"), "--out", str(out)], capsys)
    assert first == 0
    code, text = run_main([*BUILD_ES, "--clinic", str(out.parent / "new" / "clinic.toml"), "--out", str(out)], capsys)
    assert sorted(path.name for path in out.glob("*.pdf")) == [ES_PDF]
    assert list((out / "out-of-date").glob("leg-cramps_es_A4_*.pdf"))
    return code, text


def run_with_sign_off_withdrawn(project, out, capsys):
    """Editions signed off, then the sign-off file deleted: an edition not rebuilt that still names
    the reviewer is moved out of date."""
    for lang in ("en", "es"):
        assert run_main(["review", lang, "--by", "Dr Test Reviewer, midwife", "--code", sign_off_code(project, lang)], capsys)[0] == 0
    assert run_main(["--lang", "es", "--format", "A4", "--format", "A5", "--jobs", "1", "--out", str(out)], capsys)[0] == 0
    (project.root / "reviews" / "leg-cramps" / "es.toml").unlink()
    code, text = run_main(["--lang", "es", "--format", "A4", "--jobs", "1", "--out", str(out)], capsys)
    assert not (out / ES_PDF).exists() and list((out / "out-of-date").glob("leg-cramps_es_A5_*.pdf"))
    return code, text


def run_with_pdf_edited_by_another_tool(project, out, capsys):
    assert run_main([*BUILD_ES, "--out", str(out)], capsys)[0] == 0
    with open(out / ES_PDF, "ab") as handle:
        handle.write(b"% my annotations\n")
    code, text = run_main([*BUILD_ES, "--out", str(out)], capsys)
    kept = list((out / "out-of-date").glob("leg-cramps_es_A5_*.pdf"))
    assert len(kept) == 1 and kept[0].read_bytes().endswith(b"% my annotations\n")
    return code, text + "\nthe edited copy was kept"


def run_packet_over_a_signed_one(project, out, capsys):
    assert run_main(["review-packet", "es", "--out", str(out)], capsys)[0] == 0
    packet = next(out.glob("leg-cramps_es_review-packet_*.pdf"))
    with open(packet, "ab") as handle:
        handle.write(b"% signed\n")
    code, text = run_main(["review-packet", "es", "--out", str(out)], capsys)
    assert packet.read_bytes().endswith(b"% signed\n")
    return code, text


def run_claims_journal_fifo(project, out, capsys):
    out.mkdir(parents=True)
    os.mkfifo(out / ".leafletpress-build.claims")
    return run_main([*BUILD_ES, "--out", str(out)], capsys)


def past_review(project, tmp):
    replace_in("leaflets/leg-cramps.toml", "published = 2026-11-25\nreview = 2029-11-25", "published = 2021-01-10\nreview = 2024-01-10")(project, tmp)


# The catalogue -------------------------------------------------------------------------------------

@dataclass
class Fault:
    id: str
    breaks: Callable = nothing
    expect_code: int = 1
    says: str = ""
    command: list[str] = field(default_factory=lambda: list(BUILD_ES))
    run: Callable | None = None
    pdf_written: bool | None = False  # does leg-cramps_es_A5.pdf end up written? (None: either, by timing)
    slow: bool = False  # left out of `pytest -m "not slow"`


FAULTS = [
    # Hostile and broken catalogs
    Fault("markup in a translation", set_msgstr(TIP, "Beba <b>mucha</b> agua."), says=r"contains markup"),
    Fault("a line separator in a warning translation", set_msgstr(WARNING_HEADING, "Busque ayuda\u2028de inmediato"), says=r"breaks lines where the English does not \(U\+2028\)"),
    Fault("a link that would attach a local file", set_msgstr(TIP, '<link rel="attachment" href="file:///etc/hostname">'), says=r"contains markup"),
    Fault("an image tag in the warning box", set_msgstr(WARNING_HEADING, '<img src="file:///etc/hostname">'), says=r"warning box: .*contains markup"),
    Fault("a URL in a translation", set_msgstr(TIP, "Beba agua: https://example.com"), says=r"web address or URL"),
    Fault("a placeholder dropped", set_msgstr("Page {page} of {pages}", "Página {page}", "leafletpress"), says=PLACEHOLDER_FAULT),
    Fault("a placeholder renamed", set_msgstr("Page {page} of {pages}", "Página {pagina} de {pages}", "leafletpress"), says=PLACEHOLDER_FAULT),
    Fault("a format-string injection", set_msgstr("Page {page} of {pages}", "{page.__class__} {pages}", "leafletpress"), says=PLACEHOLDER_FAULT),
    Fault("a number of the English dropped", set_msgstr(SOURCE, "Texto original de Leaflet Press, reescrito."), says=r"numbers of the English missing"),
    Fault("a whitespace-only translation", set_msgstr(TIP, "   "), says=r"is untranslated"),
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
    # The warning box must say something, in the language, and nothing more
    Fault("a warning string of zero-width spaces", set_msgstr(WARNING_HEADING, "\u200b\u200b"), says=r"warning box: .* is untranslated; the edition is refused", command=[*BUILD_ES, "--draft"]),
    Fault("a warning string of mixed invisible characters", set_msgstr(WARNING_HEADING, "\u200d\u2060\u00ad\ufeff\u200e\u200f\u2066\u2069\u034f"), says=r"warning box: .* is untranslated"),
    Fault("a warning string of Hangul fillers", set_msgstr(WARNING_HEADING, "\u3164\u115f"), says=r"warning box: .* is untranslated"),
    Fault("check reports an invisible warning string", set_msgstr(WARNING_HEADING, "\u200b"), run=run_check, says=r"leg-cramps\.po:\d+: warning box: .* is untranslated"),
    Fault("the English copied into the warning box", set_msgstr(WARNING_HEADING, WARNING_HEADING), says=r"warning box: .* is the English text, not a translation; if it is right"),
    Fault("the English copied into the box, with only case and spacing changed", set_msgstr(WARNING_HEADING, " get HELP\u200b straight  away "), says=r"warning box: .* is the English text"),
    Fault("the English marked same-as-english in a Latin-script box builds", set_msgstr(WARNING_HEADING, WARNING_HEADING, comment="same-as-english"), expect_code=0, says=r"1 edition\(s\) written", pdf_written=True),
    Fault("the English in an Arabic warning box, even marked", set_msgstr(WARNING_HEADING, WARNING_HEADING, lang="ar", comment="same-as-english"), command=["--lang", "ar", "--format", "A5", "--jobs", "1"], says=r"warning box: .* is the English text, not a translation \(a non-Latin script"),
    Fault("check warns of English copied outside the box", set_msgstr(TIP, TIP), run=run_check, expect_code=0, says=r"leg-cramps\.po:\d+: .* is the same as the English.*\(warning\)"),
    Fault("a premium number added to the clinic line", set_msgstr("Call {clinic} on {phone}.", "Llame a {clinic} al {phone} o al 0906 123 4567.", "leafletpress"), command=[*BUILD_ES, "--clinic", str(ROOT / "examples/clinic/clinic.toml")], says=r"adds numbers the English does not have: 0906, 123, 4567"),
    Fault("a number added in Arabic-Indic digits", set_msgstr(WARNING_HEADING, "اطلبي المساعدة فورًا ٠٩٠٦", lang="ar"), command=["--lang", "ar", "--format", "A5", "--jobs", "1"], says=r"adds numbers the English does not have: 0906"),
    Fault("a web address added to the warning box", set_msgstr(WARNING_HEADING, "Busque ayuda en www.evil.example"), says=r"warning box: .*web address or URL the English does not have: www\.evil\.example"),
    Fault("a bare domain added to the warning box", set_msgstr(WARNING_HEADING, "Busque ayuda: premium-help.com"), says=r"web address or URL the English does not have: premium-help\.com"),
    # Clinic file text
    Fault("a bidi override in the clinic name", clinic(GOOD_CLINIC.replace("Riverside Unit", "Riverside\u202eUnit")), expect_code=2, says=r"clinic\.toml: name: contains characters a reader cannot see \(U\+202E\)"),
    Fault("a bidi isolate in the clinic hours", clinic(GOOD_CLINIC + 'phone_hours = "24 hours\u2066 7 days"\n'), expect_code=2, says=r"phone_hours: contains characters a reader cannot see \(U\+2066\)"),
    Fault("a zero-width space in the clinic phone", clinic(GOOD_CLINIC.replace("0161 496", "0161\u200b496")), expect_code=2, says=r"phone: contains characters a reader cannot see \(U\+200B\)"),
    Fault("a clinic name of invisible characters only", clinic(GOOD_CLINIC.replace("Riverside Unit", "\u200b\u2060")), expect_code=2, says=r"name: contains characters a reader cannot see"),
    Fault("a clinic name with no letters", clinic(GOOD_CLINIC.replace("Riverside Unit", "...")), expect_code=2, says=r"name: has no letters"),
    Fault("a clinic phone in Arabic-Indic digits is accepted", clinic(GOOD_CLINIC.replace("0161 496 0000", "٠١٦١ ٤٩٦ ٠٠٠٠")), expect_code=0, says=r"1 edition\(s\) written", pdf_written=True),
    Fault("a 105-character website wraps", clinic(GOOD_CLINIC + 'website = "www.' + "riverside-maternity-assessment-unit-" * 2 + 'northshire-nhs.example/leaflets/cramps"\n'), expect_code=0, says=r"1 edition\(s\) written", pdf_written=True),
    Fault("per-language clinic hours missing for Spanish", clinic(GOOD_CLINIC + 'phone_hours = { en = "24 hours", so = "24 saacadood" }\n'), expect_code=0, says=r"phone_hours is not given in es; left out of the es warning box", pdf_written=True),
    # Processes and locks
    Fault("Ctrl-C during a build", run=run_signal(signal.SIGINT, 130), expect_code=130, says=r"^interrupted: stopped", pdf_written=None, slow=True),
    Fault("SIGTERM during a build", run=run_signal(signal.SIGTERM, 143), expect_code=143, says=r"^stopped \(SIGTERM\)", pdf_written=None, slow=True),
    Fault("SIGKILL of the build leaves no worker", run=run_killed_main_leaves_no_worker, expect_code=0, says=r"no worker outlived", pdf_written=True, slow=True),
    Fault("a lock left by a killed build", run=run_stale_lock, expect_code=0, says=r"note: the last build in .* \(pid 999999\) was stopped before it finished; its lock was taken over", pdf_written=True),
    Fault("update while another catalog command runs", run=run_update_while_locked, expect_code=2, says=r"another catalog command \(pid \d+\) is using .*locales"),
    Fault("a translator saves during update", run=run_update_during_a_save, says=r"changed while it was being rewritten; nothing was written"),
    Fault("update keeps CRLF, mode and group", run=run_update_keeps_crlf_mode_and_group, expect_code=0, says=r"CRLF, mode and group kept"),
    Fault("a reviewer name with a vertical tab", run=run_review_with_control_character, expect_code=2, says=r"--by contains control or invisible characters \(U\+000B\)"),
    # The output folder belongs to the user
    Fault("a foreign picture in thumbnails/ is kept", in_output("thumbnails/holiday.png", b"\x89PNG mine"), expect_code=0, says=r"1 edition\(s\) written", pdf_written=True),
    Fault("a foreign index.html", in_output("index.html", b"<p>my own page</p>"), expect_code=2, says=r"index\.html was not made by a build here"),
    Fault("a foreign manifest.json", in_output("manifest.json", b"{}"), expect_code=2, says=r"manifest\.json was not made by a build here"),
    Fault("a foreign PDF with an edition's name", in_output(ES_PDF, b"%PDF-1.4 someone else's"), says=r"leg-cramps_es_A5\.pdf is already there and was not made by a build here", pdf_written=True),
    Fault("the lock file is a symbolic link", in_output(".leafletpress.lock", link_to="/tmp/leafletpress-lock-target"), expect_code=2, says=r"\.leafletpress\.lock is a symbolic link"),
    Fault("thumbnails/ is a symbolic link", in_output("thumbnails", link_to="/tmp"), expect_code=2, says=r"thumbnails is a symbolic link"),
    Fault("--out inside templates/", run=run_out_inside_templates, expect_code=2, says=r"is inside .*templates, which the build reads"),
    Fault("--out empty", run=run_out_empty, expect_code=2, says=r"--out: is empty: give the output folder"),
    Fault("a damaged manifest", run=damaged_after_first_build(lambda out: (out / "manifest.json").write_text("{not json")), expect_code=0, says=r"manifest, thumbnails and index match the folder", pdf_written=True),
    Fault("a damaged build record", run=damaged_after_first_build(lambda out: (out / ".leafletpress-build.json").write_text("[1, 2")), expect_code=0, says=r"note: the build record .* was damaged; rebuilt from the folder", pdf_written=True),
    Fault("a PDF and a thumbnail deleted by hand", run=damaged_after_first_build(lambda out: [(out / "leg-cramps_fr_A5.pdf").unlink(), (out / "thumbnails" / "leg-cramps_es_A5.png").unlink()]), expect_code=0, says=r"manifest, thumbnails and index match the folder", pdf_written=True),
    Fault("the disk fills up half-way", run=run_disk_full_half_way, says=r"manifest matches the folder", pdf_written=True),
    Fault("the HTML companion cannot be written", run=run_html_companion_fails, says=r"the last good PDF stayed", pdf_written=None),
    # Inputs that are not regular files
    Fault("a catalog that is a FIFO", fifo_at("locales/es/LC_MESSAGES/leg-cramps.po"), says=r"leg-cramps\.po: is a FIFO \(named pipe\), not a file"),
    Fault("a catalog that is a folder", folder_at("locales/es/LC_MESSAGES/leg-cramps.po"), says=r"leg-cramps\.po: is a folder, not a file"),
    Fault("a leaflet that is a FIFO", fifo_at("leaflets/leg-cramps.toml"), says=r"leg-cramps\.toml: file: is a FIFO"),
    Fault("a clinic file that is /dev/zero", run=run_clinic_from_dev_zero, expect_code=2, says=r"/dev/zero: file: is a character device, not a file; nothing was built"),
    Fault("a catalog linked to a file outside the project", run=run_catalog_linked_outside, says=r"links to .*secret\.po, outside the project"),
    Fault("a byte-order mark in a catalog", with_bom("locales/es/LC_MESSAGES/leg-cramps.po"), expect_code=0, says=r"1 edition\(s\) written", pdf_written=True),
    Fault("a byte-order mark in the leaflet", with_bom("leaflets/leg-cramps.toml"), expect_code=0, says=r"1 edition\(s\) written", pdf_written=True),
    Fault("a byte-order mark in the clinic file", clinic_with_bom, expect_code=0, says=r"1 edition\(s\) written", pdf_written=True),
    # Images
    Fault("an SVG icon embedding a PNG bomb", icon_svg(SVG.format(f'<image href="{png_bomb_data_url()}" width="10" height="10"/>')), says=r"refused image warning\.svg: it embeds an image that decodes to more than"),
    Fault("an SVG icon declaring entities after 4 KB", icon_svg("<!--" + "x" * 5000 + '--><!DOCTYPE svg [<!ENTITY a "a">]>' + SVG.format("")), says=r"refused image warning\.svg: it declares a DOCTYPE or entities"),
    Fault("an SVG icon that points at a local file", icon_svg(SVG.format('<image xlink:href="file:///etc/hostname" width="10" height="10"/>')), says=r"refused image warning\.svg: it refers to 'file:///etc/hostname'"),
    Fault("an SVG icon with a CSS url() to the network", icon_svg(SVG.format('<rect style="fill: url(https://example.com/x.svg#p)" width="5" height="5"/>')), says=r"refers to 'https://example\.com/x\.svg#p'"),
    Fault("a clinic logo SVG that points at a URL", clinic(GOOD_CLINIC + 'logo = "logo.svg"\n', lambda folder: (folder / "logo.svg").write_text(SVG.format('<image href="http://example.com/logo.png" width="5" height="5"/>'))), expect_code=2, says=r"logo: 'logo\.svg' refers to 'http://example\.com/logo\.png'"),
    # Hostile and broken templates and assets
    Fault("a template that reads a local file", replace_in("templates/leaflet.html.j2", "<main>", '<main><img src="file:///etc/hostname">'), says=r"refused to read /etc/hostname"),
    Fault("a template that fetches from the network", replace_in("templates/print.css", "/* Fonts */", '@import url("https://example.com/x.css");\n/* Fonts */'), says=r"refused to fetch https://example\.com"),
    Fault("a CSS mistake WeasyPrint ignores", append_to("templates/print.css", "\nh1 { colour: red; }\n"), says=r"WeasyPrint: Ignored `colour: red`"),
    Fault("a broken icon", write_bytes("templates/icons/warning.svg", b"<svg><g></svg>"), says=r"refused image warning\.svg: it is not a well-formed SVG"),
    Fault("a decompression-bomb icon", bomb_icon, says=r"refused image warning\.png: .*decompression bomb", slow=True),
    Fault("hundreds of forced page breaks", append_to("templates/print.css", "\n.section p { break-before: page; }\n"), says=r"needs \d+ pages; the leaflet allows 8", slow=True),
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
    Fault("markup in the English source", replace_in("leaflets/leg-cramps.toml", 'heading = "Get help straight away"', 'heading = "Get <b>help</b> straight away"'), says=r"leg-cramps\.toml: section 'warning'\.heading: contains markup \('<b'\)"),
    Fault("a placeholder in the English source", replace_in("leaflets/leg-cramps.toml", 'heading = "Get help straight away"', 'heading = "Call {clinic} straight away"'), says=r"leg-cramps\.toml: section 'warning'\.heading: contains '\{clinic\}': leaflet text has no placeholders"),
    Fault("an invisible character in the English source", replace_in("leaflets/leg-cramps.toml", 'heading = "Get help straight away"', 'heading = "Get help\\u202estraight away"'), says=r"leg-cramps\.toml: section 'warning'\.heading: contains characters a reader cannot see \(U\+202E\)"),
    Fault("a leaflet id that is not plain", replace_in("leaflets/leg-cramps.toml", 'id = "leg-cramps"', 'id = "Leg Cramps"'), says=r"leg-cramps\.toml: leaflet\.id: 'Leg Cramps' must match the file name"),
    Fault("notes for translators hiding a bidi override", replace_in("leaflets/leg-cramps.toml", 'notes = "This is the most important part', 'notes = "This\\u202e is the most important part'), says=r"leg-cramps\.toml: section 'warning'\.notes: contains characters a reader cannot see \(U\+202E\)"),
    Fault("a leaflet's languages naming no language", replace_in("leaflets/leg-cramps.toml", 'languages = ["am",', 'languages = ["und", "am",'), says=r"leg-cramps\.toml: leaflet\.languages: 'und' names no particular language"),
    # Files and processes
    Fault("a build killed part-way", run=run_killed, expect_code=0, says=r"killed build left only complete PDFs", pdf_written=True, slow=True),
    Fault("two builds into one folder at once", run=run_concurrent, expect_code=2, says=r"another build \(pid \d+\) is using"),
    Fault("an output folder that is a file", run=run_output_is_a_file, expect_code=2, says=r"cannot write to .* \(File exists\): choose another folder with --out"),
    Fault("a full disk", run=run_disk_full, says=r"could not write .*leg-cramps_es_A5\.pdf \(No space left on device\): free some disk space"),
    Fault("GNU msgfmt not installed", run=run_without_msgfmt, says=r"GNU msgfmt is not installed \(Debian package 'gettext'\): run `make setup`"),
    # Red-team findings: disguised copies, added numbers and addresses, hidden marks
    Fault("the English in the box in Cyrillic look-alike letters", set_msgstr(WARNING_HEADING, "Gеt hеlp strаight аwаy"), says=r"warning box: .*(is the English text|mixes look-alike letters)"),
    Fault("the English in the box with one letter changed", set_msgstr(WARNING_HEADING, "Get help straight awaz"), says=r"warning box: .*is the English text"),
    Fault("a transliteration in Latin letters in the Arabic box", set_msgstr(WARNING_HEADING, "Utlubi al-musaada fawran", lang="ar"), command=["--lang", "ar", "--format", "A5", "--jobs", "1"], says=r"warning box: .*is mostly not in the Arabic script"),
    Fault("a number added as circled digits", set_msgstr(WARNING_HEADING, "Busque ayuda ⑨⑨⑨"), says=r"adds numbers the English does not have: 9"),
    Fault("a number added in Chinese numerals", set_msgstr(WARNING_HEADING, "立即求助 零九零六一二三", lang="zh_Hans"), command=["--lang", "zh-Hans", "--format", "A5", "--jobs", "1"], says=r"adds numbers the English does not have"),
    Fault("an e-mail address added to the warning box", set_msgstr(WARNING_HEADING, "Busque ayuda: ayuda@evil.example"), says=r"web address or URL the English does not have: ayuda@evil\.example"),
    Fault("a web address with a full-width dot", set_msgstr(WARNING_HEADING, "Busque ayuda en evil．example"), says=r"web address or URL the English does not have: evil\.example"),
    Fault("a protocol-relative address", set_msgstr(TIP, "Beba agua, vea //evil.example/x"), says=r"web address or URL the English does not have: //evil\.example"),
    Fault("a bidi isolate pair in a translation", set_msgstr(TIP, "Beba \u2066agua\u2069 cada día."), says=r"invisible control characters U\+2066, U\+2069"),
    Fault("a left-to-right mark in a Spanish translation", set_msgstr(TIP, "Beba\u200e agua cada día."), says=r"invisible control characters U\+200E"),
    Fault("a Cyrillic letter inside a Latin word", set_msgstr(TIP, "Bеba mucha agua durante el día."), says=r"mixes look-alike letters of different scripts in 'Bеba'"),
    Fault("a fuzzy flag written without a space", fuzzy_without_comma, says=r"warning box: .*fuzzy"),
    Fault("tashkeel in the Arabic warning box", set_msgstr(WARNING_HEADING, "اطلبي المساعدة فورًا", lang="ar"), command=["--lang", "ar", "--format", "A5", "--jobs", "1"], says=r"warning box: .*has combining marks \(U\+064B\) that PDF readers attach to the wrong letter"),
    Fault("tashkeel in Arabic outside the box builds", set_msgstr("Have a hot bath before bed to relax your muscles.", "خذي حمّامًا ساخنًا قبل النوم لإرخاء عضلاتك.", lang="ar"), command=["--lang", "ar", "--format", "A5", "--jobs", "1"], expect_code=0, says=r"1 edition\(s\) written"),
    # Red-team findings: the sign-off cannot be bent
    Fault("a sign-off with the reviewer's name edited", run=run_with_sign_off_edited, expect_code=0, says=r"note: .*es\.toml: seal: does not match", pdf_written=True),
    Fault("a sign-off code that is empty", run=run_review("--by", "Dr A, midwife", "--code", " "), expect_code=2, says=r"is not a sign-off code"),
    Fault("a sign-off code that does not match", run=run_review("--by", "Dr A, midwife", "--code", "0123abcd"), says=r"the text changed since the review packet with code 0123abcd"),
    Fault("a review dated in the future", run=run_review("--by", "Dr A, midwife", "--date", "2999-01-01"), expect_code=2, says=r"--date 2999-01-01 is in the future"),
    # Red-team findings: clinic files
    Fault("per-language clinic hours that are the English", clinic(GOOD_CLINIC + 'phone_hours = { en = "24 hours, every day", es = "24 HOURS every day" }\n'), expect_code=2, says=r"phone_hours\.es: is the English text"),
    Fault("Arabic clinic hours in Latin letters", clinic(GOOD_CLINIC + 'phone_hours = { en = "24 hours", ar = "24 saa kull yawm" }\n'), expect_code=2, says=r"phone_hours\.ar: is mostly not in the Arabic script"),
    Fault("Arabic clinic hours with tashkeel", clinic(GOOD_CLINIC + 'phone_hours = { en = "24 hours", ar = "على مدار ٢٤ ساعةً" }\n'), expect_code=2, says=r"phone_hours\.ar: has combining marks \(U\+064B\)"),
    Fault("a clinic phone with doubled separators", clinic(GOOD_CLINIC.replace("0161 496 0000", "0161--496--0000")), expect_code=2, says=r"phone: '0161--496--0000' is not a phone number"),
    Fault("a clinic phone spelled out digit by digit", clinic(GOOD_CLINIC.replace("0161 496 0000", "0 1 6 1 4 9 6 0 0 0 0 1 2 3")), expect_code=2, says=r"phone: .* characters long; at most 22"),
    Fault("a clinic website with a Kelvin sign", clinic(GOOD_CLINIC + 'website = "www.\u212aind-clinic.example"\n'), expect_code=2, says=r"website: .* is not a web address"),
    # Red-team findings: images, templates, folders, locks
    Fault("an SVG icon in UTF-16 declaring entities", write_bytes("templates/icons/warning.svg", UTF16_SVG), says=r"refused image warning\.svg: it is not UTF-8 text"),
    Fault("an SVG icon hiding url( behind a CSS escape", icon_svg(SVG.format('<style>rect {{ fill: u\\72l(file:///etc/hostname) }}</style><rect width="5" height="5"/>')), says=r"refused image warning\.svg: it has a backslash escape in its styles"),
    Fault("a template that is a link out of the project", symlink_at("templates/leaflet.html.j2", "/etc/hostname"), expect_code=2, says=r"template leaflet\.html\.j2 \(it leads out of .*\) cannot be used"),
    Fault("--out inside the package", run=run_out_inside("leafletpress"), expect_code=2, says=r"is inside .*leafletpress, which is part of the project"),
    Fault("--out inside .git", run=run_out_inside(".git"), expect_code=2, says=r"is inside .*\.git, which is part of the project"),
    Fault("update through a catalog that is a link inside the project", run=run_update_through_a_link, expect_code=0, says=r"the link stayed a link; its target was updated, mode kept"),
    Fault("extract while another catalog command runs", run=run_extract_while_locked, expect_code=2, says=r"another catalog command \(pid \d+\) is using .*locales"),
    # Red-team round 2: disguises not seen before
    Fault("the warning struck through with combining overlays", set_msgstr(WARNING_HEADING, "B\u0336u\u0336s\u0336q\u0336u\u0336e\u0336 ayuda"), says=r"warning box: .*marks that cross out, underline, enclose or pile up on letters \(U\+0336\)"),
    Fault("marks piled up over a letter", set_msgstr(TIP, "Beba a\u030d\u030d\u030d\u030d\u030d\u030d agua."), says=r"marks that cross out, underline, enclose or pile up on letters \(U\+030D\)"),
    Fault("the English in small capitals", set_msgstr(WARNING_HEADING, "ɢᴇᴛ ʜᴇʟᴘ ꜱᴛʀᴀɪɢʜᴛ ᴀᴡᴀʏ"), says=r"warning box: .*letters that are not part of the language's alphabet"),
    Fault("the English with accents added", set_msgstr(WARNING_HEADING, "Gét hélp stráíght áwáý"), says=r"warning box: .*is the English text"),
    Fault("a phone number in letters that look like digits", set_msgstr(WARNING_HEADING, "Busque ayuda: llame al OȢOO lƧƷ ƷƷƷ"), says=r"adds numbers the English does not have: 0800, 123, 333"),
    Fault("Chinese numerals spaced apart or in financial form", set_msgstr(WARNING_HEADING, "立即求助，拨打 九 九 九 或 玖零陆壹", lang="zh_Hans"), command=["--lang", "zh-Hans", "--format", "A5", "--jobs", "1"], says=r"adds numbers the English does not have: 九 九 九, 玖零陆壹"),
    Fault("a web address with a bracketed dot", set_msgstr(WARNING_HEADING, "Busque ayuda en ayuda-urgente[.]com"), says=r"web address or URL the English does not have: ayuda-urgente\.com"),
    Fault("a web address with the dot spelled out", set_msgstr(WARNING_HEADING, "Busque ayuda en ayuda-urgente punto com"), says=r"web address or URL the English does not have: ayuda-urgente\.com"),
    Fault("a web address after a Chinese word and an ideographic full stop", set_msgstr(WARNING_HEADING, "立即求助：百度。com", lang="zh_Hans"), command=["--lang", "zh-Hans", "--format", "A5", "--jobs", "1"], says=r"web address or URL the English does not have"),
    Fault("clinic hours that are a near-copy of the English", clinic(GOOD_CLINIC + 'phone_hours = { en = "24 hours a day, every day", es = "24 hour a day, every day" }\n'), expect_code=2, says=r"phone_hours\.es: is the English text: give it in the language"),
    Fault("a premium number in one language's clinic note", clinic(GOOD_CLINIC + 'note = { en = "Ask for the triage midwife.", es = "Si no contestan, llame al 0906 123 4567." }\n'), expect_code=2, says=r"note\.es: adds numbers the English does not have: 0906, 123, 4567"),
    Fault("an e-mail address in the clinic note", clinic(GOOD_CLINIC + 'note = "Write to help@evil.example"\n'), expect_code=2, says=r"note\.en: holds a web address \(help@evil\.example\)"),
    Fault("a phone number in the clinic name", clinic(GOOD_CLINIC.replace("Riverside Unit", "Riverside Unit call 0906 123 4567")), expect_code=2, says=r"name: holds a phone number"),
    Fault("clinic text in other languages without English", clinic(GOOD_CLINIC + 'note = { es = "Pregunte por la matrona." }\n'), expect_code=2, says=r"note: gives other languages but not English"),
    Fault("a build for another clinic file in the same folder", run=run_with_new_clinic_file, expect_code=0, says=r"1 moved to out-of-date/", pdf_written=True),
    Fault("a sign-off withdrawn after the build", run=run_with_sign_off_withdrawn, expect_code=0, says=r"1 moved to out-of-date/"),
    Fault("an edition changed by another program", run=run_with_pdf_edited_by_another_tool, expect_code=0, says=r"the edited copy was kept", pdf_written=True),
    Fault("a review packet that was signed on screen", run=run_packet_over_a_signed_one, expect_code=2, says=r"is already there and is not this packet \(annotated or signed\?\)"),
    Fault("the claims journal is a FIFO", run=run_claims_journal_fifo, expect_code=2, says=r"\.leafletpress-build\.claims is not a regular file"),
    Fault("a review without the packet's code", run=run_review("--by", "Dr A, midwife"), expect_code=2, says=r"give the sign-off code printed on the review packet"),
    Fault("a leaflet past its review date", past_review, says=r"leg-cramps\.toml: review: is past its review date \(2024-01-10\)"),
    # Pictures and Easy Read
    Fault("a picture name the leaflet does not define", replace_in("leaflets/leg-cramps.toml", 'item_pictures = ["leg", "foot"]', 'item_pictures = ["leg", "toe"]'), says=r"leg-cramps\.toml: section 'relief'\.item_pictures: 'toe' is not a picture of this leaflet"),
    Fault("fewer pictures than list items", replace_in("leaflets/leg-cramps.toml", 'item_pictures = ["leg", "foot"]', 'item_pictures = ["leg"]'), says=r"section 'relief'\.item_pictures: has 1 pictures for 2 items"),
    Fault("a picture file outside templates/icons", replace_in("leaflets/leg-cramps.toml", 'file = "tabler/bath.svg"', 'file = "../../leaflets/leg-cramps.toml.svg"'), says=r"pictures\.bath\.file: '\.\./\.\./leaflets/leg-cramps\.toml\.svg' must be an SVG file under templates/icons/"),
    Fault("a picture file that does not exist", replace_in("leaflets/leg-cramps.toml", 'file = "tabler/bath.svg"', 'file = "tabler/no-such-bath.svg"'), says=r"templates/icons/tabler/no-such-bath\.svg does not exist"),
    Fault("a picture that fetches a web address", write_bytes("templates/icons/tabler/bath.svg", SVG.format('<image href="https://evil.example/x.png" width="10" height="10"/>').encode()), says=r"refused image bath\.svg"),
    Fault("an Easy Read sentence of more than 15 words", replace_in("leaflets/leg-cramps.toml", 'text = "Your leg may also be swollen."', 'text = "Your leg may also be swollen and it may also feel hot and tight and heavy and sore."'), says=r"easy_read\.part\[0\]\.rows\[1\]\.text: has 18 words; an Easy Read sentence has at most 15"),
    Fault("an Easy Read row without a picture", replace_in("leaflets/leg-cramps.toml", '{ picture = "bath", text = ', '{ text = '), says=r"easy_read\.part\[2\]\.rows\[7\]: every row needs a picture and a sentence"),
    Fault("an Easy Read text whose warning is not first", replace_in("leaflets/leg-cramps.toml", "warning = true\nrows", "rows"), says=r"easy_read\.part: the first part, and only it, must be the warning"),
    Fault("an Easy Read warning sentence untranslated, even in a draft", set_msgstr("Your leg may also be swollen.", ""), command=["--lang", "es", "--format", "easy-read", "--jobs", "1", "--draft"], says=r"warning box: .*\"Your leg may also be swollen\.\" is untranslated"),
    Fault("the description of a picture in the warning box left fuzzy", set_msgstr("A phone", "Un teléfono", fuzzy=True), command=["--lang", "es", "--format", "easy-read", "--jobs", "1", "--draft"], says=r"warning box: .*\"A phone\" is fuzzy"),
    # The clinic's web address (QR code)
    Fault("an online address that is not http(s)", clinic(GOOD_CLINIC + 'online_url = "javascript:alert(1)//{lang}"\n'), expect_code=2, says=r"online_url: 'javascript:alert\(1\)//\{lang\}' must start with https://"),
    Fault("an online address with a password in it", clinic(GOOD_CLINIC + 'online_url = "https://user:pw@evil.example/{lang}"\n'), expect_code=2, says=r"online_url: the host part may hold no user name, password"),
    Fault("an online address with an unknown placeholder", clinic(GOOD_CLINIC + 'online_url = "https://example.org/{leaflet}/{page}"\n'), expect_code=2, says=r"online_url: may hold only \{leaflet\} and \{lang\} in braces"),
    Fault("an online address with a space or bidi control", clinic(GOOD_CLINIC + 'online_url = "https://example.org/\u202e{lang}"\n'), expect_code=2, says=r"online_url: contains characters a reader cannot see \(U\+202E\)"),
    Fault("an online address with a stray bracket", clinic(GOOD_CLINIC + 'online_url = "https://[example.org/{lang}"\n'), expect_code=2, says=r"online_url: 'https://\[example\.org/\{lang\}' has no valid host name"),
    Fault("an online address with a broken percent sign", clinic(GOOD_CLINIC + 'online_url = "https://example.org/%{lang}"\n'), expect_code=2, says=r"online_url: .* has a % not followed by two hex digits"),
    Fault("a MIME encoded word in a translated title", set_msgstr("Leg cramps in pregnancy", "Calambres =?us-ascii?q?no_lea_esto?="), says=r"contains a MIME encoded word"),
    Fault("a zero-width space inside a translation", set_msgstr(TIP, "Beba mucha\u200b agua."), says=r"contains characters a reader cannot see \(U\+200B\)"),
    Fault("hidden tag characters spelling words in an email line", set_msgstr("The leaflet is attached to this email as a PDF file.", "El folleto va adjunto.\U000e0049\U000e0047", domain="leafletpress"), says=r"contains characters a reader cannot see \(U\+E0049"),
    Fault("an Easy Read row with no words", replace_in("leaflets/leg-cramps.toml", 'text = "Your leg may also be swollen."', 'text = "..."'), says=r"easy_read\.part\[0\]\.rows\[1\]\.text: has no words"),
    Fault("a picture on the warning section", replace_in("leaflets/leg-cramps.toml", 'kind = "warning"\n', 'kind = "warning"\npicture = "leg"\n'), says=r"section 'warning'\.picture: the warning section carries the warning triangle"),
    Fault("a picture with a script in it", write_bytes("templates/icons/tabler/bath.svg", SVG.format('<script>alert(1)</script>').encode()), says=r"refused image bath\.svg: it holds a script"),
    # Glossaries (locales/<lang>/glossary.tbx)
    Fault("a term the glossary forbids in the warning box", set_msgstr(BOX, BOX_ES.replace("su matrona (partera profesional)", "su partera")), command=[*BUILD_ES, "--draft"], says=r'warning box: .*uses «partera», which the glossary forbids for "midwife" \(locales/es/glossary\.tbx:\d+'),
    Fault("none of the glossary's terms in the warning box", set_msgstr(BOX, BOX_ES.replace("su matrona (partera profesional)", "su enfermera")), says=r'warning box: .*has none of the glossary\'s terms for "midwife"'),
    Fault("check warns of a glossary term missing outside the box", set_msgstr(SUPPLEMENT, "Pregunte siempre a su médico antes de tomar cualquier pastilla o producto con vitaminas."), run=run_check, expect_code=0, says=r'leg-cramps\.po:\d+: .*has none of the glossary\'s terms for "supplement" .*\(warning\)$'),
    Fault("a glossary that is not well-formed", replace_in("locales/es/glossary.tbx", "</termEntry>", "</termEntri>"), says=r"locales/es/glossary\.tbx:\d+: not well-formed XML"),
    Fault("a glossary with an unknown term status", replace_in("locales/es/glossary.tbx", "deprecatedTerm-admn-sts", "forbidden"), run=run_check, says=r"glossary\.tbx:\d+: term 'partera': administrative status 'forbidden' is not one of"),
    Fault("a glossary that is a FIFO", fifo_at("locales/es/glossary.tbx"), says=r"glossary\.tbx: is a FIFO \(named pipe\), not a file"),
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
        assert fault.pdf_written is None or (out / ES_PDF).exists() == fault.pdf_written, text
    assert not list(out.rglob(".partial-*")) and not list(project.root.rglob(".partial-*"))


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
