"""The preview's web server: the output folder on 127.0.0.1, and pages that reload after a rebuild.

Only regular files inside the output folder are served: no folder listings, no hidden files (the
build record, the lock) and nothing reached through a symbolic link, which http.server alone would
follow out of the folder. Every HTML page is served with a small script added that long-polls
`/__leafletpress__/build` for the build number and reloads the page when it changes; the files on
disk are never changed. A Content-Security-Policy <meta> in a page is widened, in the served copy
only, just enough for that script to run (by its hash) and to reach this server.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import re
import sys
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from leafletpress.core.problems import UsageError

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


class PreviewServer:
    """The output folder served on 127.0.0.1 from a background thread."""

    def __init__(self, folder: Path, builds: Builds, port: int):
        if not 0 <= port <= 65535:
            raise UsageError(f"--port {port} is not a port number: give 1-65535, or 0 for any free port")
        self.folder = Path(folder).resolve()
        self.builds = builds
        self.port = port
        self._server: QuietServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> None:
        handler = partial(PreviewHandler, directory=str(self.folder), builds=self.builds)
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
    def __init__(self, *args, builds: Builds, **kwargs):
        self.builds = builds
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args) -> None:
        pass  # quiet: the terminal is for the builds

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must show the rebuilt files
        super().end_headers()

    def send_head(self):
        address = urlsplit(self.path)
        if address.path == BUILD_ENDPOINT:
            return self.send_build_number(address.query)
        folder = Path(self.directory)
        candidate = str(folder / "index.html") if address.path == "/" else self.translate_path(self.path)
        path = served_file(folder, candidate)
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        if path.suffix.lower() in (".html", ".htm"):
            return self.send_page(path)
        return super().send_head()

    def send_page(self, path: Path):
        build = self.builds.number  # before reading: a build finishing meanwhile then reloads the page
        page = path.read_bytes().decode("utf-8", "surrogateescape")
        body = with_reload_script(page, build).encode("utf-8", "surrogateescape")
        return self.send_body(body, "text/html; charset=utf-8")

    def send_build_number(self, query: str):
        since = parse_qs(query).get("since", [""])[0]
        if since.isascii() and since.isdigit():
            self.builds.wait_after(int(since), LONG_POLL_SECONDS)
        return self.send_body(json.dumps({"build": self.builds.number}).encode("ascii"), "application/json")

    def send_body(self, body: bytes, content_type: str):
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def served_file(folder: Path, candidate: str) -> Path | None:
    """`candidate` when it is a regular, visible file inside `folder` (a real path) reached without
    any symbolic link; otherwise None."""
    if candidate.endswith("/"):
        return None
    path = Path(os.path.normpath(candidate))
    if not path.is_relative_to(folder) or any(part.startswith(".") for part in path.relative_to(folder).parts):
        return None
    if os.path.realpath(path) != str(path):  # a link somewhere on the way
        return None
    return path if path.is_file() else None


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
