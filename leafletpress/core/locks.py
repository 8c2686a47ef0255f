"""One writer at a time for a folder: builds hold the output folder, catalog commands hold locales/.

The lock is `flock` on a small file in the folder. The kernel releases it when its holder dies, so
a lock is never stuck; the file keeps the holder's pid while it runs and is emptied on release, so
finding a pid in it means the last holder was killed: that is said, and the lock taken over.
The lock file is opened without following a link: a link planted there is refused, not written
through.
"""

from __future__ import annotations

import fcntl
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from leafletpress.core.problems import LeafletPressError

LOCK_FILE = ".leafletpress.lock"


class FolderLocked(LeafletPressError):
    """Another process holds the folder, or its lock file cannot be used."""


@contextmanager
def exclusive_lock(folder: Path, what: str = "build", note: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold `folder` for one `what` ("build", "catalog update") at a time; a second is refused, not queued."""
    path = Path(folder) / LOCK_FILE
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
    except OSError as error:
        if path.is_symlink():
            raise FolderLocked(f"{path} is a symbolic link; remove it (nothing is written through a link)") from None
        raise FolderLocked(f"cannot create the lock file {path} ({error.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise FolderLocked(f"{path} is not a regular file; remove it")
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(descriptor) or "another process"
            raise FolderLocked(f"another {what} ({holder}) is using {folder}; wait for it to finish") from None
        previous = _read(descriptor)
        if previous and note:
            note(f"the last {what} in {folder} ({previous}) was stopped before it finished; its lock was taken over")
        _write(descriptor, f"pid {os.getpid()}")
        try:
            yield
        finally:
            _write(descriptor, "")
    finally:
        os.close(descriptor)


def _read(descriptor: int) -> str:
    os.lseek(descriptor, 0, os.SEEK_SET)
    return os.read(descriptor, 200).decode("ascii", errors="replace").strip()


def _write(descriptor: int, text: str) -> None:
    os.ftruncate(descriptor, 0)
    os.lseek(descriptor, 0, os.SEEK_SET)
    os.write(descriptor, text.encode("ascii"))
