"""Checks on single translations: placeholders, markup, URLs, numbers, emptiness, hidden controls."""

import pytest

from leafletpress.i18n.translation_checks import numbers, translation_problems
from leafletpress.render.markup import PlaceholderError, fill


@pytest.mark.parametrize(
    "source, translation, words",
    [
        ("Page {page} of {pages}", "Página {page} de {total}", "placeholders differ"),
        ("Call {clinic} on {phone}.", "Llame a {clinic}.", "placeholders differ"),
        ("Get help straight away", "<b>Pida ayuda</b>", "markup"),
        ("Get help straight away", '<img src="file:///etc/hostname">', "markup"),
        ("Get help straight away", "Pida ayuda &amp; ya", "markup"),
        ("Get help straight away", "Pida ayuda en https://example.com", "URL"),
        ("Get help straight away", "Vea www.example.com", "URL"),
        ("Call 999 at 20 weeks", "Llame a las 20 semanas", "numbers of the English missing from the translation: 999"),
        ("Get help straight away", "   ", "empty"),
        ("Get help straight away", "Pida\u202eayuda", "control characters U+202E"),
        ("Get help straight away", "<<<<<<< HEAD\nPida ayuda", "conflict marker"),
        ("Get help", "x" * 100_000, "characters long"),
    ],
)
def test_each_fault_is_reported(source, translation, words):
    problems = translation_problems(source, translation)
    assert any(words in problem for problem in problems), problems


@pytest.mark.parametrize(
    "source, translation",
    [
        ("Page {page} of {pages}", "第 {page} 页，共 {pages} 页"),
        ("Call 999 at 20 weeks", "اتصلي بـ ٩٩٩ في الأسبوع ٢٠"),  # Arabic-Indic digits count
        ("Call 999", "৯৯৯ নম্বরে ফোন করুন"),  # Bengali digits count
        ("Get help straight away", "Pida ayuda enseguida"),
        ("Website: {website}", "Sitio web: {website}"),
    ],
)
def test_good_translations_pass(source, translation):
    assert translation_problems(source, translation) == []


def test_numbers_ignore_placeholders_and_read_any_script():
    assert numbers("Page {page} of 2, ٣ and ৪") == ["2", "3", "4"]


def test_fill_escapes_the_message_and_the_values():
    html = fill('<img src="file:///etc/hostname"> {name}', {"name": "<b>x</b>"})
    assert str(html) == "&lt;img src=&#34;file:///etc/hostname&#34;&gt; &lt;b&gt;x&lt;/b&gt;"


def test_fill_looks_up_bare_names_only():
    """str.format would let `{phone.__class__}` reach into objects; fill does not."""
    assert str(fill("{phone.__class__}", {"phone": "1"})) == "{phone.__class__}"
    with pytest.raises(PlaceholderError):
        fill("{unknown}", {})
