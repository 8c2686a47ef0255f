"""The output folder: made writable before a build, held by one build at a time, and tidied of
temporary files a killed build left behind."""

from __future__ import annotations

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from leafletpress.pipeline.atomic import TEMP_PREFIX
from leafletpress.inputs.problems import LeafletPressError

LOCK_FILE = ".leafletpress.lock"


class OutputFolderError(LeafletPressError):
    """The output folder cannot be used: not writable, or another build holds it."""


class FolderLocked(OutputFolderError):
    """Another build is writing to the same output folder."""


def prepare_output_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise OutputFolderError(f"cannot write to {out} ({error.strerror}): choose another folder with --out") from None


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Temp files left by a build that was killed mid-write; never mistaken for output."""
    removed = []
    for temp in Path(folder).glob(f"{TEMP_PREFIX}*.tmp"):
        temp.unlink(missing_ok=True)
        removed.append(temp)
    return removed


@contextmanager
def exclusive_lock(folder: Path):
    """Hold the output folder for one build at a time; a second build is refused, not queued."""
    path = Path(folder) / LOCK_FILE
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise FolderLocked(f"another build ({holder}) is writing to {folder}; wait for it to finish or use --out") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()
