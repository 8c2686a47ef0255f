"""The last stage of a build: fold the results into the record, move editions that are no longer
current to out-of-date/, and write manifest.json and index.html from the record and the folder —
never from memory of the last run, so they match the PDFs even after a build that failed half-way.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from leafletpress.core.atomic import write_atomically
from leafletpress.core.files import read_input_bytes
from leafletpress.inputs.clinic import Clinic
from leafletpress.inputs.leaflet import LeafletError, load_leaflet
from leafletpress.inputs.project import Project
from leafletpress.pipeline.currency import superseded
from leafletpress.pipeline.edition import EditionResult, thumbnail_path, thumbnail_png
from leafletpress.pipeline.folder import INDEX, MANIFEST, OUT_OF_DATE, THUMBNAILS
from leafletpress.pipeline.plan import Plan
from leafletpress.pipeline.record import (
    GENERATOR, MAX_HASHED_BYTES, RECORD, EditionRecord, Hasher, Record, claim, clear_claims,
)


@dataclass
class Published:
    moved: list[tuple[str, str]] = field(default_factory=list)  # (file, reason) moved to out-of-date/
    notes: list[str] = field(default_factory=list)


def publish(
    project: Project, out: Path, plan: Plan, results: list[EditionResult | None], record: Record,
    clinic: Clinic | None, draft: bool, hasher: Hasher, environment,
) -> Published:
    """`environment` is the build's Jinja2 environment (the index template compiled once)."""
    published = Published(notes=list(record.notes))
    claim(out, [MANIFEST, INDEX, RECORD])
    record.files |= {MANIFEST, INDEX}
    built = set()
    for result, inputs, sources in zip(results, plan.inputs, plan.sources):
        if result is None or not result.ok or result.skipped:
            continue
        name = result.edition.filename
        built.add(name)
        record.editions[name] = EditionRecord(
            file=name, inputs=inputs, text=result.text, sources=sources.as_dict(), format_name=result.edition.format.name,
            sha256=result.sha256, entry=manifest_entry(result, clinic), companions=list(result.companions),
            companion_sha256=dict(result.companion_sha256),
        )
        record.files -= {name, *result.companions}
    forget_missing(out, record)
    forget_restored(out, record, hasher)
    # Editions that no longer say what today's inputs say (or whose bytes were changed) go to out-of-date/.
    candidates = set(record.editions) - built - {result.edition.filename for result in results if result and result.skipped}
    asked = {edition.filename for edition in plan.editions}
    reasons = superseded(project, record, clinic, draft, hasher, only=candidates, asked=asked)
    for name in candidates - set(reasons):
        if hasher.file(out / name) != record.editions[name].sha256:
            reasons[name] = "its bytes differ from what the build wrote (changed or damaged after the build)"
    for name in sorted(orphans(out, record)):
        reasons[name] = (
            "its build record was lost or of an older shape; build it again to publish it" if record.notes
            else "left by a build that was stopped before it finished; build it again to publish it"
        )
    for name, reason in sorted(reasons.items()):
        move_out_of_date(out, record, name, reason)
        published.moved.append((name, reason))
    # Thumbnails for every current edition; none for editions that are gone.
    for name in record.editions:
        if not thumbnail_path(out, name).exists():
            picture = str(thumbnail_path(out, name).relative_to(out))
            claim(out, [picture])
            write_atomically(thumbnail_path(out, name), thumbnail_png(read_input_bytes(out / name, MAX_HASHED_BYTES)))
            if picture not in record.editions[name].companions:
                record.editions[name].companions.append(picture)
    wanted = {companion for edition in record.editions.values() for companion in edition.companions}
    for name in sorted(record.files):
        if name.startswith(f"{THUMBNAILS}/") and name not in wanted:
            if (out / name).is_file() or (out / name).is_symlink():
                (out / name).unlink()
            record.files.discard(name)
    write_atomically(out / MANIFEST, manifest_bytes(record))
    write_atomically(out / INDEX, index_html(project, record, environment).encode("utf-8"))
    write_atomically(out / RECORD, record.to_bytes())
    clear_claims(out)
    return published


def manifest_entry(result: EditionResult, clinic: Clinic | None) -> dict:
    edition = result.edition
    return {
        "file": edition.filename,
        "leaflet": edition.leaflet.id,
        "language": edition.language_label,
        "format": edition.format_label,
        "title": result.title,
        "summary": result.summary,
        **{kind: name for name in result.companion_sha256 for kind, suffix in (("web_page", ".html"), ("email", ".eml")) if name.endswith(suffix)},
        "pages": result.pages,
        "bytes": result.size,
        "sha256": result.sha256,
        "version": edition.leaflet.version,
        "review": result.review_label,
        "clinical_review": result.review.as_dict() if result.review else None,
        "clinic": clinic.name if clinic else None,
        # The clinic's own lines in the box (name, number, hours, note) are the clinic's to check.
        **({"clinic_details": "supplied by the clinic; not covered by the clinical sign-off"} if clinic else {}),
        "draft": result.draft,
        **result.checks,
    }


