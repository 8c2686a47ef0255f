import shutil
import sys
from pathlib import Path

import pytest

from leafletpress.build import BuildRequest, BuildTools, build
from leafletpress.project import Project

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def repo() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def repo_tools(repo) -> BuildTools:
    return BuildTools.create(repo)


@pytest.fixture
def project(tmp_path) -> Project:
    """A throw-away copy of the project's inputs, for tests that break or change them."""
    root = tmp_path / "project"
    for folder in ("leaflets", "locales", "templates"):
        shutil.copytree(ROOT / folder, root / folder)
    return Project(root)


@pytest.fixture(scope="session")
def built(repo, repo_tools, tmp_path_factory):
    """Every edition of the real leaflet (all languages, default formats), built once."""
    out = tmp_path_factory.mktemp("built")
    result = build(repo, BuildRequest(out=out), tools=repo_tools)
    assert result.ok, [(edition.edition.label, edition.problems) for edition in result.editions if not edition.ok]
    return {(edition.edition.language.tag, edition.edition.format.name): edition for edition in result.editions}


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def translated(lang: str, msgid: str, domain: str = "leg-cramps") -> str:
    """What the shipped catalog of `lang` says for `msgid` (English for en)."""
    if lang == "en":
        return msgid
    from babel.messages.pofile import read_po

    from leafletpress.languages import parse_language

    language = parse_language(lang)
    with open(ROOT / "locales" / language.catalog_dir / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        return read_po(handle).get(msgid).string
