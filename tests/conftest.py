"""Fixtures shared by the tests; helpers live in tests/support.py.

`pytest -m "not slow"` leaves out every test that builds many editions (those using the `built`
fixtures, or marked `slow`): the quick loop while editing.
"""

import pytest

from leafletpress.pipeline.edition import BuildTools
from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest
from leafletpress.inputs.project import Project, load_project
from tests.support import ROOT, copy_project


@pytest.fixture(scope="session")
def repo() -> Project:
    return load_project(ROOT)


@pytest.fixture(scope="session")
def repo_tools(repo) -> BuildTools:
    return BuildTools.create(repo)


@pytest.fixture
def project(tmp_path) -> Project:
    """A throw-away copy of the project's inputs, for tests that break or change them."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def in_project(project, monkeypatch):
    """The project copy, as the current folder: for tests that run the command line."""
    monkeypatch.chdir(project.root)
    return project


@pytest.fixture(scope="session")
def built(repo, tmp_path_factory):
    """Every edition of the real leaflet (all languages, default formats), built once, in parallel."""
    out = tmp_path_factory.mktemp("built")
    result = build(repo, BuildRequest(out=out, workers=2))
    assert result.ok, [(edition.edition.label, edition.problems) for edition in result.editions if not edition.ok]
    return {(edition.edition.language.tag, edition.edition.format.name): edition for edition in result.editions}


BUILDS_EVERYTHING = ("built", "clinic_built")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups off the markers (pytest < 9.2: see pyproject.toml)
def pytest_collection_modifyitems(items):
    """Tests of a whole build are slow, and run in one test process (pytest-xdist's loadgroup), so
    each session-wide build is made once, not once per process."""
    for item in items:
        shared = [name for name in BUILDS_EVERYTHING if name in getattr(item, "fixturenames", ())]
        if shared:
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group(shared[0]))
