"""Leaflet data + translated text -> one HTML document, through the Jinja2 print template.

Everything translated is escaped here: Jinja2 marks `{% trans %}` output as safe, so the template
never translates; it only prints values that were escaped (or built as Markup) by this module.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from babel.dates import format_date
from markupsafe import Markup, escape

from leafletpress import __version__
from leafletpress.i18n.review import REVIEWED, EditionReview
from leafletpress.inputs.edition import Edition
from leafletpress.inputs.clinic import Clinic
from leafletpress.inputs.formats import BLEED_MM, Format
from leafletpress.inputs.languages import SOURCE_LANGUAGE, Language, parse_language
from leafletpress.inputs.leaflet import PICTURE_FOLDER
from leafletpress.render.markup import fill, isolate, split_placeholders, text_direction
from leafletpress.i18n.template_strings import TEMPLATE_WORDS

TEMPLATE_NAME = "leaflet.html.j2"
INDEX_TEMPLATE = "index.html.j2"
TAG = re.compile(r"<[^>]*>")
BREAK_AFTER = re.compile(r"(?<=[./])")
TRAILING_STOP_AFTER_PHONE = re.compile(r"\{phone\}\s*[.。।۔]\s*$")
MAX_BOUND_CHARACTERS = 24  # two words this long still fit a narrow bilingual column


def template_environment(templates: Path):
    import jinja2

    return jinja2.Environment(
        loader=confined_loader(Path(templates)),
        autoescape=True,  # select_autoescape would not escape "leaflet.html.j2"
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def confined_loader(templates: Path):
    """Jinja2's file loader, held to regular files inside the templates folder: a template that is
    a link out of the project, a FIFO or a device is not read."""
    import stat

    import jinja2
    from jinja2.loaders import split_template_path

    root = templates.resolve()

    class ConfinedLoader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            path = root.joinpath(*split_template_path(template))
            real = path.resolve()
            if not real.is_relative_to(root):
                raise jinja2.TemplateNotFound(f"{template} (it leads out of {root})")
            if real.exists() and not stat.S_ISREG(real.stat().st_mode):
                raise jinja2.TemplateNotFound(f"{template} (not a regular file)")
            return super().get_source(environment, template)

    return ConfinedLoader(str(root))


def page_context(
    edition: Edition,
    texts: dict[str, str],
    review: EditionReview,
    draft: bool = False,
    clinic: Clinic | None = None,
    font_css: str = "",
    publisher: str = "Leaflet Press",
    keep_lists: bool = False,
) -> dict:
    """All values the template prints, already escaped: a pure function of the edition's data.

    The page's own words (footer, marks) are in the edition's language; the content comes as one
    column per language: the edition's language alone, or English beside it for a bilingual edition.
    """
    leaflet, language = edition.leaflet, edition.language
    word = _words(texts)
    english_word = _words({message: message for message in TEMPLATE_WORDS.values()})
    draft_mark = draft_mark_english = footer_mark = footer_mark_english = ""
    if draft:
        draft_mark, draft_mark_english = word("draft"), english_word("draft")
    if review.label != REVIEWED:
        footer_mark, footer_mark_english = word("footer_unchecked"), english_word("footer_unchecked")
    notices = [_in_both(word(key), english_word(key)) for key in review.notice_keys()]
    # The edition's language first, then English: the reading order of a bilingual edition.
    columns = [language_column(edition, language, texts, clinic, publisher, review)]
    if edition.bilingual:
        english = parse_language(SOURCE_LANGUAGE)
        identity = {message: message for message in [*leaflet.strings(), *TEMPLATE_WORDS.values()]}
        columns.append(language_column(edition, english, identity, clinic, publisher, review))
    title = " · ".join(dict.fromkeys(column["title_text"] for column in columns))
    return {
        "lang": language.tag,
        "dir": "ltr" if edition.bilingual else language.direction,
        "bilingual": edition.bilingual,
        "title": title,
        "subject": texts[leaflet.summary],
        "keywords": f"{leaflet.code}, {leaflet.id}, {language.tag}",
        "publisher": publisher,
        "generator": f"Leaflet Press {__version__}",
        "format_stylesheet": edition.format.stylesheet,
        "font_css": Markup(font_css + numbering_css(language) + (MARKS_CSS if edition.marks else "")),
        "created": leaflet.published.isoformat(),
        "clinic_name": clinic.name if clinic else "",
        "clinic_logo": clinic.logo.as_uri() if clinic and clinic.logo else "",
        "easy_read": edition.easy_read,
        "body_class": " ".join(
            [f"format-{edition.format.page_name.lower()}", "bilingual" if edition.bilingual else "single", *(["keep-lists"] if keep_lists else [])]
        ),
        "code": leaflet.code,
        "footer_lang": language.tag,
        "footer_dir": language.direction,
        "version": columns[0]["version"],
        "review_date": columns[0]["review_date"],
        "page_of": split_placeholders(texts[TEMPLATE_WORDS["page_of"]]),
        "notices": notices,
        "footer_mark": _in_both(footer_mark, footer_mark_english) if footer_mark else None,
        "draft_mark": draft_mark,
        "draft_mark_english": draft_mark_english if str(draft_mark) != str(draft_mark_english) else "",
        "columns": columns,
        "section_order": section_order(leaflet),
        "online": online_link(edition, clinic, word),
    }


def online_link(edition: Edition, clinic: Clinic | None, word) -> dict | None:
    """The edition's web address as a QR code with the address in text beneath (the clinic's
    `online_url`), for the last page; None when the clinic gives no address."""
    from leafletpress.render.qr import qr_data_url

    url = clinic.url_for(edition.leaflet.id, edition.language.tag) if clinic else ""
    if not url:
        return None
    return {"caption": word("qr_caption"), "description": word("qr_description"), "src": qr_data_url(url), "url": isolate(breakable_address(url))}


def language_column(
    edition: Edition, language: Language, texts: dict[str, str], clinic: Clinic | None, publisher: str, review: EditionReview
) -> dict:
    """Everything the content says in one language, block by block, so columns line up."""
    leaflet = edition.leaflet
    word = _words(texts)

    def text(msgid: str, bind: bool = True) -> Markup:
        return fill(bind_last_words(texts[msgid]) if bind else texts[msgid])

    def date(day) -> Markup:
        formatted = language.digits(format_date(day, format="long", locale=language.date_locale))
        return isolate(formatted, direction=language.direction)

    def picture(name: str) -> dict | None:
        """A picture beside its text: a Figure whose description is in the column's language."""
        if not name:
            return None
        found = leaflet.pictures[name]
        return {"src": f"{PICTURE_FOLDER}/{found.file}", "alt": fill(texts[found.description])}

    def blocks(section) -> list[dict]:
        found = [{"type": "heading", "text": text(section.heading), "warning": section.is_warning, "picture": picture(section.picture)}]
        found += [{"type": "paragraph", "text": text(paragraph)} for paragraph in section.paragraphs]
        if section.items:
            tag = "ol" if section.kind == "steps" else "ul"
            pictures = section.item_pictures or ("",) * len(section.items)
            items = [{"text": text(item), "picture": picture(name)} for item, name in zip(section.items, pictures)]
            found.append({"type": "list", "tag": tag, "items": items, "pictures": bool(section.item_pictures)})
        found += [{"type": "paragraph", "text": text(paragraph)} for paragraph in section.after]
        if section.is_warning and clinic:
            found.append({"type": "contact", "lines": _clinic_lines(clinic, word, language, texts)})
        return found

    def checked_by(key: str, status) -> Markup | None:
        if status is None or status.state != REVIEWED:
            return None
        reviewer = isolate(status.sign_off.reviewer, text_direction(status.sign_off.reviewer))
        return word(key, reviewer=reviewer, date=date(status.sign_off.date))

    def easy_read() -> dict | None:
        if not edition.easy_read:
            return None
        parts = []
        for index, part in enumerate(leaflet.easy_read.parts):
            rows = [{"picture": picture(row.picture), "text": text(row.text)} for row in part.rows]
            contact = _clinic_lines(clinic, word, language, texts) if part.warning and clinic else []
            anchor = edition.warning_anchor if part.warning else f"easy-read-{index}"
            parts.append({"anchor": anchor, "warning": part.warning, "heading": text(part.heading), "rows": rows, "contact": contact})
        return {"parts": parts}

    title = leaflet.easy_read.title if edition.easy_read else leaflet.title
    return {
        "lang": language.tag,
        "dir": language.direction,
        "title_text": texts[title],
        "title": text(title),
        "easy_read": easy_read(),
        "summary": text(leaflet.summary),
        "version": word("version", version=isolate(leaflet.version)),
        "review_date": word("review_date", date=date(leaflet.review_due)),
        "published": word("published", date=date(leaflet.published)),
        "warning_icon": word("warning_icon"),
        "sources_heading": word("sources"),
        "sources": [text(source) for source in leaflet.sources],
        "produced_by": word("produced_by", publisher=publisher),
        "checked_by": [
            line
            for line in (checked_by("content_checked_by", review.content), checked_by("translation_checked_by", review.translation))
            if line is not None
        ],
        "sections": [
            {"anchor": section.anchor, "kind": section.kind, "blocks": blocks(section)} for section in leaflet.sections
        ],
    }


