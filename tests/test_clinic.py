"""Clinic editions and the print formats: contact in the box, bad clinic files refused, two-up,
large print, crop marks, reproducible bytes and the manifest."""

import hashlib
import json
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from tests.support import ROOT, shipped_languages, translated
from leafletpress.pipeline.edition import BuildTools
from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest
from leafletpress.core.problems import UsageError
from leafletpress.cli import main
from leafletpress.inputs.clinic import ClinicError, load_clinic
from leafletpress.inputs.leaflet import load_leaflet
from leafletpress.render.pdf_checks import comparable, extract_text
from tests.pdfs import page_sizes_mm, reader

EXAMPLE = ROOT / "examples" / "clinic" / "clinic.toml"
LEAFLET = load_leaflet(ROOT / "leaflets" / "leg-cramps.toml")
ALL_LANGUAGES = ["en", *shipped_languages()]


@pytest.fixture(scope="module")
def clinic_built(repo, repo_tools, tmp_path_factory):
    out = tmp_path_factory.mktemp("clinic")
    request = BuildRequest(out=out, formats=("A5",), clinic=load_clinic(EXAMPLE))
    result = build(repo, request, tools=repo_tools)
    assert result.ok, [(e.edition.label, e.problems) for e in result.editions if not e.ok]
    return {edition.edition.language.tag: edition for edition in result.editions}


def warning_page_text(pdf: Path) -> str:
    document = pypdfium2.PdfDocument(str(pdf))
    return [comparable(page.get_textpage().get_text_range()) for page in document]


@pytest.mark.parametrize("lang", ALL_LANGUAGES)
def test_clinic_number_is_in_the_warning_box_of_every_edition(clinic_built, lang):
    pages = warning_page_text(clinic_built[lang].path)
    heading = comparable(translated(lang, LEAFLET.warning.heading))
    box_page = next(page for page in pages if heading in page)
    assert comparable("0161 496 0000") in box_page
    # Word by word: in a right-to-left line, readers order the words of a Latin name differently.
    for word in ("Riverside", "Maternity", "Assessment", "Unit"):
        assert word in box_page
        assert all(word in page for page in pages)  # the footer names the clinic on every page


@pytest.mark.parametrize("lang", ["en", "ar", "zh-Hans"])
def test_no_clinic_no_number(built, lang):
    layer = comparable(extract_text(built[lang, "A5"].path.read_bytes()))
    assert comparable("0161 496 0000") not in layer and "Riverside" not in layer


def test_the_clinic_logo_is_on_the_page(clinic_built):
    page = pypdfium2.PdfDocument(str(clinic_built["en"].path))[0]
    kinds = [obj.type for obj in page.get_objects(max_depth=3)]
    assert pdfium_c.FPDF_PAGEOBJ_PATH in kinds  # the SVG logo is drawn as paths


