"""`make_leaflets.py watch`: rebuild on every save, serve the output folder, reload the index page.

The preview is driven through its API (`Preview.start`, `wait_for_build`, `stop`); every wait has a
timeout and none is a sleep.
"""

import http.client
import io
import json
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pypdfium2
import pytest

from leafletpress.core.problems import LeafletPressError
from leafletpress.pipeline.plan import BuildRequest
from leafletpress.preview import Preview, Rebuild
from leafletpress.preview.server import BUILD_ENDPOINT, built_file, is_own_host, widen_policy, with_reload_script
from leafletpress.preview.watch import is_input
from tests.support import ROOT, edit

TIMEOUT = 60  # seconds: only ever reached when something is broken
TITLE = 'msgstr "Calambres en las piernas durante el embarazo"'  # outside the warning box


@pytest.fixture
def preview(project, tmp_path):
    """A running preview of the English and Spanish A5 editions, after its first build."""
    output = io.StringIO()
    request = BuildRequest(out=tmp_path / "out", languages=("en", "es"), formats=("A5",))
    running = Preview(project, request, port=0, stream=output)
    running.start()
    first = running.wait_for_build(after=0, timeout=TIMEOUT)
    assert first is not None and first.result.ok, output.getvalue()
    assert first.written == ["leg-cramps_en_A5.pdf", "leg-cramps_es_A5.pdf"]
    yield running, first, output
    running.stop()


def catalog(project) -> Path:
    return project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po"


def pdf_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)  # lines joined


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


OWN_HOST = object()


