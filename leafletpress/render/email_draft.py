"""A ready-to-send email draft (<leaflet>_<lang>.eml) for an edition: built with Python's `email`
package, opened by Outlook as a draft (X-Unsent: 1) and by Thunderbird with "Edit as new".

No recipient: the midwife adds the patient. The subject is the edition's title in the language.
Both bodies (plain text and HTML) say, in the language and then in English: who sends the leaflet,
that it is attached, what no clinician has checked yet, and the warning box in full with the
clinic's lines, so that the warning signs reach a patient who never opens the attachment. The
edition's PDF is attached byte for byte under a readable name ("Leg cramps in pregnancy -
Soomaali.pdf", RFC 2231 encoded). The same edition makes the same bytes: the MIME boundaries come
from the content, not from chance.
"""

from __future__ import annotations

import hashlib
from email import policy
from email.message import EmailMessage

from markupsafe import escape

from leafletpress.i18n.template_strings import TEMPLATE_WORDS
from leafletpress.inputs.clinic import Clinic
from leafletpress.inputs.edition import Edition
from leafletpress.inputs.languages import SOURCE_LANGUAGE, Language, parse_language
from leafletpress.render.markup import split_placeholders

DEFAULT_EMAIL_FORMAT = "phone"
LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"  # a phone number keeps its order in any text


def email_name(leaflet_id: str, language_tag: str, format_label: str = DEFAULT_EMAIL_FORMAT) -> str:
    """leg-cramps_so.eml for the phone edition; leg-cramps_so_A4.eml for another format's."""
    suffix = "" if format_label == DEFAULT_EMAIL_FORMAT else f"_{format_label}"
    return f"{leaflet_id}_{language_tag}{suffix}.eml"


def attachment_name(edition: Edition) -> str:
    """The English title and the language's own name: readable in any mail client's list."""
    language = edition.language
    own = "English" if language.is_source else language.native_name
    return f"{edition.title_msgid} - {own}.pdf"


def email_draft(edition: Edition, texts: dict[str, str], clinic: Clinic | None, pdf: bytes, notice_keys: tuple[str, ...] = ()) -> bytes:
    languages = [(edition.language, texts)]
    if not edition.language.is_source:
        english = {message: message for message in texts}
        languages.append((parse_language(SOURCE_LANGUAGE), english))
    parts = [_paragraphs(edition, language, words, clinic, notice_keys) for language, words in languages]
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = texts[edition.title_msgid]
    message["X-Unsent"] = "1"
    message["Content-Language"] = ", ".join(language.tag for language, _ in languages)
    message.set_content("\n\n-----\n\n".join("\n\n".join(text for _, text in part) for part in parts))
    message.add_alternative(_html(parts, languages), subtype="html")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=attachment_name(edition))
    digest = hashlib.sha256(pdf + repr(parts).encode("utf-8")).hexdigest()[:24]
    for number, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_leafletpress_{digest}_{number}")
    return message.as_bytes()


def _paragraphs(edition: Edition, language: Language, texts: dict[str, str], clinic: Clinic | None, notice_keys) -> list[tuple[str, str]]:
    """(kind, text) in reading order: "intro", "notice", "warning-intro", "heading", "warning",
    "contact" (a "phone" kind holds the number, kept in its own order)."""
    title = texts[edition.title_msgid]
    if clinic:
        intro = _fill(texts[TEMPLATE_WORDS["email_from_clinic"]], clinic=clinic.name, title=title)
    else:
        intro = _fill(texts[TEMPLATE_WORDS["email_from_your_clinic"]], title=title)
    found = [("intro", intro), ("intro", texts[TEMPLATE_WORDS["email_attached"]])]
    found += [("notice", texts[TEMPLATE_WORDS[key]]) for key in notice_keys]
    found.append(("warning-intro", texts[TEMPLATE_WORDS["email_warning_intro"]]))
    heading, *sentences = edition.warning_strings()
    found.append(("heading", texts[heading]))
    found += [("warning", texts[sentence]) for sentence in sentences]
    if clinic:
        contact = texts[TEMPLATE_WORDS["clinic_contact"]]
        found.append(("contact", _fill(contact, clinic=clinic.name, phone=f"{LEFT_TO_RIGHT_ISOLATE}{clinic.phone}{POP_ISOLATE}")))
        hours = clinic.text("phone_hours", language.tag)
        if hours:
            found.append(("contact", _fill(texts[TEMPLATE_WORDS["clinic_hours"]], hours=hours)))
        note = clinic.text("note", language.tag)
        if note:
            found.append(("contact", note))
        if clinic.website:
            found.append(("contact", _fill(texts[TEMPLATE_WORDS["clinic_website"]], website=clinic.website)))
    return found


def _html(parts: list[list[tuple[str, str]]], languages: list[tuple[Language, dict]]) -> str:
    blocks = []
    for part, (language, _) in zip(parts, languages):
        lines = []
        for kind, text in part:
            shown = _html_text(text)
            if kind == "heading":
                lines.append(f'<h2 style="margin:0 0 6px">{shown}</h2>')
            elif kind in ("warning", "contact", "notice"):
                lines.append(f'<p style="margin:0 0 6px"><strong>{shown}</strong></p>')
            else:
                lines.append(f"<p>{shown}</p>")
        box_start = next(index for index, (kind, _) in enumerate(part) if kind == "heading")
        body = "".join(lines[:box_start]) + (
            '<div role="region" style="border:3px solid #000;background:#fff2c2;padding:8px 12px;margin:8px 0">'
            + "".join(lines[box_start:]) + "</div>"
        )
        blocks.append(f'<div lang="{language.tag}" dir="{language.direction}">{body}</div>')
    first = languages[0][0]
    return (
        f'<!DOCTYPE html><html lang="{first.tag}" dir="{first.direction}"><head><meta charset="utf-8"></head>'
        f'<body style="font-size:16px;line-height:1.5">{"<hr>".join(blocks)}</body></html>'
    )


def _html_text(text: str) -> str:
    """Escaped, with an isolated phone number as <bdi dir="ltr"> (mail clients keep HTML's bidi)."""
    escaped = str(escape(text))
    return escaped.replace(LEFT_TO_RIGHT_ISOLATE, '<bdi dir="ltr">').replace(POP_ISOLATE, "</bdi>")


def _fill(message: str, **values: str) -> str:
    """A message with its {placeholders} replaced, as plain text."""
    return "".join(value if kind == "text" else values.get(value, "{" + value + "}") for kind, value in split_placeholders(message))
