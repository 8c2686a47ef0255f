"""The preview's web server: the built files on 127.0.0.1, and pages that reload after a rebuild.

Only the files the build made are served: those its build record lists (read again after every
build), each a regular file in the output folder reached without a symbolic link. Anything else
there (someone's notes, the record itself, a folder's listing) is not found, whatever the path
says. Only requests addressed to this server by name (Host `127.0.0.1:PORT` or `localhost:PORT`)
are answered: a web page that points its own host name at 127.0.0.1 (DNS rebinding) is refused.
A request path that cannot name a file (bad percent-encoding, a null byte, too long) is not found.

Every HTML page is served with a small script added that long-polls `/__leafletpress__/build` for
the build number and reloads the page when it changes; the files on disk are never changed. A
Content-Security-Policy <meta> in a page is widened, in the served copy only, just enough for that
script to run (by its hash) and to reach this server.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import re
import stat
import sys
import threading
from email.utils import formatdate
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote

from leafletpress.core.problems import UsageError
from leafletpress.pipeline.record import CLAIMS, RECORD, is_own_name, read_record

HOST = "127.0.0.1"  # never another interface: unchecked editions are not for the network
BUILD_ENDPOINT = "/__leafletpress__/build"
LONG_POLL_SECONDS = 25  # a page's request waits this long for a build before asking again
RELOAD_SCRIPT = (
    "(function(){var build={build};function poll(){"
    "fetch('" + BUILD_ENDPOINT + "?since='+build,{cache:'no-store'})"
    ".then(function(answer){return answer.json();})"
    ".then(function(answer){if(answer.build!==build){location.reload();}else{poll();}},"
    "function(){setTimeout(poll,1000);});}poll();})();"
)
META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
CSP_META = re.compile(r"""http-equiv\s*=\s*["']?content-security-policy["'\s/>]""", re.IGNORECASE)
CONTENT = re.compile(r"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


class Builds:
    """How many builds have finished, and the latest; threads can wait for the next one."""

    def __init__(self):
        self._condition = threading.Condition()
        self._closed = False
        self.number = 0
        self.latest = None

    def publish(self, build) -> None:
        with self._condition:
            self.number += 1
            self.latest = build
            self._condition.notify_all()

    def wait_after(self, number: int, timeout: float) -> bool:
        """Wait until a build after `number` has finished (True), or the timeout or close (False)."""
        with self._condition:
            self._condition.wait_for(lambda: self.number > number or self._closed, timeout)
            return self.number > number

    def close(self) -> None:
        """Wake every waiter: the preview is stopping."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()


class BuiltFiles:
    """The names (relative to the folder) of the files the build made, as its build record lists
    them: read again after every build, and whenever the record or its journal changes on disk."""

    def __init__(self, folder: Path, builds: Builds):
        self.folder = folder
        self.builds = builds
        self._lock = threading.Lock()
        self._read_for: tuple | None = None
        self._names: frozenset[str] = frozenset()

    def names(self) -> frozenset[str]:
        key = (self.builds.number, file_stamp(self.folder / RECORD), file_stamp(self.folder / CLAIMS))
        with self._lock:
            if key != self._read_for:
                try:
                    names = frozenset(filter(is_own_name, read_record(self.folder).owned()))
                except Exception:  # an unreadable record: serve nothing rather than guess
                    names = frozenset()
                self._read_for, self._names = key, names
            return self._names


def file_stamp(path: Path) -> tuple | None:
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


class PreviewServer:
    """The built files of the output folder served on 127.0.0.1 from a background thread."""

    def __init__(self, folder: Path, builds: Builds, port: int):
        if not 0 <= port <= 65535:
            raise UsageError(f"--port {port} is not a port number: give 1-65535, or 0 for any free port")
        self.folder = Path(folder).resolve()
        self.builds = builds
        self.built = BuiltFiles(self.folder, builds)
        self.port = port
        self._server: QuietServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> None:
        handler = partial(PreviewHandler, directory=str(self.folder), builds=self.builds, built=self.built)
        try:
            self._server = QuietServer((HOST, self.port), handler)
        except OSError as error:
            raise UsageError(
                f"cannot serve on {HOST} port {self.port} ({error.strerror or error}): choose another with --port, "
                "or --port 0 for any free port"
            ) from None
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="leafletpress-preview-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.builds.close()
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser leaving a page mid-answer is normal
            super().handle_error(request, client_address)


class PreviewHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args, builds: Builds, built: BuiltFiles, **kwargs):
        self.builds = builds
        self.built = built
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args) -> None:
        pass  # quiet: the terminal is for the builds

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must show the rebuilt files
        super().end_headers()

    def send_head(self):
        port = self.server.server_address[1]
        if not is_own_host(self.headers.get_all("Host") or [], port):
            return self.send_line(HTTPStatus.FORBIDDEN, f"forbidden: open http://{HOST}:{port}/")
        path, _, query = self.path.partition("#")[0].partition("?")
        if path == BUILD_ENDPOINT:
            return self.send_build_number(query)
        file = built_file(Path(self.directory), path, self.built.names())
        try:
            opened = open_regular(file) if file else None
            if opened is not None and file.suffix.lower() in (".html", ".htm"):
                with opened:
                    return self.send_page(opened.read())
        except OSError:  # removed or replaced since it was checked
            opened = None
        if opened is None:
            return self.send_line(HTTPStatus.NOT_FOUND, "not found")
        status = os.fstat(opened.fileno())
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Length", str(status.st_size))
        self.send_header("Last-Modified", formatdate(status.st_mtime, usegmt=True))
        self.end_headers()
        return opened

    def send_page(self, data: bytes):
        build = self.builds.number  # before reading: a build finishing meanwhile then reloads the page
        page = data.decode("utf-8", "surrogateescape")
        body = with_reload_script(page, build).encode("utf-8", "surrogateescape")
        return self.send_body(body, "text/html; charset=utf-8")

    def send_build_number(self, query: str):
        since = parse_qs(query).get("since", [""])[0]
        if since.isascii() and since.isdigit():
            self.builds.wait_after(int(since), LONG_POLL_SECONDS)
        return self.send_body(json.dumps({"build": self.builds.number}).encode("ascii"), "application/json")

    def send_line(self, status: HTTPStatus, line: str):
        return self.send_body(f"{line}\n".encode("utf-8"), "text/plain; charset=utf-8", status)

    def send_body(self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def is_own_host(hosts: list[str], port: int) -> bool:
    """Whether the request's Host header names this server: one header, `127.0.0.1:PORT` or
    `localhost:PORT`. Any other name is a page elsewhere reaching 127.0.0.1 through its own."""
    names = {f"{HOST}:{port}", f"localhost:{port}"}
    if port == 80:
        names |= {HOST, "localhost"}  # the default port is left out of the header
    return len(hosts) == 1 and hosts[0].strip().lower() in names


def built_file(folder: Path, request_path: str, built: frozenset[str]) -> Path | None:
    """The file of `folder` (a real path) that `request_path` (as sent, percent-encoded) names,
    when the build made it (its name is in `built`, from the build record) and it is reached
    without any symbolic link; otherwise None, for any path at all."""
    try:
        if not request_path.startswith("/"):
            return None
        name = "index.html" if request_path == "/" else unquote(request_path[1:], errors="strict")
        if name not in built:
            return None
        path = folder / name
        if os.path.realpath(path) != str(path):  # a link somewhere on the way
            return None
        return path
    except (ValueError, OSError):  # bad percent-encoding, not UTF-8, a null byte, too long
        return None


def open_regular(path: Path):
    """`path` opened for reading when it is a regular file (a link is not followed); else None."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)  # a FIFO must not block
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return None
    return os.fdopen(descriptor, "rb")


def with_reload_script(page: str, build: int) -> str:
    """The page with the reload script added before </body>, and its CSP (if any) allowing it."""
    script = RELOAD_SCRIPT.replace("{build}", str(build))
    script_hash = "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"
    page = META.sub(lambda meta: widen_csp_meta(meta.group(0), script_hash), page)
    tag = f"<script>{script}</script>"
    ends = list(BODY_END.finditer(page))
    if not ends:
        return page + tag
    return page[: ends[-1].start()] + tag + page[ends[-1].start() :]


def widen_csp_meta(meta: str, script_hash: str) -> str:
    content = CONTENT.search(meta)
    if not CSP_META.search(meta) or not content:
        return meta
    policy = html.unescape(content.group(1) if content.group(1) is not None else content.group(2))
    widened = f'content="{html.escape(widen_policy(policy, script_hash), quote=True)}"'
    return meta[: content.start()] + widened + meta[content.end() :]


def widen_policy(policy: str, script_hash: str) -> str:
    """A policy that also lets one inline script (by hash) run and fetch from its own origin.

    Only what the policy restricts is widened: scripts where script-src-elem, script-src or
    default-src governs them, requests where connect-src or default-src does."""
    directives: dict[str, list[str]] = {}
    for text in policy.split(";"):
        words = text.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])  # browsers obey the first of a repeated one
    fallback = directives.get("default-src")
    script_names = [name for name in ("script-src-elem", "script-src") if name in directives]
    if not script_names and fallback is not None:
        directives["script-src"] = list(fallback)
        script_names = ["script-src"]
    for name in script_names:
        directives[name] = with_source(directives[name], script_hash)
    if "connect-src" not in directives and fallback is not None:
        directives["connect-src"] = list(fallback)
    if "connect-src" in directives:
        directives["connect-src"] = with_source(directives["connect-src"], "'self'")
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def with_source(sources: list[str], source: str) -> list[str]:
    lowered = [item.lower() for item in sources]
    if "'none'" in lowered:
        return [source]
    if source.lower() in lowered:
        return sources
    hashes_or_nonces = any(item.startswith(("'sha256-", "'sha384-", "'sha512-", "'nonce-")) for item in lowered)
    inline_allowed = "'unsafe-inline'" in lowered and not hashes_or_nonces and "'strict-dynamic'" not in lowered
    if source.startswith("'sha") and inline_allowed:
        return sources  # inline scripts are allowed already; adding a hash would turn that off
    return [*sources, source]
