"""The output folder belongs to the user: the build checks it before writing, never writes through a
link, and touches only files it made (see pipeline/record.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from leafletpress.core.atomic import remove_temp_files
from leafletpress.core.problems import LeafletPressError
from leafletpress.inputs.project import Project
from leafletpress.pipeline.record import CLAIMS, RECORD, Record

THUMBNAILS = "thumbnails"  # page 1 of each edition, for the index
OUT_OF_DATE = "out-of-date"  # editions that no longer say what today's inputs say
INDEX = "index.html"
MANIFEST = "manifest.json"
SUBFOLDERS = (THUMBNAILS, OUT_OF_DATE)


class OutputFolderError(LeafletPressError):
    """The output folder cannot be used: not writable, inside the project's sources, or holding
    a file of someone else's where the build must write."""


# The project's own folders (besides those the build reads): no build output is written into them.
PROJECT_FOLDERS = frozenset({"leafletpress", "tests", "benchmarks", "scripts", "examples", "docs", "templates", "locales", "leaflets", "reviews"})


def check_output_folder(project: Project, out: Path) -> None:
    """Refuse an output folder the build must not write into: empty, the project folder itself, or
    inside the folders it reads."""
    if not str(out).strip():
        raise OutputFolderError("the output folder is empty: give one with --out")
    out = Path(out).resolve()
    root = project.root.resolve()
    if out == root:
        raise OutputFolderError(f"--out {out} is the project folder itself: choose a folder for the output, such as build/leaflets")
    for source in (project.templates_dir, project.locales_dir, project.leaflets_dir, root / "reviews"):
        source = source.resolve()
        if out.is_relative_to(source):
            raise OutputFolderError(f"--out {out} is inside {source}, which the build reads: choose another folder")
    if out.is_relative_to(root):
        top = out.relative_to(root).parts[0]
        if top in PROJECT_FOLDERS or top.startswith("."):
            raise OutputFolderError(f"--out {out} is inside {root / top}, which is part of the project: choose another folder, such as build/leaflets")


def prepare_output_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise OutputFolderError(f"cannot write to {out} ({error.strerror}): choose another folder with --out") from None


def check_subfolders(out: Path) -> None:
    """thumbnails/ and out-of-date/ must be real folders, and the build's own files (record, claims
    journal, manifest, index) regular files: the build never writes through a link, and never
    opens a FIFO or a device (it would wait for ever)."""
    for name in (RECORD, CLAIMS, MANIFEST, INDEX):
        path = out / name
        if path.is_symlink():
            raise OutputFolderError(f"{path} is a symbolic link; the build writes nothing through a link: remove it")
        if path.exists() and not path.is_file():
            raise OutputFolderError(f"{path} is not a regular file (a folder, a FIFO or a device) where the build keeps its {name}: remove it")
    for name in SUBFOLDERS:
        folder = out / name
        if folder.is_symlink():
            raise OutputFolderError(f"{folder} is a symbolic link; the build writes nothing through a link: remove it")
        if folder.exists() and not folder.is_dir():
            raise OutputFolderError(f"{folder} is a file where the build keeps a folder: move it away")


def check_foreign_files(out: Path, record: Record) -> None:
    """index.html and manifest.json are rewritten by every build: refuse the folder if either is
    someone else's file, rather than overwrite it."""
    for name in (INDEX, MANIFEST):
        path = out / name
        if (path.exists() or path.is_symlink()) and not record.owns(name):
            raise OutputFolderError(
                f"{path} was not made by a build here (it is not in the build record): move it away, or choose another --out"
            )


def foreign_targets(out: Path, record: Record, names: list[str]) -> list[str]:
    """Which of these files (relative to the folder) exist and are not the build's own."""
    return [name for name in names if ((out / name).exists() or (out / name).is_symlink()) and not record.owns(name)]


def remove_stale_temp_files(out: Path) -> list[Path]:
    """Temporary files a killed build left, in the folder and its subfolders."""
    removed = remove_temp_files(out)
    for name in SUBFOLDERS:
        if (out / name).is_dir() and not (out / name).is_symlink():
            removed += remove_temp_files(out / name)
    return removed
