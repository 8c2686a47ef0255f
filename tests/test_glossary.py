"""Glossaries (locales/<lang>/glossary.tbx): the terminology fixes of issue #20 are in the shipped
catalogs, every catalog keeps to its glossary, and the glossary is checked like everything else —
an error in the warning box, a warning elsewhere, a broken glossary named with file and line — and
handed on in the review packet and beside the XLIFF export."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from leafletpress.cli import main
from leafletpress.i18n.catalogs import load_language_catalogs
from leafletpress.i18n.glossary import GLOSSARY_NAME, GlossaryError, glossary_path, load_glossary, parse_glossary
from leafletpress.i18n.preflight import language_problems
from leafletpress.inputs.languages import parse_language
from leafletpress.inputs.leaflet import load_leaflet
from leafletpress.inputs.project import load_project
from tests.support import ROOT, shipped_languages, translated

BOX = (
    "Contact your doctor or midwife straight away if your leg keeps aching, rather than a cramp that comes and goes. "
    "Your leg may also be swollen."
)
SUPPLEMENT = "Always ask your doctor before you take any supplement or vitamin product."
WHEN = "When do they happen?"
WHAT_TO_DO = "What should I do when a cramp starts?"
ISSUE_TERMS = ["leg cramp", "midwife", "doctor", "blood clot", "swelling", "womb", "bump", "supplement", "vitamin", "hot-water bottle"]


def catalog(lang: str, domain: str = "leg-cramps"):
    with open(ROOT / "locales" / parse_language(lang).catalog_dir / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        return read_po(handle)


def set_translation(project, lang: str, msgid: str, text: str, domain: str = "leg-cramps") -> None:
    path = project.locales_dir / parse_language(lang).catalog_dir / "LC_MESSAGES" / f"{domain}.po"
    with open(path, "rb") as handle:
        loaded = read_po(handle)
    loaded.get(msgid).string = text
    with open(path, "wb") as handle:
        write_po(handle, loaded, width=100)


def run(args, capsys) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text>
    <body>
{entries}
    </body>
  </text>
</martif>
"""


def glossary_of(lang: str, entries: str):
    language = parse_language(lang)
    return parse_glossary(Path(f"locales/{lang}/glossary.tbx"), TBX.format(entries=entries).encode("utf-8"), language, f"locales/{lang}/glossary.tbx")


def entry(english: str, lang: str, *terms: str, concept: str = "c") -> str:
    tigs = "".join(terms)
    return (
        f'<termEntry id="{concept}"><langSet xml:lang="en"><tig><term>{english}</term></tig></langSet>'
        f'<langSet xml:lang="{lang}">{tigs}</langSet></termEntry>'
    )


def tig(text: str, status: str = "preferredTerm-admn-sts", *notes: str) -> str:
    return (
        f'<tig><term>{text}</term><termNote type="administrativeStatus">{status}</termNote>'
        + "".join(f"<note>{note}</note>" for note in notes) + "</tig>"
    )


FORBIDDEN = "deprecatedTerm-admn-sts"


# The fixes of the issue, in the shipped catalogs ---------------------------------------------------

def test_polish_headings_name_the_leg():
    assert translated("pl", WHEN) == "Kiedy pojawiają się skurcze nóg?"
    assert translated("pl", WHAT_TO_DO) == "Co robić, kiedy zaczyna się skurcz nogi?"
    leaflet = load_leaflet(ROOT / "leaflets" / "leg-cramps.toml")
    for heading in leaflet.headings():
        text = translated("pl", heading)
        for match in re.finditer(r"\bskurcz\w*", text, re.IGNORECASE):
            assert re.match(r"\s+(nóg|nogi|łydek|łydki)\b", text[match.end():]), (heading, text)


def test_arabic_says_a_muscle_cramp_of_the_leg_wherever_it_was_not_clear():
    assert "تشنجا عضليا يأتي ويذهب" in translated("ar", BOX)
    assert translated("ar", WHEN) == "متى تحدث تشنّجات الساق؟"
    assert translated("ar", WHAT_TO_DO) == "ماذا أفعل عندما يبدأ تشنّج الساق؟"
    assert "تشنّج العضلة" in translated("ar", "This may hurt a little at first. But it eases the cramp, and the pain slowly goes away.")


def test_urdu_never_says_dai():
    for domain in ("leg-cramps", "leafletpress"):
        for message in catalog("ur", domain):
            if message.id:
                assert "دائی" not in message.string and "دایہ" not in message.string, message.id
    assert "مڈوائف" in translated("ur", BOX)


