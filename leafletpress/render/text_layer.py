"""The text a PDF reader extracts must be the text on the page, word for word, in every script.

WeasyPrint maps each glyph to text once per font (its ToUnicode CMap). That cannot describe scripts
where one character becomes several glyphs, several characters one glyph, or where a glyph is shared
between different characters in different places: Bengali lost vowel signs, Nastaliq lost whole
words (WeasyPrint issue #2841, open in 70.0). Readers take /ActualText over the glyph mapping, so
while drawing, a left-to-right line is wrapped in one marked-content span whose /ActualText is the
line's text.

A line with right-to-left text is left as WeasyPrint draws it. Measured on the Arabic warning box
(48 words; PDFium 159, poppler 22.12), no /ActualText works in both readers: PDFium reverses each
run of right-to-left letters of the string in place, poppler reverses the whole string, so a
logical-order string came out 3/48 words right in both, a visual-order one 48/48 in poppler but
34/48 in PDFium (word order reversed), one span per glyph cluster 3/48 in PDFium. With the glyph
mapping both readers give every word exactly, except combining marks (tanwin, kasra, shadda),
which both attach to the wrong letter; so the warning box of a right-to-left language carries no
combining marks (`i18n/translation_checks.py`), and the text-layer check of every edition compares
every word of the box, marks kept, in both readers.
"""

from __future__ import annotations

from contextlib import contextmanager

import pydyf
from weasyprint.draw import text as weasyprint_text
from weasyprint.text.ffi import ffi, pango


@contextmanager
def lines_carry_their_text():
    """While drawing, give every left-to-right line of text its /ActualText (see the module's docstring)."""
    original = weasyprint_text.draw_first_line

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        if not textbox.text.strip() or _has_right_to_left_run(textbox):
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(textbox.text)}))
        try:
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        finally:
            stream.end_marked_content()

    weasyprint_text.draw_first_line = draw_first_line
    try:
        yield
    finally:
        weasyprint_text.draw_first_line = original


def _runs(first_line):
    run = first_line.runs[0]
    while run != ffi.NULL:
        yield run.data
        run = run.next


def _has_right_to_left_run(textbox) -> bool:
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    first_line, _ = textbox.pango_layout.get_first_line()
    return any(glyph_item.item.analysis.level % 2 for glyph_item in _runs(first_line))