def forget_missing(out: Path, record: Record) -> None:
    """Editions deleted from the folder by hand leave the record, with their thumbnails."""
    for name in [name for name in record.editions if not (out / name).is_file()]:
        for companion in record.editions[name].companions:
            if companion.startswith(f"{THUMBNAILS}/"):
                (out / companion).unlink(missing_ok=True)
        del record.editions[name]
    for name in [name for name in record.out_of_date if not (out / name).is_file()]:
        del record.out_of_date[name]


def forget_restored(out: Path, record: Record, hasher: Hasher) -> None:
    """An out-of-date copy that is byte for byte the current edition of the same name (a catalog
    broken, then put back) is no longer out of date: it goes, so the index does not list it."""
    for name, entry in list(record.out_of_date.items()):
        current = record.editions.get(str(entry.get("was", "")))
        if not current or not (out / name).is_file() or (out / name).is_symlink():
            continue
        # The file's own bytes, not its entry: an edition edited by another program keeps the
        # entry of the edition it was, and must never be removed.
        if hasher.file(out / name) == current.sha256:
            (out / name).unlink()
            del record.out_of_date[name]
            record.files.discard(name)
            companion = f"{OUT_OF_DATE}/{Path(name).stem}.html"
            if companion in record.files and (out / companion).is_file() and not (out / companion).is_symlink():
                (out / companion).unlink()
                record.files.discard(companion)


def orphans(out: Path, record: Record) -> set[str]:
    """PDFs the build claimed but never recorded: a killed build wrote them."""
    return {name for name in record.files if "/" not in name and name.endswith(".pdf") and (out / name).is_file()}


def move_out_of_date(out: Path, record: Record, name: str, reason: str) -> None:
    """Move an edition (and its HTML companion) to out-of-date/ under a name that says which
    version it was; never over a file that is not the build's own, never through a link."""
    edition = record.editions.pop(name, None)
    entry = dict(edition.entry) if edition else entry_from_name(name)
    sha = edition.sha256 if edition else hashlib.sha256(read_input_bytes(out / name, MAX_HASHED_BYTES)).hexdigest()
    version = re.sub(r"[^A-Za-z0-9.]+", "-", str(entry.get("version", "unknown")))
    target = free_name(out, record, f"{OUT_OF_DATE}/{Path(name).stem}_v{version}_{sha[:8]}", ".pdf")
    (out / OUT_OF_DATE).mkdir(exist_ok=True)
    claim(out, [target])
    os.replace(out / name, out / target)
    record.files.discard(name)
    for companion in edition.companions if edition else []:
        path = out / companion
        if companion.endswith(".html") and path.is_file() and not path.is_symlink():
            html_target = free_name(out, record, f"{OUT_OF_DATE}/{Path(target).stem}", ".html")
            claim(out, [html_target])
            os.replace(path, out / html_target)
            record.files.add(html_target)
        elif path.is_file() or path.is_symlink():
            path.unlink()
        record.files.discard(companion)
    record.out_of_date[target] = {**entry, "file": target, "was": name, "reason": reason}


def free_name(out: Path, record: Record, stem: str, suffix: str) -> str:
    """`stem + suffix`, or with -2, -3… if something not the build's own is already there."""
    name, number = f"{stem}{suffix}", 1
    while (out / name).exists() or (out / name).is_symlink():
        if record.owns(name) and (out / name).is_file() and not (out / name).is_symlink():
            return name  # the build's own earlier copy: replaced
        number += 1
        name = f"{stem}-{number}{suffix}"
    return name


def entry_from_name(name: str) -> dict:
    """What an edition's file name says of it (<leaflet>_<language>_<format>.pdf), for a PDF the
    record knows nothing else about."""
    parts = Path(name).stem.rsplit("_", 2)
    leaflet, language, page_format = parts if len(parts) == 3 else (Path(name).stem, "", "")
    return {"file": name, "leaflet": leaflet, "language": language, "format": page_format, "version": "unknown", "bytes": 0}


def manifest_bytes(record: Record) -> bytes:
    data = {
        "generator": GENERATOR,
        "files": [record.editions[name].entry for name in sorted(record.editions)],
        "out_of_date": [record.out_of_date[name] for name in sorted(record.out_of_date)],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def index_html(project: Project, record: Record, environment) -> str:
    from leafletpress.pipeline.index import index_context, render_index

    titles = {}
    for path in project.leaflet_paths():
        try:
            titles[path.stem] = load_leaflet(path).title
        except LeafletError:
            continue
    entries = [record.editions[name].entry for name in sorted(record.editions)]
    out_of_date = [record.out_of_date[name] for name in sorted(record.out_of_date)]
    return render_index(environment, index_context(entries, titles, out_of_date))
