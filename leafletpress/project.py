"""Where a project's inputs live, and which leaflets, languages and formats it has."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content import find_leaflets
from .languages import SOURCE_LANGUAGE, Language, LanguageError, parse_language


@dataclass(frozen=True)
class Project:
    root: Path

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
        return self.root / "build" / "leaflets"

    def leaflet_paths(self) -> list[Path]:
        return find_leaflets(self.leaflets_dir)

    def languages(self) -> list[Language]:
        """English (the source) and every language with a catalog folder, sorted by tag."""
        found = {SOURCE_LANGUAGE: parse_language(SOURCE_LANGUAGE)}
        for folder in sorted(self.locales_dir.glob("*/LC_MESSAGES")):
            try:
                language = parse_language(folder.parent.name)
            except LanguageError:
                continue  # reported by `check`; a stray folder does not stop other languages
            found[language.tag] = language
        return [found[SOURCE_LANGUAGE], *(found[tag] for tag in sorted(found) if tag != SOURCE_LANGUAGE)]


def find_project(start: Path | None = None) -> Project:
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "leaflets").is_dir() and (folder / "templates").is_dir():
            return Project(folder)
    return Project(Path(__file__).resolve().parent.parent)
