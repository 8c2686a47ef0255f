"""The machine-checkable part of PDF/UA-1 (the Matterhorn Protocol's conditions we can test), run
on every edition's PDF: what a screen reader meets.

- every piece of text is tagged content or an artifact, and every tagged piece is held by an
  element reachable from the structure root; no marked-content id is used twice on a page;
- every line of text carries /ActualText (see render/text_layer.py);
- headings are nested without skips, never one inside another;
- every figure has /Alt and a /BBox on its page; lists are L, LI, Lbl and LBody;
- the document has /Lang, and in a bilingual edition the English column says it is English.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
LIST_PARTS = {"/LI", "/Lbl", "/LBody"}


@dataclass
class StructureReport:
    unreachable_mcids: int = 0
    duplicate_mcids: int = 0
    untagged_text: int = 0  # text shown outside any tagged content or artifact
    lines_without_actual_text: int = 0
    text_runs: int = 0
    heading_problems: list[str] = field(default_factory=list)
    figure_problems: list[str] = field(default_factory=list)
    list_problems: list[str] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)  # every /Lang in the tree (and the catalog's)
    document_lang: str = ""
    headings: list[str] = field(default_factory=list)
    lists: int = 0
    figures: list[str] = field(default_factory=list)  # each figure's /Alt, in reading order

    @property
    def problems(self) -> list[str]:
        found = []
        if not self.document_lang:
            found.append("the document has no /Lang")
        if self.unreachable_mcids:
            found.append(f"{self.unreachable_mcids} marked-content id(s) not reachable from the structure root")
        if self.duplicate_mcids:
            found.append(f"{self.duplicate_mcids} marked-content id(s) used twice on a page")
        if self.untagged_text:
            found.append(f"{self.untagged_text} piece(s) of text neither tagged nor an artifact")
        return found + self.heading_problems + self.figure_problems + self.list_problems

    def as_dict(self) -> dict:
        return {
            "problems": self.problems,
            "lines_with_actual_text": f"{self.text_runs - self.lines_without_actual_text}/{self.text_runs}",
            "headings": self.headings,
            "languages": sorted(self.languages),
            "figures": len(self.figures),
        }


def check_structure(pdf: bytes) -> StructureReport:
    import pikepdf

    report = StructureReport()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        report.document_lang = str(document.Root.get("/Lang", ""))
        if report.document_lang:
            report.languages.add(report.document_lang)
        pages = {page.objgen: index for index, page in enumerate(document.pages)}
        reachable: dict[int, set[int]] = {}
        root = document.Root.get("/StructTreeRoot")
        if root is not None:
            _walk(root, None, pages, reachable, report, [])
        for index, page in enumerate(document.pages):
            _read_page(page, reachable.get(index, set()), report)
    return report


def _kids(element) -> list:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _walk(element, page, pages: dict, reachable: dict, report: StructureReport, heading_stack: list[int]) -> None:
    import pikepdf

    kind = str(element.get("/S", ""))
    page = element.get("/Pg", page)
    if "/Lang" in element:
        report.languages.add(str(element.Lang))
    if kind in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"):
        level = int(kind[2])
        if heading_stack:
            report.heading_problems.append(f"{kind[1:]} inside a heading")
        previous = int(report.headings[-1][1]) if report.headings else 0
        if level > previous + 1:
            report.heading_problems.append(f"{kind[1:]} follows {report.headings[-1] if report.headings else 'no heading'}")
        report.headings.append(kind[1:])
        heading_stack = [*heading_stack, level]
    if kind == "/Figure":
        report.figures.append(str(element.get("/Alt", "")))
        if "/Alt" not in element or not str(element.Alt).strip():
            report.figure_problems.append("a figure without /Alt")
        box = element.get("/A", {}).get("/BBox") if "/A" in element else None
        if box is None or page is None or not _inside(box, page.MediaBox):
            report.figure_problems.append("a figure whose /BBox is not on its page")
    if kind == "/L":
        report.lists += 1
        for kid in _kids(element):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and str(kid.S) not in ("/LI", "/Caption"):
                report.list_problems.append(f"a list holds {kid.S} instead of LI")
    for kid in _kids(element):
        if isinstance(kid, int):
            reachable.setdefault(pages.get(page.objgen if page is not None else None, -1), set()).add(int(kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
            owner = kid.get("/Pg", page)
            reachable.setdefault(pages.get(owner.objgen, -1), set()).add(int(kid.MCID))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            _walk(kid, page, pages, reachable, report, heading_stack)
        elif isinstance(kid, pikepdf.Dictionary) and "/K" in kid and "/S" not in kid:
            _walk(kid, page, pages, reachable, report, heading_stack)  # the StructTreeRoot


def _inside(box, media) -> bool:
    x1, y1, x2, y2 = (float(value) for value in box)
    left, bottom, right, top = (float(value) for value in media)
    return left - 1 <= x1 <= x2 <= right + 1 and bottom - 1 <= y1 <= y2 <= top + 1


def _read_page(page, reachable: set[int], report: StructureReport) -> None:
    import pikepdf

    stack: list[tuple[str, object]] = []
    seen: set[int] = set()
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "BDC":
            properties = operands[1] if isinstance(operands[1], pikepdf.Dictionary) else {}
            stack.append((str(operands[0]), properties))
            if "/MCID" in properties:
                mcid = int(properties.MCID)
                report.duplicate_mcids += mcid in seen
                seen.add(mcid)
                report.unreachable_mcids += mcid not in reachable
        elif name == "BMC":
            stack.append((str(operands[0]), {}))
        elif name == "EMC" and stack:
            stack.pop()
        elif name in TEXT_OPERATORS:
            artifact = any(tag == "/Artifact" for tag, _ in stack)
            tagged = any("/MCID" in properties for _, properties in stack)
            if not artifact and not tagged:
                report.untagged_text += 1
            if not artifact:
                report.text_runs += 1
                report.lines_without_actual_text += not any("/ActualText" in properties for _, properties in stack)
