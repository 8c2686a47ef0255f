"""Twenty-four languages in eleven scripts: every edition proved, and a new language needs only a catalog."""

import re

import pypdfium2
import pytest
from babel.dates import format_date
from babel.messages.pofile import read_po

from tests.support import ROOT, heading_box, publish_in, shipped_languages, translated
from leafletpress.pipeline.edition import BuildTools
from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest
from leafletpress.cli import main
from leafletpress.inputs.leaflet import load_leaflet
from leafletpress.inputs.fonts import FontLibrary, load_preferences
from leafletpress.inputs.languages import parse_language
from leafletpress.render.pdf_checks import comparable, extract_text
from tests.pdfs import family_of, fonts, flat, reader, text

LANGUAGES = shipped_languages()
SCRIPTS = {"Latn", "Cyrl", "Arab", "Beng", "Guru", "Deva", "Taml", "Ethi", "Hans", "Hant"}
RIGHT_TO_LEFT = {"ar", "ur", "fa", "ps"}
FORMATS = ["A4", "A5"]
LEAFLET = load_leaflet(ROOT / "leaflets" / "leg-cramps.toml")
EDITIONS = [(lang, size) for lang in LANGUAGES for size in FORMATS]


def test_the_languages_cover_the_scripts():
    """ISO 15924 counts ten (Urdu, Persian and Pashto are Arabic script); with Urdu's Nastaliq, eleven."""
    assert {parse_language(lang).script for lang in LANGUAGES} == SCRIPTS


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogs_are_complete_unreviewed_drafts_naming_nobody(lang):
    language = parse_language(lang)
    for domain in ("leg-cramps", "leafletpress"):
        path = ROOT / "locales" / language.catalog_dir / "LC_MESSAGES" / f"{domain}.po"
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        messages = [message for message in catalog if message.id]
        assert messages and all(message.string and not message.fuzzy for message in messages), path
        assert catalog.last_translator == "Leaflet Press draft translation <translations@leaflet-press.invalid>"
        assert "X-Clinical-Reviewer" not in path.read_text(encoding="utf-8")  # sign-offs live in reviews/
    assert not (ROOT / "reviews" / "leg-cramps" / f"{language.tag}.toml").exists()  # nobody has signed it off


@pytest.mark.parametrize("lang, size", EDITIONS)
def test_every_edition_has_its_warning_in_the_text_layer(built, lang, size):
    edition = built[lang, size]
    assert edition.ok and edition.pages <= LEAFLET.page_budget[size]
    pdf = edition.path.read_bytes()
    layer = comparable(extract_text(pdf))
    for msgid in LEAFLET.warning.strings():
        assert comparable(translated(lang, msgid)) in layer, msgid
    if lang not in RIGHT_TO_LEFT:  # poppler agrees for left-to-right scripts
        poppler = flat(text(edition.path))
        assert flat(translated(lang, LEAFLET.warning.heading)) in poppler


@pytest.mark.parametrize("lang, size", EDITIONS)
def test_language_metadata_and_direction(built, lang, size):
    pdf = reader(built[lang, size].path)
    assert str(pdf.trailer["/Root"]["/Lang"]) == lang
    assert pdf.metadata.title == translated(lang, LEAFLET.title)
    assert built[lang, size].review_label == "unreviewed"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fonts_are_the_languages_own_stack(built, repo, lang):
    stack = FontLibrary(load_preferences(repo.templates_dir / "fonts.toml")).stack(parse_language(lang))
    allowed = {family_of(family) for family in stack.families}
    used = {family_of(font["name"]) for font in fonts(built[lang, "A4"].path)}
    assert used <= allowed, (used, allowed)
    assert family_of(stack.families[0]) in used
    assert all(font["embedded"] and font["subset"] for font in fonts(built[lang, "A4"].path))


@pytest.mark.parametrize("lang", ["ar", "ur", "es", "zh-Hans"])
def test_right_to_left_pages_are_mirrored(built, lang):
    left, right, width = heading_box(built[lang, "A5"].path, translated(lang, LEAFLET.warning.heading))
    if lang in RIGHT_TO_LEFT:
        assert right > width * 0.55 and left > width * 0.3  # heading hugs the right, icon beside it
    else:
        assert left < width * 0.3


@pytest.mark.parametrize("lang", LANGUAGES)
def test_review_date_in_the_languages_cldr_format(built, lang):
    language = parse_language(lang)
    expected = language.digits(format_date(LEAFLET.review_due, "long", locale=language.locale))
    assert comparable(expected) in comparable(extract_text(built[lang, "A5"].path.read_bytes()))


def test_bengali_page_numbers_and_steps_use_bengali_digits(built):
    layer = extract_text(built["bn", "A5"].path.read_bytes())
    assert "১" in layer and "২০২৯" in layer


# A language the project has never seen, in a script it has no rule for, from its catalog alone.
NEW_LANGUAGES = {"ka": "ქართული ტექსტი", "hy": "Հայերեն տեքստ", "he": "טקסט בעברית"}


def write_synthetic_catalogs(project, lang, word):
    assert main(["init", lang]) == 0
    language = parse_language(lang)
    for domain in ("leg-cramps", "leafletpress"):
        path = project.locales_dir / language.catalog_dir / "LC_MESSAGES" / f"{domain}.po"
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id:
                keep = re.findall(r"\{\w+\}|\d+", message.id)
                message.string = " ".join([word, *keep])
        from babel.messages.pofile import write_po

        with open(path, "wb") as handle:
            write_po(handle, catalog, width=100)


