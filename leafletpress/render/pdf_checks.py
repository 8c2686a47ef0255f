"""Checks on the laid-out document and on the PDF bytes, before anything is written to disk."""

from __future__ import annotations

import re
import unicodedata

from leafletpress.i18n.template_strings import TEMPLATE_WORDS
from leafletpress.inputs.clinic import Clinic
from leafletpress.inputs.edition import Edition
from leafletpress.inputs.leaflet import Leaflet
from leafletpress.core.problems import Problem
from leafletpress.render.markup import split_placeholders

WORD_RUN = re.compile(r"\w+")
MM_PER_CSS_PX = 25.4 / 96
SIZE_TOLERANCE_MM = 0.5
# Brackets come out mirrored from right-to-left text in some readers; PDFium reports a hyphen at
# the end of a line as U+FFFE.
FOLDED = str.maketrans({**{char: "|" for char in "()[]{}<>"}, "\ufffe": "-"})


def layout_problems(document, width_mm: float, height_mm: float, page_budget: int, warning_anchor: str) -> list[Problem]:
    """The laid-out pages: within the page budget, the right size, the warning section (the
    element whose id is `warning_anchor`) whole on one page."""
    problems = []
    pages = len(document.pages)
    if pages > page_budget:
        problems.append(Problem(f"needs {pages} pages; the leaflet allows {page_budget} for this format"))
    for number, page in enumerate(document.pages, start=1):
        width, height = page_size_mm(page)
        if abs(width - width_mm) > SIZE_TOLERANCE_MM or abs(height - height_mm) > SIZE_TOLERANCE_MM:
            problems.append(Problem(f"page {number} is {width}×{height} mm, expected {width_mm}×{height_mm} mm"))
            break
    holding = pages_holding(document, warning_anchor)
    if not holding:
        problems.append(Problem("the warning section is missing from the laid-out pages"))
    elif len(holding) > 1:
        pages_text = ", ".join(map(str, holding)) if len(holding) <= 6 else f"{holding[0]} to {holding[-1]}"
        problems.append(Problem(f"the warning section is split across pages {pages_text}"))
    return problems


def page_size_mm(page) -> tuple[float, float]:
    return round(page.width * MM_PER_CSS_PX, 1), round(page.height * MM_PER_CSS_PX, 1)


def pages_holding(document, anchor: str) -> list[int]:
    """1-based numbers of the pages on which the element with this id has any part."""
    return [number for number, page in enumerate(document.pages, start=1) if anchor in page.anchors]


def pdf_problems(pdf: bytes, must_contain: list[str], half: str | None = None, in_order: bool = True) -> list[Problem]:
    """The PDF's own text (what search, copy and screen readers get) must hold these strings;
    with `half` ("left" or "right"), within that half of each page (a bilingual column).

    `in_order=False` checks word by word: readers put the words of right-to-left text beside a
    left-to-right column in different orders, though every word is in the text layer.
    """
    raw = extract_text(pdf, half)
    text, words = comparable(raw), {comparable(word) for word in raw.split()}
    where = f" ({half} column)" if half else ""

    def holds(snippet: str) -> bool:
        if in_order:
            return comparable(snippet) in text
        return all(comparable(word) in words or comparable(word) in text for word in snippet.split())

    return [Problem(f"the PDF text{where} does not contain {snippet[:60]!r}") for snippet in must_contain if not holds(snippet)]


def extract_text(pdf: bytes, half: str | None = None) -> str:
    """The text layer as PDFium (the engine of Chrome's PDF viewer) reads it, whole or one half."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            width, height = page.get_size()
            if half is None:
                texts.append(textpage.get_text_range())
            else:
                left = 0 if half == "left" else width / 2
                texts.append(textpage.get_text_bounded(left=left, bottom=0, right=left + width / 2, top=height))
        return "\n".join(texts)
    finally:
        document.close()


def comparable(text: str) -> str:
    """Text reduced to what every PDF reader agrees on.

    Readers differ in where they put combining marks (Arabic shadda, Indic virama), whether they
    keep presentation forms, whether brackets in right-to-left text come out mirrored and how they
    mark a hyphen at a line break; none of that changes which words are on the page.
    """
    folded = unicodedata.normalize("NFKC", text).translate(FOLDED)
    return "".join(char for char in folded if not char.isspace() and unicodedata.category(char) not in ("Mn", "Cf"))


def text_layer_problems(edition: Edition, pdf: bytes, texts: dict[str, str], clinic: Clinic | None) -> list[Problem]:
    """The warning must be in the PDF's text layer; in a bilingual edition, each language in its
    own column (English left, the language right)."""
    must_say = warning_texts(edition.leaflet, texts, clinic)
    if not edition.bilingual:
        return pdf_problems(pdf, must_say)
    english = warning_texts(edition.leaflet, {text: text for text in texts}, clinic)
    right_to_left = edition.language.direction == "rtl"
    return pdf_problems(pdf, english, half="left") + pdf_problems(pdf, must_say, half="right", in_order=not right_to_left)


def warning_texts(leaflet: Leaflet, texts: dict[str, str], clinic: Clinic | None) -> list[str]:
    """What the warning box says, as plain text: its strings, and the clinic's contact line word by
    word (readers put the runs of a line that mixes directions in different orders)."""
    found = [texts[msgid] for msgid in leaflet.warning.strings()]
    if clinic:
        words = [value for kind, value in split_placeholders(texts[TEMPLATE_WORDS["clinic_contact"]]) if kind == "text"]
        found += WORD_RUN.findall(" ".join([*words, clinic.name, clinic.phone]))
    return found
