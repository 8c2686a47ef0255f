"""Reading the project's input files safely: only regular files, never more than a limit, never
through a link that leaves the project, and TOML as data.

A FIFO, a device (`/dev/zero`) or a folder where a catalog, leaflet or clinic file should be fails
that input alone with one line; nothing waits for a writer or reads without end.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
from pathlib import Path

from leafletpress.core.problems import InputError

MAX_INPUT_BYTES = 4 * 1024 * 1024  # a leaflet, catalog or clinic file is a few KB
UTF8_BOM = b"\xef\xbb\xbf"
KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
    stat.S_IFSOCK: "a socket",
}


class FileProblem(OSError):
    """An input that is not a readable regular file of a sensible size; the message says why."""


def read_input_bytes(path: Path, max_bytes: int = MAX_INPUT_BYTES, inside: Path | None = None) -> bytes:
    """The bytes of a regular file, at most `max_bytes` of them.

    With `inside`, the file's real path (links resolved) must lie in that folder: a catalog that
    links to /etc/shadow is refused before a byte of it is read.
    """
    path = Path(path)
    if inside is not None and not path.resolve().is_relative_to(Path(inside).resolve()):
        raise FileProblem(f"links to {path.resolve()}, outside the project ({inside}): refused")
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise FileProblem("does not exist") from None
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror or errno.errorcode.get(error.errno, error)})") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise FileProblem(f"is {KINDS.get(stat.S_IFMT(mode), 'not a regular file')}, not a file")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        if isinstance(error, FileProblem):
            raise
        raise FileProblem(f"cannot be read ({error.strerror or error})") from None
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        raise FileProblem(f"is larger than {max_bytes // 1024} KB, far more than any input needs")
    return data


def without_bom(data: bytes) -> bytes:
    """A UTF-8 byte-order mark (Notepad writes one) is accepted and removed."""
    return data[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data


def read_toml(path: Path, error: type[InputError] = InputError, inside: Path | None = None) -> dict:
    """A TOML input file as data, or `error` naming the file and what is wrong with it."""
    try:
        raw = without_bom(read_input_bytes(path, inside=inside))
        return tomllib.loads(raw.decode("utf-8"))
    except FileProblem as problem:
        raise error(path, "file", str(problem)) from None
    except UnicodeDecodeError as problem:
        raise error(path, "file", f"is not UTF-8 ({problem.reason} at byte {problem.start})") from None
    except tomllib.TOMLDecodeError as problem:
        raise error(path, "file", f"is not valid TOML: {problem}") from None


# Names no edition is made from: editors' swap, lock, backup and safe-write files, and hidden files
# (.#lock, .file.swp, vim's 4913 probe, the build's own .partial-*.tmp and lock files).
SCRATCH_NAME = re.compile(r"^\.|~$|^#.*#$|\.sw[a-p]$|^\d+$|\.(tmp|bak|orig|rej)$|___jb_\w+___$", re.IGNORECASE)


def is_scratch_name(name: str) -> bool:
    return bool(SCRATCH_NAME.search(name))
