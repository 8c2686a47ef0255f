"""Structural reading of real PDFs for the tests."""

import io
import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

PT_TO_MM = 25.4 / 72


def reader(pdf: Path | bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else str(pdf))


def page_sizes_mm(pdf) -> list[tuple[float, float]]:
    return [(round(float(page.mediabox.width) * PT_TO_MM), round(float(page.mediabox.height) * PT_TO_MM)) for page in reader(pdf).pages]


def text(pdf: Path) -> str:
    """Text as poppler extracts it (handles right-to-left and complex scripts well)."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def page_texts(pdf: Path) -> list[str]:
    return text(pdf).split("\f")[:-1]


def flat(value: str) -> str:
    """Without white space or hyphens: readers drop the hyphen where a line breaks after one."""
    return re.sub(r"[\s\-\u2010]+", "", value)


def family_of(font_name: str) -> str:
    """"ABCDEF+Noto-Sans-Ethiopic-Bold" -> "notosansethiopic", comparable with "Noto Sans Ethiopic"."""
    name = font_name.split("+", 1)[-1]
    name = re.sub(r"-(Regular|Bold|Italic|BoldItalic|Medium|Light)$", "", name)
    return name.replace("-", "").replace(" ", "").lower()


def fonts(pdf: Path) -> list[dict]:
    """One row per font: name, type, embedded, subset (as pdffonts reports them)."""
    output = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in output.splitlines()[2:]:
        parts = line.split()
        # name type [encoding…] emb sub uni object ID
        rows.append({"name": parts[0], "embedded": parts[-5] == "yes", "subset": parts[-4] == "yes"})
    return rows


FOOTER_MARKS = ("LP-PREG-001", "Not yet checked by a clinician")


def body_text(pdf) -> str:
    """The text of every page without its running footer (which readers extract mid-sentence)."""
    pages = []
    for page in page_texts(pdf):
        lines = page.splitlines()
        cut = next((index for index, line in enumerate(lines) if any(mark in line for mark in FOOTER_MARKS)), len(lines))
        pages.append("\n".join(lines[:cut]))
    return "\n".join(pages)
