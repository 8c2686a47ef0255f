"""The XLIFF 1.2 round trip for translation agencies: `export LANG --xliff DIR`, `import FILE...`."""

import os

import pytest
from babel.messages.pofile import read_po
from lxml import etree

from leafletpress.cli import main
from tests.support import edit, shipped_languages

XLIFF = "urn:oasis:names:tc:xliff:document:1.2"
NS = {"x": XLIFF}
WARNING_HEADING = "Get help straight away"
TIP = "Drink plenty of water during the day so your body does not dry out."
SWOLLEN = "Your leg may also be swollen."
NERVES = "your growing womb pressing on the nerves that run from your body to your legs"
SWOLLEN_PARAGRAPH = (
    "Contact your doctor or midwife straight away if your leg keeps aching, rather than a cramp that comes "
    "and goes. Your leg may also be swollen or red."
)


def catalogs(project) -> dict:
    """Every catalog's bytes: what an import may (not) have changed."""
    return {path: path.read_bytes() for path in sorted(project.locales_dir.glob("*/LC_MESSAGES/*.po"))}


def export(tmp_path, lang, capsys=None) -> dict:
    out = tmp_path / "agency"
    assert main(["export", lang, "--xliff", str(out)]) == 0
    if capsys:
        capsys.readouterr()
    return {path.name: path for path in out.glob(f"*_{lang}.xlf")}


def document(path):
    return etree.parse(str(path))


def units(path) -> dict:
    return {unit.findtext("x:source", namespaces=NS): unit for unit in document(path).iterfind(".//x:trans-unit", NS)}


def notes(unit) -> list[str]:
    return [note.text for note in unit.iterfind("x:note", NS)]


def returned(path, source, text, state="translated", approved=None, out=None):
    """The agency's file: `source`'s target replaced (edited with lxml, as a CAT tool would)."""
    tree = document(path)
    unit = next(unit for unit in tree.iterfind(".//x:trans-unit", NS) if unit.findtext("x:source", namespaces=NS) == source)
    target = unit.find("x:target", NS)
    target.text = text
    for element, name, value in ((target, "state", state), (unit, "approved", approved)):
        if value is None:
            element.attrib.pop(name, None)
        else:
            element.set(name, value)
    out = out or path.with_name(f"returned-{path.name}")
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out


def message(project, msgid, lang="es", domain="leg-cramps"):
    path = project.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"
    with open(path, "rb") as handle:
        return read_po(handle).get(msgid)


