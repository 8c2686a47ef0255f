"""Leaflet data + translated text -> one HTML document, through the Jinja2 print template.

Everything translated is escaped here: Jinja2 marks `{% trans %}` output as safe, so the template
never translates; it only prints values that were escaped (or built as Markup) by this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from markupsafe import Markup

from . import __version__
from .content import Leaflet
from .clinic import Clinic
from .formats import BLEED_MM, Format
from .languages import Language
from .markup import fill, isolate, split_placeholders, text_direction
from .words import WORDS

PUBLISHER = "Leaflet Press"
TEMPLATE_NAME = "leaflet.html.j2"


@dataclass(frozen=True)
class Edition:
    leaflet: Leaflet
    language: Language
    format: Format
    marks: bool = False  # crop marks and bleed for a print shop

    @property
    def format_label(self) -> str:
        return f"{self.format.name}-marks" if self.marks else self.format.name

    @property
    def filename(self) -> str:
        return f"{self.leaflet.id}_{self.language.tag}_{self.format_label}.pdf"

    @property
    def label(self) -> str:
        return f"{self.leaflet.id} {self.language.tag} {self.format_label}"


def template_environment(templates: Path):
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # select_autoescape would not escape "leaflet.html.j2"
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page_context(
    edition: Edition,
    texts: dict[str, str],
    review_label: str,
    draft: bool = False,
    clinic: Clinic | None = None,
    font_css: str = "",
) -> dict:
    """All values the template prints, already escaped: a pure function of the edition's data."""
    leaflet, language = edition.leaflet, edition.language

    def text(msgid: str, **values) -> Markup:
        return fill(texts[msgid], values)

    def word(key: str, **values) -> Markup:
        return fill(texts[WORDS[key]], values)

    def english_word(key: str, **values) -> Markup:
        return fill(WORDS[key], values)

    def date(day) -> Markup:
        formatted = language.digits(format_date(day, format="long", locale=language.date_locale))
        return isolate(formatted, direction=language.direction)

    version = word("version", version=isolate(leaflet.version))
    notice = notice_english = draft_mark = draft_mark_english = ""
    if review_label in ("unreviewed", "stale"):
        notice, notice_english = word(review_label), english_word(review_label)
    if draft:
        draft_mark, draft_mark_english = word("draft"), english_word("draft")
    translated_title = texts[leaflet.title]
    return {
        "lang": language.tag,
        "dir": language.direction,
        "title": translated_title,
        "subject": texts[leaflet.summary],
        "keywords": f"{leaflet.code}, {leaflet.id}, {language.tag}",
        "publisher": PUBLISHER,
        "generator": f"Leaflet Press {__version__}",
        "format_stylesheet": edition.format.stylesheet,
        "font_css": Markup(font_css + numbering_css(language) + (MARKS_CSS if edition.marks else "")),
        "created": leaflet.published.isoformat(),
        "clinic_name": clinic.name if clinic else "",
        "clinic_logo": clinic.logo.as_uri() if clinic and clinic.logo else "",
        "body_class": f"format-{edition.format.name.lower()} dir-{language.direction}",
        "summary": text(leaflet.summary),
        "code": leaflet.code,
        "version": version,
        "review_date": word("review_date", date=date(leaflet.review)),
        "published": word("published", date=date(leaflet.published)),
        "page_of": split_placeholders(texts[WORDS["page_of"]]),
        "notice": notice if str(notice) != str(notice_english) else notice_english,
        "notice_english": notice_english if str(notice) != str(notice_english) else "",
        "draft_mark": draft_mark,
        "draft_mark_english": draft_mark_english if str(draft_mark) != str(draft_mark_english) else "",
        "warning_icon": word("warning_icon"),
        "sources_heading": word("sources"),
        "sources": [text(source) for source in leaflet.sources],
        "produced_by": word("produced_by", publisher=PUBLISHER),
        "clinic_lines": _clinic_lines(clinic, word) if clinic else [],
        "sections": [
            {
                "id": section.id,
                "kind": section.kind,
                "heading": text(section.heading),
                "paragraphs": [text(paragraph) for paragraph in section.paragraphs],
                "list_items": [text(item) for item in section.items],
                "after": [text(paragraph) for paragraph in section.after],
                "list_tag": "ol" if section.kind == "steps" else "ul",
            }
            for section in leaflet.sections
        ],
    }


MARKS_CSS = f"\n@page {{ marks: crop cross; bleed: {BLEED_MM}mm; }}"


def numbering_css(language: Language) -> str:
    """Page numbers and numbered steps in the language's own digits (Bengali ১ ২ ৩…)."""
    style = language.counter_style
    if style == "decimal":
        return ""
    scope = f":lang({language.tag})"
    return (
        f"\n{scope} .counter-page::before {{ content: counter(page, {style}); }}"
        f"\n{scope} .counter-pages::before {{ content: counter(pages, {style}); }}"
        f"\n{scope} ol {{ list-style-type: {style}; }}"
    )


def _clinic_lines(clinic: Clinic, word) -> list[Markup]:
    name = isolate(clinic.name, text_direction(clinic.name))
    lines = [word("clinic_contact", clinic=name, phone=isolate(clinic.phone, css_class="phone"))]
    if clinic.phone_hours:
        lines.append(word("clinic_hours", hours=isolate(clinic.phone_hours, text_direction(clinic.phone_hours))))
    if clinic.website:
        lines.append(word("clinic_website", website=isolate(clinic.website)))
    return lines


def render_html(environment, context: dict) -> str:
    return environment.get_template(TEMPLATE_NAME).render(page=context)