def test_spanish_midwife_is_read_as_trained_in_spain_and_the_americas():
    box = translated("es", BOX)
    assert "su matrona (partera profesional)" in box
    assert not re.search(r"\bpartera\b(?!\s+profesional)", box)


def test_punjabi_spells_cramp_as_punjabi_media_do():
    for message in catalog("pa"):
        if message.id:
            assert "ਕੜੱਲ" not in message.string, message.id
    assert "ਕੜਵੱਲ" in translated("pa", BOX)


@pytest.mark.parametrize("lang, msgid, words", [
    ("pl", WHEN, "labour contractions"), ("pl", WHAT_TO_DO, "labour contractions"),
    ("ar", BOX, "convulsions"), ("ar", WHEN, "convulsions"),
    ("ur", BOX, "traditional birth attendant"), ("es", BOX, "traditional birth attendant"),
    ("pa", BOX, "misspelling"), ("pa", "Leg cramps in pregnancy", "misspelling"),
])
def test_each_fix_carries_a_translator_note(lang, msgid, words):
    message = catalog(lang).get(msgid)
    assert words in " ".join(message.user_comments), message.user_comments


def test_the_fixes_remain_unreviewed_drafts():
    assert not any((ROOT / "reviews" / "leg-cramps" / f"{lang}.toml").exists() for lang in ("pl", "ar", "ur", "es", "pa"))


# The glossaries shipped -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", shipped_languages())
def test_every_language_has_a_glossary_of_the_key_terms(lang):
    glossary = load_glossary(ROOT / "locales", parse_language(lang))
    assert glossary is not None
    english = {form.text for concept in glossary.concepts for form in concept.english}
    assert set(ISSUE_TERMS) <= english
    assert all(concept.accepted for concept in glossary.concepts), "every concept has an agreed term"


@pytest.mark.parametrize("lang, forbidden", [("pl", "skurcze"), ("ur", "دائی"), ("es", "partera"), ("ar", "تشنج"), ("pa", "ਕੜੱਲ")])
def test_the_misreadable_terms_are_forbidden(lang, forbidden):
    glossary = load_glossary(ROOT / "locales", parse_language(lang))
    assert forbidden in {term.text for concept in glossary.concepts for term in concept.forbidden}


def test_a_glossary_is_tbx_that_translate_toolkit_reads_with_its_statuses():
    from translate.storage import tbx

    store = tbx.tbxfile.parsefile(str(ROOT / "locales" / "ur" / GLOSSARY_NAME))
    midwife = next(unit for unit in store.units if unit.getid() == "midwife")
    terms = {term.text: term for term in midwife.get_target_terms("ur")}
    assert terms["دائی"].deprecated and not terms["مڈوائف"].deprecated
    assert store.document.getroot().get("type") == "TBX-Basic"


def test_a_glossary_saved_by_translate_toolkit_reads_the_same():
    """As Weblate (through translate-toolkit) writes it: re-indented, or new with a DOCTYPE naming
    the TBX DTD (harmless: never fetched)."""
    from translate.storage import tbx

    pl = parse_language("pl")

    def terms(glossary):
        return [(c.id, [f.text for f in c.english], [(t.text, t.forbidden, t.forms, t.unless_followed_by, t.headings_only) for t in (*c.accepted, *c.forbidden)]) for c in glossary.concepts]

    saved = bytes(tbx.tbxfile.parsestring((ROOT / "locales" / "pl" / GLOSSARY_NAME).read_bytes()))
    assert terms(parse_glossary(Path("g.tbx"), saved, pl)) == terms(load_glossary(ROOT / "locales", pl))
    new = tbx.tbxfile(sourcelanguage="en", targetlanguage="pl")
    new.addsourceunit("doctor").target = "lekarz*"
    assert b"<!DOCTYPE martif" in bytes(new)
    glossary = parse_glossary(Path("g.tbx"), bytes(new), pl)
    assert glossary.findings("Ask your doctor.", "Zapytaj lekarza.") == [] and glossary.findings("Ask your doctor.", "Zapytaj.")


@pytest.mark.parametrize("lang", shipped_languages())
def test_no_false_alarm_on_any_shipped_catalog(lang):
    project = load_project(ROOT)
    leaflets = [load_leaflet(path) for path in project.leaflet_paths()]
    assert language_problems(project.locales_dir, leaflets, parse_language(lang), None) == []


# Matching -------------------------------------------------------------------------------------------