def raw_answer(url: str, target: bytes, host=OWN_HOST) -> tuple[int, bytes]:
    """Status and body for a GET of `target` sent byte for byte (urllib would tidy `..` away and
    refuse what is not ASCII), with this Host header (None: none)."""
    address = url.removeprefix("http://").rstrip("/")
    name, port = address.split(":")
    host = address.encode() if host is OWN_HOST else host
    with socket.create_connection((name, int(port)), timeout=TIMEOUT) as connection:
        connection.sendall(
            b"GET " + target + b" HTTP/1.1\r\n" + (b"Host: " + host + b"\r\n" if host is not None else b"")
            + b"Connection: close\r\n\r\n"
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert answer, f"no answer at all to {target[:60]!r}"
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def raw_status(url: str, path: str) -> int:
    return raw_answer(url, path.encode())[0]


def build_number(url: str, since: int | None = None) -> int:
    query = f"?since={since}" if since is not None else ""
    return json.loads(get(url.rstrip("/") + BUILD_ENDPOINT + query)[1])["build"]


def test_only_inputs_start_a_build(project):
    root = project.root
    inputs = [
        "locales/es/LC_MESSAGES/leg-cramps.po", "locales/pt_PT", "locales/es/LC_MESSAGES", "leaflets/leg-cramps.toml",
        "templates/a5.css", "templates/icons/warning.svg", "reviews/leg-cramps/es.toml",
    ]
    others = [
        "locales/es/LC_MESSAGES/.leg-cramps.po.swp", "locales/es/LC_MESSAGES/leg-cramps.po.swp",
        "locales/es/LC_MESSAGES/leg-cramps.po~", "locales/es/LC_MESSAGES/.#leg-cramps.po",
        "locales/es/LC_MESSAGES/4913", "locales/es/LC_MESSAGES/#leg-cramps.po#", "locales/es/LC_MESSAGES/sedAb12Cd",
        "locales/es/LC_MESSAGES/leg-cramps.mo", "locales/leg-cramps.pot", "locales/.leafletpress.lock",
        "locales/es/LC_MESSAGES/.partial-x1.tmp", "templates/.print.css.swp", "templates/print.css~",
        "templates/print.css___jb_tmp___", "leaflets/leg-cramps.toml.bak", "leaflets/notes.txt", "README.md",
        "build/leaflets/index.html",
    ]
    assert [path for path in inputs if not is_input(root / path, project)] == []
    assert [path for path in others if is_input(root / path, project)] == []


def test_the_served_copy_of_a_page_lets_the_reload_script_run():
    page = '<html><head><meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src &#39;self&#39;"></head><body>x</body></html>'
    served = with_reload_script(page, 7)
    assert "var build=7;" in served and served.index("<script>") < served.index("</body>")
    policy = served.split('content="')[1].split('"')[0].replace("&#x27;", "'")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["default-src"] == ["'none'"] and directives["img-src"] == ["'self'"]
    assert directives["script-src"][0].startswith("'sha256-") and directives["connect-src"] == ["'self'"]
    assert widen_policy("script-src 'self' 'unsafe-inline'", "'sha256-x'") == "script-src 'self' 'unsafe-inline'"
    assert widen_policy("img-src 'self'", "'sha256-x'") == "img-src 'self'"  # scripts and requests are not restricted
    assert with_reload_script("<p>no body tag", 1).startswith("<p>no body tag<script>")


def test_only_files_the_build_made_are_named_and_any_path_is_safe(tmp_path):
    folder = tmp_path.resolve()
    built = frozenset({"index.html", "leg-cramps_es_A5.pdf", "thumbnails/leg-cramps_es_A5.png"})
    for name in ("index.html", "leg-cramps_es_A5.pdf", "secret-notes.txt", ".leafletpress-build.json"):
        (folder / name).write_text("x", encoding="utf-8")
    assert built_file(folder, "/", built) == folder / "index.html"
    assert built_file(folder, "/leg-cramps_es_A5.pdf", built) == folder / "leg-cramps_es_A5.pdf"
    assert built_file(folder, "/leg%2Dcramps_es_A5.pdf", built) == folder / "leg-cramps_es_A5.pdf"
    for path in (
        "/secret-notes.txt", "/.leafletpress-build.json", "/thumbnails/../index.html", "/./index.html", "//index.html",
        "/%00", "/index.html%00", "/%ff%fe", "/%zz", "/%", "/\udcff", "/\x00", "/" + "a" * 100_000, "/" + "a/" * 5000,
        "index.html", "", "http://127.0.0.1/index.html",
    ):
        assert built_file(folder, path, built) is None, path[:40]
    assert is_own_host(["127.0.0.1:8000"], 8000) and is_own_host(["LOCALHOST:8000"], 8000)
    for hosts in (["evil.example:8000"], ["127.0.0.1:8001"], ["127.0.0.1"], [], ["localhost:8000", "evil.example"], ["[::1]:8000"]):
        assert not is_own_host(hosts, 8000), hosts


@pytest.mark.slow
def test_a_saved_translation_rebuilds_exactly_that_edition(preview):
    running, first, output = preview
    project_catalog = catalog(running.project)
    pdf = running.request.out / "leg-cramps_es_A5.pdf"
    before = pdf.read_bytes()
    assert build_number(running.url) == first.number
    waiting = queue.Queue()
    poll = threading.Thread(target=lambda: waiting.put(build_number(running.url, since=first.number)))
    poll.start()  # a page's long poll, answered when the next build has finished
    # An editor's swap, lock and write-test files first: they must not start a build of their own.
    for name in (".leg-cramps.po.swp", "leg-cramps.po~", ".#leg-cramps.po", "4913"):
        (project_catalog.parent / name).write_text("scratch", encoding="utf-8")
    edit(project_catalog, TITLE, 'msgstr "Calambres de piernas en el embarazo"')
    rebuild = running.wait_for_build(after=first.number, timeout=TIMEOUT)
    assert rebuild is not None, output.getvalue()
    assert rebuild.number == first.number + 1 and rebuild.changed == {project_catalog}
    assert rebuild.result.ok and rebuild.written == ["leg-cramps_es_A5.pdf"]
    assert pdf.read_bytes() != before and "Calambres de piernas en el embarazo" in pdf_text(pdf)
    assert waiting.get(timeout=TIMEOUT) == rebuild.number
    assert build_number(running.url) == rebuild.number
    assert "wrote   " in output.getvalue() and "1 edition(s) written, 1 up to date" in output.getvalue()


@pytest.mark.slow
def test_the_server_serves_the_built_files_and_nothing_else(preview, tmp_path, capsys):
    running, first, output = preview
    out = running.request.out
    assert running.url.startswith("http://127.0.0.1:")
    status, page = get(running.url)
    assert status == 200 and b'href="leg-cramps_es_A5.pdf"' in page and BUILD_ENDPOINT.encode() in page
    assert get(running.url + "index.html")[1] == page
    assert BUILD_ENDPOINT.encode() not in (out / "index.html").read_bytes()  # the file on disk is left as built
    assert get(running.url + "leg-cramps_es_A5.pdf") == (200, (out / "leg-cramps_es_A5.pdf").read_bytes())
    assert get(running.url + "thumbnails/leg-cramps_es_A5.png")[0] == 200
    assert get(running.url + "manifest.json")[0] == 200
    (tmp_path / "secret.txt").write_text("not for the browser", encoding="utf-8")
    (out / "outside.txt").symlink_to(tmp_path / "secret.txt")
    (out / "inside.pdf").symlink_to(out / "leg-cramps_es_A5.pdf")
    (out / "linked").symlink_to(tmp_path)
    # Files in the folder that the build did not make: someone's notes, a copy made by hand.
    (out / "secret-notes.txt").write_text("not for the browser", encoding="utf-8")
    shutil.copy(out / "leg-cramps_es_A5.pdf", out / "leg-cramps_fr_A5.pdf")
    shutil.copy(out / "thumbnails" / "leg-cramps_es_A5.png", out / "thumbnails" / "copy.png")
    for path in (
        "/../secret.txt", "/%2e%2e/secret.txt", "/thumbnails/../../secret.txt", "/outside.txt", "/inside.pdf",
        "/linked/secret.txt", "/.leafletpress-build.json", "/.leafletpress-build.claims", "/thumbnails/",
        "/thumbnails", "/missing.pdf", "/secret-notes.txt", "/leg-cramps_fr_A5.pdf", "/thumbnails/copy.png",
        "/thumbnails/../index.html",
    ):
        assert raw_status(running.url, path) == 404, path
    # A path that cannot name a file is not found: never a traceback, never a dropped connection.
    for target in (b"/%00", b"/index.html%00", b"/%ff%fe", b"/%zz", b"/%", b"/\xff\xfe.pdf", b"/" + b"a" * 60_000):
        assert raw_answer(running.url, target) == (404, b"not found\n"), target[:40]
    assert raw_answer(running.url, b"/" + b"a" * 70_000)[0] == 414  # http.server refuses it before we see it
    assert "Traceback" not in capsys.readouterr().err
    # Only requests addressed to 127.0.0.1 or localhost at this port: not a page elsewhere whose
    # host name was pointed at 127.0.0.1 (DNS rebinding).
    port = running.url.rstrip("/").rsplit(":", 1)[1]
    assert raw_answer(running.url, b"/", host=f"localhost:{port}".encode())[0] == 200
    assert raw_answer(running.url, b"/leg-cramps_es_A5.pdf", host=f"LocalHost:{port}".encode())[0] == 200
    for host in (f"evil.example:{port}".encode(), b"127.0.0.1:1", b"127.0.0.1", b"", None):
        for target in (b"/", b"/leg-cramps_es_A5.pdf", BUILD_ENDPOINT.encode(), b"/missing.pdf"):
            status, body = raw_answer(running.url, target, host=host)
            assert status == 403 and body.count(b"\n") == 1 and len(body) < 100, (host, target, body)


@pytest.mark.slow
def test_a_broken_catalog_is_reported_and_watching_goes_on(preview):
    running, first, output = preview
    project_catalog = catalog(running.project)
    good = project_catalog.read_text(encoding="utf-8")
    assert get(running.url)[0] == 200  # the server has read the build record
    project_catalog.write_text(good + '\nmsgid "unfinished\n', encoding="utf-8")
    broken = running.wait_for_build(after=first.number, timeout=TIMEOUT)
    assert broken is not None and not broken.result.ok and broken.written == []
    assert "FAILED  leg-cramps_es_A5.pdf" in output.getvalue() and "leg-cramps.po:" in output.getvalue()
    # The build moved the edition to out-of-date/: the server reads the record again and serves it there.
    [moved] = (running.request.out / "out-of-date").glob("*.pdf")
    assert get(running.url + f"out-of-date/{moved.name}") == (200, moved.read_bytes())
    assert raw_status(running.url, "/leg-cramps_es_A5.pdf") == 404
    project_catalog.write_text(good.replace(TITLE, 'msgstr "Calambres de piernas en el embarazo"'), encoding="utf-8")
    fixed = running.wait_for_build(after=broken.number, timeout=TIMEOUT)
    assert fixed is not None and fixed.result.ok and fixed.written == ["leg-cramps_es_A5.pdf"]


def wait_until(running, after: int, holds, output) -> Rebuild:
    """The first build after `after` for which `holds` (saves may come in several batches)."""
    while (rebuild := running.wait_for_build(after=after, timeout=TIMEOUT)) is not None:
        if holds(rebuild):
            return rebuild
        after = rebuild.number
    raise AssertionError(f"no such build:\n{output.getvalue()}")


@pytest.mark.slow
def test_a_folder_removed_and_restored_or_made_later_is_watched(preview, tmp_path):
    """A watcher sees nothing in a folder removed and made again (`rm -rf templates; git checkout
    -- templates`), nor in one made after it started (reviews/): they are watched anew."""
    running, first, output = preview
    root = running.project.root
    templates = running.project.templates_dir
    shutil.copytree(templates, tmp_path / "templates-copy")
    shutil.rmtree(templates)
    shutil.copytree(tmp_path / "templates-copy", templates)
    restored = wait_until(running, first.number, lambda build: templates in build.changed and build.result and build.result.ok, output)
    edit(templates / "icons" / "warning.svg", "#ffd400", "#ff8800")
    wait_until(running, restored.number, lambda build: build.written == ["leg-cramps_en_A5.pdf", "leg-cramps_es_A5.pdf"], output)
    # Renamed away and back (the same folder, the same inode), then reviews/ made after the start.
    templates.rename(tmp_path / "templates-away")
    (tmp_path / "templates-away").rename(templates)
    (root / "reviews").mkdir()
    made = wait_until(running, first.number, lambda build: root / "reviews" in build.changed, output)
    (root / "reviews" / "leg-cramps").mkdir()
    wait_until(running, made.number, lambda build: root / "reviews" / "leg-cramps" in build.changed, output)
    edit(templates / "icons" / "warning.svg", "#ff8800", "#ffd400")
    wait_until(running, made.number, lambda build: build.written == ["leg-cramps_en_A5.pdf", "leg-cramps_es_A5.pdf"], output)
    assert "stopped watching" not in output.getvalue()


class Said(io.StringIO):
    """An output that tells when a line with these words was printed."""

    def __init__(self, words: str):
        super().__init__()
        self.words, self.said = words, threading.Event()

    def write(self, text: str) -> int:
        if self.words in text:
            self.said.set()
        return super().write(text)


@pytest.mark.slow
def test_a_watch_that_stops_says_so_in_one_line(project, tmp_path, monkeypatch):
    import watchfiles

    watch = watchfiles.watch

    def failing(*folders, **options):
        if options["recursive"]:
            yield set()  # watching…
            raise RuntimeError("inotify watch limit reached")
        yield from watch(*folders, **options)

    monkeypatch.setattr(watchfiles, "watch", failing)
    output = Said("stopped watching")
    running = Preview(project, BuildRequest(out=tmp_path / "out", languages=("en",), formats=("A5",)), port=0, stream=output)
    running.start()
    try:
        assert output.said.wait(TIMEOUT)
        assert running.wait_for_build(after=0, timeout=TIMEOUT) is not None
        [line] = [line for line in output.getvalue().splitlines() if "stopped watching" in line]
        assert "inotify watch limit reached" in line and "run watch again" in line and "templates/" in line
        assert get(running.url)[0] == 200  # the built files are still served
    finally:
        running.stop()

    def broken(*folders, **options):
        raise RuntimeError("inotify watch limit reached")
        yield set()

    monkeypatch.setattr(watchfiles, "watch", broken)
    with pytest.raises(LeafletPressError, match="could not watch .*inotify watch limit reached"):
        Preview(project, BuildRequest(out=tmp_path / "out"), port=0, stream=io.StringIO()).start()


@pytest.mark.slow
def test_a_template_error_is_reported_and_an_edited_icon_is_printed_anew(preview):
    """The build tools are made anew after a change in templates/: WeasyPrint caches images by URL."""
    running, first, output = preview
    templates = running.project.templates_dir
    pdf = running.request.out / "leg-cramps_es_A5.pdf"
    before = pdf.read_bytes()
    template = templates / "leaflet.html.j2"
    original = template.read_text(encoding="utf-8")
    template.write_text(original + "{% endif %}\n", encoding="utf-8")
    broken = running.wait_for_build(after=first.number, timeout=TIMEOUT)
    assert broken is not None and broken.result is None and "template error" in broken.errors[0]
    assert "template error: Encountered unknown tag 'endif'" in output.getvalue()
    template.write_text(original, encoding="utf-8")
    edit(templates / "icons" / "warning.svg", "#ffd400", "#ff8800")
    rebuilt = running.wait_for_build(after=broken.number, timeout=TIMEOUT)
    while rebuilt is not None and rebuilt.written == []:  # the two saves may come in two batches
        rebuilt = running.wait_for_build(after=rebuilt.number, timeout=TIMEOUT)
    assert rebuilt is not None and rebuilt.result.ok
    assert rebuilt.written == ["leg-cramps_en_A5.pdf", "leg-cramps_es_A5.pdf"]
    assert pdf.read_bytes() != before  # the new icon, not the cached one


@pytest.mark.slow
def test_an_edited_clinic_file_is_read_again(project, tmp_path):
    from leafletpress.inputs.clinic import load_clinic

    folder = tmp_path / "clinic"
    shutil.copytree(ROOT / "examples" / "clinic", folder)
    clinic = load_clinic(folder / "clinic.toml")
    request = BuildRequest(out=tmp_path / "out", languages=("es",), formats=("A5",), clinic=clinic)
    output = io.StringIO()
    running = Preview(project, request, port=0, stream=output)
    running.start()
    try:
        first = running.wait_for_build(after=0, timeout=TIMEOUT)
        assert first is not None and first.written == ["leg-cramps_es_A5.pdf"], output.getvalue()
        edit(folder / "clinic.toml", clinic.name, "Lakeside Maternity Unit")
        rebuild = running.wait_for_build(after=first.number, timeout=TIMEOUT)
        assert rebuild is not None and rebuild.changed == {(folder / "clinic.toml").resolve()}, output.getvalue()
        assert rebuild.written == ["leg-cramps_es_A5.pdf"]
        assert "Lakeside Maternity Unit" in pdf_text(request.out / "leg-cramps_es_A5.pdf")
    finally:
        running.stop()


@pytest.mark.slow
def test_the_index_page_reloads_in_a_browser_under_a_strict_policy(project, tmp_path):
    """A Content-Security-Policy in the index forbids inline scripts and requests: the served copy
    lets the reload script (only) run, and the page reloads after a rebuild."""
    from playwright.sync_api import sync_playwright

    policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    edit(project.templates_dir / "index.html.j2", '<meta charset="utf-8">', f'<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="{policy}">')
    browser_path = shutil.which("chromium")
    assert browser_path, "Debian's chromium is installed by `make setup`"
    running = Preview(project, BuildRequest(out=tmp_path / "out", languages=("en",), formats=("A5",)), port=0, stream=io.StringIO())
    running.start()
    problems = []
    try:
        first = running.wait_for_build(after=0, timeout=TIMEOUT)
        assert first is not None and first.result.ok
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=browser_path,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            )
            page = browser.new_page()
            page.on("console", lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None)
            page.on("response", lambda response: problems.append(response.url) if response.status != 200 and "favicon" not in response.url else None)
            with page.expect_request(lambda request: BUILD_ENDPOINT in request.url, timeout=TIMEOUT * 1000):
                page.goto(running.url)  # the script runs: it asks the server for the next build
            page.evaluate("window.beforeTheRebuild = true")
            with page.expect_event("load", timeout=TIMEOUT * 1000):
                running.rebuild()  # nothing to rebuild, but a build: the page reloads
            assert page.evaluate("window.beforeTheRebuild") is None
            assert page.locator("a[href='leg-cramps_en_A5.pdf']").count() == 2
            browser.close()
    finally:
        running.stop()
    assert problems == []


@pytest.mark.slow
def test_ctrl_c_stops_the_command_cleanly(project):
    command = [sys.executable, str(ROOT / "make_leaflets.py"), "watch", "--lang", "es", "--format", "A5", "--port", "0", "--jobs", "1"]
    process = subprocess.Popen(command, cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        seen = [lines.get(timeout=TIMEOUT)]
        while not seen[-1].startswith("serving "):
            seen.append(lines.get(timeout=TIMEOUT))
        url = seen[-1].split()[1]
        assert get(url)[0] == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=TIMEOUT) == 130
    finally:
        process.kill()
    out = project.root / "build" / "leaflets"
    assert (out / "leg-cramps_es_A5.pdf").is_file()
    assert [path.name for path in out.rglob("*") if path.name.startswith(".partial-")] == []
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=TIMEOUT)
