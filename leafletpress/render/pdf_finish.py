"""The last touches to a PDF WeasyPrint wrote, with pikepdf: what WeasyPrint cannot write itself.

The structure tree finished for screen readers (render/structure.py), and the clinical review in
the XMP metadata (who checked the content and the translation, and when), so a document system
can show it without reading the page. Saved with a deterministic /ID: the same inputs still give
the same bytes.
"""

from __future__ import annotations

import io

from leafletpress.i18n.review import REVIEWED, EditionReview
from leafletpress.render.print_marks import add_crop_marks
from leafletpress.render.structure import finish_structure, strip_structure

REVIEW_NAMESPACE = "https://leaflet-press.invalid/ns/clinical-review/1.0/"


def review_metadata(review: EditionReview) -> dict[str, object]:
    """XMP properties (Clark notation) for the review state of an edition."""
    ns = f"{{{REVIEW_NAMESPACE}}}"
    properties: dict[str, object] = {f"{ns}State": review.label}
    contributors = []
    for part, status in (("Content", review.content), ("Translation", review.translation)):
        if status is None:
            continue
        properties[f"{ns}{part}State"] = status.state
        if status.state == REVIEWED:
            properties[f"{ns}{part}Reviewer"] = status.sign_off.reviewer
            properties[f"{ns}{part}ReviewDate"] = status.sign_off.date.isoformat()
            contributors.append(f"{status.sign_off.reviewer} (clinical review of the {part.lower()}, {status.sign_off.date.isoformat()})")
    if contributors:
        properties["dc:contributor"] = contributors
    return properties


def finish_pdf(pdf: bytes, metadata: dict[str, object], tagged: bool = True, marks: bool = False) -> bytes:
    """The PDF with its structure finished (or, `tagged=False`, removed), crop marks drawn for a
    print shop, and these XMP properties."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        if tagged:
            finish_structure(document)
        else:
            strip_structure(document)
        if marks:
            add_crop_marks(document)
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key, value in metadata.items():
                meta[key] = value
        if "/ID" in document.trailer:  # an earlier save's (render/compact_fonts.py), from unfinished content
            del document.trailer.ID
        output = io.BytesIO()
        document.save(output, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()
