"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every write goes to a temporary file in the same folder (`.partial-*.tmp`), is flushed to disk,
then renamed over the target. A group of files (a PDF and its HTML companion) is written all or
nothing: every temporary file is complete before the first rename. `replace_if_unchanged` is the
compare-and-swap catalog commands use: a translator's save made meanwhile is never reverted.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

TEMP_PREFIX = ".partial-"
DEFAULT_MODE = 0o644


@dataclass(frozen=True)
class Keep:
    """What a rewrite keeps of the file it replaces: permissions and group."""

    mode: int = DEFAULT_MODE
    gid: int | None = None

    @classmethod
    def of(cls, path: Path) -> "Keep":
        info = os.lstat(path)
        return cls(stat.S_IMODE(info.st_mode), info.st_gid)


class ChangedMeanwhile(OSError):
    """The file changed between being read and being replaced: nothing was written."""


def write_atomically(path: Path, data: bytes, keep: Keep = Keep()) -> None:
    write_all_atomically({Path(path): data}, {Path(path): keep})


def write_all_atomically(files: dict[Path, bytes], keep: dict[Path, Keep] | None = None) -> None:
    """Write every file, or none: all temporary files are complete before the first rename."""
    temps: dict[Path, str] = {}
    try:
        for path, data in files.items():
            temps[path] = _write_temp(path, data, (keep or {}).get(path, Keep()))
        for path, temp in temps.items():
            os.replace(temp, path)
    except BaseException:
        for temp in temps.values():
            Path(temp).unlink(missing_ok=True)
        raise
    for folder in {path.parent for path in files}:
        _fsync_folder(folder)


def replace_if_unchanged(path: Path, expected: bytes, data: bytes) -> None:
    """Replace `path` with `data` only if it still holds `expected` (what was read and merged).

    Compared just before the rename: a save by a translator's editor during the merge makes this
    raise ChangedMeanwhile and leaves their file as they saved it. Mode and group are kept. A
    symbolic link is followed (the caller has read through it, and checked where it leads): the
    file it points to is rewritten, with that file's mode, and the link stays a link.
    """
    path = Path(os.path.realpath(path))
    temp = _write_temp(path, data, Keep.of(path))
    try:
        if hashlib.sha256(path.read_bytes()).digest() != hashlib.sha256(expected).digest():
            raise ChangedMeanwhile(f"{path} changed while it was being rewritten; nothing was written: run the command again")
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _write_temp(path: Path, data: bytes, keep: Keep) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, keep.mode)
        if keep.gid is not None and keep.gid != os.stat(temp_name).st_gid:
            try:
                os.chown(temp_name, -1, keep.gid)
            except PermissionError:
                pass  # not a member of that group: the file keeps the writer's group
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return temp_name


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_temp_files(folder: Path) -> list[Path]:
    """Temporary files a killed process left in `folder`; they are never mistaken for output."""
    removed = []
    for temp in Path(folder).glob(f"{TEMP_PREFIX}*.tmp"):
        if temp.is_file() or temp.is_symlink():
            temp.unlink(missing_ok=True)
            removed.append(temp)
    return removed
