"""The last touches to a PDF WeasyPrint wrote, with pikepdf: what WeasyPrint cannot write itself.

Today: the clinical review in the XMP metadata (who checked the content and the translation, and
when), so a document system can show it without reading the page. Saved with a deterministic
/ID: the same inputs still give the same bytes.
"""

from __future__ import annotations

import io

from leafletpress.i18n.review import REVIEWED, EditionReview

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


def finish_pdf(pdf: bytes, metadata: dict[str, object]) -> bytes:
    """The PDF with these XMP properties added."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key, value in metadata.items():
                meta[key] = value
        output = io.BytesIO()
        document.save(output, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()
