"""Embedded fonts without empty glyph slots: glyph ids renumbered in the PDF WeasyPrint wrote.

WeasyPrint 70 subsets each font but keeps every glyph id up to the highest one used, because its
pages draw glyphs by their ids in the installed font. In Noto Sans CJK the ids used run up to
~63,000, so each embedded face was mostly empty slots (150–185 KB compressed for ~300 glyphs; a
Chinese leaflet, regular and bold, was 350 KB). Here, after layout, each embedded program is
subset again (fontTools) to exactly the glyphs the document draws, numbered 0…n in their old
order, and everything that names a glyph by its id follows: the text-showing operators of every
content stream (pages, forms, tiling patterns, appearance streams), /W, /ToUnicode and /CIDSet.

Shaping cannot change: WeasyPrint laid the text out with the installed font, and only the
numbers of the glyphs it chose change; outlines, widths and the text layer stay as they were.
A PDF this module does not fully understand (a font that is not Type0 Identity-H with an embedded
TrueType or OpenType program, text drawn before a font is chosen, a ToUnicode with ranges) comes
back unchanged: the worst case is the old size, never a wrong glyph. Fonts with few empty slots
(Latin, Arabic, Bengali: TrueType slots compress to about a byte each) are left as WeasyPrint
wrote them unless a large font in the same PDF is renumbered anyway. The output depends on the
input bytes alone; `cache` (one dict per process) only saves the work for a program seen before.
The /ID this save writes is dropped by render/pdf_finish.py, which computes it from the finished
document (this one still holds the structure tree's working keys, different in every process).
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

# Renumber when some program of the PDF has this many empty slots: Noto Sans CJK ~62,000 (about
# 2.5 bytes each once compressed); Noto Sans ~1,900, Naskh ~1,450, Bengali ~550 (under 1.5 KB in all).
WORTH_RENUMBERING = 4096
CACHE_ENTRIES = 64  # programs remembered per process (the formats of a language share theirs)
SHOW_TEXT = frozenset({"Tj", "TJ", "'", '"'})
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
BFCHAR_ENTRY = re.compile(rb"<([0-9A-Fa-f]{4})>(\s*<[0-9A-Fa-f]*>)")


class Unsupported(Exception):
    """Something this module does not rewrite safely: the PDF is left as it is."""


@dataclass
class Program:
    """One embedded font program and every Type0 font that draws with it."""

    stream: Stream
    key: str  # /FontFile2 (TrueType outlines) or /FontFile3 (OpenType, CFF outlines)
    fonts: list[Dictionary] = field(default_factory=list)
    used: set[int] = field(default_factory=lambda: {0})  # glyph ids drawn or listed; .notdef always
    mapping: dict[int, int] = field(default_factory=dict)  # old glyph id -> new

    def empty_slots(self) -> int:
        """Slots WeasyPrint kept without a glyph drawn in them, as its fonts' /W tell."""
        listed = set().union(*(_widths(font.DescendantFonts[0].get("/W", Array())) for font in self.fonts))
        return max(listed, default=0) + 1 - len(listed)


@dataclass
class Holder:
    """A content stream (or a page's streams) and the resources its operators name."""

    owner: object  # a pikepdf.Page, or a form, pattern or appearance stream
    resources: Dictionary
    instructions: list = field(default_factory=list)


