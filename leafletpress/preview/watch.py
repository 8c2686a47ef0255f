"""`make_leaflets.py watch`: build once, then rebuild on every save, and serve the output folder.

leaflets/, locales/, templates/ and reviews/ (and the clinic file and its logo) are watched with
watchfiles; each batch of saves reruns the incremental build, which rebuilds only the editions the
change affects. Editor swap, backup and temporary files never start a build. A build that fails
(a broken catalog, a template error, a bad clinic file) is reported and watching goes on.

The build tools (templates, fonts, WeasyPrint's caches) are kept between rebuilds, and made anew
after any change in templates/ or to the clinic file or logo: WeasyPrint caches images by URL, so
an edited icon or logo would otherwise be printed as it was.

A watcher (watchfiles, as inotify) goes on watching nothing once a folder it watches is removed,
and never sees it come back; and a folder made later (reviews/) is not watched at all. So the
project root and the clinic file's folder are watched too, not recursively, and every watcher also
looks at its folders each time it hands back control: when one of them appears, disappears or is
replaced (`rm -rf templates; git checkout -- templates`), the folders are watched anew and a build
follows, made once the new watch is in place so that no save in between is missed.
"""

from __future__ import annotations

import os
import queue
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from leafletpress.core.files import is_scratch_name
from leafletpress.core.problems import LeafletPressError
from leafletpress.i18n.glossary import GLOSSARY_NAME
from leafletpress.inputs.clinic import ClinicError, load_clinic
from leafletpress.inputs.project import Project
from leafletpress.pipeline.build import BuildResult, build
from leafletpress.pipeline.edition import BuildTools
from leafletpress.pipeline.folder import check_output_folder
from leafletpress.pipeline.plan import BuildRequest, select_formats, select_languages, select_leaflet_paths
from leafletpress.preview.server import Builds, PreviewServer
from leafletpress.report import BuildReport, after_build_lines

DEFAULT_PORT = 8000
WATCH_TIMEOUT_MS = 250  # watchfiles hands back control this often: the first time says it is watching
WATCH_START_SECONDS = 30  # the longest setting up the watches may take (inotify walks every folder)
WATCHED_FOLDERS = ("leaflets", "locales", "reviews", "templates")


@dataclass(frozen=True)
class Rebuild:
    """One run of the build in the preview: the saves that started it, and what it did."""

    number: int
    changed: frozenset[Path]
    result: BuildResult | None = None  # None when the build could not run
    errors: tuple[str, ...] = ()

    @property
    def written(self) -> list[str]:
        """File names of the editions this run wrote."""
        editions = self.result.editions if self.result else []
        return [edition.edition.filename for edition in editions if edition and edition.ok and not edition.skipped]


def is_input(path: Path, project: Project) -> bool:
    """Whether a change to `path` (absolute) can change an edition of the project."""
    for name in WATCHED_FOLDERS:
        folder = project.root / name
        if path.is_relative_to(folder):
            parts = path.relative_to(folder).parts
            return bool(parts) and not any(map(is_scratch_name, parts)) and _is_input_of(name, parts)
    return False


def _is_input_of(folder: str, parts: tuple[str, ...]) -> bool:
    """`parts` (a path inside `folder`, not ignored) is something an edition is made from: any file
    of the templates; a leaflet; a language's folder, its LC_MESSAGES folder, a catalog or its
    glossary; a leaflet's sign-off folder or a sign-off. Folders count: a language added, renamed or removed."""
    suffix = Path(parts[-1]).suffix.lower()
    if folder == "templates":
        return True
    if folder == "leaflets":
        return len(parts) == 1 and suffix == ".toml"
    if folder == "locales":
        return (
            (len(parts) == 1 and not suffix) or parts[1:] == ("LC_MESSAGES",) or (len(parts) == 3 and suffix == ".po")
            or parts[1:] == (GLOSSARY_NAME,)
        )
    return (len(parts) == 1 and not suffix) or (len(parts) == 2 and suffix == ".toml")  # reviews


class WatchedFolders:
    """Folders watched together by one watcher, and watched anew whenever one of them appears,
    disappears or is replaced."""

    def __init__(self, name: str, candidates: Callable[[], list[Path]], recursive: bool, watch_filter, on_changes):
        self.name = name
        self.candidates = candidates  # the folders to watch, where they exist
        self.recursive = recursive
        self.watch_filter = watch_filter
        self.on_changes = on_changes
        self.rearm = threading.Event()
        self._lock = threading.Lock()
        self._pending: set[Path] = set()

    def state(self) -> dict[Path, tuple[int, int]]:
        """Each candidate that is a folder now, with its identity (device and inode)."""
        found = {}
        for folder in self.candidates():
            try:
                status = os.stat(folder)
            except (OSError, ValueError):
                continue
            if stat.S_ISDIR(status.st_mode):
                found[folder] = (status.st_dev, status.st_ino)
        return found

    def request(self, changed: Iterable[Path]) -> None:
        """Watch anew, and report these changes once the new watch is in place."""
        with self._lock:
            self._pending |= set(changed)
            self.rearm.set()

    def take(self) -> set[Path]:
        """What to report once watching: called as a new watch is about to start."""
        with self._lock:
            self.rearm.clear()
            pending, self._pending = self._pending, set()
            return pending