def section_order(leaflet) -> list[int]:
    """The warning section first, then the others in the leaflet's order."""
    warning = next(index for index, section in enumerate(leaflet.sections) if section.is_warning)
    return [warning, *(index for index in range(len(leaflet.sections)) if index != warning)]


def _words(texts: dict[str, str]):
    def word(key: str, **values) -> Markup:
        return fill(texts[TEMPLATE_WORDS[key]], values)

    return word


MARKS_CSS = f"\n@page {{ bleed: {BLEED_MM}mm; }}"  # the crop marks are drawn by render/print_marks.py


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


def _clinic_lines(clinic: Clinic, word, language: Language, texts: dict[str, str]) -> list[Markup]:
    """The clinic's lines in the warning box. Free text appears only in the column's own language.

    The number stands on a line of its own, large: easy to find, and read in its own order by every
    PDF reader (beside right-to-left words, readers put the groups of "0161 496 0000" backwards).
    A full stop right after it is dropped: it would start a line alone."""
    name = isolate(clinic.name, text_direction(clinic.name))
    contact = TRAILING_STOP_AFTER_PHONE.sub("{phone}", texts[TEMPLATE_WORDS["clinic_contact"]])
    lines = [fill(contact, {"clinic": name, "phone": isolate(clinic.phone, css_class="phone")})]
    hours = clinic.text("phone_hours", language.tag)
    if hours:
        lines.append(word("clinic_hours", hours=isolate(hours, text_direction(hours))))
    note = clinic.text("note", language.tag)
    if note:
        lines.append(fill(note))
    if clinic.website:
        lines.append(word("clinic_website", website=isolate(breakable_address(clinic.website))))
    return lines


