"""The review packet: the PDF a clinician works through before signing off a language (or, for
English, the content). A4 landscape, one row per string: the English, the translation, the
translator's note, what the automatic checks found, an empty back-translation column and an
"agree / change" box. Strings changed since the last sign-off come first, then the warning box,
then the rest. The language's glossary (the agreed terms, and the terms a reader could misread)
comes before them, so the reviewer can hold the translation to it. The edition's pages follow as
pictures, so the reviewer sees the text in place, and a sign-off block ends it, with the code that
`review --code` checks.
"""

from __future__ import annotations

import base64
import io
import tempfile
from dataclasses import replace
from pathlib import Path

from markupsafe import Markup

from leafletpress.core.atomic import write_atomically
from leafletpress.core.files import read_input_bytes
from leafletpress.core.locks import exclusive_lock
from leafletpress.core.problems import LeafletPressError
from leafletpress.i18n.catalogs import LanguageCatalogs, load_language_catalogs
from leafletpress.i18n.gating import judge, warning_box_msgids
from leafletpress.i18n.review import (
    ReviewedString,
    SignOffError,
    printed_strings,
    read_sign_off,
    review_status,
    sign_off_path,
    fingerprint,
)
from leafletpress.i18n.template_strings import TEMPLATE_DOMAIN
from leafletpress.inputs.edition import Edition
from leafletpress.inputs.fonts import FontLibrary, load_preferences
from leafletpress.inputs.formats import FORMATS
from leafletpress.inputs.languages import SOURCE_LANGUAGE, Language, parse_language
from leafletpress.inputs.leaflet import Leaflet
from leafletpress.inputs.project import Project
from leafletpress.pipeline.currency import sources_of
from leafletpress.pipeline.edition import EditionBuilder
from leafletpress.pipeline.folder import check_output_folder, prepare_output_folder
from leafletpress.pipeline.plan import BuildRequest
from leafletpress.pipeline.record import Hasher
from leafletpress.render.html import template_environment
from markupsafe import escape

PACKET_TEMPLATE = "review-packet.html.j2"
MAX_PACKET_BYTES = 64 * 1024 * 1024
CODE_LENGTH = 12  # characters of the sign-off fingerprint printed as the code
PAGE_IMAGE_WIDTH = 700  # pixels: readable on paper, a few hundred KB per page


class PacketExists(LeafletPressError):
    """A file is where a packet would go, and it is not this packet: perhaps the signed one."""


def write_review_packets(project: Project, language: Language, leaflets: list[Leaflet], out: Path) -> list[tuple[Path, bool]]:
    """Write each leaflet's packet as `<leaflet>_<lang>_review-packet_<code>.pdf`: (path, written).
    The name carries the sign-off code, so a packet of other text never replaces it; a file of
    that name with other bytes (a packet annotated or signed on screen) is never overwritten."""
    check_output_folder(project, out)
    prepare_output_folder(out)
    done = []
    fonts = FontLibrary(load_preferences(project.templates_dir / "fonts.toml"))
    with exclusive_lock(out, "review-packet"):
        for leaflet in leaflets:
            pdf = review_packet_pdf(project, leaflet, language, fonts)
            path = out / f"{leaflet.id}_{language.tag}_review-packet_{todays_code(project, leaflet, language)}.pdf"
            if path.is_symlink() or (path.exists() and not path.is_file()):
                raise PacketExists(f"{path} is not a regular file: remove it")
            if path.exists():
                if read_input_bytes(path, MAX_PACKET_BYTES) != pdf:
                    raise PacketExists(f"{path} is already there and is not this packet (annotated or signed?): move it away first")
                done.append((path, False))
                continue
            write_atomically(path, pdf)
            done.append((path, True))
    return done


def sign_off_code(strings) -> str:
    """The code printed on a packet: the start of the fingerprint of the text it shows."""
    return fingerprint(strings)[:CODE_LENGTH]


def todays_code(project: Project, leaflet: Leaflet, language: Language) -> str:
    """The code a packet made now would carry."""
    catalogs = load_language_catalogs(project.locales_dir, leaflet.id, language, TEMPLATE_DOMAIN)
    return sign_off_code(printed_strings(leaflet, catalogs))


