"""build/leaflets/manifest.json: one entry per PDF in the output folder, for scripts and mail merges."""

from __future__ import annotations

import json
from pathlib import Path

MANIFEST = "manifest.json"


def entry(
    filename: str, leaflet: str, language: str, page_format: str, pages: int, size: int, sha256: str,
    version: str, review: str, clinic: str | None,
) -> dict:
    return {
        "file": filename,
        "leaflet": leaflet,
        "language": language,
        "format": page_format,
        "pages": pages,
        "bytes": size,
        "sha256": sha256,
        "version": version,
        "review": review,
        "clinic": clinic,
    }


def merged_manifest(out: Path, new_entries: list[dict]) -> bytes:
    """Entries of this build over those of earlier builds whose files are still there."""
    entries = {item["file"]: item for item in read_manifest(out)}
    entries.update({item["file"]: item for item in new_entries})
    kept = [entries[name] for name in sorted(entries) if (out / name).is_file()]
    return (json.dumps({"files": kept}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_manifest(out: Path) -> list[dict]:
    try:
        return list(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"])
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return []
