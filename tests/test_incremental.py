"""Incremental and parallel builds: exactly the editions whose inputs changed are rebuilt."""

import shutil
import subprocess
import sys

import pytest

from tests.support import ROOT
from leafletpress.pipeline import record
from leafletpress.pipeline.edition import BuildTools
from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest, plan_build
from leafletpress.inputs.clinic import load_clinic
from leafletpress.inputs.fonts import FontLibrary, load_preferences

pytestmark = pytest.mark.slow  # every test here builds several editions, several times

LANGUAGES = ("en", "es")  # a language with catalogs and one without


@pytest.fixture
def setup(project, tmp_path):
    tools = BuildTools.create(project)
    out = tmp_path / "out"

    def run(**options):
        request = BuildRequest(out=out, languages=LANGUAGES, formats=("A5",), **options)
        result = build(project, request, tools=tools)
        assert result.ok
        return sorted(edition.edition.language.tag for edition in result.editions if not edition.skipped)

    assert run() == ["en", "es"]
    assert run() == []  # nothing changed, nothing rebuilt
    return project, out, run


def test_a_catalog_change_rebuilds_only_that_language(setup):
    project, out, run = setup
    catalog = project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n# a translator's note\n", encoding="utf-8")
    assert run() == ["es"]
    words = project.locales_dir / "es" / "LC_MESSAGES" / "leafletpress.po"
    words.write_text(words.read_text(encoding="utf-8") + "\n# a note\n", encoding="utf-8")
    assert run() == ["es"]


def test_an_editors_swap_file_beside_the_templates_rebuilds_nothing(setup):
    project, out, run = setup
    (project.templates_dir / ".a5.css.swp").write_bytes(b"vim swap")
    (project.templates_dir / "a5.css~").write_text("backup")
    (project.templates_dir / "4913").write_text("")
    assert run() == []


def test_a_touched_but_unchanged_catalog_rebuilds_nothing(setup):
    project, out, run = setup
    (project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po").touch()
    assert run() == []


def test_the_leaflet_the_templates_and_the_options_rebuild_everything(setup):
    project, out, run = setup
    leaflet = project.leaflets_dir / "leg-cramps.toml"
    leaflet.write_text(leaflet.read_text(encoding="utf-8") + "\n# comment\n", encoding="utf-8")
    assert run() == ["en", "es"]
    css = project.templates_dir / "a5.css"
    css.write_text(css.read_text() + "\n/* comment */\n")
    assert run() == ["en", "es"]
    icon = project.templates_dir / "icons" / "warning.svg"
    icon.write_text(icon.read_text() + "\n")
    assert run() == ["en", "es"]
    assert run(draft=True) == ["en", "es"]


def test_a_clinic_file_and_its_logo_rebuild_everything(setup, tmp_path):
    project, out, run = setup
    folder = tmp_path / "clinic"
    shutil.copytree(ROOT / "examples" / "clinic", folder)
    assert run(clinic=load_clinic(folder / "clinic.toml")) == ["en", "es"]
    assert run(clinic=load_clinic(folder / "clinic.toml")) == []
    logo = folder / "logo.svg"
    logo.write_text(logo.read_text() + "\n")
    assert run(clinic=load_clinic(folder / "clinic.toml")) == ["en", "es"]


def test_new_software_rebuilds_everything(setup, monkeypatch):
    project, out, run = setup
    monkeypatch.setattr("leafletpress.pipeline.plan.software_identity", lambda hasher: "leafletpress:new weasyprint:71")
    assert run() == ["en", "es"]


def test_a_missing_or_altered_output_is_rebuilt(setup):
    project, out, run = setup
    (out / "leg-cramps_es_A5.pdf").unlink()
    pdf = out / "leg-cramps_en_A5.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%")
    assert run() == ["en", "es"]


def test_deleting_the_record_or_force_rebuilds_everything(setup):
    project, out, run = setup
    (out / record.RECORD).unlink()
    assert run() == ["en", "es"]
    assert run(force=True) == ["en", "es"]


def test_an_installed_font_changing_rebuilds_the_languages_that_use_it(project, tmp_path):
    fonts = FontLibrary(load_preferences(project.templates_dir / "fonts.toml"))
    naskh = tmp_path / "NotoNaskhArabic-Regular.ttf"
    shutil.copy(fonts.file_of("Noto Naskh Arabic"), naskh)
    fonts._files["Noto Naskh Arabic"] = naskh  # as if fontconfig found it there
    request = BuildRequest(out=tmp_path / "out", languages=("en", "es", "ar", "ur"), formats=("A5",))
    before = plan_build(project, request, fonts)
    naskh.write_bytes(naskh.read_bytes() + b"\0")
    after = plan_build(project, request, fonts)
    changed = [e.language.tag for e, old, new in zip(before.editions, before.inputs, after.inputs) if old != new]
    assert changed == ["ar", "ur"]


def test_parallel_and_serial_builds_are_byte_identical(project, tmp_path):
    outs = {}
    for workers in (0, 2):
        out = tmp_path / f"workers{workers}"
        request = BuildRequest(out=out, languages=("es", "zh-Hans"), formats=("A4", "A5-2up"), workers=workers)
        result = build(project, request)
        assert result.ok and [e.edition.filename for e in result.editions] == [
            "leg-cramps_es_A4.pdf", "leg-cramps_es_A5-2up.pdf", "leg-cramps_zh-Hans_A4.pdf", "leg-cramps_zh-Hans_A5-2up.pdf",
        ]
        outs[workers] = out
    for pdf in outs[0].glob("*.pdf"):
        assert pdf.read_bytes() == (outs[2] / pdf.name).read_bytes(), pdf.name


def test_a_build_with_nothing_to_do_does_not_import_weasyprint(project, tmp_path):
    out = tmp_path / "out"
    build(project, BuildRequest(out=out, languages=("en",), formats=("A5",)))
    code = (
        "import sys; from pathlib import Path\n"
        "from leafletpress.cli import main\n"
        f"assert main(['--lang', 'en', '--format', 'A5', '--out', {str(out)!r}]) == 0\n"
        "print('weasyprint' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=project.root, capture_output=True, text=True, check=True)
    assert "0 edition(s) written, 1 up to date" in result.stdout
    assert result.stdout.strip().endswith("False")


def test_a_record_written_by_an_earlier_version_rebuilds_everything_and_keeps_ownership(setup):
    import json

    project, out, run = setup
    path = out / record.RECORD
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "format": record.RECORD_FORMAT - 1}), encoding="utf-8")
    read = record.read_record(out)
    assert read.notes == [f"the build record {record.RECORD} was written by an earlier version; every edition is made again"]
    assert {"leg-cramps_en_A5.pdf", "leg-cramps_es_A5.pdf", "manifest.json", "index.html"} <= read.owned()
    assert run() == ["en", "es"]  # rebuilt in place, not refused as someone else's files
    assert not (out / "out-of-date").exists()



def test_a_catalog_broken_then_put_back_leaves_no_out_of_date_copy(setup):
    import json

    project, out, run = setup
    catalog = project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po"
    good = catalog.read_bytes()
    catalog.write_bytes(good.replace(b'msgstr "', b'msgstr "\n', 1))  # a syntax error
    request = BuildRequest(out=out, languages=LANGUAGES, formats=("A5",))
    result = build(project, request, tools=BuildTools.create(project))
    assert not result.ok and list((out / "out-of-date").glob("leg-cramps_es_A5_*.pdf"))
    catalog.write_bytes(good)
    assert run() == ["es"]
    assert not list((out / "out-of-date").glob("*.pdf"))
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["out_of_date"] == []
