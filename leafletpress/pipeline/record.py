"""What was built from what, and which files of the output folder the build made.

The record (`.leafletpress-build.json` in the output folder) keeps, for each edition it wrote, the
fingerprint of everything it was made from (to skip it when nothing changed), the fingerprint of
the text it carries (to tell when it no longer says what today's inputs say), and its manifest
entry; and it lists every other file the build made (index.html, manifest.json, thumbnails, HTML
companions, editions moved to out-of-date/). The build overwrites or deletes only files listed
here: a file of the same name that it did not make is someone else's, and is left alone.

A build killed part-way cannot rewrite the record, so before a worker puts a new file in place it
appends the name to a small journal (`.leafletpress-build.claims`); the next build reads the
journal into the record. A record that is damaged or of an older shape is rebuilt from the folder,
with a note: the manifest proves which PDFs the build made (by their sha256), and index.html says
so in its generator line.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from leafletpress.core.files import FileProblem, read_input_bytes

RECORD = ".leafletpress-build.json"
CLAIMS = ".leafletpress-build.claims"
RECORD_FORMAT = 3  # 3: sources and text fingerprints include the sign-offs
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # leafletpress/
GENERATOR = "Leaflet Press"  # the generator line of index.html and manifest.json
# The only names the build ever makes: a file in the folder, in thumbnails/ or in out-of-date/.
# A name in the record or the journal that is anything else (../, an absolute path) is ignored.
OWN_NAME = re.compile(r"^(?:(?:thumbnails|out-of-date)/)?[A-Za-z0-9][A-Za-z0-9_+\-]*(?:\.[A-Za-z0-9_+\-]+)*$")


def is_own_name(name: str) -> bool:
    return isinstance(name, str) and bool(OWN_NAME.match(name)) and ".." not in name
MAX_HASHED_BYTES = 256 * 1024 * 1024


@dataclass
class Hasher:
    """Hashes each input file once per build (many editions share templates and catalogs)."""

    _files: dict[Path, str] = field(default_factory=dict)

    def file(self, path: Path) -> str:
        path = Path(path)
        if path not in self._files:
            try:
                self._files[path] = hashlib.sha256(read_input_bytes(path, MAX_HASHED_BYTES)).hexdigest()
            except FileProblem as problem:
                self._files[path] = f"unreadable: {problem}"
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
    # fontTools renumbers the glyphs of large fonts in every such PDF (render/compact_fonts.py)
    return f"leafletpress:{code[:16]} weasyprint:{version('weasyprint')} pydyf:{version('pydyf')} fonttools:{version('fonttools')}"


@dataclass
class EditionRecord:
    """One edition in the folder: what it was made from, what it says, and its manifest entry."""

    file: str
    inputs: str  # fingerprint of every input: unchanged means the edition is up to date
    text: str  # fingerprint of what it says: changed means it is superseded
    sources: dict  # content hashes of the files its text comes from (a cheap first comparison)
    format_name: str  # as in FORMATS ("A4-bilingual"), its language tag is in the entry
    sha256: str
    entry: dict  # its manifest entry (leaflet, language, format, pages, review…)
    companions: list[str] = field(default_factory=list)  # other files made with it, relative to the folder
    companion_sha256: dict[str, str] = field(default_factory=dict)  # its web page and email draft, as written

    def as_dict(self) -> dict:
        return {
            "inputs": self.inputs, "text": self.text, "sources": self.sources, "format_name": self.format_name,
            "sha256": self.sha256, "entry": self.entry, "companions": self.companions, "companion_sha256": self.companion_sha256,
        }


@dataclass
class Record:
    editions: dict[str, EditionRecord] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)  # every other file the build made, relative to the folder
    out_of_date: dict[str, dict] = field(default_factory=dict)  # out-of-date/<name> -> manifest entry and reason
    notes: list[str] = field(default_factory=list)  # what reading the record had to repair

    def owns(self, name: str) -> bool:
        return name in self.owned()

    def owned(self) -> set[str]:
        companions = {companion for edition in self.editions.values() for companion in edition.companions}
        return {*self.editions, *companions, *self.files, *self.out_of_date}

    def earlier(self) -> "Record":
        """This record as written by an earlier version: its files are still ours, but its
        fingerprints are computed differently, so every edition is made again."""
        return Record(
            files=self.owned() - set(self.out_of_date), out_of_date=self.out_of_date,
            notes=[f"the build record {RECORD} was written by an earlier version; every edition is made again"],
        )

    def to_bytes(self) -> bytes:
        data = {
            "format": RECORD_FORMAT,
            "editions": {name: record.as_dict() for name, record in sorted(self.editions.items())},
            "files": sorted(self.files),
            "out_of_date": dict(sorted(self.out_of_date.items())),
        }
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def read_record(out: Path) -> Record:
    """The record of the folder, with the journal of a killed build folded in; rebuilt (with a note)
    when it is damaged, of an older shape, or missing while the folder holds a build's output."""
    out = Path(out)
    path = out / RECORD
    record = Record()
    if path.exists() or path.is_symlink():
        try:
            data = json.loads(read_input_bytes(path, MAX_HASHED_BYTES).decode("utf-8"))
            record = parse_record(data)
        except (FileProblem, ValueError, KeyError, TypeError, AttributeError):
            record = Record(notes=[f"the build record {RECORD} was damaged; rebuilt from the folder"])
            record.files |= proven_by_manifest(out)
        if isinstance(record, LegacyRecord):
            record = record.migrated(out)
    else:
        record.files |= proven_by_manifest(out)
        if record.files:
            record.notes.append(f"the build record {RECORD} was missing; rebuilt from the folder")
    record.files |= read_claims(out) - set(record.editions) - set(record.out_of_date)
    return record


