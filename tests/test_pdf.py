"""Real PDFs of the real leaflet, inspected structurally: size, pages, text, metadata, tags, fonts."""

import pytest

from tests.support import ROOT, translated
from leafletpress.inputs.leaflet import load_leaflet
from tests.pdfs import body_text, fonts, flat, page_sizes_mm, page_texts, reader, text
from tests.test_content import SOURCE_FACTS

LEAFLET = load_leaflet(ROOT / "leaflets" / "leg-cramps.toml")
SIZES = {"A4": (210, 297), "A5": (148, 210)}
EDITIONS = [(lang, size) for lang in ("en", "es") for size in ("A4", "A5")]


@pytest.mark.parametrize("lang, size", EDITIONS)
def test_page_size_and_budget(built, lang, size):
    pdf = built[lang, size].path
    assert pdf.name == f"leg-cramps_{lang}_{size}.pdf"
    sizes = page_sizes_mm(pdf)
    assert set(sizes) == {SIZES[size]}
    assert 1 <= len(sizes) <= LEAFLET.page_budget[size]


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_english_text_holds_every_fact(built, size):
    content = flat(body_text(built["en", size].path))
    for fact, phrases in SOURCE_FACTS.items():
        for phrase in phrases:
            assert flat(phrase) in content, f"{fact}: {phrase!r}"


@pytest.mark.parametrize("lang, size", EDITIONS)
def test_warning_heading_and_body_are_on_one_page(built, lang, size):
    pdf = built[lang, size].path
    heading = translated(lang, LEAFLET.warning.heading)
    body = translated(lang, LEAFLET.warning.paragraphs[-1])
    pages = [number for number, page in enumerate(page_texts(pdf), 1) if flat(heading) in flat(page)]
    assert len(pages) == 1
    assert flat(body) in flat(page_texts(pdf)[pages[0] - 1])


@pytest.mark.parametrize("lang, size", EDITIONS)
def test_footer_on_every_page(built, lang, size):
    pdf = built[lang, size].path
    pages = page_texts(pdf)
    for number, page in enumerate(pages, 1):
        assert LEAFLET.code in page
        expected = translated(lang, "Page {page} of {pages}", "leafletpress").format(page=number, pages=len(pages))
        assert flat(expected) in flat(page)
    # The review date, with the publication date and version, at the end.
    assert flat("25 November 2029" if lang == "en" else "25 de noviembre de 2029") in flat(pages[-1])


def test_unreviewed_editions_say_so_on_page_one_and_in_every_footer(built):
    """Nobody has signed off the shipped leaflet or its translations: every edition says so."""
    pages = page_texts(built["es", "A4"].path)
    first = flat(pages[0])
    assert flat("A clinician has not yet checked this leaflet or this translation.") in first
    assert flat(translated("es", "A clinician has not yet checked this leaflet or this translation.", "leafletpress")) in first
    for page in pages:
        assert flat("Not yet checked by a clinician") in flat(page)
    assert built["es", "A4"].review_label == "unreviewed"
    english = page_texts(built["en", "A4"].path)
    assert flat("A clinician has not yet checked the content of this leaflet.") in flat(english[0])
    assert all(flat("Not yet checked by a clinician") in flat(page) for page in english)


@pytest.mark.parametrize("lang, size", EDITIONS)
def test_metadata_title_language_author_subject(built, lang, size):
    pdf = reader(built[lang, size].path)
    info = pdf.metadata
    assert info.title == translated(lang, LEAFLET.title)
    assert info.author == "Leaflet Press"
    assert info.subject
    assert str(pdf.trailer["/Root"]["/Lang"]) == lang


@pytest.mark.parametrize("lang, size", EDITIONS)
def test_tagged_pdf_ua(built, lang, size):
    root = reader(built[lang, size].path).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert "/Metadata" in root


@pytest.mark.parametrize("lang, size", EDITIONS)
def test_only_noto_fonts_embedded_and_subset(built, lang, size):
    found = fonts(built[lang, size].path)
    assert found
    for font in found:
        assert "Noto" in font["name"], font
        assert font["embedded"] and font["subset"], font


def test_sizes_are_small_enough_to_email(built):
    """Latin and Cyrillic at most 100 KB, other scripts at most 400 KB: fonts are subset."""
    for edition in built.values():
        limit = 100 if edition.edition.language.script in ("Latn", "Cyrl") else 400
        assert edition.size <= limit * 1024, (edition.edition.label, edition.size)
