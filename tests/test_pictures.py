"""Pictures beside the actions, the Easy Read edition, the phone edition and the QR code: measured
on the real PDFs of every shipped language."""

import io
import subprocess

import pikepdf
import pytest

from leafletpress.core.readability import flesch_kincaid_grade
from leafletpress.inputs.formats import CSS_PX_PER_PT, FORMATS, PHONE_SCREEN_PX
from leafletpress.inputs.leaflet import EASY_READ_MAX_WORDS, load_leaflet
from leafletpress.inputs.languages import parse_language
from leafletpress.render.measure import measure
from leafletpress.render.pdf_checks import poppler_text, words_of
from leafletpress.render.pdf_ua import check_structure
from leafletpress.render.qr import qr_svg
from tests.pdfs import flat, page_sizes_mm, page_texts
from tests.support import ROOT, shipped_languages, translated

LANGUAGES = ["en", *shipped_languages()]
LEAFLET = load_leaflet(ROOT / "leaflets" / "leg-cramps.toml")
WARNING_ICON = "Warning"


def figures_of(path) -> list[str]:
    return check_structure(path.read_bytes()).figures


def test_every_easy_read_row_has_a_picture_and_a_short_plain_sentence():
    easy = LEAFLET.easy_read
    assert easy.parts[0].warning and sum(part.warning for part in easy.parts) == 1
    for part in easy.parts:
        for row in part.rows:
            assert row.picture in LEAFLET.pictures and row.text.strip()
            assert len(row.text.split()) <= EASY_READ_MAX_WORDS, row.text
    assert flesch_kincaid_grade(" ".join(easy.sentences())) <= 4


def test_pictures_are_vendored_with_their_licences_and_print_in_black():
    icons = ROOT / "templates" / "icons"
    for picture in LEAFLET.pictures.values():
        svg = (icons / picture.file).read_text(encoding="utf-8")
        assert "http://www.w3.org/2000/svg" in svg and "href" not in svg
        assert not set(svg.lower().split('"')) & {"#ff0000", "red", "#fff2c2"}  # no colour that greys out
        assert (icons / picture.file).parent.joinpath("LICENSE").is_file()
        assert (icons / picture.file).parent.joinpath("SOURCE.md").is_file()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_easy_read_edition(built, lang):
    edition = built[lang, "easy-read"]
    assert edition.path.name == f"leg-cramps_{lang}_easy-read.pdf"
    sizes = page_sizes_mm(edition.path)
    assert len(sizes) <= 8 and set(sizes) == {(210, 297)}
    figures = measure(edition.path.read_bytes())
    assert figures.body_size_pt >= 16 and figures.smallest_size_pt >= 16, figures
    # Every row a Figure with its description in the language; the warning icon first.
    rows = [row for part in LEAFLET.easy_read.parts for row in part.rows]
    alts = figures_of(edition.path)
    assert alts == [translated(lang, WARNING_ICON, "leafletpress")] + [translated(lang, LEAFLET.pictures[row.picture].description) for row in rows]
    # The whole warning part on page 1, every sentence of it in the text layer (right-to-left
    # lines word by word: readers order the runs of a line differently, never a word's letters).
    page_one = page_texts(edition.path)[0]
    for text in LEAFLET.easy_read.warning.strings():
        if parse_language(lang).direction == "rtl":
            assert set(words_of(translated(lang, text))) <= set(words_of(page_one)), text
        else:
            assert flat(translated(lang, text)) in flat(page_one), text


@pytest.mark.parametrize("lang", ["ar", "ur", "fa"])
def test_easy_read_pictures_are_on_the_right_in_right_to_left_editions(built, lang):
    with pikepdf.open(built[lang, "easy-read"].path) as pdf:
        page = pdf.pages[1]
        width = float(page.MediaBox[2])
        boxes = [element.A.BBox for element in _figures(pdf.Root.StructTreeRoot) if element.get("/Pg") == page.obj]
    assert boxes and all(float(box[0]) > width / 2 for box in boxes)


def _figures(element):
    kids = element.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            if kid.S == "/Figure":
                yield kid
            yield from _figures(kid)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_standard_editions_show_a_picture_per_action_with_its_description_in_the_language(built, lang):
    pictures = [section.picture for section in LEAFLET.sections if section.picture]
    pictures += [name for section in LEAFLET.sections for name in section.item_pictures]
    expected = sorted([translated(lang, WARNING_ICON, "leafletpress")] + [translated(lang, LEAFLET.pictures[name].description) for name in pictures])
    for size in ("A4", "A5", "A4-large", "phone"):
        assert sorted(figures_of(built[lang, size].path)) == expected, size


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phone_edition_reads_at_16_px_on_a_phone(built, lang):
    edition = built[lang, "phone"]
    with pikepdf.open(edition.path) as pdf:
        assert len(pdf.pages) == 1
        width_pt = float(pdf.pages[0].MediaBox[2])
    assert round(width_pt * 25.4 / 72) == FORMATS["phone"].width_mm
    body_pt = measure(edition.path.read_bytes()).body_size_pt
    px_on_screen = body_pt * CSS_PX_PER_PT * PHONE_SCREEN_PX / (width_pt * CSS_PX_PER_PT)
    assert px_on_screen >= 16, (body_pt, px_on_screen)


@pytest.fixture(scope="module")
def with_online_url(repo, repo_tools, tmp_path_factory):
    """Somali editions for the example clinic, whose file gives online_url."""
    from leafletpress.inputs.clinic import load_clinic
    from leafletpress.pipeline.build import build
    from leafletpress.pipeline.plan import BuildRequest

    out = tmp_path_factory.mktemp("online")
    clinic = load_clinic(ROOT / "examples" / "clinic" / "clinic.toml")
    result = build(repo, BuildRequest(out=out, languages=("so",), formats=("A4", "phone", "easy-read"), clinic=clinic), tools=repo_tools)
    assert result.ok, [(e.edition.label, e.problems) for e in result.editions if not e.ok]
    return {edition.edition.format.name: edition for edition in result.editions}


def test_a_qr_code_decodes_to_exactly_the_editions_address(with_online_url):
    language = parse_language("so")
    for size in ("A4", "phone", "easy-read"):
        path = with_online_url[size].path
        pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        last = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
        png = subprocess.run(["pdftoppm", "-r", "150", "-f", str(last), "-l", str(last), "-png", str(path)], capture_output=True, check=True).stdout
        decoded = subprocess.run(["zbarimg", "--quiet", "--raw", "-"], input=png, capture_output=True, check=True).stdout.decode().strip()
        address = "https://leaflets.riverside-maternity.example/leg-cramps/so"
        assert decoded == address, size
        assert flat(address) in flat(poppler_text(path.read_bytes())), size
        alts = figures_of(path)
        assert translated(language.tag, "QR code with the web address of this leaflet", "leafletpress") in alts


def test_qr_svg_is_black_on_white_with_a_quiet_zone():
    svg = qr_svg("https://example.org/a").decode()
    assert svg.startswith("<svg") and 'viewBox="0 0 ' in svg and "#000" in svg and "#fff" in svg