POLISH = entry(
    "leg cramp", "pl",
    tig("skurcze nóg", "preferredTerm-admn-sts", "match: skurcz*"),
    tig("skurcze", FORBIDDEN, "only in headings", "match: skurcz*", "unless followed by: nóg; nogi", "Reads as labour contractions."),
) + entry("cramp", "pl", tig("skurcz*"), concept="d")


def test_a_stem_matches_every_ending_and_case():
    glossary = glossary_of("pl", POLISH)
    assert glossary.findings("Leg cramps in pregnancy", "SKURCZÓW nóg w ciąży") == []
    assert glossary.findings("How to prevent leg cramps", "Jak zapobiegać skurczom nóg") == []


def test_a_required_term_missing_is_found():
    found = glossary_of("pl", POLISH).findings("Why do leg cramps happen?", "Dlaczego bolą nogi?")
    assert found == ['has none of the glossary\'s terms for "leg cramp" (locales/pl/glossary.tbx:6); write «skurcze nóg»',
                     'has none of the glossary\'s terms for "cramp" (locales/pl/glossary.tbx:6); write «skurcz*»']


def test_a_forbidden_term_only_in_headings_and_unless_followed_by():
    glossary = glossary_of("pl", POLISH)
    assert glossary.findings("When do they happen?", "Kiedy pojawiają się skurcze?", heading=False) == []
    found = glossary.findings("When do they happen?", "Kiedy pojawiają się skurcze?", heading=True)
    assert len(found) == 1 and found[0].startswith("uses «skurcze» in a heading, which the glossary forbids for \"leg cramp\"")
    assert "Reads as labour contractions" in found[0]
    assert glossary.findings("When do they happen?", "Kiedy pojawiają się skurcze nóg?", heading=True) == []
    assert glossary.findings("When do they happen?", "Kiedy bolą nogi, a skurcz? Nogi.", heading=True), "a new sentence is not 'followed by'"


def test_english_terms_are_whole_words_with_simple_plurals():
    glossary = glossary_of("pl", entry("blood clot", "pl", tig("zakrzep*")))
    assert glossary.findings("Blood clots are rare.", "Rzadko.")
    assert glossary.findings("A blood clot.", "Rzadko.")
    assert glossary.findings("Bloody clothes.", "Rzadko.") == []


def test_arabic_prefixes_and_marks():
    glossary = glossary_of("ar", entry(
        "cramp", "ar", tig("تشنج الساق", "preferredTerm-admn-sts", "match: *تشنج*"),
        tig("تشنج", FORBIDDEN, "match: *تشنج*", "unless followed by: *ساق*; *عضل*", "Can mean convulsions."),
    ))
    assert glossary.findings("cramp", "لماذا تحدث تشنّجات الساق؟") == []
    assert glossary.findings("cramp", "تُصاب كثير من النساء بتشنّج مفاجئ في الساق") == []  # within three words
    assert glossary.findings("cramp", "يخفّف التشنّج") and glossary.findings("cramp", "يخفف التشنج")
    assert "«التشنج»" in glossary.findings("cramp", "يخفّف التشنّج")[0]


def test_urdu_whole_words_only():
    glossary = glossary_of("ur", entry("midwife", "ur", tig("مڈوائف"), tig("دائی", FORBIDDEN, "An untrained attendant.")))
    assert glossary.findings("See a midwife", "ابتدائی مدد کے لیے مڈوائف سے ملیں، دائیں طرف") == []  # ابتدائی, دائیں
    assert glossary.findings("See a midwife", "مڈوائف (دائی)")
    assert glossary.findings("See a midwife", "مڈوائف (داﺋﻰ)"), "presentation forms and Arabic yeh are the same letters"


def test_chinese_has_no_spaces_so_terms_are_found_anywhere():
    glossary = glossary_of("zh-Hans", entry("leg cramp", "zh-Hans", tig("腿抽筋", "preferredTerm-admn-sts", "match: 抽筋")))
    assert glossary.findings("Leg cramps", "怀孕期间腿抽筋") == []
    assert glossary.findings("Leg cramps", "怀孕期间腿疼")


# Broken glossaries ----------------------------------------------------------------------------------