def review_packet_pdf(project: Project, leaflet: Leaflet, language: Language, fonts: FontLibrary) -> bytes:
    from leafletpress.render.layout import LayoutTools, lay_out, pdf_bytes
    from leafletpress.render.pdf_finish import finish_pdf

    catalogs = load_language_catalogs(project.locales_dir, leaflet.id, language, TEMPLATE_DOMAIN)
    context = packet_context(project, leaflet, language, catalogs, fonts)
    html = template_environment(project.templates_dir).get_template(PACKET_TEMPLATE).render(packet=context)
    laid_out = lay_out(html, project.templates_dir, [project.templates_dir], LayoutTools())
    if laid_out.document is None or laid_out.problems:
        raise RuntimeError("; ".join(str(problem) for problem in laid_out.problems))
    # Finished like an edition: structure joined and its working keys removed, a deterministic
    # /ID — the same text makes the same bytes, which is how a packet that was signed on screen
    # is told from a fresh one.
    return finish_pdf(pdf_bytes(laid_out.document), {})


def packet_context(project: Project, leaflet: Leaflet, language: Language, catalogs: LanguageCatalogs, fonts: FontLibrary) -> dict:
    english = parse_language(SOURCE_LANGUAGE)
    if catalogs.problems:  # a broken catalog: every string counts as untranslated
        strings = tuple(replace(item, translation="") for item in printed_strings(leaflet, LanguageCatalogs()))
    else:
        strings = printed_strings(leaflet, catalogs)
    try:
        sign_off = read_sign_off(sign_off_path(project.root, leaflet.id, language))
        sign_off_note = ""
    except SignOffError as error:
        sign_off, sign_off_note = None, str(error)
    status = review_status(strings, sign_off)
    changed: dict[str, list] = {}
    for change in status.changes:
        if change.kind != "removed":
            changed.setdefault(change.english, []).append(change)
    box = warning_box_msgids(leaflet)
    notes = translator_notes(project, leaflet)
    headings = set(leaflet.headings())
    rows = [string_row(item, leaflet, language, catalogs, box, changed.get(item.english, []), notes, headings) for item in strings]
    groups = [
        ("Changed since the last sign-off: review these first", [row for row in rows if row["changed"]]),
        ("The warning box", [row for row in rows if row["in_box"] and not row["changed"]]),
        ("The rest of the leaflet", [row for row in rows if row["domain"] != TEMPLATE_DOMAIN and not row["in_box"] and not row["changed"]]),
        ("Words printed on every page", [row for row in rows if row["domain"] == TEMPLATE_DOMAIN and not row["in_box"] and not row["changed"]]),
    ]
    removed = [change for change in status.changes if change.kind == "removed"]
    stacks = [fonts.stack(english)] + ([] if language.is_source else [fonts.stack(language)])
    for number, row in enumerate((row for _, group in groups for row in group), start=1):
        row["number"] = number
    pages, pages_note = edition_pages(project, leaflet, language)
    return {
        "lang": language.tag,
        "dir": language.direction,
        "is_english": language.is_source,
        "language_name": "English" if language.is_source else f"{language.native_name} ({language.english_name})",
        "leaflet_title": leaflet.title,
        "leaflet": leaflet,
        "code": sign_off_code(strings),
        "status": status,
        "sign_off_note": sign_off_note,
        "catalog_problems": [str(problem) for problem in (*catalogs.problems, *catalogs.glossary_problems)],
        "glossary": glossary_rows(catalogs.glossary),
        "glossary_file": catalogs.glossary.name if catalogs.glossary else "",
        "translated": sum(1 for item in strings if item.translation),
        "total": len(strings),
        "groups": [{"title": title, "rows": group} for title, group in groups if group],
        "removed": removed,
        "questions": leaflet.questions_for_reviewer if language.is_source else (),
        "font_css": Markup("\n".join(stack.css() for stack in stacks)),
        "pages": pages,
        "pages_note": pages_note,
        "command": f'make_leaflets.py review {language.tag} --leaflet {leaflet.id} --by "NAME, ROLE" --date YYYY-MM-DD --code {sign_off_code(strings)}',
    }


