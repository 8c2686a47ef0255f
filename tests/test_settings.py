"""Project settings (leafletpress.toml): the publisher's name, default languages and formats, the
output folder — read once, checked, and used everywhere they apply."""

import pytest

from leafletpress.cli import main
from leafletpress.inputs.project import Settings, SettingsError, load_project, load_settings
from tests.pdfs import reader, text
from tests.support import ROOT


def test_the_shipped_settings_are_the_defaults():
    assert load_settings(ROOT / "leafletpress.toml") == Settings()


def test_without_a_settings_file_the_defaults_apply(project):
    (project.root / "leafletpress.toml").unlink()
    assert load_project(project.root).settings == Settings()


def test_the_publisher_is_printed_and_is_the_pdf_author(project, monkeypatch, tmp_path, capsys):
    (project.root / "leafletpress.toml").write_text(
        '[project]\npublisher = "Northshire Maternity Services"\nformats = ["A5"]\nlanguages = ["es"]\nout = "handouts"\n'
    )
    monkeypatch.chdir(project.root)
    assert main([]) == 0
    built = sorted(path.name for path in (project.root / "handouts").glob("*.pdf"))
    assert built == ["leg-cramps_es_A5.pdf"]
    pdf = project.root / "handouts" / "leg-cramps_es_A5.pdf"
    assert reader(pdf).metadata.author == "Northshire Maternity Services"
    printed = " ".join(text(pdf).split())
    assert printed.startswith("Northshire Maternity Services")  # the masthead
    assert "Elaborado por Northshire Maternity Services." in printed  # "Produced by …", translated


@pytest.mark.parametrize(
    "body, says",
    [
        ('[project]\npublisher = ""\n', "project.publisher: must be non-empty text"),
        ('[project]\nformats = ["A3"]\n', "project.formats: unknown format A3"),
        ('[project]\nlanguages = ["not a tag!"]\n', "project.languages: 'not a tag!' is not a language tag"),
        ('[project]\ncolour = "red"\n', "project.colour: is not a setting"),
        ('[project\n', "file: is not valid TOML"),
    ],
)
def test_a_bad_setting_is_refused_naming_the_field(project, monkeypatch, capsys, body, says):
    (project.root / "leafletpress.toml").write_text(body)
    with pytest.raises(SettingsError, match="leafletpress.toml"):
        load_project(project.root)
    monkeypatch.chdir(project.root)
    assert main(["status"]) == 2
    error = capsys.readouterr().err
    assert says in error and "Traceback" not in error