def compact_fonts(pdf: bytes, cache: dict | None = None) -> bytes:
    """The same document, each large embedded font holding only the glyphs it draws, numbered from 1."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        try:
            holders = content_holders(document)
            programs = font_programs(holders)
            if not any(program.empty_slots() >= WORTH_RENUMBERING for program in programs.values()):
                return pdf
            for holder in holders:
                holder.instructions = list(pikepdf.parse_content_stream(holder.owner))
            collect_used_glyphs(holders, programs)
        except Unsupported:
            return pdf
        renumbered = {key: program for key, program in programs.items() if renumber(program, cache)}
        if not renumbered:
            return pdf
        for holder in holders:
            rewrite_text(document, holder, renumbered)
        for program in renumbered.values():
            for font in program.fonts:
                rewrite_font_dictionary(font, program.mapping)
        output = io.BytesIO()
        document.save(output, deterministic_id=True)
    return output.getvalue()


def content_holders(document: pikepdf.Pdf) -> list[Holder]:
    """Every page, and every form, tiling pattern and annotation appearance reachable from them."""
    holders = [Holder(page, _inherited_resources(page.obj)) for page in document.pages]
    pending: list[tuple[Stream, Dictionary | None]] = []
    for page in document.pages:
        for annotation in page.obj.get("/Annots", Array()):
            for state in annotation.get("/AP", Dictionary()).values():
                streams = list(state.values()) if isinstance(state, Dictionary) and not isinstance(state, Stream) else [state]
                pending += [(stream, None) for stream in streams if isinstance(stream, Stream)]
    queue = [holder.resources for holder in holders]
    seen: set[tuple[int, int]] = set()
    while queue or pending:
        while pending:
            stream, inherited = pending.pop()
            if stream.objgen in seen:
                continue
            seen.add(stream.objgen)
            resources = stream.get("/Resources", inherited)
            holders.append(Holder(stream, resources if resources is not None else Dictionary()))
            queue.append(holders[-1].resources)
        if queue:
            resources = queue.pop()
            for category in ("/XObject", "/Pattern"):
                for value in resources.get(category, Dictionary()).values():
                    if isinstance(value, Stream) and (value.get("/Subtype") == Name.Form or value.get("/PatternType") == 1):
                        pending.append((value, resources))
    return holders


def _inherited_resources(page: Dictionary) -> Dictionary:
    node = page
    while node is not None:
        if "/Resources" in node:
            return node.Resources
        node = node.get("/Parent")
    return Dictionary()


def font_programs(holders: list[Holder]) -> dict[tuple[int, int], Program]:
    """Embedded programs of the Type0 fonts the content names, each with every font sharing it.

    A program shared with a font this module cannot rewrite is left out, and so left alone."""
    programs: dict[tuple[int, int], Program] = {}
    refused: set[tuple[int, int]] = set()
    seen: set[tuple[int, int]] = set()
    for holder in holders:
        for font in holder.resources.get("/Font", Dictionary()).values():
            if not isinstance(font, Dictionary) or font.objgen == (0, 0):
                raise Unsupported("a font that is not an indirect object")
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            stream, key = _program_of(font)
            if stream is None:
                continue
            if not _renumberable(font):
                refused.add(stream.objgen)
                continue
            programs.setdefault(stream.objgen, Program(stream, key)).fonts.append(font)
    return {objgen: program for objgen, program in programs.items() if objgen not in refused}


def _program_of(font: Dictionary) -> tuple[Stream | None, str]:
    descendants = font.get("/DescendantFonts")
    if font.get("/Subtype") != Name.Type0 or not isinstance(descendants, Array) or len(descendants) != 1:
        return None, ""
    descriptor = descendants[0].get("/FontDescriptor", Dictionary())
    for key in ("/FontFile2", "/FontFile3"):
        if isinstance(descriptor.get(key), Stream):
            return descriptor[key], key
    return None, ""


def _renumberable(font: Dictionary) -> bool:
    """A Type0 font whose codes are glyph ids: Identity-H, glyph ids as CIDs, an embedded TrueType
    or OpenType program, and a ToUnicode map of single codes."""
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    if font.get("/Encoding") != Name("/Identity-H") or not isinstance(font.get("/ToUnicode"), Stream):
        return False
    if descendant.get("/Subtype") == Name.CIDFontType2:
        if descendant.get("/CIDToGIDMap", Name.Identity) != Name.Identity or "/FontFile2" not in descriptor:
            return False
    elif descendant.get("/Subtype") == Name.CIDFontType0:
        if descriptor.get("/FontFile3", Dictionary()).get("/Subtype") != Name.OpenType:
            return False
    else:
        return False
    to_unicode = font.ToUnicode.read_bytes()
    return not any(word in to_unicode for word in (b"bfrange", b"cidrange", b"usecmap"))


def collect_used_glyphs(holders: list[Holder], programs: dict[tuple[int, int], Program]) -> None:
    """Every glyph id drawn with each program, and those its fonts list in /W and /ToUnicode."""
    by_font = {font.objgen: program for program in programs.values() for font in program.fonts}
    for holder in holders:
        for font, instruction in _text_operators(holder):
            if font.objgen in by_font:
                for string in _strings_of(instruction.operands[-1]):
                    by_font[font.objgen].used.update(_codes(bytes(string)))
    for program in programs.values():
        for font in program.fonts:
            program.used.update(_widths(font.DescendantFonts[0].get("/W", Array())))
            program.used.update(int(code, 16) for code in _to_unicode_codes(font.ToUnicode.read_bytes()))


def _text_operators(holder: Holder):
    """(current font, instruction) for each text-showing operator, following Tf through q/Q."""
    fonts = holder.resources.get("/Font", Dictionary())
    current, saved = None, []
    for instruction in holder.instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operator = str(instruction.operator)
        if operator == "q":
            saved.append(current)
        elif operator == "Q":
            current = saved.pop() if saved else None
        elif operator == "Tf":
            if instruction.operands[0] not in fonts:
                raise Unsupported(f"font {instruction.operands[0]} is not in the resources")
            current = fonts[instruction.operands[0]]
        elif operator in SHOW_TEXT:
            if current is None:
                raise Unsupported("text drawn before a font is chosen (a form inheriting its font)")
            yield current, instruction


def _strings_of(operand) -> list:
    return [item for item in operand if isinstance(item, String)] if isinstance(operand, Array) else [operand]


def _codes(data: bytes) -> list[int]:
    if len(data) % 2:
        raise Unsupported("a string of odd length shown in an Identity-H font")
    return [int.from_bytes(data[index:index + 2], "big") for index in range(0, len(data), 2)]


def _widths(array: Array) -> dict[int, object]:
    """/W as {glyph id: width}, from both of its forms (`c [w1 w2…]` and `c_first c_last w`)."""
    items, widths, index = list(array), {}, 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], Array):
            widths.update({first + offset: width for offset, width in enumerate(items[index + 1])})
            index += 2
        else:
            widths.update({code: items[index + 2] for code in range(first, int(items[index + 1]) + 1)})
            index += 3
    return widths


def _to_unicode_codes(data: bytes) -> list[bytes]:
    return [entry.group(1) for block in BFCHAR.finditer(data) for entry in BFCHAR_ENTRY.finditer(block.group(1))]


def renumber(program: Program, cache: dict | None = None) -> bool:
    """Replace the program by its used glyphs, numbered in their old order; False if it cannot be."""
    data = program.stream.read_bytes()
    key = (hashlib.sha256(data).hexdigest(), tuple(sorted(program.used)))
    if cache is not None and key in cache:
        result = cache[key]
    else:
        result = subset_program(data, program.used)
        if cache is not None:
            if len(cache) >= CACHE_ENTRIES:  # a long `watch` session: forget the oldest
                del cache[next(iter(cache))]
            cache[key] = result
    if result is None:
        return False
    data, program.mapping = result
    program.stream.write(zlib.compress(data, 9), filter=Name.FlateDecode)
    if program.key == "/FontFile2":
        program.stream.Length1 = len(data)
    return True


def subset_program(data: bytes, used: set[int]) -> tuple[bytes, dict[int, int]] | None:
    """The font program with only these glyph ids (and any their outlines are built from), and the
    new id of each; None when fontTools cannot, or when an id has no glyph."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
        old_order = list(font.getGlyphOrder())
        if max(used) >= len(old_order):
            return None
        options = subset.Options(
            retain_gids=False, layout_closure=False, notdef_outline=True, notdef_glyph=True,
            name_IDs=["*"], name_languages=["*"], name_legacy=True, hinting=True, legacy_kern=True,
            prune_unicode_ranges=False, prune_codepage_ranges=False, recalc_timestamp=False,
        )
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=sorted(used))
        subsetter.subset(font)
        position = {name: index for index, name in enumerate(font.getGlyphOrder())}
        mapping = {gid: position[old_order[gid]] for gid in sorted(used)}
        output = io.BytesIO()
        font.save(output)
        data = output.getvalue()
        if "CFF " in font:
            data = _cids_in_glyph_order(data)
    except Exception:  # a font fontTools cannot rewrite keeps WeasyPrint's subset
        return None
    return (data, mapping) if mapping[0] == 0 else None