@pytest.mark.parametrize("lang", sorted(NEW_LANGUAGES))
def test_a_new_script_prints_from_its_catalog_alone(project, monkeypatch, tmp_path, lang):
    monkeypatch.chdir(project.root)
    write_synthetic_catalogs(project, lang, NEW_LANGUAGES[lang])
    publish_in(project, lang)
    result = build(project, BuildRequest(out=tmp_path, languages=(lang,), formats=("A5",)), tools=BuildTools.create(project))
    edition = result.editions[0]
    assert edition.ok, edition.problems
    assert comparable(NEW_LANGUAGES[lang]) in comparable(extract_text(edition.path.read_bytes()))
    script_font = {"ka": "Noto Sans Georgian", "hy": "Noto Sans Armenian", "he": "Noto Sans Hebrew"}[lang]
    assert family_of(script_font) in {family_of(font["name"]) for font in fonts(edition.path)}
    if lang == "he":  # direction from CLDR, not a list in the code
        left, right, width = heading_box(edition.path, NEW_LANGUAGES[lang])
        assert right > width * 0.55


def test_a_missing_glyph_refuses_the_edition_and_check_names_it(project, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(project.root)
    path = project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po"
    text_before = path.read_text(encoding="utf-8")
    tip = translated("es", "Drink plenty of water during the day so your body does not dry out.")
    path.write_text(text_before.replace(tip, tip + " க"), encoding="utf-8")
    result = build(project, BuildRequest(out=tmp_path, languages=("es",), formats=("A5",)), tools=BuildTools.create(project))
    assert not result.editions[0].ok
    assert "no glyph in Noto Sans for U+0B95 க" in str(result.editions[0].problems[0])
    assert main(["check", "--lang", "es"]) == 1
    assert re.search(r"leg-cramps\.po:\d+: no glyph in Noto Sans for U\+0B95", capsys.readouterr().out)


def test_a_font_that_is_not_installed_is_a_clear_error(project, tmp_path):
    fonts_toml = project.templates_dir / "fonts.toml"
    fonts_toml.write_text(fonts_toml.read_text().replace('Cyrl = "Noto Sans"', 'Cyrl = "Noto Sans Imaginary"'))
    result = build(project, BuildRequest(out=tmp_path, languages=("uk", "es"), formats=("A5",)), tools=BuildTools.create(project))
    uk, es = result.editions
    assert not uk.ok and "font 'Noto Sans Imaginary' is not installed" in str(uk.problems[0])
    assert es.ok


@pytest.mark.parametrize(
    "written, tag, folder",
    [
        ("pt-PT", "pt-PT", "pt_PT"),
        ("pt_PT", "pt-PT", "pt_PT"),  # the POSIX form Poedit writes in the Language header
        ("PT-pt", "pt-PT", "pt_PT"),
        ("pt_PT.UTF-8", "pt-PT", "pt_PT"),
        ("pt", "pt", "pt"),  # CLDR's "pt" is Brazilian Portuguese
        ("sr@latin", "sr-Latn", "sr_Latn"),
        ("sr_RS@latin", "sr-Latn-RS", "sr_Latn_RS"),
        ("zh-hans", "zh-Hans", "zh_Hans"),
        ("tir", "ti", "ti"),  # a deprecated code replaced, no likely region added
        ("ti", "ti", "ti"),
        ("iw", "he", "he"),
        ("es-419", "es-419", "es_419"),
    ],
)
def test_language_tags_mean_what_cldr_says_and_nothing_is_added(written, tag, folder):
    language = parse_language(written)
    assert (language.tag, language.catalog_dir) == (tag, folder)


def test_bare_portuguese_is_brazilian_and_the_shipped_catalogs_are_european():
    assert parse_language("pt").english_name == "Portuguese"
    assert "Portugal" in parse_language("pt-PT").english_name
    assert {"pt", "pt-PT"} <= set(shipped_languages())
    assert parse_language("pt").catalog_dir == "pt" and parse_language("pt-PT").catalog_dir == "pt_PT"


@pytest.mark.parametrize("written", ["und", "root", "mul", "en-GB", "en_US", "eng-US", "xx-!!", "qqq", "sr@klingon", "ca-valencia", ""])
def test_tags_that_name_no_language_or_english_again_are_refused(written):
    from leafletpress.inputs.languages import LanguageError

    with pytest.raises(LanguageError):
        parse_language(written)


@pytest.mark.parametrize("written, folder", [("tir", "ti"), ("PT-pt", "pt_PT"), ("sr@latin", "sr_Latn")])
def test_init_creates_exactly_the_tag_asked_for(project, monkeypatch, capsys, written, folder):
    monkeypatch.chdir(project.root)
    assert main(["init", written]) == 0
    created = sorted(path.parent.parent.name for path in project.locales_dir.glob("*/LC_MESSAGES/leg-cramps.po"))
    assert folder in created and not any(name.startswith(folder + "_") for name in created)


@pytest.mark.parametrize("written", ["und", "root", "en-GB", "eng"])
def test_init_refuses_no_language_and_english_under_another_spelling(project, monkeypatch, capsys, written):
    monkeypatch.chdir(project.root)
    before = sorted(project.locales_dir.rglob("*"))
    assert main(["init", written]) == 2
    assert sorted(project.locales_dir.rglob("*")) == before
    assert "error:" in capsys.readouterr().err


def test_the_readme_table_of_languages_is_the_commands_output(capsys):
    """README.md's table is a copy of `status --languages`: it cannot drift from the project."""
    assert main(["status", "--languages"]) == 0
    table = capsys.readouterr().out.strip()
    assert table.count("\n") == len(LANGUAGES) + 2  # header, rule, English and every language
    assert table in (ROOT / "README.md").read_text(encoding="utf-8")
