"""Embedded fonts hold the glyphs drawn and no empty slots (render/compact_fonts.py): a Chinese
leaflet's font programs are renumbered after layout, the pages look the same to the pixel, and
readers extract the same text. Structural checks only: no timings."""

import io

import pikepdf
import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest
from leafletpress.render.compact_fonts import compact_fonts
from leafletpress.render.layout import LayoutTools, lay_out
from leafletpress.render.pdf_checks import extract_text, poppler_text
from leafletpress.render.structure import tagging
from leafletpress.render.text_layer import lines_carry_their_text
from tests.support import ROOT, translated

HTML = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>t</title>
<style>@page {{ size: A5; margin: 15mm }} body {{ font-family: "{font}", "Noto Sans"; font-size: 12pt }}</style>
</head><body><h2>{heading}</h2><p>{text}</p><p>0161 496 0000 · Leaflet Press</p></body></html>"""
EMPTY_MARGIN = 4  # .notdef and the spaces have no outline


def raw_pdf(lang: str = "zh-Hans", font: str = "Noto Sans CJK SC", strings: tuple[str, str] | None = None) -> bytes:
    """The PDF WeasyPrint writes in the build (tagged, lines carrying their text) of a heading
    (bold) and a paragraph, before any renumbering."""
    heading, text = strings or (translated("zh-Hans", "Get help straight away"), translated("zh-Hans", "Leg cramps in pregnancy"))
    html = HTML.format(lang=lang, font=font, heading=heading, text=text)
    laid_out = lay_out(html, ROOT / "templates", [ROOT / "templates"], LayoutTools())
    assert laid_out.document is not None and not laid_out.problems
    with lines_carry_their_text(), tagging():
        return laid_out.document.write_pdf(pdf_variant="pdf/ua-1")


def font_programs(pdf: bytes) -> dict[str, TTFont]:
    """Each embedded font program, by its PDF name."""
    programs = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                programs[str(font.BaseFont)] = TTFont(io.BytesIO(stream.read_bytes()))
    return programs


def empty_glyphs(font: TTFont) -> int:
    """Glyphs without an outline: the empty slots WeasyPrint kept, if any."""
    glyphs = font.getGlyphSet()
    count = 0
    for name in font.getGlyphOrder():
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        count += pen.bounds is None
    return count


def page_images(pdf: bytes) -> list[bytes]:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[index].render(scale=100 / 72).to_pil().convert("RGB").tobytes() for index in range(len(document))]
    finally:
        document.close()


@pytest.fixture(scope="module")
def chinese():
    pdf = raw_pdf()
    return pdf, compact_fonts(pdf)


def test_weasyprint_alone_keeps_tens_of_thousands_of_empty_slots(chinese):
    raw, _ = chinese
    cjk = [font for name, font in font_programs(raw).items() if "CJK" in name]
    assert len(cjk) == 2  # regular and bold
    assert all(font["maxp"].numGlyphs > 10_000 for font in cjk)  # a few hundred drawn: the rest are empty slots


def test_a_cjk_font_program_has_no_empty_glyph_slots(chinese):
    raw, compact = chinese
    programs = font_programs(compact)
    assert sorted(programs) == sorted(font_programs(raw))  # the same fonts, names kept
    for name, font in programs.items():
        assert empty_glyphs(font) <= EMPTY_MARGIN, (name, empty_glyphs(font), font["maxp"].numGlyphs)
    cjk = [font for name, font in programs.items() if "CJK" in name]
    assert all(font["maxp"].numGlyphs < 300 for font in cjk)
    assert len(compact) < len(raw) / 3


def test_the_cid_of_each_cff_glyph_is_its_glyph_id(chinese):
    """Readers that map codes through a CID-keyed CFF's charset draw the same glyphs as those
    that take codes as glyph ids."""
    for name, font in font_programs(chinese[1]).items():
        if "CFF " in font:
            top = font["CFF "].cff.topDictIndex[0]
            assert list(top.charset) == [".notdef", *(f"cid{gid:05d}" for gid in range(1, len(top.charset)))], name


def test_renumbering_keeps_the_pages_and_the_text_layer(chinese):
    raw, compact = chinese
    assert page_images(compact) == page_images(raw)
    assert extract_text(compact) == extract_text(raw)
    assert poppler_text(compact) == poppler_text(raw)
    assert translated("zh-Hans", "Get help straight away") in extract_text(compact).replace("\r\n", "")


def test_renumbering_is_deterministic_and_the_cache_changes_nothing(chinese):
    raw, compact = chinese
    cache = {}
    assert compact_fonts(raw) == compact == compact_fonts(raw, cache) == compact_fonts(raw, cache)
    assert len(cache) == len(font_programs(raw))  # one entry per program: regular and bold


def test_the_cache_key_changes_with_the_text_and_with_the_font_file(chinese):
    """A program cached for one text, or from one font file, never serves another: the key is the
    program's bytes (from the font file) and the glyphs drawn (from the text)."""
    raw, _ = chinese
    cache = {}
    compact_fonts(raw, cache)
    first = set(cache)
    other_strings = (translated("zh-Hans", "Why do leg cramps happen?"), translated("zh-Hans", "When do they happen?"))
    other_text = raw_pdf(strings=other_strings)
    assert compact_fonts(other_text, cache) == compact_fonts(other_text)
    second = set(cache) - first
    assert len(second) >= 2  # both CJK faces: other glyphs
    same_text_other_font = raw_pdf(lang="ja", font="Noto Sans CJK JP")
    assert compact_fonts(same_text_other_font, cache) == compact_fonts(same_text_other_font)
    assert len(set(cache) - first - second) >= 2  # both CJK faces: another font file


def test_a_document_without_a_large_font_is_left_byte_for_byte():
    pdf = raw_pdf("es", "Noto Sans", ("Pida ayuda de inmediato", "Calambres en las piernas durante el embarazo"))
    assert compact_fonts(pdf) == pdf


def test_text_drawn_before_a_font_is_chosen_leaves_the_document_as_it_is(chinese):
    """What the module cannot follow, it does not touch: the worst case is the old size."""
    raw, _ = chinese
    with pikepdf.open(io.BytesIO(raw)) as document:
        page = document.pages[0]
        page.contents_coalesce()
        page.Contents.write(b"BT <0001> Tj ET\n" + page.Contents.read_bytes())
        output = io.BytesIO()
        document.save(output)
    odd = output.getvalue()
    assert compact_fonts(odd) == odd


@pytest.mark.slow
def test_a_chinese_edition_is_small_and_its_fonts_have_no_empty_slots(repo, tmp_path):
    result = build(repo, BuildRequest(out=tmp_path, languages=("zh-Hans",), formats=("A5",), workers=0))
    [edition] = result.editions
    assert edition.ok, edition.problems  # the build's own text-layer check passed on the renumbered PDF
    assert edition.size <= 150 * 1024, edition.size
    pdf = edition.path.read_bytes()
    for name, font in font_programs(pdf).items():
        assert empty_glyphs(font) <= EMPTY_MARGIN, (name, empty_glyphs(font), font["maxp"].numGlyphs)
    assert translated("zh-Hans", "Get help straight away") in poppler_text(pdf).replace("\n", "")
