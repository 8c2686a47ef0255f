"""Is an edition in the output folder still current? Only editions that say what today's inputs say
are presented as current; the others are moved to `out-of-date/` (never deleted: staff may need to
see what was given out), listed there in the manifest with the reason, and shown in the index only
under "Out of date — do not print".

What an edition says is fingerprinted from its text: the leaflet's version and dates, every string
it prints in its language (English and translation), who signed it off and when (an edition that
names a reviewer whose sign-off is gone, or says "not checked" after a sign-off, no longer says
what is true), the clinic file and the draft option. Layout,
fonts and software are left out: a new version of this program does not supersede advice. Files
are compared first (cheap); only when a file changed are the catalogs read to compare the text.
The language's glossary is among the files (a changed glossary rebuilds the language's editions,
which it may now refuse), but not in the text: a glossary changes what is checked, not what an
edition says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from leafletpress.i18n.catalogs import catalog_path, load_language_catalogs
from leafletpress.i18n.glossary import glossary_path
from leafletpress.i18n.review import EditionReview, edition_review, printed_strings, sign_off_path
from leafletpress.i18n.template_strings import TEMPLATE_DOMAIN
from leafletpress.inputs.clinic import Clinic
from leafletpress.inputs.formats import FORMATS
from leafletpress.inputs.languages import SOURCE_LANGUAGE, Language, LanguageError, parse_language
from leafletpress.inputs.leaflet import Leaflet, LeafletError, load_leaflet
from leafletpress.inputs.project import Project
from leafletpress.pipeline.record import Hasher, Record


@dataclass(frozen=True)
class Sources:
    """The files an edition's text comes from, by content hash: the cheap first comparison."""

    leaflet: str
    catalogs: str
    clinic: str
    draft: bool
    clinic_files: tuple[str, ...] = ()  # the clinic file and logo it was made with
    sign_offs: str = ""  # the content's and the translation's sign-off files
    glossary: str = ""  # the language's glossary: it decides what the gates refuse

    def as_dict(self) -> dict:
        return {
            "leaflet": self.leaflet, "catalogs": self.catalogs, "clinic": self.clinic, "draft": self.draft,
            "clinic_files": list(self.clinic_files), "sign_offs": self.sign_offs, "glossary": self.glossary,
        }


def sources_of(
    project: Project, leaflet_id: str, language: Language, clinic_files, draft: bool, hasher: Hasher
) -> Sources:
    """The sources of an edition made with this clinic file (and logo), or none, and as a draft or not."""
    catalogs = [catalog_path(project.locales_dir, language, domain) for domain in (leaflet_id, TEMPLATE_DOMAIN)]
    files = [Path(path) for path in clinic_files]
    tongues = dict.fromkeys((parse_language(SOURCE_LANGUAGE), language))
    sign_offs = " ".join(hasher.file(sign_off_path(project.root, leaflet_id, tongue)) for tongue in tongues)
    return Sources(
        sign_offs=sign_offs,
        leaflet=hasher.file(project.leaflets_dir / f"{leaflet_id}.toml"),
        catalogs="" if language.is_source else hasher.files(project.locales_dir, catalogs),
        glossary="" if language.is_source else hasher.file(glossary_path(project.locales_dir, language)),
        clinic=hasher.files(files[0].parent, files) if files else "",
        draft=draft,
        clinic_files=tuple(str(path) for path in files),
    )