def _cids_in_glyph_order(data: bytes) -> bytes:
    """A CID-keyed CFF in which each glyph's CID is its glyph id again.

    The subset keeps each glyph's CID from the full font (glyph 5 may be CID 12345). PDFium and
    poppler draw an OpenType program's codes as glyph ids, but the PDF standard maps them through a
    CID-keyed CFF's charset: with CID = glyph id both readings agree. Only the CFF charset names
    glyphs; every other table counts by glyph id, so only the CFF is renamed."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
    top = font["CFF "].cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return data  # name-keyed: codes are glyph ids already
    old_names = list(top.charset)
    new_names = [".notdef", *(f"cid{index:05d}" for index in range(1, len(old_names)))]
    font.setGlyphOrder(new_names)
    char_strings = top.CharStrings.charStrings
    top.CharStrings.charStrings = {new: char_strings[old] for new, old in zip(new_names, old_names)}
    top.charset = new_names
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def rewrite_text(document: pikepdf.Pdf, holder: Holder, programs: dict[tuple[int, int], Program]) -> None:
    """The holder's content with each glyph id of a renumbered font replaced by its new one."""
    mappings = {font.objgen: program.mapping for program in programs.values() for font in program.fonts}
    replaced = {}
    for font, instruction in _text_operators(holder):
        if font.objgen in mappings:
            operands = list(instruction.operands)
            operands[-1] = _renumbered(operands[-1], mappings[font.objgen])
            replaced[id(instruction)] = pikepdf.ContentStreamInstruction(operands, instruction.operator)
    if not replaced:
        return
    instructions = [replaced.get(id(instruction), instruction) for instruction in holder.instructions]
    content = zlib.compress(pikepdf.unparse_content_stream(instructions), 9)
    if isinstance(holder.owner, pikepdf.Page):  # one stream in place of the page's (maybe several)
        holder.owner.obj.Contents = document.make_stream(b"")
    stream = holder.owner.obj.Contents if isinstance(holder.owner, pikepdf.Page) else holder.owner
    stream.write(content, filter=Name.FlateDecode)


