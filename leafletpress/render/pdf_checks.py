"""Checks on the laid-out document and on the PDF bytes, before anything is written to disk."""

from __future__ import annotations

import re
import unicodedata

from leafletpress.i18n.template_strings import TEMPLATE_WORDS
from leafletpress.inputs.clinic import Clinic
from leafletpress.inputs.edition import Edition
from leafletpress.inputs.leaflet import Leaflet
from leafletpress.core.characters import script_of
from leafletpress.core.problems import Problem
from leafletpress.render.markup import split_placeholders

WORD_RUN = re.compile(r"\w+")
MM_PER_CSS_PX = 25.4 / 96
SIZE_TOLERANCE_MM = 0.5
# Brackets come out mirrored from right-to-left text in some readers; PDFium reports a hyphen at
# the end of a line as U+FFFE.
FOLDED = str.maketrans({**{char: "|" for char in "()[]{}<>"}, "\ufffe": "-", "\u00a0": " "})
# Readers wrap right-to-left runs in these when they extract text; they are not the page's text.
BIDI_FORMATTING = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


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
    elif holding[0] != 1:
        problems.append(Problem(f"the warning section starts on page {holding[0]}; it must be on page 1"))
    elif len(holding) > 1:
        pages_text = ", ".join(map(str, holding)) if len(holding) <= 6 else f"{holding[0]} to {holding[-1]}"
        problems.append(Problem(f"the warning section is split across pages {pages_text}"))
    for number, heading in stranded_headings(document):
        problems.append(Problem(f"page {number} ends with the heading {heading[:60]!r}; its text is on the next page"))
    return problems


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def stranded_headings(document) -> list[tuple[int, str]]:
    """(page number, heading) for every page but the last whose last line of content is a heading."""
    found = []
    for number, page in enumerate(document.pages[:-1], start=1):
        last = None
        for box, heading in _lines_of(page._page_box, None):
            last = (box, heading)
        if last and last[1] is not None:
            found.append((number, _text_of(last[0])))
    return found


