"""A clinic's own details, printed in the warning box: loaded and checked before any edition is built.

A file with a wrong field fails the whole build before rendering: no edition is written with half
a contact box. The name and the phone number are proper nouns, printed as written in every
language. Free text (when the phone answers, a note) is language text: it may be given per
language (`phone_hours = { en = "24 hours", so = "24 saacadood" }`); a plain string is English.
A translated edition prints such a field only in its own language, never English in its box.
Each language's text is then held to the warning box's translation rules (i18n/clinic_text.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from leafletpress.core.characters import code_points, has_letters, hidden_characters
from leafletpress.core.files import read_input_bytes, read_toml
from leafletpress.core.problems import InputError
from leafletpress.inputs.images import image_problem
from leafletpress.inputs.languages import SOURCE_LANGUAGE, LanguageError, parse_language

FIELDS = ("name", "phone", "phone_hours", "note", "website", "logo", "online_url")
# Where each edition is online, for the QR code on its last page: http(s) only, plain ASCII, no
# user name or password in it, {leaflet} and {lang} in the path or query only.
ONLINE_URL_PLACEHOLDERS = ("{leaflet}", "{lang}")
MAX_ONLINE_URL = 200
HOST = re.compile(r"(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+")
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
URL_CHARACTERS = re.compile(r"[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%{}-]+")
LANGUAGE_FIELDS = ("phone_hours", "note")  # free text, given per language
# Groups of digits, one space or hyphen between them, an area code in brackets: "+44 (0)161 496 0000".
PHONE = re.compile(r"\+?(?:\(\d+\)|\d+)(?:[ \-]?(?:\(\d+\)|\d+))*", re.ASCII)
PHONE_DIGITS = (3, 15)  # 999 and 111 are real urgent numbers; E.164 allows at most 15 digits
MAX_PHONE = 22  # characters: a number that is read and dialled, on one line even in large print
# ASCII only: with Unicode case folding the Kelvin sign matches k and the long s matches s.
WEBSITE = re.compile(r"(https?://)?([a-z0-9-]+\.)+[a-z]{2,}(/[\w\-./]*)?", re.IGNORECASE | re.ASCII)
MAX_TEXT = 120
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 4000 * 4000


class ClinicError(InputError):
    """A clinic file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str  # ASCII digits, as dialled
    phone_hours: dict[str, str] = field(default_factory=dict)  # BCP 47 tag -> text
    note: dict[str, str] = field(default_factory=dict)
    website: str = ""
    logo: Path | None = None
    source: Path | None = None  # the clinic file
    online_url: str = ""  # a pattern: "https://example.org/leaflets/{leaflet}/{lang}"

    def url_for(self, leaflet_id: str, language_tag: str) -> str:
        """The web address of one leaflet in one language, or "" when the clinic gives none."""
        return self.online_url.replace("{leaflet}", leaflet_id).replace("{lang}", language_tag) if self.online_url else ""

    @property
    def assets_dir(self) -> Path | None:
        return self.logo.parent if self.logo else None

    def files(self) -> list[Path]:
        """The files this clinic's editions are made from."""
        return [path for path in (self.source, self.logo) if path]

    def text(self, field_name: str, language_tag: str) -> str:
        """A free-text field in this language, or "" when the clinic did not give it in it."""
        return getattr(self, field_name).get(language_tag, "")

    def lacks(self, field_name: str, language_tag: str) -> bool:
        """The field is given, but not in this language: it is left out of the edition."""
        return bool(getattr(self, field_name)) and language_tag not in getattr(self, field_name)


def load_clinic(path: Path) -> Clinic:
    path = Path(path)
    data = read_toml(path, ClinicError)
    table = data.get("clinic", data)
    if not isinstance(table, dict):
        raise ClinicError(path, "clinic", "must be a table: [clinic]")
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise ClinicError(path, unknown[0], f"is not a clinic field (fields: {', '.join(FIELDS)})")
    name = _text(path, table.get("name", ""), "name", required=True)
    if not has_letters(name):
        raise ClinicError(path, "name", "has no letters: give the clinic's name as patients know it")
    website = _text(path, table.get("website", ""), "website")
    if website and not WEBSITE.fullmatch(website):
        raise ClinicError(path, "website", f"'{_short(website)}' is not a web address such as www.example.nhs.uk")
    return Clinic(
        name=name,
        phone=_phone(path, table.get("phone", "")),
        phone_hours=_by_language(path, table, "phone_hours"),
        note=_by_language(path, table, "note"),
        website=website,
        logo=_logo(path, table.get("logo")),
        source=path.resolve(),
        online_url=_online_url(path, table.get("online_url", "")),
    )


