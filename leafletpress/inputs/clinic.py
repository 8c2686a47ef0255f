"""A clinic's own details, printed in the warning box: loaded and checked before any edition is built.

A file with a wrong field fails the whole build before rendering: no edition is written with half
a contact box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from leafletpress.inputs.images import image_problem
from leafletpress.inputs.files import read_toml
from leafletpress.inputs.problems import InputError

FIELDS = ("name", "phone", "phone_hours", "website", "logo")
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]*[0-9]$")
PHONE_DIGITS = (3, 15)  # 999 and 111 are real urgent numbers; E.164 allows at most 15 digits
WEBSITE = re.compile(r"^(https?://)?([a-z0-9-]+\.)+[a-z]{2,}(/[\w\-./]*)?$", re.IGNORECASE)
MAX_TEXT = 120
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 4000 * 4000


class ClinicError(InputError):
    """A clinic file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str
    phone_hours: str = ""
    website: str = ""
    logo: Path | None = None
    source: Path | None = None  # the clinic file

    @property
    def assets_dir(self) -> Path | None:
        return self.logo.parent if self.logo else None

    def files(self) -> list[Path]:
        """The files this clinic's editions are made from."""
        return [path for path in (self.source, self.logo) if path]


def load_clinic(path: Path) -> Clinic:
    path = Path(path)
    data = read_toml(path, ClinicError)
    table = data.get("clinic", data)
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise ClinicError(path, unknown[0], f"is not a clinic field (fields: {', '.join(FIELDS)})")
    name = _text(path, table, "name", required=True)
    phone = _text(path, table, "phone", required=True)
    digits = sum(char.isdigit() for char in phone)
    if not PHONE.match(phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ClinicError(path, "phone", f"'{phone}' is not a phone number (digits, spaces, + - ( ) only)")
    website = _text(path, table, "website")
    if website and not WEBSITE.match(website):
        raise ClinicError(path, "website", f"'{website}' is not a web address such as www.example.nhs.uk")
    return Clinic(
        name=name,
        phone=phone,
        phone_hours=_text(path, table, "phone_hours"),
        website=website,
        logo=_logo(path, table.get("logo")),
        source=path.resolve(),
    )


def _text(path: Path, table: dict, field: str, required: bool = False) -> str:
    value = table.get(field, "")
    if not isinstance(value, str):
        raise ClinicError(path, field, "must be text")
    value = " ".join(value.split())
    if required and not value:
        raise ClinicError(path, field, "is missing")
    if len(value) > MAX_TEXT:
        raise ClinicError(path, field, f"is {len(value)} characters long; at most {MAX_TEXT} fit the box")
    if any(char in value for char in "<>{}"):
        raise ClinicError(path, field, "may not contain < > { }")
    return value


def _logo(path: Path, value) -> Path | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ClinicError(path, "logo", "must be a file name")
    folder = path.resolve().parent
    logo = (folder / value).resolve()
    if not logo.is_relative_to(folder):
        raise ClinicError(path, "logo", f"'{value}' must be in the clinic file's folder ({folder})")
    if logo.suffix.lower() not in LOGO_TYPES:
        raise ClinicError(path, "logo", f"'{value}' must be an SVG or PNG file")
    if not logo.is_file():
        raise ClinicError(path, "logo", f"'{value}' does not exist")
    problem = image_problem(logo.read_bytes(), LOGO_TYPES[logo.suffix.lower()], MAX_LOGO_BYTES, MAX_LOGO_PIXELS)
    if problem:
        raise ClinicError(path, "logo", f"'{value}' {problem}")
    if logo.suffix.lower() == ".svg":
        _check_svg(path, logo, value)
    return logo


def _check_svg(path: Path, logo: Path, value: str) -> None:
    import xml.etree.ElementTree as ElementTree

    text = logo.read_text(encoding="utf-8", errors="replace")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise ClinicError(path, "logo", f"'{value}' is not a well-formed SVG file ({error})") from None
    if not root.tag.endswith("svg"):
        raise ClinicError(path, "logo", f"'{value}' is not an SVG image")
