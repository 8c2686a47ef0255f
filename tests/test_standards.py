"""Every edition measured against the standards clinics judge patient information by: RNIB/UKAAF
Clear Print (sizes, line length and spacing, the safe margin) and the machine-checkable part of
PDF/UA-1 (structure a screen reader can follow), on every shipped language."""

import io

import pikepdf
import pytest

from leafletpress.inputs.languages import parse_language
from leafletpress.render.html import bind_last_words
from leafletpress.render.measure import measure
from leafletpress.render.pdf_checks import exact, poppler_text, stranded_headings
from leafletpress.render.pdf_ua import check_structure
from leafletpress.render.print_marks import PT_PER_MM
from tests.support import ROOT, shipped_languages, translated

LANGUAGES = shipped_languages()
LATIN = [lang for lang in ["en", *LANGUAGES] if parse_language(lang).script == "Latn"]
RIGHT_TO_LEFT = [lang for lang in LANGUAGES if parse_language(lang).direction == "rtl"]
READ_FORMATS = ["A4", "A5", "A4-bilingual", "A4-large"]
EDITIONS = [(lang, size) for lang in ["en", *LANGUAGES] for size in READ_FORMATS if not (lang == "en" and size == "A4-bilingual")]


@pytest.mark.parametrize("lang, size", EDITIONS)
def test_clear_print_sizes_and_the_safe_margin(built, lang, size):
    figures = measure(built[lang, size].path.read_bytes())
    minimum = 16 if size == "A4-large" else 12
    assert figures.body_size_pt >= minimum, figures
    assert figures.smallest_size_pt >= (16 if size == "A4-large" else 9), figures.sizes
    assert figures.line_spacing >= 1.4, figures
    assert figures.closest.distance_mm >= 5, figures.closest.describe()


@pytest.mark.parametrize("lang", LATIN)
def test_latin_a4_lines_are_clear_print_length(built, lang):
    assert measure(built[lang, "A4"].path.read_bytes()).median_line_characters <= 75


def test_scripts_that_read_smaller_are_set_larger(built):
    latin = measure(built["es", "A5"].path.read_bytes()).body_size_pt
    assert measure(built["ar", "A5"].path.read_bytes()).body_size_pt == pytest.approx(1.2 * latin, abs=0.1)
    assert measure(built["bn", "A5"].path.read_bytes()).body_size_pt == pytest.approx(1.1 * latin, abs=0.1)


@pytest.mark.parametrize("lang, size", EDITIONS)
def test_the_structure_a_screen_reader_follows(built, lang, size):
    report = check_structure(built[lang, size].path.read_bytes())
    assert report.problems == []
    assert report.headings[0] == "H1" and set(report.headings) <= {"H1", "H2"}
    if size == "A4-bilingual":
        assert {lang, "en"} <= report.languages  # each column says which language it is in
    if lang not in RIGHT_TO_LEFT:
        assert report.lines_without_actual_text == 0  # every line carries the text it shows


@pytest.mark.parametrize("lang", ["en", "es", "ar", "zh-Hans"])
def test_one_list_is_one_list_and_the_warning_icon_is_a_figure_with_alt_text(built, lang):
    with pikepdf.open(built[lang, "A4"].path) as pdf:
        elements = list(_elements(pdf.Root.StructTreeRoot))
        lists = [element for element in elements if element.get("/S") == "/L"]
        assert len(lists) == 4  # three in the leaflet, the sources at the end: none split at a page break
        figures = [element for element in elements if element.get("/S") == "/Figure"]
        assert str(figures[0].Alt) == translated(lang, "Warning", "leafletpress")  # the warning's icon first
        assert all(str(figure.Alt).strip() for figure in figures)  # the pictures: see tests/test_pictures.py
        x1, y1, x2, y2 = (float(value) for value in figures[0].A.BBox)
        assert 0 < x1 < x2 < float(pdf.pages[0].MediaBox[2]) and 0 < y1 < y2 < float(pdf.pages[0].MediaBox[3])
        sections = [element for element in elements if element.get("/S") == "/Sect"]
        warning = next(section for section in sections if any(kid.get("/S") == "/Figure" for kid in _kids(section)))
        assert [str(kid.S) for kid in _kids(warning)][:2] == ["/Figure", "/H2"]  # icon and heading in the warning's own group


def test_the_review_notice_is_content_on_page_one_at_body_size(built):
    path = built["es", "A5"].path
    notice = translated("es", "A clinician has not yet checked this leaflet or this translation.", "leafletpress")
    first_page = poppler_text(path.read_bytes()).split("\f")[0]
    assert exact(notice) in exact(first_page) and exact("A clinician has not yet checked this leaflet or this translation.") in exact(first_page)
    import pypdfium2
    import pypdfium2.raw as pdfium

    page = pypdfium2.PdfDocument(str(path))[0]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    start = text.find(notice[:20])
    assert start >= 0
    size = pdfium.FPDFText_GetFontSize(textpage.raw, start) * 0.75
    assert size == measure(path.read_bytes()).body_size_pt


