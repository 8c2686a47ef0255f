"""The text layer, word for word: what PDFium (Chrome, Android) and poppler (most Linux viewers)
extract must be the page's words exactly, marks kept. Right-to-left combining marks are the known
case no reader gets right, so the warning box may not carry them; the check catches them anyway."""

import pytest

from leafletpress.render.layout import LayoutTools, lay_out, pdf_bytes
from leafletpress.render.pdf_checks import extract_text, pdf_problems, poppler_text, words_of
from tests.support import ROOT, translated

HTML = """<!doctype html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8"><title>t</title>
<style>@page {{ size: A5; margin: 20mm }} body {{ font-family: "{font}"; font-size: 14pt }}</style></head>
<body><p>{text}</p></body></html>"""


def pdf_of(text, lang="ar", direction="rtl", font="Noto Naskh Arabic"):
    laid_out = lay_out(HTML.format(lang=lang, dir=direction, font=font, text=text), ROOT / "templates", [ROOT / "templates"], LayoutTools())
    assert laid_out.document is not None and not laid_out.problems
    return pdf_bytes(laid_out.document)


def test_words_are_runs_of_one_script_with_their_marks():
    assert words_of("Riverside Unitبـ\u00a0اتصلي، فورًا (0161) ٹانگ۔") == ["Riverside", "Unit", "بـ", "اتصلي", "فورًا", "0161", "ٹانگ"]
    assert words_of("e\u0301te\u0301 co-op") == ["été", "co", "op"]  # NFC, punctuation splits
    assert words_of("\u200cمی\u200cخواهم") == ["میخواهم"]  # format characters are not text


def test_arabic_without_marks_comes_out_word_for_word_in_both_readers():
    text = "اطلبي المساعدة فورا. اتصلي بطبيبك أو بالقابلة إذا كان الألم في ساقك مستمرا."
    pdf = pdf_of(text)
    assert pdf_problems(pdf, [text], right_to_left=True) == []
    for raw in (extract_text(pdf), poppler_text(pdf)):
        assert set(words_of(text)) <= set(words_of(raw))


def test_a_mark_put_on_the_wrong_letter_is_caught():
    """Tanwin and kasra: both readers misplace them (WeasyPrint 70, PDFium 159, poppler 22.12)."""
    text = "اطلبي المساعدة فورًا. اتصلي بطبيبكِ."
    problems = [str(problem) for problem in pdf_problems(pdf_of(text), [text], right_to_left=True)]
    assert any("'فورًا'" in problem for problem in problems), problems


@pytest.mark.parametrize("lang, text", [
    ("bn", "এখনই সাহায্য নিন"), ("pa", "ਤੁਰੰਤ ਮਦਦ ਲਓ"), ("uk", "Негайно зверніться по допомогу"),
])
def test_left_to_right_lines_carry_their_text_marks_and_all(lang, text):
    font = {"bn": "Noto Sans Bengali", "pa": "Noto Sans Gurmukhi", "uk": "Noto Sans"}[lang]
    assert pdf_problems(pdf_of(text, lang, "ltr", font), [text]) == []


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_the_shipped_right_to_left_warning_headings_have_no_marks(lang):
    heading = translated(lang, "Get help straight away")
    assert words_of(heading) and not any(0x064B <= ord(char) <= 0x065F or char == "\u0670" for char in heading)
