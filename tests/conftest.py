"""Fixtures shared by the tests; helpers live in tests/support.py.

`pytest -m "not slow"` leaves out every test that builds many editions (those using the `built`
fixtures, or marked `slow`): the quick loop while editing.
"""

import pickle

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
def built(repo, tmp_path_factory, worker_id):
    """Every edition of the real leaflet (all languages, default formats), built once per test
    session, in parallel: the first test process to need it builds it (on every core) while the
    others wait, then each reads the results, so the tests of the whole build run in every process."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # pytest-xdist: the session's folder, above each process's own
        shared = shared.parent
    saved = shared / "built.pickle"
    with FileLock(str(shared / "built.lock")):
        if not saved.exists():
            result = build(repo, BuildRequest(out=shared / "built", workers=2))
            assert result.ok, [(edition.edition.label, edition.problems) for edition in result.editions if not edition.ok]
            found = {(edition.edition.language.tag, edition.edition.format.name): edition for edition in result.editions}
            saved.write_bytes(pickle.dumps(found))
    return pickle.loads(saved.read_bytes())


BUILDS_EVERYTHING = ("built", "clinic_built")
SHARED_ACROSS_PROCESSES = ("built",)  # the others are built once per process group (loadgroup)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups off the markers (pytest < 9.2: see pyproject.toml)
def pytest_collection_modifyitems(items):
    """Tests of a whole build are slow. The main build is shared between the test processes through
    a file (see `built`); the clinic build runs in one test process (pytest-xdist's loadgroup), so
    it too is made once, not once per process."""
    for item in items:
        shared = [name for name in BUILDS_EVERYTHING if name in getattr(item, "fixturenames", ())]
        if shared:
            item.add_marker(pytest.mark.slow)
        grouped = [name for name in shared if name not in SHARED_ACROSS_PROCESSES]
        if grouped:
            item.add_marker(pytest.mark.xdist_group(grouped[0]))
