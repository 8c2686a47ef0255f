"""Clinical review state of an edition's text: who checked it, and whether it changed since."""

from __future__ import annotations

from leafletpress.i18n.catalogs import LanguageCatalogs, source_fingerprint
from leafletpress.i18n.template_strings import TEMPLATE_WORDS
from leafletpress.inputs.leaflet import Leaflet


def review_label(leaflet: Leaflet, catalogs: LanguageCatalogs) -> str:
    """"source" for English; else the weakest state of the leaflet's and the template's catalogs."""
    if catalogs.leaflet is None:
        return "source"
    labels = {
        catalogs.leaflet.review.label(source_fingerprint(leaflet.strings())),
        catalogs.words.review.label(source_fingerprint(TEMPLATE_WORDS.values())),
    }
    return next(label for label in ("unreviewed", "stale", "reviewed") if label in labels)
