"""Strict catalog loading: a broken catalog is refused whole, with its file and line."""

import shutil

import pytest

from tests.support import FIXTURES
from leafletpress.i18n.catalogs import CatalogError, load_catalog, read_headers
from leafletpress.inputs.languages import parse_language

CATALOGS = FIXTURES / "catalogs"
SPANISH = parse_language("es")


def load(name, language=SPANISH):
    return load_catalog(CATALOGS / name, language, "fixture")


def test_the_good_fixture_loads():
    catalog = load("good.po")
    assert catalog.get("Get help straight away").string == "Pida ayuda enseguida"


@pytest.mark.parametrize(
    "name, line, words",
    [
        ("broken_syntax.po", 13, "end-of-line within string"),
        ("broken_duplicate.po", 14, "duplicate message definition"),
        ("broken_encoding.po", 15, "UTF-8"),
        ("broken_keyword.po", 14, 'keyword "msgctx" unknown'),
        ("broken_conflict.po", 14, "syntax error"),
        ("broken_plural.po", 19, "plural forms"),
        ("broken_charset.po", 1, "charset must be UTF-8"),
        ("broken_language.po", 1, "Language header is 'pt' but the folder is for 'es'"),
    ],
)
def test_each_broken_catalog_is_refused_with_file_and_line(name, line, words):
    with pytest.raises(CatalogError) as raised:
        load(name)
    reported = [str(problem) for problem in raised.value.problems]
    assert any(f"{name}:{line}:" in problem and words in problem for problem in reported), reported


def test_a_missing_catalog_is_an_error_not_english(tmp_path):
    with pytest.raises(CatalogError, match="no catalog for es: run `make_leaflets.py init es`"):
        load_catalog(tmp_path / "es" / "LC_MESSAGES" / "fixture.po", SPANISH, "fixture")


def test_a_region_code_mismatch_is_refused(tmp_path):
    """pt-BR in the folder, pt in the header: refused rather than silently English."""
    target = tmp_path / "broken.po"
    shutil.copy(CATALOGS / "good.po", target)
    target.write_text(target.read_text().replace("Language: es", "Language: pt"))
    with pytest.raises(CatalogError, match="folder is for 'pt_BR'"):
        load_catalog(target, parse_language("pt-BR"), "fixture")


def test_review_headers_are_read_although_babel_drops_them():
    text = (CATALOGS / "good.po").read_text().replace(
        '"Content-Transfer-Encoding: 8bit\\n"', '"Content-Transfer-Encoding: 8bit\\n"\n"X-Clinical-Reviewer: Dr A\\n"'
    )
    assert read_headers(text)["X-Clinical-Reviewer"] == "Dr A"
    assert read_headers(text)["Language"] == "es"
