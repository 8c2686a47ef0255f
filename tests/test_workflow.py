"""The translators' workflow end to end: extract, init, update, status, check, review, and the gates."""

import json
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from tests.support import ROOT, edit, publish_in, translated
from leafletpress.cli import main
from tests.pdfs import flat, page_texts, reader

WARNING_HEADING = "Get help straight away"
TIP = "Drink plenty of water during the day so your body does not dry out."


def catalog(project, lang="es", domain="leg-cramps"):
    path = project.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"
    with open(path, "rb") as handle:
        return path, read_po(handle)


def status(capsys, lang):
    capsys.readouterr()
    main(["status", "--json"])
    rows = json.loads(capsys.readouterr().out)
    return {row["leaflet"]: row for row in rows if row["language"] == lang}


def build(out, *args):
    return main(["--out", str(out), "--format", "A5", *args])


def test_init_status_refuse_then_draft_with_watermark(in_project, capsys, tmp_path):
    assert main(["init", "de"]) == 0
    path, new = catalog(in_project, "de")
    assert new.locale_identifier == "de" and new.num_plurals == 2
    assert all(not message.string for message in new if message.id)
    rows = status(capsys, "de")
    assert rows["leg-cramps"]["percent"] == 0 and rows["leg-cramps"]["translated"] == 0
    assert rows["leg-cramps"]["language_name"] == "Deutsch"

    assert build(tmp_path / "out", "--lang", "de") == 0  # not among the leaflet's languages: not built
    assert "de (not among the leaflet's languages; a proof: --lang de --draft)" in capsys.readouterr().out
    publish_in(in_project, "de")
    assert build(tmp_path / "out", "--lang", "de") == 1
    printed = capsys.readouterr().out
    assert "warning box:" in printed and "is untranslated; the edition is refused" in printed
    # --draft cannot print an untranslated warning box either.
    assert build(tmp_path / "out", "--lang", "de", "--draft") == 1
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.slow
def test_draft_builds_with_english_fallback_and_a_mark_on_every_page(in_project, capsys, tmp_path):
    # Untranslate one tip outside the warning box.
    path, _ = catalog(in_project)
    text = path.read_text(encoding="utf-8")
    start = text.index(f'msgid "{TIP}"')
    end = text.index("\n\n", start)
    path.write_text(text[:start] + f'msgid "{TIP}"\nmsgstr ""' + text[end:], encoding="utf-8")

    assert build(tmp_path / "out", "--lang", "es") == 1
    assert "is untranslated (use --draft for a proof copy)" in capsys.readouterr().out

    assert build(tmp_path / "out", "--lang", "es", "--draft") == 0
    assert "printed in English (draft)" in capsys.readouterr().out
    pdf = tmp_path / "out" / "leg-cramps_es_A5.pdf"
    draft_mark = translated("es", "DRAFT – not for patient use", "leafletpress")
    for page in reader(pdf).pages:  # pypdf: poppler's pdftotext leaves out diagonal text
        assert flat("DRAFT – not for patient use") in flat(page.extract_text())
        assert flat(draft_mark) in flat(page.extract_text())
    assert any(flat(TIP) in flat(page.extract_text()) for page in reader(pdf).pages)


@pytest.mark.slow
def test_update_round_trip_keeps_the_translation_as_fuzzy_until_confirmed(in_project, capsys, tmp_path):
    old = "This can be a sign of a blood clot. Blood clots are rare, but they are more likely in pregnancy. A blood clot needs treatment at once."
    new = old.replace("at once.", "at once, day or night.")
    _, before = catalog(in_project)
    translation = before.get(old).string
    edit(in_project.leaflets_dir / "leg-cramps.toml", old, new)

    assert main(["update"]) == 0
    printed = capsys.readouterr().out
    assert "updated locales/es/LC_MESSAGES/leg-cramps.po: 0 new, 1 changed (fuzzy), 0 obsolete" in printed
    assert "unchanged locales/es/LC_MESSAGES/leafletpress.po" in printed
    path, after = catalog(in_project)
    message = after.get(new)
    assert message.fuzzy and message.string == translation
    previous = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#| ")]
    assert any("treatment at once.\"" in line for line in previous), previous

    # The warning box has a fuzzy string: refused, even as a draft.
    assert build(tmp_path / "out", "--lang", "es", "--draft") == 1
    assert "warning box:" in capsys.readouterr().out

    # A translator confirms it: the flag goes, the edition builds.
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("#, fuzzy\n#| msgid", "#| msgid", 1), encoding="utf-8")
    _, confirmed = catalog(in_project)
    assert not confirmed.get(new).fuzzy
    assert build(tmp_path / "out", "--lang", "es") == 0