def text_fingerprint(leaflet: Leaflet, strings, sources: Sources, review: EditionReview) -> str:
    """What an edition says: its leaflet's version and dates, every string it prints, its review
    state with reviewer and date, its clinic."""
    data = {
        "review": review.as_dict(),
        "version": leaflet.version,
        "published": leaflet.published.isoformat(),
        "review_due": leaflet.review_due.isoformat(),
        "strings": [[item.domain, item.english, item.translation, item.place] for item in strings],
        "clinic": sources.clinic,
        "draft": sources.draft,
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def todays_text(project: Project, leaflet: Leaflet, language: Language, sources: Sources) -> str | None:
    """The text fingerprint an edition would have today, or None when it cannot be made at all."""
    catalogs = load_language_catalogs(project.locales_dir, leaflet.id, language, TEMPLATE_DOMAIN)
    if catalogs.problems:
        return None
    review, _ = edition_review(project.root, leaflet, language, catalogs)
    return text_fingerprint(leaflet, printed_strings(leaflet, catalogs), sources, review)


def superseded(
    project: Project, record: Record, clinic: Clinic | None, draft: bool, hasher: Hasher,
    only: set[str] | None = None, asked: set[str] = frozenset(),
) -> dict[str, str]:
    """The recorded editions (all, or those named in `only`) that no longer say what today's inputs
    say, each with the reason. A folder holds one clinic's editions: one made with another clinic
    file (or with none, when this build has one) is out of date. An edition this build was `asked`
    for is measured with this build's draft option; any other with the one it was made with (a
    draft of one language does not push another language's editions aside)."""
    found: dict[str, str] = {}
    leaflets: dict[str, Leaflet | None] = {}
    for name, edition in record.editions.items():
        if only is not None and name not in only:
            continue
        entry = edition.entry
        leaflet_id, format_name = entry.get("leaflet", ""), edition.format_name
        try:
            language = parse_language(str(entry.get("language", "")).split("+")[0])
        except LanguageError:
            found[name] = "its language is no longer known"
            continue
        if leaflet_id not in leaflets:
            try:
                leaflets[leaflet_id] = load_leaflet(project.leaflets_dir / f"{leaflet_id}.toml")
            except LeafletError:
                leaflets[leaflet_id] = None
        leaflet = leaflets[leaflet_id]
        if leaflet is None:
            found[name] = f"the leaflet {leaflet_id} was removed or cannot be read"
            continue
        if leaflet.past_review(dt.date.today()):
            found[name] = f"the leaflet is past its review date ({leaflet.review_due.isoformat()})"
            continue
        if format_name not in FORMATS:
            found[name] = f"the format {format_name or '?'} no longer exists"
            continue
        if not language.is_source and language.tag not in {known.tag for known in project.languages()}:
            found[name] = f"{language.english_name} ({language.tag}) has no catalogs any more"
            continue
        if not language.is_source and leaflet.languages is not None and language.tag not in leaflet.languages:
            found[name] = f"the leaflet is no longer published in {language.english_name} ({language.tag}): see its `languages`"
            continue
        own_clinic = (edition.sources.get("clinic_files") or [None])[0]
        this_clinic = str(clinic.source) if clinic else None
        if own_clinic != this_clinic:  # one folder holds one clinic's editions (or editions for none)
            found[name] = f"it was made for {_clinic_label(own_clinic)}; this folder now holds editions for {_clinic_label(this_clinic)}"
            continue
        if name in asked:
            sources = sources_of(project, leaflet_id, language, clinic.files() if clinic else [], draft, hasher)
        else:
            own = edition.sources
            sources = sources_of(project, leaflet_id, language, own.get("clinic_files", []), bool(own.get("draft")), hasher)
        if sources.as_dict() == edition.sources:
            continue
        today = todays_text(project, leaflet, language, sources)
        if today is None:
            found[name] = f"the {language.english_name} catalogs cannot be used any more (run `make_leaflets.py check`)"
        elif today != edition.text:
            found[name] = superseded_reason(edition.entry, edition.sources, leaflet, sources)
    return found


def _clinic_label(clinic_file: str | None) -> str:
    return f"the clinic file {clinic_file}" if clinic_file else "no clinic"


def superseded_reason(entry: dict, old: dict, leaflet: Leaflet, sources: Sources) -> str:
    if entry.get("version") != leaflet.version:
        return f"the leaflet is now version {leaflet.version} (this is {entry.get('version')})"
    if old.get("leaflet") != sources.leaflet:
        return "the English text changed since it was built"
    if old.get("clinic") != sources.clinic:
        return "the clinic details changed (or another clinic file was used)"
    if old.get("draft") != sources.draft:
        return "it was a draft proof copy"
    if old.get("sign_offs") != sources.sign_offs:
        return "its clinical sign-off changed (given, withdrawn or made stale) since it was built"
    return "the translation changed since it was built"