def _renumbered(operand, mapping: dict[int, int]):
    def renumber_string(string) -> String:
        return String(b"".join(mapping[code].to_bytes(2, "big") for code in _codes(bytes(string))))

    if isinstance(operand, Array):
        return Array([renumber_string(item) if isinstance(item, String) else item for item in operand])
    return renumber_string(operand)


def rewrite_font_dictionary(font: Dictionary, mapping: dict[int, int]) -> None:
    """/W, /ToUnicode and /CIDSet of one font, in the new glyph ids."""
    descendant = font.DescendantFonts[0]
    widths = {mapping[gid]: width for gid, width in _widths(descendant.get("/W", Array())).items()}
    runs: list = []
    for gid in sorted(widths):
        if gid - 1 not in widths:
            runs += [gid, Array()]
        runs[-1].append(widths[gid])
    descendant.W = Array(runs)

    def entry(match: re.Match) -> bytes:
        return b"<%04x>%s" % (mapping[int(match.group(1), 16)], match.group(2))

    def block(match: re.Match) -> bytes:
        return b"beginbfchar" + BFCHAR_ENTRY.sub(entry, match.group(1)) + b"endbfchar"

    to_unicode = BFCHAR.sub(block, font.ToUnicode.read_bytes())
    font.ToUnicode.write(zlib.compress(to_unicode, 9), filter=Name.FlateDecode)
    descriptor = descendant.FontDescriptor
    if isinstance(descriptor.get("/CIDSet"), Stream):
        bits = bytearray(max(widths, default=0) // 8 + 1)
        for gid in widths:
            bits[gid // 8] |= 0x80 >> (gid % 8)
        descriptor.CIDSet.write(zlib.compress(bytes(bits), 9), filter=Name.FlateDecode)