def translator_notes(project: Project, leaflet: Leaflet) -> dict[tuple[str, str], list[str]]:
    """The notes for translators of every string (the `#.` comments of the .pot templates)."""
    from leafletpress.i18n.workflow import leaflet_domain, words_domain

    found = {}
    for domain in (leaflet_domain(project, leaflet), words_domain(project)):
        for message in domain.template:
            if message.id:
                found[(domain.name, message.id)] = list(message.auto_comments)
    return found


def string_row(
    item: ReviewedString, leaflet: Leaflet, language: Language, catalogs: LanguageCatalogs, box: set[str], changes: list,
    notes_by_string: dict[tuple[str, str], list[str]], headings: set[str] = frozenset(),
) -> dict:
    catalog = catalogs.leaflet if item.domain == leaflet.id else catalogs.words
    message = catalog.get(item.english) if catalog is not None else None
    notes = [*notes_by_string.get(item.key, []), *(message.user_comments if message is not None else [])]
    if language.is_source:
        checks = []
    else:
        verdict = judge(item.english, message, item.english in box, language, catalogs.glossary, item.english in headings)
        checks = ([verdict.untranslated] if verdict.untranslated else []) + list(verdict.errors) + list(verdict.warnings)
    return {
        "domain": item.domain,
        "english": escape(item.english),
        "translation": escape(item.translation) if item.translation else "",
        "notes": [escape(note) for note in notes],
        "checks": [escape(check) for check in checks],
        "in_box": item.english in box,
        "changed": bool(changes),
        "change": {
            "kind": "; ".join(_change_kind(change) for change in changes),
            "old_english": next((escape(change.old_english) for change in changes if change.old_english and change.old_english != item.english), ""),
            "old_translation": next((escape(change.old_translation) for change in changes if change.old_translation and change.old_translation != item.translation), ""),
        } if changes else None,
    }


def glossary_rows(glossary) -> list[dict]:
    """The glossary as the packet shows it: per concept, the English, the agreed terms, the terms
    that must not be used (and why), the definition. Escaped here, like every value."""
    if glossary is None:
        return []
    rows = []
    for concept in glossary.concepts:
        rows.append({
            "english": escape(", ".join(dict.fromkeys(form.text for form in concept.english))),
            "definition": escape(concept.definition),
            "accepted": [escape(term.text) for term in concept.accepted],
            "forbidden": [
                {
                    "text": escape(term.text),
                    "where": "in headings" if term.headings_only else "",
                    "unless": escape(", ".join(form.text for form in term.unless_followed_by)),
                    "why": escape(term.notes[0]) if term.notes else "",
                }
                for term in concept.forbidden
            ],
        })
    return rows


def _change_kind(change) -> str:
    if change.kind == "moved":
        return f"moved here from the {change.old_place}"
    return change.kind


def edition_pages(project: Project, leaflet: Leaflet, language: Language) -> tuple[list[str], str]:
    """The A4 edition as it would print today (a draft proof where strings are missing), as PNG
    data URLs; or why it cannot be made."""
    import pypdfium2

    with tempfile.TemporaryDirectory(prefix="leafletpress-packet-") as folder:
        request = BuildRequest(out=Path(folder), draft=True)
        edition = Edition(leaflet, language, FORMATS["A4"])
        sources = sources_of(project, leaflet.id, language, [], True, Hasher())
        result = EditionBuilder(project, request)((edition, sources))
        if not result.ok:
            return [], "The edition cannot be made yet: " + "; ".join(str(problem) for problem in result.problems[:5])
        document = pypdfium2.PdfDocument(str(result.path))
        images = []
        try:
            for page in document:
                image = page.render(scale=PAGE_IMAGE_WIDTH / page.get_width()).to_pil().convert("RGB")
                buffer = io.BytesIO()
                image.quantize(colors=64).save(buffer, format="PNG", optimize=True)
                images.append("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"))
        finally:
            document.close()
    return images, ""