@pytest.mark.parametrize("entries, says", [
    (entry("cramp", "pl", tig("skur*cz")), r"glossary\.tbx:6: .*a \* may stand only at the start or the end of a word"),
    (entry("cramp", "pl", tig("skurcz", "wrongStatus")), r"glossary\.tbx:6: .*administrative status 'wrongStatus' is not one of"),
    (entry("cramp", "de", tig("Krampf")), r"glossary\.tbx:6: concept 'c' has terms in 'de'"),
    ('<termEntry id="c"><langSet xml:lang="pl"><tig><term>x</term></tig></langSet></termEntry>', r"glossary\.tbx:6: concept 'c' has no English term"),
    (entry("cramp", "pl", tig("skurcz", "preferredTerm-admn-sts", "only in headings")), r"apply to forbidden terms only"),
    (entry("cramp", "pl", tig("skurcz")) + "\n" + entry("cramp", "pl", tig("skurcz")), r"glossary\.tbx:7: concept 'c' is defined twice \(also on line 6\)"),
    ("<termEntry><unclosed>", r"glossary\.tbx:\d+: not well-formed XML"),
], ids=["a star inside a word", "an unknown status", "another language", "no English", "a rule on an agreed term", "a concept twice", "not XML"])
def test_a_broken_glossary_is_named_with_file_and_line(entries, says):
    with pytest.raises(GlossaryError) as error:
        glossary_of("pl", entries)
    assert re.search(says, str(error.value)), str(error.value)


def test_entities_are_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY x "skurcz">]><martif><text><body></body></text></martif>'
    with pytest.raises(GlossaryError, match="DOCTYPE with declarations"):
        parse_glossary(Path("g.tbx"), data, parse_language("pl"))


def test_a_glossary_fifo_or_link_out_of_the_project_is_refused_for_its_language_only(project, tmp_path):
    path = glossary_path(project.locales_dir, parse_language("pl"))
    path.unlink()
    os.mkfifo(path)
    catalogs = load_language_catalogs(project.locales_dir, "leg-cramps", parse_language("pl"), "leafletpress")
    assert catalogs.problems == () and "is a FIFO" in str(catalogs.glossary_problems[0])
    path.unlink()
    secret = tmp_path / "secret.tbx"
    secret.write_text("TOP-SECRET")
    path.symlink_to(secret)
    with pytest.raises(GlossaryError, match="outside the project"):
        load_glossary(project.locales_dir, parse_language("pl"))
    leaflets = [load_leaflet(project.leaflets_dir / "leg-cramps.toml")]
    assert language_problems(project.locales_dir, leaflets, parse_language("es"), None) == []


# Checked like everything else -------------------------------------------------------------------------

def test_check_reports_a_broken_glossary_for_that_language_only(project, monkeypatch, capsys):
    monkeypatch.chdir(project.root)
    path = glossary_path(project.locales_dir, parse_language("es"))
    path.write_text(path.read_text(encoding="utf-8").replace("</termEntry>", "</termEntri>", 1), encoding="utf-8")
    code, text = run(["check"], capsys)
    assert code == 1
    assert re.search(r"^locales/es/glossary\.tbx:\d+: not well-formed XML", text, re.MULTILINE), text
    assert "1 error(s), 0 warning(s)" in text


def test_a_required_term_missing_outside_the_box_is_a_check_warning(project, monkeypatch, capsys):
    monkeypatch.chdir(project.root)
    set_translation(project, "es", SUPPLEMENT, "Pregunte siempre a su médico antes de tomar cualquier pastilla o producto con vitaminas.")
    code, text = run(["check", "--lang", "es"], capsys)
    assert code == 0, text
    assert re.search(
        r'^locales/es/LC_MESSAGES/leg-cramps\.po:\d+: "Always ask your doctor .*" has none of the glossary\'s terms for '
        r'"supplement" \(locales/es/glossary\.tbx:\d+\); write «suplemento» \(warning\)$', text, re.MULTILINE,
    ), text
    assert "0 error(s), 1 warning(s)" in text


def test_a_required_term_missing_in_the_box_is_an_error(project, monkeypatch, capsys):
    monkeypatch.chdir(project.root)
    set_translation(project, "fr", BOX, translated("fr", BOX).replace("votre sage-femme", "votre infirmière"))
    code, text = run(["check", "--lang", "fr"], capsys)
    assert code == 1
    assert re.search(r'leg-cramps\.po:\d+: warning box: .* has none of the glossary\'s terms for "midwife"', text), text