def test_the_bilingual_reading_order_is_the_language_then_english(built):
    """Section by section: the Spanish column, then the English one, never alternating."""
    with pikepdf.open(built["es", "A4-bilingual"].path) as pdf:
        pairs = [
            [str(column.get("/Lang", "")) for column in _kids(element) if isinstance(column, pikepdf.Dictionary) and "/S" in column]
            for element in _elements(pdf.Root.StructTreeRoot)
            if element.get("/S") == "/Div" and "/Lang" not in element
            and any(isinstance(kid, pikepdf.Dictionary) and "/Lang" in kid for kid in _kids(element))
        ]
    assert len(pairs) >= 8 and all(pair == ["es", "en"] for pair in pairs), pairs


def test_a_two_up_sheet_carries_no_structure_and_the_index_sends_readers_to_the_a5(built):
    with pikepdf.open(built["es", "A5-2up"].path) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC":
                    assert "/MCID" not in operands[1]
    index = (built["es", "A5-2up"].path.parent / "index.html").read_text(encoding="utf-8")
    assert "For printing" in index and 'href="leg-cramps_es_A5.pdf">the A5' in index


def test_crop_marks_sit_outside_the_bleed_and_are_five_mm_long(tmp_path, repo):
    from leafletpress.pipeline.build import build
    from leafletpress.pipeline.plan import BuildRequest

    result = build(repo, BuildRequest(out=tmp_path, languages=("en",), formats=("A5",), marks=True))
    assert result.ok
    with pikepdf.open(tmp_path / "leg-cramps_en_A5-marks.pdf") as pdf:
        page = pdf.pages[0]
        trim = [float(value) for value in page.TrimBox]
        bleed = [float(value) for value in page.BleedBox]
        media = [float(value) for value in page.MediaBox]
        assert trim[2] - trim[0] == pytest.approx(148 * PT_PER_MM, abs=0.5)
        assert bleed == pytest.approx([trim[0] - 3 * PT_PER_MM, trim[1] - 3 * PT_PER_MM, trim[2] + 3 * PT_PER_MM, trim[3] + 3 * PT_PER_MM], abs=0.05)
        assert media[0] <= bleed[0] - 5 * PT_PER_MM and media[2] >= bleed[2] + 5 * PT_PER_MM
        lines = _lines_drawn(page)
        assert len(lines) == 8
        for x1, y1, x2, y2 in lines:
            assert abs(x2 - x1) + abs(y2 - y1) == pytest.approx(5 * PT_PER_MM, abs=0.05)
            # Level with a trim edge, and starting 3 mm beyond the perpendicular one.
            along = (x1, x2) if y1 == y2 else (y1, y2)
            edges = (trim[0], trim[2]) if y1 == y2 else (trim[1], trim[3])
            start = min(abs(value - edge) for value in along for edge in edges)
            assert start == pytest.approx(3 * PT_PER_MM, abs=0.05)


def test_the_last_two_words_are_bound_in_scripts_with_spaces():
    assert bind_last_words("Get help straight away") == "Get help straight\u00a0away"
    assert bind_last_words("اطلبي المساعدة فورًا") == "اطلبي المساعدة\u00a0فورًا"
    assert bind_last_words("立即寻求帮助") == "立即寻求帮助"
    assert bind_last_words("Page {page} of {pages}") == "Page {page} of {pages}"
    assert bind_last_words("Pneumonoultramicroscopic silicovolcanoconiosis") == "Pneumonoultramicroscopic silicovolcanoconiosis"


def test_a_heading_left_at_the_foot_of_a_page_is_found():
    import weasyprint

    style = "@page { size: A4; margin: 10mm } h2 { break-after: auto; margin: 0; font-size: 12pt; line-height: 1 } p { margin: 0 }"
    document = weasyprint.HTML(string=f'<style>{style}</style><div style="height: 268mm"></div><h2>Stranded</h2><p>one</p><p>two</p>').render()
    assert [(page, text.strip()) for page, text in stranded_headings(document)] == [(1, "Stranded")]
    kept = weasyprint.HTML(string=f'<style>{style} h2 {{ break-after: avoid }}</style><div style="height: 268mm"></div><h2>Kept</h2><p>one</p><p>two</p>').render()
    assert stranded_headings(kept) == []


def _kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(element):
    for kid in _kids(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _lines_drawn(page):
    """The straight lines (x1 y1 m x2 y2 l) drawn as printer's marks: an /Artifact of type /Page."""
    found, start, in_marks = [], None, False
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "BDC":
            in_marks = str(operands[0]) == "/Artifact" and str(operands[1].get("/Type", "")) == "/Page"
        elif name == "EMC":
            in_marks = False
        elif name == "m" and in_marks:
            start = [float(value) for value in operands]
        elif name == "l" and in_marks and start is not None:
            found.append((*start, *(float(value) for value in operands)))
            start = None
    return found
