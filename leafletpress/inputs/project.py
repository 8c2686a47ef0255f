"""Where a project's inputs live, its settings (`leafletpress.toml`), and which leaflets and
languages it has."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leafletpress.core.files import read_toml
from leafletpress.inputs.formats import DEFAULT_FORMATS, FORMATS
from leafletpress.inputs.languages import SOURCE_LANGUAGE, Language, LanguageError, parse_language
from leafletpress.inputs.leaflet import find_leaflets
from leafletpress.core.problems import InputError

SETTINGS_FILE = "leafletpress.toml"


class SettingsError(InputError):
    """leafletpress.toml cannot be used; the message names the field."""


@dataclass(frozen=True)
class Settings:
    """The project's own choices, from `leafletpress.toml`; every field has a default."""

    # Who publishes the leaflets: masthead, PDF author, "Produced by …".
    publisher: str = "Leaflet Press"
    # Languages built when --lang is not given; empty means every language each leaflet is published in.
    languages: tuple[str, ...] = ()
    # Formats built when --format is not given.
    formats: tuple[str, ...] = DEFAULT_FORMATS
    # Output folder, relative to the project folder (or absolute).
    out: str = "build/leaflets"


SETTINGS_FIELDS = {name: Settings.__dataclass_fields__[name].type for name in Settings.__dataclass_fields__}


@dataclass(frozen=True)
class Project:
    root: Path
    settings: Settings = field(default_factory=Settings)

    @property
    def leaflets_dir(self) -> Path:
        return self.root / "leaflets"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def default_out(self) -> Path:
        return self.root / self.settings.out

    def leaflet_paths(self) -> list[Path]:
        return find_leaflets(self.leaflets_dir)

    def misnamed_catalog_folders(self) -> list[tuple[Path, str]]:
        """Folders under locales/ holding catalogs whose name is not a language's catalog folder
        ("pt-PT" for pt_PT, "klingon"), each with what is wrong: their catalogs are never used."""
        found = []
        for folder in sorted(self.locales_dir.glob("*/LC_MESSAGES")):
            name = folder.parent.name
            try:
                language = parse_language(name)
            except LanguageError as error:
                found.append((folder.parent, f"is not named after a language ({error.problems[0].message})"))
                continue
            if language.catalog_dir != name:
                found.append((folder.parent, f"must be named {language.catalog_dir} for {language.tag}: its catalogs are not used"))
        return found

    def languages(self) -> list[Language]:
        """English (the source) and every language with a catalog folder, sorted by tag."""
        found = {SOURCE_LANGUAGE: parse_language(SOURCE_LANGUAGE)}
        for folder in sorted(self.locales_dir.glob("*/LC_MESSAGES")):
            try:
                language = parse_language(folder.parent.name)
            except LanguageError:
                continue  # reported by `check`; a stray folder does not stop other languages
            if language.catalog_dir == folder.parent.name:  # "pt-PT/" is reported by `check`, not used
                found[language.tag] = language
        return [found[SOURCE_LANGUAGE], *(found[tag] for tag in sorted(found) if tag != SOURCE_LANGUAGE)]


def load_project(root: Path) -> Project:
    """The project in `root`, with its settings read (and checked) once."""
    root = Path(root)
    path = root / SETTINGS_FILE
    return Project(root, load_settings(path) if path.exists() else Settings())


def load_settings(path: Path) -> Settings:
    data = read_toml(path, SettingsError)
    table = data.get("project", {})
    if not isinstance(table, dict) or set(data) - {"project"}:
        raise SettingsError(path, "file", "holds one [project] table")
    unknown = sorted(set(table) - set(SETTINGS_FIELDS))
    if unknown:
        raise SettingsError(path, f"project.{unknown[0]}", f"is not a setting (settings: {', '.join(SETTINGS_FIELDS)})")
    values = {}
    for name in ("publisher", "out"):
        if name in table:
            if not isinstance(table[name], str) or not table[name].strip():
                raise SettingsError(path, f"project.{name}", "must be non-empty text")
            values[name] = table[name].strip()
    for name in ("languages", "formats"):
        if name in table:
            value = table[name]
            if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
                raise SettingsError(path, f"project.{name}", "must be a list of names, e.g. [\"A4\", \"A5\"]")
            values[name] = tuple(value)
    unknown_formats = [name for name in values.get("formats", ()) if name not in FORMATS]
    if unknown_formats:
        raise SettingsError(path, "project.formats", f"unknown format {unknown_formats[0]}; formats: {', '.join(FORMATS)}")
    for tag in values.get("languages", ()):
        try:
            parse_language(tag)
        except LanguageError as error:
            raise SettingsError(path, "project.languages", str(error)) from None
    return Settings(**values)


def find_project(start: Path | None = None) -> Project:
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "leaflets").is_dir() and (folder / "templates").is_dir():
            return load_project(folder)
    return load_project(Path(__file__).resolve().parent.parent.parent)