class LegacyRecord(dict):
    """A record written before format 2: {pdf name: {inputs, sha256, pages, bytes, review}}."""

    def migrated(self, out: Path) -> Record:
        record = Record(notes=[f"the build record {RECORD} was of an older shape; rebuilt"])
        for name in filter(is_own_name, self):
            record.files |= {name, f"thumbnails/{Path(name).stem}.png"}
        record.files |= {"index.html", "manifest.json"}
        return record


def parse_record(data) -> Record:
    if not isinstance(data, dict):
        raise TypeError("not a record")
    written_by = data.get("format")
    if written_by != RECORD_FORMAT:
        if type(written_by) is int and 2 <= written_by < RECORD_FORMAT:
            return parse_record({**data, "format": RECORD_FORMAT}).earlier()
        if all(isinstance(value, dict) and "inputs" in value for value in data.values()):
            return LegacyRecord(data)
        raise TypeError("unknown record format")
    editions = {}
    for name, item in data["editions"].items():
        if not is_own_name(name) or not all(is_own_name(companion) for companion in item["companions"]):
            raise ValueError(f"a name the build never makes: {name!r}")
        editions[name] = EditionRecord(
            file=name, inputs=str(item["inputs"]), text=str(item["text"]), sources=dict(item["sources"]),
            format_name=str(item["format_name"]), sha256=str(item["sha256"]), entry=dict(item["entry"]),
            companions=[str(companion) for companion in item["companions"]],
            companion_sha256={str(name): str(digest) for name, digest in dict(item.get("companion_sha256", {})).items()},
        )
    out_of_date = {str(name): dict(item) for name, item in data["out_of_date"].items()}
    files = {str(name) for name in data["files"]}
    if not all(is_own_name(name) for name in [*files, *out_of_date]):
        raise ValueError("a name the build never makes")
    return Record(editions=editions, files=files, out_of_date=out_of_date)


def proven_by_manifest(out: Path) -> set[str]:
    """Files a build of ours made, proven without a record: manifest.json written by this program,
    each PDF it lists that still has the listed sha256, their thumbnails, and an index.html whose
    generator line is ours."""
    owned: set[str] = set()
    manifest = out / "manifest.json"
    try:
        data = json.loads(read_input_bytes(manifest, MAX_HASHED_BYTES).decode("utf-8"))
        files = data["files"] if isinstance(data, dict) else []
        shape = {"files"} if isinstance(data, dict) and "generator" not in data else {"generator", "files", "out_of_date"}
        if isinstance(data, dict) and set(data) == shape and data.get("generator", GENERATOR) == GENERATOR and files:
            owned.add("manifest.json")
            for item in files:
                name = str(item["file"])
                if not is_own_name(name) or "/" in name:
                    continue
                path = out / name
                if not path.exists() and not path.is_symlink():
                    continue  # deleted by hand
                if path.is_file() and not path.is_symlink() and hashlib.sha256(read_input_bytes(path, MAX_HASHED_BYTES)).hexdigest() == item.get("sha256"):
                    owned |= {name, f"thumbnails/{Path(name).stem}.png"}
                else:
                    return set()  # a listed file is not what the manifest says: it proves nothing
    except (FileProblem, ValueError, KeyError, TypeError):
        pass
    try:
        if f'<meta name="generator" content="{GENERATOR}">'.encode() in read_input_bytes(out / "index.html", MAX_HASHED_BYTES):
            owned.add("index.html")
    except FileProblem:
        pass
    return owned


def claim(out: Path, names: Iterable[str]) -> None:
    """Note in the journal that the build is about to put these files in the folder."""
    line = "".join(json.dumps(name, ensure_ascii=False) + "\n" for name in names)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK  # a FIFO must not block
    descriptor = os.open(Path(out) / CLAIMS, flags, 0o644)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"{Path(out) / CLAIMS} is not a regular file")
        os.write(descriptor, line.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_claims(out: Path) -> set[str]:
    try:
        text = read_input_bytes(Path(out) / CLAIMS, MAX_HASHED_BYTES).decode("utf-8", errors="replace")
    except FileProblem:
        return set()
    claimed = set()
    for line in text.splitlines():
        try:
            name = json.loads(line)
        except ValueError:
            continue  # a line cut short by a kill
        if is_own_name(name):
            claimed.add(name)
    return claimed


def clear_claims(out: Path) -> None:
    """After the record is written the journal is folded in: start it afresh."""
    (Path(out) / CLAIMS).unlink(missing_ok=True)
