"""One output folder from the folders of a sharded build (`--shard I/N` on N machines, e.g. a CI
matrix): every shard's editions with their thumbnails and companions, one manifest, one index.

Only what the shards' own build records vouch for is copied, and only if its bytes are still what
that build wrote; an edition two shards both made must be the same file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from leafletpress.core.atomic import write_all_atomically, write_atomically
from leafletpress.core.files import FileProblem, read_input_bytes
from leafletpress.core.locks import exclusive_lock
from leafletpress.core.problems import LeafletPressError
from leafletpress.inputs.project import Project
from leafletpress.pipeline.folder import (
    INDEX, MANIFEST, check_foreign_files, check_output_folder, check_subfolders, prepare_output_folder, remove_stale_temp_files,
)
from leafletpress.pipeline.publish import index_html, manifest_bytes
from leafletpress.pipeline.record import MAX_HASHED_BYTES, RECORD, Record, claim, clear_claims, read_record


class MergeError(LeafletPressError):
    """A shard folder that cannot be merged: nothing of it is copied."""

    exit_code = 1


@dataclass
class Merged:
    editions: int = 0
    out_of_date: int = 0
    notes: list[str] = field(default_factory=list)


def merge_folders(project: Project, folders: list[Path], out: Path, environment) -> Merged:
    check_output_folder(project, out)
    prepare_output_folder(out)
    merged = Merged()
    with exclusive_lock(out, "merge"):
        check_subfolders(out)
        remove_stale_temp_files(out)
        record = read_record(out)
        check_foreign_files(out, record)
        merged.notes += record.notes
        taken: dict[str, Path] = {}  # edition -> the shard folder it came from
        for folder in folders:
            shard = shard_record(Path(folder), out)
            files = shard_files(Path(folder), shard, taken, record)
            claim(out, list(files))
            write_all_atomically({out / name: data for name, data in files.items()})
            record.editions.update(shard.editions)
            record.out_of_date.update(shard.out_of_date)
            merged.editions += len(shard.editions)
            merged.out_of_date += len(shard.out_of_date)
        claim(out, [MANIFEST, INDEX, RECORD])
        record.files |= {MANIFEST, INDEX}
        write_atomically(out / MANIFEST, manifest_bytes(record))
        write_atomically(out / INDEX, index_html(project, record, environment).encode("utf-8"))
        write_atomically(out / RECORD, record.to_bytes())
        clear_claims(out)
    return merged


def shard_record(folder: Path, out: Path) -> Record:
    if folder.resolve() == out.resolve():
        raise MergeError(f"{folder} is the folder being merged into: give the shard folders and a separate --out")
    if not (folder / RECORD).is_file() or (folder / RECORD).is_symlink():
        raise MergeError(f"{folder} holds no build record ({RECORD}): it is not the output folder of a build")
    record = read_record(folder)
    if record.notes:
        raise MergeError(f"{folder}: {record.notes[0]}; build that shard again")
    return record


def shard_files(folder: Path, shard: Record, taken: dict[str, Path], record: Record) -> dict[str, bytes]:
    """Every file of the shard's editions (PDF, thumbnail, HTML) and of its out-of-date editions,
    each checked against the shard's record; refused as a whole on the first problem."""
    files: dict[str, bytes] = {}
    for name, edition in sorted(shard.editions.items()):
        data = _read(folder, name)
        if hashlib.sha256(data).hexdigest() != edition.sha256:
            raise MergeError(f"{folder / name} is not what its build wrote (changed since): build that shard again")
        if name in taken and record.editions[name].sha256 != edition.sha256:
            raise MergeError(f"{name} is in {taken[name]} and in {folder} with different contents: the shards were built from different inputs")
        taken[name] = folder
        files[name] = data
        files.update({companion: _read(folder, companion) for companion in edition.companions})
    for name in sorted(shard.out_of_date):
        files[name] = _read(folder, name)
    return files


def _read(folder: Path, name: str) -> bytes:
    try:
        return read_input_bytes(folder / name, MAX_HASHED_BYTES, inside=folder)
    except FileProblem as problem:
        raise MergeError(f"{problem}: build that shard again") from None