def write_clinic(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clinic.toml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = '[clinic]\nname = "Riverside Unit"\nphone = "0161 496 0000"\n'


def make_png(path: Path, size: tuple[int, int]) -> None:
    Image.new("1", size).save(path, optimize=True)


BAD_CLINICS = [
    ('[clinic]\nphone = "0161 496 0000"\n', "name", "is missing"),
    ('[clinic]\nname = "Riverside Unit"\n', "phone", "is missing"),
    (GOOD.replace("0161 496 0000", "call the ward"), "phone", "is not a phone number"),
    (GOOD.replace("0161 496 0000", "12"), "phone", "is not a phone number"),
    (GOOD.replace("0161 496 0000", "0161 496 0000 ext. 4"), "phone", "is not a phone number"),
    (GOOD + 'fone = "1"\n', "fone", "is not a clinic field"),
    (GOOD + 'website = "javascript:alert(1)"\n', "website", "is not a web address"),
    (GOOD.replace("Riverside Unit", "<b>Riverside</b>"), "name", "may not contain"),
    (GOOD.replace("Riverside Unit", "R" * 200), "name", "characters long"),
    (GOOD + 'logo = "../outside.svg"\n', "logo", "must be in the clinic file's folder"),
    (GOOD + 'logo = "missing.svg"\n', "logo", "does not exist"),
    (GOOD + 'logo = "logo.gif"\n', "logo", "must be an SVG or PNG"),
    (GOOD + 'logo = "huge.png"\n', "logo", "pixels"),
    (GOOD + 'logo = "broken.png"\n', "logo", "is not a readable image"),
    (GOOD + 'logo = "heavy.svg"\n', "logo", "KB; images may be at most 512 KB"),
    (GOOD + 'logo = "entities.svg"\n', "logo", "DOCTYPE or entities"),
    (GOOD + 'logo = "notxml.svg"\n', "logo", "not a well-formed SVG"),
    ('[clinic\nname = "x"', "file", "is not valid TOML"),
]


@pytest.fixture(scope="module")
def clinic_folder(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("clinics")
    folder = tmp_path / "clinic"
    folder.mkdir()
    (tmp_path / "outside.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (folder / "logo.gif").write_bytes(b"GIF89a")
    make_png(folder / "huge.png", (20_000, 20_000))  # 400 million pixels, a few KB on disk
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10)
    (folder / "heavy.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'>" + " " * 600_000 + "</svg>")
    (folder / "entities.svg").write_text('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')
    (folder / "notxml.svg").write_text("<svg><g></svg>")
    return folder


@pytest.mark.parametrize("body, field, words", BAD_CLINICS)
def test_each_bad_clinic_file_is_refused_naming_file_and_field(clinic_folder, body, field, words):
    path = write_clinic(clinic_folder, body)
    with pytest.raises(ClinicError) as raised:
        load_clinic(path)
    assert str(raised.value).startswith(f"{path}: {field}: ")
    assert words in str(raised.value)


def test_a_bad_clinic_file_builds_nothing(clinic_folder, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = write_clinic(clinic_folder, GOOD.replace("0161 496 0000", "call the ward"))
    out = tmp_path / "out"
    assert main(["--lang", "en", "--clinic", str(path), "--out", str(out)]) == 2
    assert "phone: 'call the ward' is not a phone number" in capsys.readouterr().err
    assert not out.exists()


def test_the_example_clinic_file_is_valid():
    clinic = load_clinic(EXAMPLE)
    assert clinic.name and clinic.phone and clinic.logo.name == "logo.svg"


def test_two_up_sheets_are_a4_landscape_with_the_a5_page_twice(built):
    a5, two_up = built["en", "A5"], built["en", "A5-2up"]
    assert two_up.path.name == "leg-cramps_en_A5-2up.pdf"
    assert set(page_sizes_mm(two_up.path)) == {(297, 210)}
    assert len(page_sizes_mm(two_up.path)) == a5.pages
    sheet = comparable(reader(two_up.path).pages[0].extract_text())
    assert sheet.count(comparable(LEAFLET.warning.heading)) == 2
    assert sheet.count(comparable(LEAFLET.title)) == 2
    assert reader(two_up.path).metadata.title == LEAFLET.title


def test_large_print_body_is_at_least_16_point(built):
    pdf = pypdfium2.PdfDocument(str(built["en", "A4-large"].path))
    textpage = pdf[0].get_textpage()
    sizes = [round(pdfium_c.FPDFText_GetFontSize(textpage, index)) for index in range(textpage.count_chars())]
    body_size = max(set(sizes), key=sizes.count)  # the size most characters have
    assert body_size >= 16
    assert set(page_sizes_mm(built["en", "A4-large"].path)) == {(210, 297)}
    assert built["en", "A4-large"].pages <= LEAFLET.page_budget["A4-large"]


def test_crop_marks_add_bleed_around_the_trimmed_page(repo, repo_tools, tmp_path):
    result = build(repo, BuildRequest(out=tmp_path, languages=("en",), formats=("A5",), marks=True), tools=repo_tools)
    edition = result.editions[0]
    assert edition.ok and edition.path.name == "leg-cramps_en_A5-marks.pdf"
    page = reader(edition.path).pages[0]
    assert round(float(page.trimbox.width) * 25.4 / 72) == 148
    assert float(page.mediabox.width) > float(page.trimbox.width) + 10


def test_marks_and_two_up_do_not_mix(repo):
    with pytest.raises(UsageError, match="two-up"):
        build(repo, BuildRequest(out=Path("/nonexistent"), formats=("A5-2up",), marks=True))


@pytest.mark.slow
def test_two_builds_give_byte_identical_pdfs(repo, tmp_path):
    outs = []
    for run in ("first", "second"):
        out = tmp_path / run
        request = BuildRequest(out=out, languages=("ar",), formats=("A5", "A5-2up"), clinic=load_clinic(EXAMPLE))
        build(repo, request, tools=BuildTools.create(repo))
        outs.append(out)
    first = sorted(path.name for path in outs[0].glob("*.pdf"))
    assert len(first) == 2
    for name in first:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert (outs[0] / "manifest.json").read_bytes() == (outs[1] / "manifest.json").read_bytes()


def test_manifest_matches_the_files(built):
    out = next(iter(built.values())).path.parent
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    pdfs = sorted(path.name for path in out.glob("*.pdf"))
    assert [item["file"] for item in manifest] == pdfs
    for item in manifest:
        data = (out / item["file"]).read_bytes()
        assert item["bytes"] == len(data) and item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["leaflet"] == "leg-cramps" and item["version"] == LEAFLET.version
        assert item["file"] == f"{item['leaflet']}_{item['language']}_{item['format']}.pdf"
        assert item["review"] == "unreviewed" and item["clinic"] is None
        assert item["pages"] == len(reader(out / item["file"]).pages)
        assert item["file"].isascii()


def test_manifest_drops_files_that_are_gone_and_keeps_earlier_ones(repo, repo_tools, tmp_path):
    build(repo, BuildRequest(out=tmp_path, languages=("en",), formats=("A4", "A5")), tools=repo_tools)
    (tmp_path / "leg-cramps_en_A4.pdf").unlink()
    build(repo, BuildRequest(out=tmp_path, languages=("es",), formats=("A5",)), tools=repo_tools)
    files = [item["file"] for item in json.loads((tmp_path / "manifest.json").read_text())["files"]]
    assert files == ["leg-cramps_en_A5.pdf", "leg-cramps_es_A5.pdf"]


@pytest.mark.parametrize("lang, hours", [("en", "24 hours, 7 days"), ("so", "24 saacadood, 7 maalmood"), ("es", "24 horas, 7 días"), ("ar", None), ("zh-Hans", None)])
def test_clinic_hours_print_only_in_the_editions_own_language(clinic_built, lang, hours):
    """Never English inside a translated box: a field the clinic did not give in the edition's
    language is left out."""
    layer = comparable(extract_text(clinic_built[lang].path.read_bytes()))
    if hours:
        assert comparable(hours) in layer
    for other in ("24 hours", "24 saacadood", "24 horas"):
        if hours is None or not hours.startswith(other):
            assert comparable(other) not in layer, other
    notes = " ".join(str(note) for note in clinic_built[lang].notes)
    assert ("phone_hours is not given in" in notes) == (hours is None)