class AnyOf:
    """Set when any of these events is: a stop event for watchfiles."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


def check_selection(project: Project, request: BuildRequest) -> None:
    """What would make every build fail the same way stops the command before it starts."""
    select_leaflet_paths(project, request.leaflets)
    select_languages(project, request.languages or project.settings.languages)
    select_formats(request.formats, request.marks, project.settings.formats)
    check_output_folder(project, request.out)


class Preview:
    """Builds, watches and serves. `start()` runs it all in background threads (for a program or a
    test, which waits with `wait_for_build`); `run()` builds in the calling thread until Ctrl-C."""

    def __init__(self, project: Project, request: BuildRequest, port: int = DEFAULT_PORT, stream=None, display=str):
        self.project = replace(project, root=project.root.resolve())  # watchfiles reports real paths
        self.request = request
        self.stream = stream or sys.stdout
        self.display = display
        self.builds = Builds()
        self.server = PreviewServer(request.out, self.builds, port)
        self._stop = threading.Event()
        self._changes: queue.SimpleQueue[set[Path]] = queue.SimpleQueue()
        self._building = threading.Lock()  # one build at a time: the folder lock is per process too
        self._tools: BuildTools | None = None
        # The clinic file and every logo it has named: watched, and a change makes new tools.
        self._clinic_files = frozenset(request.clinic.files()) if request.clinic else frozenset()
        self._threads: list[threading.Thread] = []
        self._watch_failure: list[str] = []
        root = self.project.root
        self._inputs = WatchedFolders(
            "inputs", lambda: [root / name for name in WATCHED_FOLDERS], True,
            lambda change, path: is_input(Path(path), self.project), self._changes.put,
        )
        # Not recursively: the root (for project folders made, removed or restored) and the clinic
        # file's folder(s), which may be big ones.
        self._around = WatchedFolders(
            "around", lambda: [root, *sorted({path.parent for path in self._clinic_files})], False,
            self._is_around_change, self._around_changed,
        )

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> None:
        """Serve and watch, then build and rebuild in a background thread; returns once watching."""
        self._begin()
        self._spawn(self._build_and_watch, "leafletpress-preview-build")

    def run(self) -> None:
        """Serve and watch, and build in this thread until stopped (Ctrl-C raises KeyboardInterrupt)."""
        self._begin()
        try:
            self._build_and_watch()
        finally:
            self.stop()
        if self._watch_failure:
            raise LeafletPressError(*self._watch_failure)

    def stop(self) -> None:
        """Stop watching, let a build under way finish, and shut the server down."""
        self._stop.set()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join()
        self.server.stop()

    def wait_for_build(self, after: int, timeout: float) -> Rebuild | None:
        """The latest build, once a build numbered after `after` has finished; None on timeout."""
        return self.builds.latest if self.builds.wait_after(after, timeout) else None

    def rebuild(self, changed: Iterable[Path] = ()) -> Rebuild:
        """Run the incremental build once for these changed files (none: the first build)."""
        changed = frozenset(Path(path) for path in changed)
        with self._building:
            started = time.perf_counter()
            if changed:
                self._say("changed: " + ", ".join(self.display(path) for path in sorted(changed)))
            if any(map(self._makes_new_tools, changed)):
                self._tools = None
            result, errors = None, []
            try:
                result = self._build(self._current_request(), started)
            except ClinicError as error:
                errors = [f"{problem}; nothing was built" for problem in error.problems]
            except LeafletPressError as error:
                errors = [str(problem) for problem in error.problems]
            except OSError as error:
                errors = [f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")]
            except Exception as error:  # a bad save must never end the preview
                errors = [f"internal error ({type(error).__name__}: {error})"]
            for error in errors:
                self._say(f"error: {error}")
            done = Rebuild(self.builds.number + 1, changed, result, tuple(errors))
            self.builds.publish(done)
            return done

    def _makes_new_tools(self, path: Path) -> bool:
        """A change in templates/ or to the clinic file or logo; or a folder watched anew, in which
        a save may have gone unseen (watchfiles drops what it had not yet handed back)."""
        return (
            path.is_relative_to(self.project.templates_dir) or path in self._clinic_files
            or (path.parent == self.project.root and path.name in WATCHED_FOLDERS)
            or path in {file.parent for file in self._clinic_files}
        )

    def _begin(self) -> None:
        check_selection(self.project, self.request)
        self.server.start()
        try:
            self._start_watching()
        except BaseException:
            self.stop()
            raise

    def _start_watching(self) -> None:
        for folders in (self._inputs, self._around):
            ready = threading.Event()
            self._spawn(self._watch, f"leafletpress-preview-watch-{folders.name}", folders, ready)
            if not ready.wait(WATCH_START_SECONDS) or self._watch_failure:
                raise LeafletPressError(*(self._watch_failure or [f"could not start watching {self._names(folders)}"]))

    def _watch(self, folders: WatchedFolders, ready: threading.Event) -> None:
        """Watch `folders` until the preview stops, anew whenever one of them comes or goes."""
        import watchfiles

        stop = AnyOf(self._stop, folders.rearm)
        while not self._stop.is_set():
            report = folders.take()
            state = folders.state()
            try:
                if not state:  # nothing there to watch: look again until something is
                    ready.set()
                    while not (self._stop.wait(WATCH_TIMEOUT_MS / 1000) or folders.rearm.is_set() or folders.state()):
                        pass
                    folders.request(report | set(folders.state()))
                    continue
                for changes in watchfiles.watch(
                    *sorted(state), watch_filter=folders.watch_filter, recursive=folders.recursive, stop_event=stop,
                    rust_timeout=WATCH_TIMEOUT_MS, yield_on_timeout=True, raise_interrupt=False,
                ):
                    ready.set()  # the first time: watching (watchfiles sets its watches up before it waits)
                    changed, report = {Path(path) for _, path in changes} | report, set()
                    now = folders.state()
                    if now != state:  # a folder appeared, disappeared or was replaced: watch anew
                        folders.request(folder for folder in {*now, *state} if now.get(folder) != state.get(folder))
                    if changed:
                        folders.on_changes(changed)
            except Exception as error:  # too many folders for inotify, a folder gone while being set up…
                now = folders.state()
                if now != state:
                    folders.request(report | {folder for folder in {*now, *state} if now.get(folder) != state.get(folder)})
                    continue
                if not ready.is_set():
                    self._watch_failure.append(f"could not watch {self._names(folders)}: {error}")
                else:
                    self._say(
                        f"error: stopped watching {self._names(folders)} ({error}): saves there are no longer "
                        "rebuilt; press Ctrl-C and run watch again"
                    )
                return
            finally:
                ready.set()

    def _names(self, folders: WatchedFolders) -> str:
        return ", ".join(f"{self.display(folder)}/" for folder in folders.candidates())

    def _is_around_change(self, change, path: str) -> bool:
        path = Path(path)
        return path in self._clinic_files or (path.parent == self.project.root and path.name in WATCHED_FOLDERS)

    def _around_changed(self, changed: set[Path]) -> None:
        """A project folder made, removed or restored: watch them anew (and build once watching)."""
        folders = {path for path in changed if path.parent == self.project.root and path.name in WATCHED_FOLDERS}
        if folders:
            self._inputs.request(folders)
        if changed - folders:
            self._changes.put(changed - folders)

    def _build_and_watch(self) -> None:
        self.rebuild()
        watched = ", ".join(f"{self.display(self.project.root / name)}/" for name in WATCHED_FOLDERS)
        if self._clinic_files:
            watched += ", " + ", ".join(map(self.display, sorted(self._clinic_files)))
        self._say(f"serving {self.url} (it reloads after each rebuild); watching {watched}; Ctrl-C to stop")
        while not self._stop.is_set():
            changed = self._next_changes(timeout=WATCH_TIMEOUT_MS / 1000)
            if changed:
                self.rebuild(changed)

    def _next_changes(self, timeout: float) -> set[Path]:
        """Every change saved since the last build, waiting up to `timeout` for the first."""
        try:
            changed = set(self._changes.get(timeout=timeout))
        except queue.Empty:
            return set()
        while True:
            try:
                changed |= self._changes.get_nowait()
            except queue.Empty:
                return changed

    def _current_request(self) -> BuildRequest:
        """The request, with the clinic file read again: it may have been edited."""
        if self.request.clinic is None:
            return self.request
        from leafletpress.i18n.clinic_text import check_clinic_text

        clinic = load_clinic(self.request.clinic.source)
        check_clinic_text(clinic)
        self._clinic_files = frozenset([*self._clinic_files, *clinic.files()])
        return replace(self.request, clinic=clinic)

    def _build(self, request: BuildRequest, started: float) -> BuildResult:
        """The build, reported line by line as `make_leaflets.py build` reports it."""
        if self._tools is None:
            self._tools = BuildTools.create(self.project)
        note = lambda text: self._say(f"note: {text}")  # noqa: E731
        with BuildReport(self.display, self.stream) as report:
            result = build(self.project, request, tools=self._tools, on_result=report, on_note=note)
        for line in after_build_lines(result, request.out, self.display, time.perf_counter() - started):
            self._say(line)
        return result

    def _spawn(self, target, name: str, *args) -> None:
        thread = threading.Thread(target=target, name=name, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _say(self, line: str) -> None:
        print(line, file=self.stream, flush=True)
