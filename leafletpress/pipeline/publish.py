"""The last stage of a build: record what was made from what, list the folder in manifest.json,
and draw index.html with a thumbnail of each edition."""

from __future__ import annotations

from pathlib import Path

from leafletpress.pipeline.atomic import write_atomically
from leafletpress.pipeline.edition import THUMBNAILS, EditionResult, thumbnail_path, write_thumbnail
from leafletpress.pipeline.manifest import MANIFEST, entry, merged_manifest, read_manifest
from leafletpress.pipeline.record import RECORD, record_bytes, record_entry
from leafletpress.inputs.clinic import Clinic
from leafletpress.inputs.leaflet import LeafletError, load_leaflet
from leafletpress.inputs.project import Project


def publish(project: Project, out: Path, results: list[EditionResult], inputs: list[str], record: dict, clinic: Clinic | None) -> None:
    built = [(result, edition_inputs) for result, edition_inputs in zip(results, inputs) if result.ok and not result.skipped]
    if not built:
        return
    for result, edition_inputs in built:
        record[result.edition.filename] = record_entry(edition_inputs, result.sha256, result.pages, result.size, result.review)
    write_atomically(out / RECORD, record_bytes(record))
    write_atomically(out / MANIFEST, merged_manifest(out, [manifest_entry(result, clinic) for result, _ in built]))
    write_index(project, out)


def manifest_entry(result: EditionResult, clinic: Clinic | None) -> dict:
    edition = result.edition
    return entry(
        edition.filename, edition.leaflet.id, edition.language_label, edition.format_label, result.pages,
        result.size, result.sha256, edition.leaflet.version, result.review, clinic.name if clinic else None,
    )


def write_index(project: Project, out: Path) -> None:
    """index.html over the manifest; a thumbnail for any PDF that lacks one, none for PDFs that are gone."""
    from leafletpress.pipeline.index import INDEX, index_context, render_index

    entries = read_manifest(out)
    for item in entries:
        if not thumbnail_path(out, item["file"]).exists():
            write_thumbnail(out, item["file"], (out / item["file"]).read_bytes())
    wanted = {thumbnail_path(out, item["file"]).name for item in entries}
    for thumbnail in (out / THUMBNAILS).glob("*.png"):
        if thumbnail.name not in wanted:
            thumbnail.unlink()
    titles = {}
    for path in project.leaflet_paths():
        try:
            titles[path.stem] = load_leaflet(path).title
        except LeafletError:
            continue
    html = render_index(project.templates_dir, index_context(entries, titles))
    write_atomically(out / INDEX, html.encode("utf-8"))
