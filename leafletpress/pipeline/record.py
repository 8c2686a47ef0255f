"""What was built from what: the incremental-build record kept in the output folder.

An edition is rebuilt when anything it is made from changes: its leaflet file, its language's
catalogs, the templates and assets, the clinic file and logo, the font files it prints with, the
code of this package, WeasyPrint's version, or the build options. The record is a plain JSON file
(`.leafletpress-build.json`) that can be deleted at any time: everything is then rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

RECORD = ".leafletpress-build.json"
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # leafletpress/


@dataclass
class Hasher:
    """Hashes each input file once per build (many editions share templates and catalogs)."""

    _files: dict[Path, str] = field(default_factory=dict)

    def file(self, path: Path) -> str:
        path = Path(path)
        if path not in self._files:
            try:
                self._files[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except FileNotFoundError:
                self._files[path] = "missing"
        return self._files[path]

    def files(self, root: Path, paths: Iterable[Path]) -> str:
        """One hash of these files' names (relative to `root`, so a copy of the project in another
        folder has the same fingerprints) and contents."""
        digest = hashlib.sha256()
        root = Path(root)
        for path in sorted(Path(p) for p in paths):
            digest.update(f"{path.relative_to(root).as_posix()}\0{self.file(path)}\0".encode())
        return digest.hexdigest()

    def font(self, path: Path) -> str:
        """Installed fonts are large: their identity is path, size and modification time."""
        stat = Path(path).stat()
        return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def fingerprint(parts: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def software_identity(hasher: Hasher) -> str:
    code = hasher.files(PACKAGE_DIR, PACKAGE_DIR.rglob("*.py"))  # every subpackage, by relative path
    return f"leafletpress:{code[:16]} weasyprint:{version('weasyprint')} pydyf:{version('pydyf')}"


def read_record(out: Path) -> dict[str, dict]:
    try:
        data = json.loads((Path(out) / RECORD).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (FileNotFoundError, ValueError):
        return {}


def is_up_to_date(record: dict[str, dict], out: Path, filename: str, inputs: str, hasher: Hasher) -> bool:
    """Built before from the same inputs, and the file is still exactly what was written."""
    entry = record.get(filename)
    if not entry or entry.get("inputs") != inputs:
        return False
    path = Path(out) / filename
    return path.is_file() and hasher.file(path) == entry.get("sha256")


def record_entry(inputs: str, sha256: str, pages: int, size: int, review: str) -> dict:
    """What the record keeps of one edition built from `inputs`."""
    return {"inputs": inputs, "sha256": sha256, "pages": pages, "bytes": size, "review": review}


def record_bytes(record: dict[str, dict]) -> bytes:
    return (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()