def bind_last_words(text: str) -> str:
    """The last two words joined by a no-break space, so that a heading, a warning or a paragraph
    never ends with one word alone on its last line. Only for scripts that separate words with
    spaces, and only when the two words are short enough to share any line."""
    head, space, last = text.rstrip().rpartition(" ")
    if not space or not head or " " in last or "{" in last:
        return text
    before = head.rpartition(" ")[2]
    if len(before) + len(last) > MAX_BOUND_CHARACTERS or not before.strip():
        return text
    return f"{head}\u00a0{last}"


def breakable_address(address: str) -> Markup:
    """A web address that may wrap after each "." and "/" (a long one never runs off the page)."""
    pieces = [escape(piece) for piece in BREAK_AFTER.split(address)]
    return Markup("").join(piece + Markup("<wbr>") if piece[-1:] in "./" else piece for piece in pieces if piece)


def _in_both(text: Markup, english: Markup) -> dict:
    """A line in the edition's language, with the English beside it unless they are the same."""
    return {"text": text, "english": english if str(text) != str(english) else ""}


def render_html(environment, context: dict) -> str:
    return environment.get_template(TEMPLATE_NAME).render(page=context)


def printed_text(html: str) -> str:
    """The characters a page prints: the HTML without its head, tags and entities."""
    body = html[html.find("<body"):]
    return unescape(TAG.sub(" ", body))
