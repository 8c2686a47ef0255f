"""The text a PDF reader extracts must be the text on the page, word for word, in every script.

WeasyPrint maps each glyph to text once per font (its ToUnicode CMap). That cannot describe scripts
where one character becomes several glyphs, several characters one glyph, or where a glyph is shared
between different characters in different places: Bengali lost vowel signs, Arabic marks came out
on the wrong letter ("فورًا" read as "فور ِ ا"), Nastaliq lost whole words (WeasyPrint issue #2841,
open in 70.0). Readers take /ActualText over the glyph mapping, so while drawing:

- a left-to-right line is wrapped in one marked-content span whose /ActualText is the line's text;
- a line with right-to-left text gets one span per glyph cluster (the characters HarfBuzz shaped
  together), because readers place the text of a span at the span's position and then put
  right-to-left text in reading order: a whole-line span came out reversed in PDFium and poppler,
  one span per cluster comes out in order in both, as it does in Acrobat.

The right-to-left drawing below is WeasyPrint 70's `draw_first_line` (weasyprint/draw/text.py)
with the cluster spans added and colour-font (emoji) drawing left out: lines in colour fonts, and
lines with an ellipsis, are drawn by WeasyPrint itself. WeasyPrint is pinned below 71, and the
text-layer check of every edition fails if this drawing ever stops matching the page.
"""

from __future__ import annotations

from contextlib import contextmanager

import pydyf
from weasyprint.draw import text as weasyprint_text
from weasyprint.text.ffi import FROM_UNITS, ffi, pango


@contextmanager
def lines_carry_their_text():
    """While drawing, give every line of text its /ActualText (see the module's docstring)."""
    original = weasyprint_text.draw_first_line

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        if not textbox.text.strip():
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        if _has_right_to_left_run(textbox):  # see the module's docstring: not yet for right-to-left lines
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


def _clusters(glyph_item, utf8_text: bytes) -> list[tuple[list[int], str]]:
    """The run's glyphs grouped by cluster, in drawing order, each with the text it shows."""
    glyph_string = glyph_item.glyphs
    count = glyph_string.num_glyphs
    clusters = glyph_string.log_clusters
    offset, length = glyph_item.item.offset, glyph_item.item.length
    right_to_left = glyph_item.item.analysis.level % 2
    groups: list[list[int]] = []
    for index in range(count):
        if groups and clusters[groups[-1][0]] == clusters[index]:
            groups[-1].append(index)
        else:
            groups.append([index])
    found = []
    for position, group in enumerate(groups):
        start = clusters[group[0]]
        if right_to_left:
            end = clusters[groups[position - 1][0]] if position > 0 else length
        else:
            end = clusters[groups[position + 1][0]] if position + 1 < len(groups) else length
        found.append((group, utf8_text[offset + start:offset + end].decode("utf-8", errors="replace")))
    return found


def _draw_clusters(stream, textbox, matrix) -> bool:
    """Draw the line glyph cluster by glyph cluster, each in its own /ActualText span. False (and
    nothing drawn) for a line in a colour font, which WeasyPrint draws with its emoji code."""
    first_line, _ = textbox.pango_layout.get_first_line()
    runs = list(_runs(first_line))
    fonts = [stream.add_font(glyph_item.item.analysis.font) for glyph_item in runs]
    if any(font.svg or font.png or font.colr for font, _ in fonts):
        return False
    utf8_text = textbox.pango_layout.text.encode()
    stream.set_text_matrix(*matrix.values)
    for glyph_item, (font, font_size) in zip(runs, fonts):
        if pango.pango_version() < 14802:
            font_size = textbox.style["font_size"]
        stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
        pango_font = glyph_item.item.analysis.font
        glyphs_info = glyph_item.glyphs.glyphs
        for group, text in _clusters(glyph_item, utf8_text):
            stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
            for index in group:
                _draw_glyph(stream, font, font_size, pango_font, glyphs_info[index], text if index == group[0] else "")
            stream.end_marked_content()
    return True


def _draw_glyph(stream, font, font_size, pango_font, glyph_info, text: str) -> None:
    """One glyph, positioned as WeasyPrint positions it (offset, rise, kerning)."""
    glyph_id = glyph_info.glyph
    width = glyph_info.geometry.width
    if glyph_id == pango.PANGO_GLYPH_EMPTY:
        stream.show_text(f"{-width / font_size}")
        return
    if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
        codepoint = glyph_id - pango.PANGO_GLYPH_UNKNOWN_FLAG
        weasyprint_text.LOGGER.warning(
            '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)', chr(codepoint), codepoint)
        glyph_id = font.get_unused_glyph_id(codepoint)
        font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
        if 0 not in font.widths:
            font.widths[0] = font.widths[glyph_id]
    if glyph_id not in font.to_unicode:
        font.to_unicode[glyph_id] = text
    offset = glyph_info.geometry.x_offset / font_size
    rise = glyph_info.geometry.y_offset / 1000
    code = f"{glyph_id:02x}" if font.bitmap else f"{glyph_id:04x}"
    if glyph_id in font.widths:
        logical_width = font.widths[glyph_id]
    else:
        pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
        logical_width = font.widths[glyph_id] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
    kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
    shown = (f"{-offset}" if offset else "") + f"<{code}>" + (f"{int(kerning)}" if kerning else "")
    if rise:
        stream.set_text_rise(-rise)
        stream.show_text(shown)
        stream.set_text_rise(0)
    else:
        stream.show_text(shown)
