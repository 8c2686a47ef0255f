"""build/leaflets/index.html: every edition at a glance, opened straight from disk.

Grouped by leaflet and language (named in its own script and in English), each with a thumbnail of
page 1, pages, size, version, review state and a link to the PDF. Relative links only: no server,
no network. Thumbnails are small PNGs rendered by PDFium.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from leafletpress.inputs.languages import SOURCE_LANGUAGE, parse_language
from leafletpress.pipeline.folder import THUMBNAILS

STATE_TEXT = {
    "reviewed": "checked by {reviewer} on {date}",
    "unreviewed": "not yet checked by a clinician",
    "stale": "changed since {reviewer} checked it on {date}",
}


def language_names(label: str) -> tuple[str, str]:
    """("español + English", "Spanish + English") for "es+en"; own script first, then English."""
    own, english = [], []
    for tag in label.split("+"):
        language = parse_language(tag)
        own.append(language.native_name if tag != SOURCE_LANGUAGE else "English")
        english.append(language.english_name if tag != SOURCE_LANGUAGE else "English")
    return " + ".join(own), " + ".join(english)


def review_lines(review: dict | None) -> list[str]:
    """"Content: checked by … on …", "Translation: not yet checked by a clinician"."""
    if not review:
        return []
    lines = []
    for part in ("content", "translation"):
        status = review.get(part)
        if status:
            text = STATE_TEXT.get(status["state"], status["state"]).format(reviewer=status["reviewer"], date=status["date"])
            lines.append(f"{part.capitalize()}: {text}")
    return lines


def index_context(entries: Iterable[dict], titles: dict[str, str], out_of_date: Iterable[dict] = ()) -> dict:
    """Entries grouped by leaflet, then language, in a stable order (English first); editions that
    are out of date listed apart, with the reason."""
    leaflets: dict[str, dict] = {}
    for item in sorted(entries, key=lambda item: item["file"]):
        leaflet = leaflets.setdefault(item["leaflet"], {"id": item["leaflet"], "title": titles.get(item["leaflet"], item["leaflet"]), "languages": {}})
        label = item["language"]
        own, english = language_names(label)
        group = leaflet["languages"].setdefault(label, {
            "tag": label, "own": own, "english": english, "dir": parse_language(label.split("+")[0]).direction,
            "lang": label.split("+")[0], "files": [], "web_page": "", "email": "",
        })
        for kind in ("web_page", "email"):
            group[kind] = group[kind] or item.get(kind, "")
        group["files"].append({
            **item,
            "kb": round(item["bytes"] / 1024),
            "thumbnail": f"{THUMBNAILS}/{Path(item['file']).stem}.png",
            "review_lines": review_lines(item.get("clinical_review")),
        })
    format_order = {name: position for position, name in enumerate(["A4", "A5", "A4-large", "A5-2up", "A4-bilingual", "easy-read", "phone"])}
    for leaflet in leaflets.values():
        ordered = sorted(leaflet["languages"].values(), key=lambda group: (group["tag"] != SOURCE_LANGUAGE, group["tag"]))
        for group in ordered:
            group["files"].sort(key=lambda file: (format_order.get(file["format"].removesuffix("-marks"), 9), file["file"]))
        leaflet["languages"] = ordered
    stale = [
        {**item, "kb": round(item.get("bytes", 0) / 1024), "title": titles.get(item.get("leaflet", ""), item.get("leaflet", ""))}
        for item in sorted(out_of_date, key=lambda item: item["file"])
    ]
    return {"leaflets": list(leaflets.values()), "out_of_date": stale}


def render_index(environment, context: dict) -> str:
    from leafletpress.render.html import INDEX_TEMPLATE

    return environment.get_template(INDEX_TEMPLATE).render(index=context)