def make_fuzzy(project, capsys):
    """Change the English of a warning-box paragraph (every translation of it becomes fuzzy, with
    the old English as `#|`) and remove a list item (its translation becomes obsolete, `#~`)."""
    edit(project.leaflets_dir / "leg-cramps.toml", SWOLLEN, "Your leg may also be swollen or red.")
    edit(project.leaflets_dir / "leg-cramps.toml", f'  "{NERVES}",\n', "")
    assert main(["update"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("lang", sorted({"es", "ar", "zh-Hans", *shipped_languages()}))
def test_export_then_import_leaves_every_catalog_byte_identical(in_project, capsys, tmp_path, lang):
    before = catalogs(in_project)
    files = export(tmp_path, lang, capsys)
    assert set(files) == {f"leg-cramps_{lang}.xlf", f"leafletpress_{lang}.xlf"}
    assert main(["import", *map(str, files.values())]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 2 and all(line.startswith("unchanged locales/") for line in printed)
    assert catalogs(in_project) == before


def test_export_describes_each_string_for_the_agency(in_project, capsys, tmp_path):
    make_fuzzy(in_project, capsys)
    files = export(tmp_path, "es")
    root = document(files["leg-cramps_es.xlf"]).getroot()
    assert root.get("version") == "1.2" and root.tag == f"{{{XLIFF}}}xliff"
    file = root.find("x:file", NS)
    assert file.get("original") == "locales/es/LC_MESSAGES/leg-cramps.po"
    assert (file.get("source-language"), file.get("target-language"), file.get("product-version")) == ("en", "es", "1.0")
    assert len(file.get("build-num")) == 12
    found = units(files["leg-cramps_es.xlf"])
    assert "" not in found and None not in found  # the header is not a unit
    assert "#~ " in (in_project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po").read_text(encoding="utf-8")
    assert NERVES not in found  # nor is an obsolete entry

    heading = found[WARNING_HEADING]
    assert heading.get("restype") == "x-warning-box"
    assert heading.find("x:target", NS).get("state") == "translated"
    assert any(note.startswith("WARNING BOX:") for note in notes(heading))
    assert any("This is the most important part of the leaflet" in note for note in notes(heading))
    reference = heading.find("x:context-group[@purpose='location']", NS)
    assert reference.findtext("x:context[@context-type='sourcefile']", namespaces=NS) == "leaflets/leg-cramps.toml"

    changed = found[SWOLLEN_PARAGRAPH]
    assert changed.find("x:target", NS).get("state") == "needs-review-translation"
    assert any(note.endswith("rather than a cramp that comes and goes. Your leg may also be swollen.") for note in notes(changed))
    assert found[TIP].get("restype") is None


def test_an_untranslated_catalog_is_exported_as_new(in_project, capsys, tmp_path):
    assert main(["init", "de"]) == 0
    files = export(tmp_path, "de", capsys)
    targets = [unit.find("x:target", NS) for unit in units(files["leg-cramps_de.xlf"]).values()]
    assert targets and all(target.get("state") == "new" and not target.text for target in targets)


def test_an_agency_translation_is_imported_and_confirms_a_fuzzy_string(in_project, capsys, tmp_path):
    make_fuzzy(in_project, capsys)
    path = in_project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po"
    before = path.read_text(encoding="utf-8")
    files = export(tmp_path, "es", capsys)
    new = message(in_project, SWOLLEN_PARAGRAPH).string.replace("hinchada.", "hinchada o roja.")
    assert new != message(in_project, SWOLLEN_PARAGRAPH).string

    assert main(["import", str(returned(files["leg-cramps_es.xlf"], SWOLLEN_PARAGRAPH, new))]) == 0
    assert "into locales/es/LC_MESSAGES/leg-cramps.po: 1 string(s) changed (1 now translated)" in capsys.readouterr().out
    after = message(in_project, SWOLLEN_PARAGRAPH)
    assert after.string == new and not after.fuzzy
    text = path.read_text(encoding="utf-8")
    assert "#| " in text and "#~ msgid" in text  # the previous English and the obsolete entry stay
    # Only that entry changed: the fuzzy line went and its translation's lines changed.
    removed = set(before.splitlines()) - set(text.splitlines())
    assert "#, fuzzy" in removed and all("hinchada" in line or "fuzzy" in line or "pierna" in line for line in removed)


@pytest.mark.parametrize(
    "state, approved, fuzzy",
    [("translated", None, False), ("final", "no", False), ("signed-off", None, False),
     ("needs-review-translation", "yes", True), ("needs-translation", None, True), ("new", None, True),
     ("x-agency-draft", None, True), (None, None, True), (None, "yes", False)],
)
def test_states_map_back_to_fuzzy_or_not(in_project, capsys, tmp_path, state, approved, fuzzy):
    files = export(tmp_path, "es", capsys)
    new = message(in_project, TIP).string + " Cada día."
    assert main(["import", str(returned(files["leg-cramps_es.xlf"], TIP, new, state, approved))]) == 0
    after = message(in_project, TIP)
    assert after.string == new and after.fuzzy is fuzzy


@pytest.mark.parametrize("state", ["needs-translation", "translated", None])
def test_an_empty_target_leaves_the_translation_as_it_is(in_project, capsys, tmp_path, state):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    old = message(in_project, TIP).string
    assert old
    assert main(["import", str(returned(files["leg-cramps_es.xlf"], TIP, "", state))]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("unchanged locales/es/LC_MESSAGES/leg-cramps.po")
    assert "1 unit(s) without a translation were left as they are" in printed
    assert message(in_project, TIP).string == old and catalogs(in_project) == before


def without_targets(path, out, keep=()):
    """The file as a CAT tool returns a partial or source-only one: no <target> but in `keep`."""
    tree = document(path)
    for unit in tree.iterfind(".//x:trans-unit", NS):
        if unit.findtext("x:source", namespaces=NS) not in keep:
            unit.remove(unit.find("x:target", NS))
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out


def test_a_source_only_file_erases_no_translation(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    count = len(units(files["leg-cramps_es.xlf"]))
    agency = without_targets(files["leg-cramps_es.xlf"], tmp_path / "source-only.xlf")
    assert main(["import", str(agency)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 1 and printed[0].startswith("unchanged locales/es/LC_MESSAGES/leg-cramps.po")
    assert f"{count} unit(s) without a translation were left as they are" in printed[0]
    assert catalogs(in_project) == before


def test_a_partial_file_changes_only_what_it_translates(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    count = len(units(files["leg-cramps_es.xlf"]))
    new = message(in_project, TIP).string + " Cada día."
    agency = returned(files["leg-cramps_es.xlf"], TIP, new, out=tmp_path / "partial.xlf")
    without_targets(agency, agency, keep={TIP})
    heading = message(in_project, WARNING_HEADING).string
    assert main(["import", str(agency)]) == 0
    printed = capsys.readouterr().out
    assert (
        f": 1 string(s) changed (1 now translated); {count - 1} unit(s) without a translation were left as they are"
        in printed
    )
    assert message(in_project, TIP).string == new and message(in_project, WARNING_HEADING).string == heading


@pytest.mark.parametrize(
    "text",
    ["\u200b\u200b", "\u00a0", " \n\t ", "\n", "\u2060\u200e", "\u3000"],
    ids=["zero-width-spaces", "no-break-space", "white-space", "newline", "word-joiner-and-mark", "ideographic-space"],
)
def test_a_target_a_reader_cannot_see_refuses_the_whole_file(in_project, capsys, tmp_path, text):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    # A good translation in the same file is not imported either: the file is refused whole.
    agency = returned(files["leg-cramps_es.xlf"], TIP, message(in_project, TIP).string + " Cada día.", out=tmp_path / "a.xlf")
    agency = returned(agency, WARNING_HEADING, text, out=agency)
    assert main(["import", str(agency)]) == 1
    printed = refused(capsys, agency, "holds only characters a reader cannot see")
    first = printed.splitlines()[0]
    assert "unit '" in first and repr(WARNING_HEADING) in first and "nothing was imported from this file" in first
    assert len(printed.splitlines()) == 1
    assert catalogs(in_project) == before


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\t", "\n"], ids=["line-separator", "paragraph-separator", "tab", "newline"])
def test_a_line_break_the_english_does_not_have_is_refused(in_project, capsys, tmp_path, separator):
    files = export(tmp_path, "es", capsys)
    text = message(in_project, WARNING_HEADING).string.replace(" ", separator, 1)
    assert main(["import", str(returned(files["leg-cramps_es.xlf"], WARNING_HEADING, text))]) == 1
    assert "breaks lines where the English does not" in capsys.readouterr().out


def test_import_loses_nothing_and_keeps_crlf_and_bom(in_project, capsys, tmp_path):
    path = in_project.locales_dir / "fr" / "LC_MESSAGES" / "leafletpress.po"
    text = path.read_text(encoding="utf-8")
    assert "# same-as-english" in text and "python-brace-format" in text
    # An obsolete entry at the end, CRLF line endings and a byte-order mark, as Windows editors save.
    text += '\n#~ msgid "An old English sentence"\n#~ msgstr "Une ancienne phrase"\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    original = path.read_bytes()
    files = export(tmp_path, "fr", capsys)
    assert main(["import", str(files["leafletpress_fr.xlf"])]) == 0
    assert path.read_bytes() == original

    old = message(in_project, "Sources", "fr", "leafletpress").string
    assert main(["import", str(returned(files["leafletpress_fr.xlf"], "Sources", "Références"))]) == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n")
    before_lines, after_lines = original.decode("utf-8").splitlines(), data.decode("utf-8").splitlines()
    assert len(before_lines) == len(after_lines)
    assert [(a, b) for a, b in zip(before_lines, after_lines) if a != b] == [(f'msgstr "{old}"', 'msgstr "Références"')]


def test_a_translator_save_during_the_import_is_never_reverted(in_project, capsys, tmp_path, monkeypatch):
    from leafletpress.i18n import xliff

    files = export(tmp_path, "es", capsys)
    agency = returned(files["leg-cramps_es.xlf"], TIP, message(in_project, TIP).string + " Cada día.")
    path = in_project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po"
    plan = xliff.import_file

    def save_meanwhile(exchange, file):
        result = plan(exchange, file)
        path.write_bytes(path.read_bytes() + b"\n# saved by Poedit meanwhile\n")
        return result

    monkeypatch.setattr(xliff, "import_file", save_meanwhile)
    assert main(["import", str(agency)]) == 1
    saved = path.read_bytes()
    assert "changed while it was being rewritten; nothing was written" in capsys.readouterr().out
    assert saved.endswith(b"# saved by Poedit meanwhile\n") and b"Cada d" not in saved


def refused(capsys, path, says: str) -> str:
    printed = capsys.readouterr().out
    first = printed.splitlines()[0]
    assert first.startswith("refused ") and str(path) in first and says in first, printed
    return printed


def test_a_file_for_another_language_is_refused(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    tree = document(files["leg-cramps_es.xlf"])
    tree.getroot().find("x:file", NS).set("target-language", "fr")
    tree.write(str(tmp_path / "fr.xlf"))
    assert main(["import", str(tmp_path / "fr.xlf")]) == 1
    refused(capsys, tmp_path / "fr.xlf", "target-language is fr but the file was exported from the catalog locales/es/")
    assert catalogs(in_project) == before


def test_a_file_exported_from_other_english_is_refused(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    agency = returned(files["leg-cramps_es.xlf"], TIP, message(in_project, TIP).string + " Cada día.")
    make_fuzzy(in_project, capsys)
    before = catalogs(in_project)
    assert main(["import", str(agency)]) == 1
    refused(capsys, agency, "exported from other English")
    assert catalogs(in_project) == before


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda unit: unit.find("x:source", NS).__setattr__("text", "An English sentence nobody wrote."), "is not in the catalog"),
        (lambda unit: etree.SubElement(unit.find("x:target", NS), f"{{{XLIFF}}}g").__setattr__("text", "!"), "holds markup (<g>)"),
        (lambda unit: unit.find("x:target", NS).append(etree.Element("b")), "holds markup (<b>)"),
    ],
    ids=["unknown-source", "inline-element", "foreign-element"],
)
def test_a_unit_the_catalog_cannot_take_is_refused(in_project, capsys, tmp_path, change, says):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    tree = document(files["leg-cramps_es.xlf"])
    change(next(tree.iterfind(".//x:trans-unit", NS)))
    tree.write(str(tmp_path / "bad.xlf"))
    assert main(["import", str(tmp_path / "bad.xlf")]) == 1
    refused(capsys, tmp_path / "bad.xlf", says)
    assert catalogs(in_project) == before


@pytest.mark.parametrize(
    "text, says",
    [
        ("Busque ayuda <b>de inmediato</b>", "contains markup"),
        ("Busque ayuda de inmediato en https://example.org", "web address"),
        ("Busque ayuda de inmediato: 999", "adds numbers"),
    ],
)
def test_a_translation_that_fails_the_checks_is_refused_even_as_fuzzy(in_project, capsys, tmp_path, text, says):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    for state in ("translated", "needs-review-translation"):
        agency = returned(files["leg-cramps_es.xlf"], WARNING_HEADING, text, state)
        assert main(["import", str(agency)]) == 1
        printed = refused(capsys, agency, "fail the checks `make_leaflets.py check` applies; nothing was written")
        assert "locales/es/LC_MESSAGES/leg-cramps.po:" in printed and "warning box:" in printed and says in printed
    assert catalogs(in_project) == before


def test_a_character_no_font_has_is_refused(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    agency = returned(files["leg-cramps_es.xlf"], TIP, message(in_project, TIP).string + " \U00013000")
    assert main(["import", str(agency)]) == 1
    assert "no glyph in Noto Sans for U+13000" in refused(capsys, agency, "fail the checks")
    assert catalogs(in_project) == before


def test_a_catalog_linked_out_of_the_project_is_neither_read_nor_written(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    agency = returned(files["leg-cramps_es.xlf"], TIP, message(in_project, TIP).string + " Cada día.")
    path = in_project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po"
    outside, original = tmp_path / "outside.po", path.read_bytes()
    outside.write_bytes(original)
    path.unlink()
    path.symlink_to(outside)
    assert main(["import", str(agency)]) == 1
    assert "outside the project" in refused(capsys, agency, "its catalog cannot be used")
    assert path.is_symlink() and outside.read_bytes() == original


HOSTILE = {
    "internal-entity": b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY warn "Busque ayuda de inmediato">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="locales/es/LC_MESSAGES/leg-cramps.po" source-language="en" target-language="es" datatype="po" build-num="FP">
<body><trans-unit id="1"><source>Get help straight away</source><target state="translated">&warn;</target></trans-unit></body>
</file></xliff>""",
    "external-entity": b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY host SYSTEM "file:///etc/hostname">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="locales/es/LC_MESSAGES/leg-cramps.po" source-language="en" target-language="es" datatype="po" build-num="FP">
<body><trans-unit id="1"><source>Get help straight away</source><target state="translated">&host;</target></trans-unit></body>
</file></xliff>""",
    "billion-laughs": b"""<?xml version="1.0"?>
<!DOCTYPE xliff [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="locales/es/LC_MESSAGES/leg-cramps.po" source-language="en" target-language="es" datatype="po" build-num="FP">
<body><trans-unit id="1"><source>Get help straight away</source><target state="translated">&f;</target></trans-unit></body>
</file></xliff>""",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_entities_are_never_expanded_and_a_doctype_is_refused(in_project, capsys, tmp_path, name):
    files = export(tmp_path, "es", capsys)
    fingerprint = document(files["leg-cramps_es.xlf"]).getroot().find("x:file", NS).get("build-num")
    before = catalogs(in_project)
    hostile = tmp_path / f"{name}.xlf"
    hostile.write_bytes(HOSTILE[name].replace(b"FP", fingerprint.encode()))
    assert main(["import", str(hostile)]) == 1
    printed = refused(capsys, hostile, "")
    assert "DOCTYPE" in printed or "amplification" in printed
    if os.path.exists("/etc/hostname"):
        hostname = open("/etc/hostname", encoding="utf-8", errors="replace").read().strip()
        assert not hostname or hostname not in printed
    assert catalogs(in_project) == before


def test_malformed_xml_is_refused_naming_file_and_line(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    broken = tmp_path / "broken.xlf"
    lines = files["leg-cramps_es.xlf"].read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9].replace("</source>", "</sauce>")
    broken.write_text("\n".join(lines), encoding="utf-8")
    assert main(["import", str(broken)]) == 1
    refused(capsys, broken, f"{broken}:10: not well-formed XML")
    assert catalogs(in_project) == before


def test_unknown_domains_fifos_and_missing_files_are_refused_one_line_each(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    tree = document(files["leg-cramps_es.xlf"])
    tree.getroot().find("x:file", NS).set("original", "locales/es/LC_MESSAGES/../../../etc/passwd.po")
    tree.write(str(tmp_path / "elsewhere.xlf"))
    tree.getroot().find("x:file", NS).set("original", "locales/es/LC_MESSAGES/back-pain.po")
    tree.write(str(tmp_path / "unknown.xlf"))
    os.mkfifo(tmp_path / "fifo.xlf")
    names = ["elsewhere.xlf", "unknown.xlf", "fifo.xlf", "missing.xlf"]
    assert main(["import", *(str(tmp_path / name) for name in names)]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[0] for line in printed] == [f"refused {tmp_path / name}" for name in names]
    assert "is not a catalog of this project" in printed[0]
    assert "'back-pain' is not a leaflet of this project" in printed[1]
    assert "is a FIFO (named pipe), not a file" in printed[2] and "does not exist" in printed[3]
    assert catalogs(in_project) == before


def test_export_refuses_english_and_languages_without_catalogs(in_project, capsys, tmp_path):
    assert main(["export", "en", "--xliff", str(tmp_path)]) == 2
    assert main(["export", "de", "--xliff", str(tmp_path)]) == 2
    assert "no catalogs for de" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.xlf"))


def test_export_never_overwrites_a_file_it_did_not_write(in_project, capsys, tmp_path):
    out = tmp_path / "agency"
    files = export(tmp_path, "es", capsys)
    # The agency's returned file, saved where the export goes; the other file is gone meanwhile.
    agency = returned(files["leg-cramps_es.xlf"], TIP, message(in_project, TIP).string + " Cada día.", out=files["leg-cramps_es.xlf"])
    theirs = agency.read_bytes()
    files["leafletpress_es.xlf"].unlink()
    assert main(["export", "es", "--xliff", str(out)]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 1 and printed[0].startswith(f"refused {agency}")
    assert "nothing was written for es" in printed[0]
    assert agency.read_bytes() == theirs
    assert not (out / "leafletpress_es.xlf").exists()  # nothing for any domain of the language
    assert not list(out.glob(".partial-*"))


def test_export_again_says_unchanged_for_identical_files(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    written = {name: path.read_bytes() for name, path in files.items()}
    files["leafletpress_es.xlf"].unlink()
    assert main(["export", "es", "--xliff", str(tmp_path / "agency")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert any(line.startswith("unchanged ") and line.split()[1].endswith("leg-cramps_es.xlf") for line in printed)
    assert any(line.startswith("wrote ") and line.split()[1].endswith("leafletpress_es.xlf") for line in printed)
    assert {name: path.read_bytes() for name, path in files.items()} == written


def test_export_refuses_a_link_or_folder_in_the_place_of_its_file(in_project, capsys, tmp_path):
    out = tmp_path / "agency"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.xlf"
    elsewhere.write_bytes(b"mine")
    (out / "leg-cramps_es.xlf").symlink_to(elsewhere)
    assert main(["export", "es", "--xliff", str(out)]) == 1
    assert capsys.readouterr().out.startswith(f"refused {out / 'leg-cramps_es.xlf'}")
    assert elsewhere.read_bytes() == b"mine" and (out / "leg-cramps_es.xlf").is_symlink()
    assert not (out / "leafletpress_es.xlf").exists()


@pytest.mark.parametrize("inside", [False, True], ids=["the-folder", "a-parent"])
def test_export_into_a_file_is_a_usage_error(in_project, capsys, tmp_path, inside):
    file = tmp_path / "notes.txt"
    file.write_bytes(b"not a folder")
    target = file / "agency" if inside else file
    assert main(["export", "es", "--xliff", str(target)]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "is a file, not a folder" in err[0] and "File exists" not in err[0]
    assert captured.out == "" and file.read_bytes() == b"not a folder"


INJECTED = "x\nimported everything OK\u202e" + "y" * 500


def one_refusal_line(capsys, path) -> str:
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"refused {path}"), printed
    assert "\u202e" not in printed and "y" * 100 not in printed and len(lines[0]) < 600
    return lines[0]


@pytest.mark.parametrize(
    "attribute",
    ["original", "source-language", "target-language", "build-num", "product-version"],
)
def test_file_attributes_cannot_forge_lines(in_project, capsys, tmp_path, attribute):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    tree = document(files["leg-cramps_es.xlf"])
    file = tree.getroot().find("x:file", NS)
    file.set(attribute, INJECTED)
    if attribute == "product-version":
        file.set("build-num", "other")  # product-version is only shown when the English differs
    tree.write(str(tmp_path / "forged.xlf"))
    assert main(["import", str(tmp_path / "forged.xlf")]) == 1
    line = one_refusal_line(capsys, tmp_path / "forged.xlf")
    assert "'x\\nimported everything OK\\u202eyyy" in line and "…'" in line
    assert catalogs(in_project) == before


def test_a_unit_id_cannot_forge_lines(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    before = catalogs(in_project)
    tree = document(files["leg-cramps_es.xlf"])
    unit = next(tree.iterfind(".//x:trans-unit", NS))
    unit.set("id", INJECTED)
    unit.find("x:source", NS).text = "An English sentence nobody wrote."
    tree.write(str(tmp_path / "forged.xlf"))
    assert main(["import", str(tmp_path / "forged.xlf")]) == 1
    line = one_refusal_line(capsys, tmp_path / "forged.xlf")
    assert "unit 'x\\nimported everything OK\\u202eyyy" in line and "…'" in line and "is not in the catalog" in line
    assert catalogs(in_project) == before


def test_a_long_language_tag_is_cut(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    tree = document(files["leg-cramps_es.xlf"])
    tree.getroot().find("x:file", NS).set("target-language", "a" * 300)
    tree.write(str(tmp_path / "long.xlf"))
    assert main(["import", str(tmp_path / "long.xlf")]) == 1
    line = one_refusal_line(capsys, tmp_path / "long.xlf")
    assert "a" * 60 not in line and "…" in line
    assert main(["export", "b" * 300, "--xliff", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "b" * 60 not in err and "…" in err and len(err.splitlines()) == 1


def test_failed_checks_quote_the_translation_escaped(in_project, capsys, tmp_path):
    files = export(tmp_path, "es", capsys)
    text = "Busque ayuda de inmediato en https://example.org/\u202eKO"
    agency = returned(files["leg-cramps_es.xlf"], WARNING_HEADING, text)
    assert main(["import", str(agency)]) == 1
    printed = refused(capsys, agency, "fail the checks")
    assert "\u202e" not in printed and "U+202E" in printed
    # Whatever a check quotes of a translation is printed escaped: one line per problem.
    from leafletpress.i18n.xliff import Refused

    refusal = Refused("f.xlf: a\u2028b", ("c\nrefused nothing\u202e",))
    assert str(refusal) == "f.xlf: a\\u2028b" and refusal.details == ("c\\nrefused nothing\\u202e",)