def test_update_keeps_removed_strings_as_obsolete(in_project, capsys):
    tip = "In one well-designed study, women who took calcium tablets got no more relief from leg cramps than women who did not."
    _, before = catalog(in_project)
    edit(in_project.leaflets_dir / "leg-cramps.toml", f'  "{tip}",\n', "")
    assert main(["update"]) == 0
    path, after = catalog(in_project)
    assert after.get(tip) is None
    assert after.obsolete[tip].string == before.get(tip).string
    assert "#~ msgid" in path.read_text(encoding="utf-8")


def test_update_refuses_a_broken_catalog_and_leaves_it_untouched(in_project, capsys):
    path, _ = catalog(in_project)
    broken = path.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "\n', 1)
    path.write_text(broken, encoding="utf-8")
    assert main(["update"]) == 1
    assert "refused" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == broken


def test_check_reports_a_hostile_msgstr_and_the_edition_is_refused(in_project, capsys, tmp_path):
    path, _ = catalog(in_project)
    _, es = catalog(in_project)
    current = es.get(TIP).string
    edit(path, f'"{current}"', '"<link rel=\\"attachment\\" href=\\"file:///etc/hostname\\">"')
    assert main(["check", "--lang", "es"]) == 1
    printed = capsys.readouterr().out
    assert "locales/es/LC_MESSAGES/leg-cramps.po:" in printed and "contains markup" in printed
    assert build(tmp_path / "out", "--lang", "es", "--draft") == 1
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_check_passes_the_shipped_catalogs(in_project, capsys):
    assert main(["check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 error(s), 0 warning(s)"


def test_init_refuses_bad_tags_and_never_overwrites(in_project, capsys):
    assert main(["init", "xx-!!"]) == 2
    assert main(["init", "qqq"]) == 2
    path, _ = catalog(in_project)
    before = path.read_bytes()
    assert main(["init", "es"]) == 0
    assert "kept" in capsys.readouterr().out
    assert path.read_bytes() == before


def test_extract_writes_the_templates_with_translator_notes(in_project, capsys):
    assert main(["extract"]) == 0
    pot = (in_project.locales_dir / "leg-cramps.pot").read_text(encoding="utf-8")
    assert f'msgid "{WARNING_HEADING}"' in pot
    assert "#. WARNING BOX:" in pot and "#. \"Womb\" means the uterus." in pot
    assert (in_project.locales_dir / "leafletpress.pot").read_text(encoding="utf-8").count("#. ") >= 10


def test_the_shipped_templates_are_up_to_date(tmp_path, monkeypatch, capsys):
    """locales/*.pot must match the leaflets: someone changed English without running extract."""
    from leafletpress.inputs.project import Project, load_project
    from leafletpress.i18n.workflow import domains, template_bytes

    for domain in domains(load_project(ROOT)):
        assert (ROOT / "locales" / f"{domain.name}.pot").read_bytes() == template_bytes(domain), domain.name


def test_pybabel_extract_uses_the_registered_extractor(tmp_path):
    pot = tmp_path / "all.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_",
         "--add-comments", "TRANSLATORS:", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    text = pot.read_text(encoding="utf-8")
    assert f'msgid "{WARNING_HEADING}"' in text and 'msgid "Page {page} of {pages}"' in text


def shipped_catalogs():
    return sorted([*ROOT.glob("locales/*.pot"), *ROOT.glob("locales/*/LC_MESSAGES/*.po")])


@pytest.mark.parametrize("path", shipped_catalogs(), ids=lambda path: str(path.relative_to(ROOT / "locales")))
def test_a_save_in_gnu_gettext_or_poedit_changes_nothing(path):
    """msgcat writes what Poedit writes (79 columns): a translator's save is no noise in the diff."""
    result = subprocess.run(
        ["msgcat", "--width=79", "--output-file=-", str(path)], capture_output=True, check=True,
        env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout == path.read_bytes()


def test_update_leaves_every_catalog_it_need_not_change_byte_identical(in_project, capsys):
    files = {path: path.read_bytes() for path in in_project.locales_dir.rglob("*.po")}
    stats = {path: path.stat().st_mtime_ns for path in files}
    assert main(["update"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(files) and all(line.startswith("unchanged ") for line in printed), printed
    assert {path: path.read_bytes() for path in files} == files
    assert {path: path.stat().st_mtime_ns for path in files} == stats