def _online_url(path: Path, value) -> str:
    """The pattern of the editions' web addresses, printed as a QR code and in text beneath it."""
    from urllib.parse import urlsplit

    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ClinicError(path, "online_url", "must be text, such as https://example.org/leaflets/{leaflet}/{lang}")
    hidden = hidden_characters(value)
    if hidden:
        raise ClinicError(path, "online_url", f"contains characters a reader cannot see ({code_points(hidden)}); retype the address")
    if len(value) > MAX_ONLINE_URL:
        raise ClinicError(path, "online_url", f"is {len(value)} characters long; at most {MAX_ONLINE_URL}")
    if not URL_CHARACTERS.fullmatch(value):
        raise ClinicError(
            path, "online_url", f"'{_short(value)}' has spaces or characters a web address cannot hold as they are "
            "(write a non-ASCII host in its xn-- form, and other characters %-encoded)",
        )
    example = value.replace("{leaflet}", "leaflet").replace("{lang}", "lang")
    if "{" in example or "}" in example:
        raise ClinicError(path, "online_url", f"may hold only {' and '.join(ONLINE_URL_PLACEHOLDERS)} in braces")
    if BAD_PERCENT.search(example):
        raise ClinicError(path, "online_url", f"'{_short(value)}' has a % not followed by two hex digits (write %25 for a percent sign)")
    no_host = ClinicError(path, "online_url", f"'{_short(value)}' has no valid host name, such as example.org")
    try:
        parts = urlsplit(value)
        host, port = parts.hostname or "", parts.port  # a stray bracket or a port that is no number raises
    except ValueError:
        raise no_host from None
    if parts.scheme not in ("http", "https"):
        raise ClinicError(path, "online_url", f"'{_short(value)}' must start with https:// (or http://)")
    if "@" in parts.netloc or "{" in parts.netloc:
        raise ClinicError(path, "online_url", "the host part may hold no user name, password or {placeholder}")
    if not HOST.fullmatch(host) or parts.netloc.endswith(":") or port == 0 or not _real_domain(host):
        raise no_host
    return value


def _real_domain(host: str) -> bool:
    """A name a browser resolves: a top-level domain of letters (or xn-- IDN), and every xn-- label
    valid punycode."""
    labels = host.lower().split(".")
    if not (labels[-1].isalpha() and len(labels[-1]) >= 2) and not labels[-1].startswith("xn--"):
        return False
    try:
        for label in labels:
            if label.startswith("xn--"):
                label.encode("ascii").decode("idna")
    except UnicodeError:
        return False
    return True


def _phone(path: Path, value) -> str:
    """The number in ASCII digits: digits of any script (٠١٦١, ০১৬১, full-width) are accepted and
    written as 0161, since every phone dials those."""
    phone = _text(path, value, "phone", required=True)
    normalised = "".join(str(unicodedata.digit(char)) if char.isdigit() else char for char in phone)
    digits = sum(char.isdigit() for char in normalised)
    if not PHONE.fullmatch(normalised) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ClinicError(
            path, "phone",
            f"'{_short(phone)}' is not a phone number (groups of digits with one space or hyphen between them, "
            "a leading +, an area code in brackets)",
        )
    if len(normalised) > MAX_PHONE:
        raise ClinicError(path, "phone", f"'{_short(phone)}' is {len(normalised)} characters long; at most {MAX_PHONE}")
    return normalised


def _by_language(path: Path, table: dict, field_name: str) -> dict[str, str]:
    value = table.get(field_name, "")
    if isinstance(value, str):
        text = _text(path, value, field_name)
        return {SOURCE_LANGUAGE: text} if text else {}
    if not isinstance(value, dict):
        raise ClinicError(path, field_name, 'must be text, or one text per language: { en = "…", so = "…" }')
    found = {}
    for tag, text in value.items():
        try:
            language = parse_language(tag)
        except LanguageError as error:
            raise ClinicError(path, f"{field_name}.{tag}", str(error)) from None
        text = _text(path, text, f"{field_name}.{tag}")
        if text:
            found[language.tag] = text
    return found


def _text(path: Path, value, field_name: str, required: bool = False) -> str:
    if not isinstance(value, str):
        raise ClinicError(path, field_name, "must be text")
    hidden = hidden_characters(value, allow=frozenset("\t\n"))
    if hidden:
        raise ClinicError(
            path, field_name,
            f"contains characters a reader cannot see ({code_points(hidden)}): bidi controls, zero-width "
            "or other invisible characters can reorder or hide what is printed; retype the text",
        )
    value = " ".join(value.split())
    if required and not value:
        raise ClinicError(path, field_name, "is missing")
    if len(value) > MAX_TEXT:
        raise ClinicError(path, field_name, f"is {len(value)} characters long; at most {MAX_TEXT} fit the box")
    if any(char in value for char in "<>{}"):
        raise ClinicError(path, field_name, "may not contain < > { }")
    return value


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "…"


def _logo(path: Path, value) -> Path | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ClinicError(path, "logo", "must be a file name")
    folder = path.resolve().parent
    logo = (folder / value).resolve()
    if not logo.is_relative_to(folder):
        raise ClinicError(path, "logo", f"'{_short(value)}' must be in the clinic file's folder ({folder})")
    if logo.suffix.lower() not in LOGO_TYPES:
        raise ClinicError(path, "logo", f"'{_short(value)}' must be an SVG or PNG file")
    if not logo.exists():
        raise ClinicError(path, "logo", f"'{_short(value)}' does not exist")
    try:
        data = read_input_bytes(logo, max_bytes=MAX_LOGO_BYTES * 4, inside=folder)
    except OSError as error:
        raise ClinicError(path, "logo", f"'{_short(value)}' {error}") from None
    content_type = LOGO_TYPES[logo.suffix.lower()]
    problem = image_problem(data, content_type, MAX_LOGO_BYTES, MAX_LOGO_PIXELS)
    if problem:
        raise ClinicError(path, "logo", f"'{_short(value)}' {problem}")
    return logo
