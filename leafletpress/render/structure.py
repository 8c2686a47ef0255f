"""The PDF's structure tree, as a screen reader follows it (PDF/UA-1).

WeasyPrint tags the document page by page. Three things it cannot write, this module adds, in
two small steps:

While WeasyPrint builds the tags (`tagging`): each structure element made from an HTML element
with a `lang` attribute gets that /Lang (a bilingual edition's English column is read with an
English voice), and each element remembers which HTML element it came from.

On the written PDF, with pikepdf (`finish_structure`):
- an element that WeasyPrint split at a page break (a section, a list, a paragraph running on to
  the next page) is joined again: one list is one L, one section one Sect;
- marked content that no element reachable from the structure root holds — the running footer,
  drawn in the page margins — becomes an /Artifact (page furniture), as PDF/UA asks;
- a Figure's /BBox, which WeasyPrint gives in CSS pixels from the top left, is given in PDF
  points from the bottom left;
- the parent tree is rebuilt from the joined tree, so every marked-content id maps to its element.
"""

from __future__ import annotations

from contextlib import contextmanager

ELEMENT_KEY = "LPElement"  # which HTML element a structure element came from, removed when finished
PDF_ELEMENT_KEY = f"/{ELEMENT_KEY}"
PT_PER_PX = 0.75


@contextmanager
def tagging():
    """While WeasyPrint writes a tagged PDF: /Lang from `lang` attributes, and the element keys."""
    import pydyf
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, marked):
        element = getattr(box, "element", None)
        own = element is not None and box.element_tag not in ("html", "body") and not isinstance(box, (boxes.PageBox, boxes.MarginBox))
        for child in original(box, parent, pdf, page_number, nums, annotations, marked):
            if own and child.get("P") == parent.reference:
                lang = element.get("lang")
                if lang:
                    child["Lang"] = pydyf.String(lang)
                child[ELEMENT_KEY] = pydyf.String(f"{id(element)}")
            yield child

    tags._build_box_tree = build_box_tree
    try:
        yield
    finally:
        tags._build_box_tree = original


def finish_structure(document) -> None:
    """Join split elements, turn unreachable marked content into artifacts, fix figure boxes and
    rebuild the parent tree, on an open pikepdf document (changed in place)."""
    import pikepdf

    root = document.Root.get("/StructTreeRoot")
    if root is None:
        return
    pages = {page.objgen: index for index, page in enumerate(document.pages)}
    top = root.K if isinstance(root.K, pikepdf.Array) else pikepdf.Array([root.K])
    for element in top:
        _join(element)
    held: dict[int, dict[int, pikepdf.Object]] = {}
    for element in top:
        _collect(element, None, pages, held)
    for index, page in enumerate(document.pages):
        _make_artifacts(document, page, set(held.get(index, {})))
    for element in top:
        _fix_figures(element, document, pages)
        _forget_keys(element)
    _rebuild_parent_tree(document, root, held, len(document.pages))


def strip_structure(document) -> None:
    """No structure at all (a print-shop sheet): no tags, no marked-content ids; the /ActualText
    spans that keep the text layer right stay."""
    import pikepdf

    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in document.Root:
            del document.Root[key]
    for page in document.pages:
        if "/StructParents" in page:
            del page["/StructParents"]
        instructions = []
        open_marks = []
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                keep = name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" not in operands[1]
                open_marks.append(keep)
                if not keep:
                    continue
            elif name == "EMC" and open_marks and not open_marks.pop():
                continue
            instructions.append((operands, operator))
        page.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))


def _kids(element) -> list:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(item) -> bool:
    import pikepdf

    return isinstance(item, pikepdf.Dictionary) and "/S" in item


def _join(element) -> None:
    """Consecutive children made from the same HTML element become one; then their children."""
    import pikepdf

    kids = _kids(element)
    joined = []
    for kid in kids:
        previous = joined[-1] if joined else None
        if (
            _is_element(kid) and previous is not None and _is_element(previous)
            and PDF_ELEMENT_KEY in kid and kid.get(PDF_ELEMENT_KEY) == previous.get(PDF_ELEMENT_KEY)
        ):
            moved = [_with_page(item, kid) for item in _kids(kid)]
            for item in moved:
                if _is_element(item):
                    item.P = previous
            previous.K = pikepdf.Array([*(_with_page(item, previous) for item in _kids(previous)), *moved])
            continue
        joined.append(kid)
    if len(joined) != len(kids):
        element.K = pikepdf.Array(joined)
    for kid in joined:
        if _is_element(kid):
            _join(kid)


def _with_page(item, owner):
    """A marked-content id given as a bare integer means "on the owner's page": say which, before
    it moves under an element of another page."""
    import pikepdf

    if isinstance(item, int) and "/Pg" in owner:
        return pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=owner.Pg, MCID=item)
    return item


def _collect(element, page, pages: dict, held: dict) -> None:
    """Which element holds each marked-content id of each page, from the structure root down."""
    import pikepdf

    page = element.get("/Pg", page)
    for kid in _kids(element):
        if isinstance(kid, int):
            held.setdefault(pages[page.objgen], {})[kid] = element
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
            held.setdefault(pages[kid.get("/Pg", page).objgen], {})[int(kid.MCID)] = element
        elif _is_element(kid):
            _collect(kid, page, pages, held)


def _make_artifacts(document, page, reachable: set[int]) -> None:
    import pikepdf

    instructions = []
    changed = False
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
            if int(operands[1].MCID) not in reachable:
                operands = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
                changed = True
        instructions.append((operands, operator))
    if changed:
        page.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))


def _fix_figures(element, document, pages: dict) -> None:
    import pikepdf

    if element.get("/S") == pikepdf.Name.Figure and "/A" in element and "/BBox" in element.A:
        x1, y1, x2, y2 = (float(value) for value in element.A.BBox)
        page = element.get("/Pg")
        height = float(page.MediaBox[3]) if page is not None else 0.0
        element.A.BBox = pikepdf.Array([
            round(x1 * PT_PER_PX, 2), round(height - y2 * PT_PER_PX, 2), round(x2 * PT_PER_PX, 2), round(height - y1 * PT_PER_PX, 2),
        ])
    for kid in _kids(element):
        if _is_element(kid):
            _fix_figures(kid, document, pages)


def _forget_keys(element) -> None:
    if PDF_ELEMENT_KEY in element:
        del element[PDF_ELEMENT_KEY]
    for kid in _kids(element):
        if _is_element(kid):
            _forget_keys(kid)


def _rebuild_parent_tree(document, root, held: dict, page_count: int) -> None:
    import pikepdf

    nums = pikepdf.Array()
    for index in range(page_count):
        mapping = held.get(index, {})
        size = max(mapping) + 1 if mapping else 0
        nums.append(index)
        nums.append(pikepdf.Array([mapping.get(mcid, None) for mcid in range(size)]))
        document.pages[index].StructParents = index
    old = root.get("/ParentTree")
    extra = []
    if old is not None and "/Nums" in old:
        values = list(old.Nums)
        extra = [pair for pair in zip(values[::2], values[1::2]) if int(pair[0]) >= page_count]  # annotations
    for key, value in extra:
        nums.append(key)
        nums.append(value)
    root.ParentTree = document.make_indirect(pikepdf.Dictionary(Nums=nums))
    root.ParentTreeNextKey = page_count + len(extra)