def test_a_forbidden_term_in_a_warning_string_refuses_the_edition(project, monkeypatch, capsys, tmp_path):
    """The Urdu box as it was before «(دائی)» was taken out: refused, draft or not."""
    monkeypatch.chdir(project.root)
    set_translation(project, "ur", BOX, translated("ur", BOX).replace("مڈوائف", "مڈوائف (دائی)"))
    out = tmp_path / "out"
    code, text = run(["--lang", "ur", "--format", "A5", "--jobs", "1", "--draft", "--out", str(out)], capsys)
    assert code == 1, text
    assert re.search(r"warning box: .* uses «دائی», which the glossary forbids for \"midwife\" \(locales/ur/glossary\.tbx:\d+: In Pakistan", text), text
    assert not (out / "leg-cramps_ur_A5.pdf").exists()
    code, text = run(["check", "--lang", "ur"], capsys)
    assert code == 1 and re.search(r"^locales/ur/LC_MESSAGES/leg-cramps\.po:\d+: warning box: .*«دائی»", text, re.MULTILINE), text


def test_a_forbidden_term_outside_the_box_is_a_warning_and_the_edition_is_built(project, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(project.root)
    set_translation(project, "pl", WHEN, "Kiedy pojawiają się skurcze?")
    out = tmp_path / "out"
    code, text = run(["--lang", "pl", "--format", "A5", "--jobs", "1", "--out", str(out)], capsys)
    assert code == 0, text
    assert (out / "leg-cramps_pl_A5.pdf").exists()
    code, text = run(["check", "--lang", "pl"], capsys)
    assert code == 0 and "uses «skurcze» in a heading" in text and "(warning)" in text, text


def test_the_glossary_is_an_input_of_the_editions_fingerprint(project):
    from leafletpress.pipeline.currency import sources_of
    from leafletpress.pipeline.record import Hasher

    pl = parse_language("pl")
    before = sources_of(project, "leg-cramps", pl, [], False, Hasher())
    path = glossary_path(project.locales_dir, pl)
    path.write_text(path.read_text(encoding="utf-8").replace("łydka", "łydka ", 1), encoding="utf-8")
    after = sources_of(project, "leg-cramps", pl, [], False, Hasher())
    assert before.glossary != after.glossary and before.catalogs == after.catalogs
    assert sources_of(project, "leg-cramps", parse_language("fr"), [], False, Hasher()).glossary


def test_watch_rebuilds_on_a_glossary_save(project):
    from leafletpress.preview.watch import is_input

    assert is_input(glossary_path(project.locales_dir, parse_language("pl")), project)
    assert not is_input(project.locales_dir / "pl" / "glossary.tbx~", project)


# Handed on --------------------------------------------------------------------------------------------

def test_the_xliff_export_carries_the_glossary(project, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(project.root)
    code, text = run(["export", "ur", "--xliff", str(tmp_path / "agency")], capsys)
    assert code == 0, text
    assert re.search(r"wrote .*glossary_ur\.tbx \(11 concepts\)", text), text
    exported = (tmp_path / "agency" / "glossary_ur.tbx").read_bytes()
    assert exported == glossary_path(project.locales_dir, parse_language("ur")).read_bytes()


def test_an_xliff_import_with_a_forbidden_term_in_the_box_is_refused(project, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(project.root)
    agency = tmp_path / "agency"
    assert run(["export", "es", "--xliff", str(agency)], capsys)[0] == 0
    path = agency / "leg-cramps_es.xlf"
    path.write_text(path.read_text(encoding="utf-8").replace("su matrona (partera profesional)", "su partera"), encoding="utf-8")
    code, text = run(["import", str(path)], capsys)
    assert code == 1
    assert re.search(r"warning box: .*uses «partera», which the glossary forbids", text), text


def test_the_review_packet_lists_the_glossary(project, monkeypatch):
    from leafletpress.inputs.fonts import FontLibrary, load_preferences
    from leafletpress.pipeline import review_packet
    from leafletpress.render.html import template_environment

    monkeypatch.setattr(review_packet, "edition_pages", lambda *args: ([], "not made in this test"))
    language = parse_language("ur")
    leaflet = load_leaflet(project.leaflets_dir / "leg-cramps.toml")
    catalogs = load_language_catalogs(project.locales_dir, leaflet.id, language, "leafletpress")
    fonts = FontLibrary(load_preferences(project.templates_dir / "fonts.toml"))
    context = review_packet.packet_context(project, leaflet, language, catalogs, fonts)
    html = template_environment(project.templates_dir).get_template(review_packet.PACKET_TEMPLATE).render(packet=context)
    assert "Agreed terms (glossary)" in html and "locales/ur/glossary.tbx" in html
    midwife = next(row for row in context["glossary"] if str(row["english"]).startswith("midwife"))
    assert [str(term) for term in midwife["accepted"]] == ["مڈوائف"]
    assert [str(term["text"]) for term in midwife["forbidden"]] == ["دائی"]
    assert "traditional birth attendant" in str(midwife["forbidden"][0]["why"])
