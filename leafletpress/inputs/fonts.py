"""The font stack each language prints in, and proof before layout that it has every glyph.

WeasyPrint draws an empty box for a character no font has, and may silently pick any installed
font that has it. Here the stack is chosen from the language's script (CLDR), each family is found
with fontconfig, and every character the edition prints is looked up in the fonts' cmap tables
(fontTools). A character in none of them refuses the edition, naming the code points.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale

from leafletpress.inputs.languages import Language
from leafletpress.core.problems import LeafletPressError
from leafletpress.core.files import read_toml

SAFE_FAMILY = re.compile(r"^[A-Za-z0-9 ]+$")
# Characters the stylesheet and template add around the translated text.
TEMPLATE_CHARACTERS = "•·–0123456789.:/()"


class FontError(LeafletPressError):
    """No usable font: not installed, or not the family asked for."""


@dataclass(frozen=True)
class FontStack:
    language: Language
    families: tuple[str, ...]
    files: tuple[Path, ...]
    line_height: float | None = None
    scale: float = 1.0  # every font size is multiplied by this (print.css's --scale)

    def css(self) -> str:
        """A :lang() rule so the language's text, and only it, uses this stack and its scale."""
        families = ", ".join(f'"{family}"' for family in self.families)
        rule = f"font-family: {families}; --scale: {self.scale:g};"
        if self.line_height:
            rule += f" line-height: {self.line_height};"
        return f":lang({self.language.tag}) {{ {rule} }}"


@dataclass(frozen=True)
class FontPreferences:
    base: str
    scripts: dict[str, str]
    languages: dict[str, str]
    line_heights: dict[str, float]
    scales: dict[str, float] = field(default_factory=dict)

    def families_for(self, language: Language) -> tuple[str, ...]:
        primary = self.languages.get(language.tag) or self.scripts.get(language.script)
        if primary is None:
            primary = f"Noto Sans {Locale('en').scripts.get(language.script, language.script)}"
        return tuple(dict.fromkeys((primary, self.base)))


def load_preferences(path: Path) -> FontPreferences:
    data = read_toml(path)
    preferences = FontPreferences(
        base=data["base"],
        scripts=dict(data.get("scripts", {})),
        languages=dict(data.get("languages", {})),
        line_heights={name: float(value) for name, value in data.get("line_height", {}).items()},
        scales={name: float(value) for name, value in data.get("scale", {}).items()},
    )
    for family, scale in preferences.scales.items():
        if not 0.5 <= scale <= 2:
            raise FontError(f"{path}: scale of {family!r} is {scale}; give a factor between 0.5 and 2")
    for family in [preferences.base, *preferences.scripts.values(), *preferences.languages.values()]:
        if not SAFE_FAMILY.match(family):
            raise FontError(f"{path}: font family {family!r} may hold only letters, digits and spaces")
    return preferences


@dataclass
class FontLibrary:
    """Finds font files and reads their cmaps once per process (the cache lives in the instance)."""

    preferences: FontPreferences
    _files: dict[str, Path] = field(default_factory=dict)
    _cmaps: dict[Path, frozenset[int]] = field(default_factory=dict)

    def stack(self, language: Language) -> FontStack:
        families = self.preferences.families_for(language)
        files = tuple(self.file_of(family) for family in families)
        line_height = next((self.preferences.line_heights[f] for f in families if f in self.preferences.line_heights), None)
        scale = self.preferences.scales.get(families[0], 1.0)
        return FontStack(language, families, files, line_height, scale)

    def file_of(self, family: str) -> Path:
        if family not in self._files:
            self._files[family] = find_font_file(family)
        return self._files[family]

    def missing(self, text: str, stack: FontStack) -> list[str]:
        """Code points of `text` that no font of the stack has, as "U+0B95 க"."""
        covered = frozenset().union(*(self.cmap(path, family) for path, family in zip(stack.files, stack.families)))
        needed = {ord(char) for char in text + TEMPLATE_CHARACTERS if not char.isspace() and ord(char) >= 0x20}
        needed -= {0x200C, 0x200D, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F}  # joiners, isolates, marks
        return [f"U+{code:04X} {chr(code)}" for code in sorted(needed - covered)]

    def cmap(self, path: Path, family: str) -> frozenset[int]:
        if path not in self._cmaps:
            self._cmaps[path] = read_cmap(path, family)
        return self._cmaps[path]


def find_font_file(family: str) -> Path:
    """The regular face of exactly this family, as fontconfig would give it to WeasyPrint."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontError("fontconfig's fc-match is not installed: run `make setup`")
    result = subprocess.run(
        [fc_match, "--format=%{family}\n%{file}", f"{family}:style=Regular"],
        capture_output=True, text=True, check=False,
    )
    found_families, _, file = result.stdout.partition("\n")
    if family not in [name.strip() for name in found_families.split(",")]:
        raise FontError(
            f"font '{family}' is not installed (fontconfig offers '{found_families}' instead): "
            "install the Debian package that has it (fonts-noto-core, fonts-noto-cjk) with `make setup`"
        )
    return Path(file.strip())


def read_cmap(path: Path, family: str) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in (".ttc", ".otc"):
        collection = TTCollection(str(path), lazy=True)
        fonts = [font for font in collection.fonts if family in _family_names(font)] or collection.fonts[:1]
    else:
        fonts = [TTFont(str(path), lazy=True)]
    return frozenset(fonts[0].getBestCmap().keys())


def _family_names(font) -> set[str]:
    names = font["name"]
    return {str(record) for record in names.names if record.nameID in (1, 16)}