def split_elements(document, tags: tuple[str, ...] = ("ul", "ol")) -> list[int]:
    """Page numbers where an element of these kinds (lists, by default) ends on the next page."""
    found = []
    for number, page in enumerate(document.pages[:-1], start=1):
        next_page = document.pages[number]
        here = {id(box.element) for box in _boxes(page._page_box) if box.element_tag in tags}
        there = {id(box.element) for box in _boxes(next_page._page_box) if box.element_tag in tags}
        if here & there:
            found.append(number)
    return found


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _lines_of(box, heading):
    """Every line box in the page's flow (margin boxes left out), with the heading it belongs to."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return
    if box.element_tag in HEADINGS:
        heading = box
    if isinstance(box, boxes.LineBox):
        yield box, heading
        return
    for child in getattr(box, "children", ()):
        yield from _lines_of(child, heading)


def _text_of(box) -> str:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return box.text
    return "".join(_text_of(child) for child in getattr(box, "children", ()))


def page_size_mm(page) -> tuple[float, float]:
    return round(page.width * MM_PER_CSS_PX, 1), round(page.height * MM_PER_CSS_PX, 1)


def pages_holding(document, anchor: str) -> list[int]:
    """1-based numbers of the pages on which the element with this id has any part."""
    return [number for number, page in enumerate(document.pages, start=1) if anchor in page.anchors]


def pdf_problems(
    pdf: bytes, must_contain: list[str], half: str | None = None, right_to_left: bool = False
) -> list[Problem]:
    """The PDF's own text (what search, copy and screen readers get) must hold these strings, in
    both PDFium (Chrome's viewer) and poppler (most Linux viewers); with `half` ("left" or
    "right"), within that half of each page (a bilingual column).

    Both are compared in Unicode NFC with every mark kept. Left-to-right text is compared whole;
    right-to-left text word by word, every word exact: readers put the runs of a line that mixes
    directions in different orders, but never change a word (README, "Text layer").
    """
    problems = []
    where = f" ({half} column)" if half else ""
    for reader, raw in (("PDFium", extract_text(pdf, half)), ("poppler", poppler_text(pdf, half))):
        if right_to_left:
            found = set(words_of(raw))
            missing = [word for snippet in must_contain for word in words_of(snippet) if word not in found]
        else:
            text = exact(raw)
            missing = [snippet for snippet in must_contain if exact(snippet) not in text]
        problems += [Problem(f"the PDF text{where} in {reader} does not contain {snippet[:60]!r}") for snippet in missing]
    return problems


def exact(text: str) -> str:
    """Text as it must come out of a reader, marks and all: NFC, without white space, bidi
    controls or hyphens (readers drop the hyphen of "sage-femme" when a line ends there)."""
    normal = unicodedata.normalize("NFC", text).translate(FOLDED)
    return "".join(char for char in normal if not char.isspace() and char not in BIDI_FORMATTING and char not in "-\u2010")


def words_of(text: str) -> list[str]:
    """The words of a text, in NFC with their marks: runs of letters of one script (with their
    marks and modifier letters such as the tatweel), or of digits. Punctuation and spaces separate
    words and are not part of them (readers place a comma or full stop beside a right-to-left word
    on either side), as does a change of script ("Riverside" and "بـ" joined without a space are two
    words); format characters (ZWNJ, bidi marks) are not text."""
    words: list[str] = []
    current, kind = "", ""
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        if category[0] == "M" or category == "Lm":
            current += char if current else ""
            continue
        this = script_of(char) or ("DIGIT" if category[0] == "N" else "")
        if this != kind or not this:
            if current:
                words.append(current)
            current, kind = (char, this) if this else ("", "")
            continue
        current += char
    if current:
        words.append(current)
    return words


def poppler_text(pdf: bytes, half: str | None = None) -> str:
    """The text layer as poppler's pdftotext reads it, whole or one half of each page."""
    import shutil
    import subprocess

    tool = shutil.which("pdftotext")
    if tool is None:
        raise FileNotFoundError("poppler's pdftotext is not installed (Debian package 'poppler-utils'): run `make setup`")
    command = [tool, "-enc", "UTF-8"]
    if half is not None:
        import pypdfium2

        document = pypdfium2.PdfDocument(pdf)
        width, height = document[0].get_size()
        document.close()
        left = 0 if half == "left" else int(width / 2)
        command += ["-x", str(left), "-y", "0", "-W", str(int(width / 2)), "-H", str(int(height) + 1), "-r", "72"]
    result = subprocess.run([*command, "-", "-"], input=pdf, capture_output=True, check=False)
    return result.stdout.decode("utf-8", errors="replace")


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
    must_say = warning_texts(edition, texts, clinic)
    right_to_left = edition.language.direction == "rtl"
    number = [clinic.phone] if clinic else []  # digit groups in their own order, in every script
    if not edition.bilingual:
        return pdf_problems(pdf, must_say, right_to_left=right_to_left) + pdf_problems(pdf, number)
    english = warning_texts(edition, {text: text for text in texts}, clinic)
    return (
        pdf_problems(pdf, english + number, half="left")
        + pdf_problems(pdf, must_say, half="right", right_to_left=right_to_left)
        + pdf_problems(pdf, number, half="right")
    )


def warning_texts(edition: Edition, texts: dict[str, str], clinic: Clinic | None) -> list[str]:
    """What the warning box says, as plain text: its strings, and the clinic's contact line word by
    word (readers put the runs of a line that mixes directions in different orders)."""
    found = [texts[msgid] for msgid in edition.warning_strings()]
    if clinic:
        words = [value for kind, value in split_placeholders(texts[TEMPLATE_WORDS["clinic_contact"]]) if kind == "text"]
        found += WORD_RUN.findall(" ".join([*words, clinic.name, clinic.phone]))
    return found
