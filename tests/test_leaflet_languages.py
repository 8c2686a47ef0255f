"""Per-leaflet languages: a leaflet not yet translated into a language is listed, never a failure;
the English source is plain text; status reads at 80 columns; the command line speaks in words."""

import json

import pytest
from rich.cells import cell_len

from tests.support import edit, shipped_languages
from leafletpress.cli import main
from leafletpress.inputs.leaflet import LeafletError, load_leaflet

SHIPPED = shipped_languages()


@pytest.fixture
def new_leaflet(in_project):
    """A second leaflet, written today, translated into nothing; `languages` left to its default."""
    source = (in_project.leaflets_dir / "leg-cramps.toml").read_text(encoding="utf-8")
    start = source.index("# The languages it is published in")
    end = source.index("\n", source.index("languages = ["))
    text = (source[:start] + source[end + 1:]).replace('id = "leg-cramps"', 'id = "swollen-ankles"').replace('code = "LP-PREG-001"', 'code = "LP-PREG-002"')
    path = in_project.leaflets_dir / "swollen-ankles.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["extract"]) == 0
    return path


def build(out, *args):
    return main(["--out", str(out), "--format", "A5", *args])


def test_a_new_leaflet_builds_in_english_and_lists_the_languages_once(new_leaflet, capsys, tmp_path):
    capsys.readouterr()
    assert build(tmp_path / "out", "--leaflet", "swollen-ankles") == 0
    printed = capsys.readouterr().out.splitlines()
    assert sorted(path.name for path in (tmp_path / "out").glob("*.pdf")) == ["swollen-ankles_en_A5.pdf"]
    waiting = [line for line in printed if line.startswith("not yet translated:")]
    assert waiting == [f"not yet translated: swollen-ankles in {', '.join(SHIPPED)} (no catalog yet)"]
    assert printed[-1].startswith(f"1 edition(s) written, 0 up to date, 0 failed, {len(SHIPPED)} not yet translated")
    assert not any("FAILED" in line for line in printed)


def test_init_starts_every_leaflets_catalogs_and_an_incomplete_one_waits(new_leaflet, in_project, capsys, tmp_path):
    assert main(["init", "de"]) == 0
    created = sorted(path.name for path in (in_project.locales_dir / "de" / "LC_MESSAGES").iterdir())
    assert created == ["leafletpress.po", "leg-cramps.po", "swollen-ankles.po"]
    assert main(["init", "es"]) == 0  # es has leg-cramps already: only the new leaflet's catalog is written
    assert "wrote locales/es/LC_MESSAGES/swollen-ankles.po" in capsys.readouterr().out

    assert build(tmp_path / "out", "--leaflet", "swollen-ankles") == 0
    printed = capsys.readouterr().out
    assert "es (25 of 109 strings translated)" in printed and "de (0 of 109 strings translated)" in printed
    assert not list((tmp_path / "out").glob("swollen-ankles_es_*"))

    # Asked for by name, an incomplete catalog is meant to be built: it fails.
    assert build(tmp_path / "out", "--leaflet", "swollen-ankles", "--lang", "es") == 1
    # As a draft it is built, with the DRAFT mark.
    assert build(tmp_path / "draft", "--leaflet", "swollen-ankles", "--lang", "es", "--draft") == 1  # the warning box is untranslated
    assert not list((tmp_path / "draft").glob("swollen-ankles_es_*"))


def test_a_listed_language_with_an_incomplete_catalog_fails(in_project, capsys, tmp_path):
    catalog = in_project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po"
    text = catalog.read_text(encoding="utf-8")
    edit(catalog, 'msgstr "Calambres en las piernas durante el embarazo"', 'msgstr ""')
    assert build(tmp_path / "out", "--lang", "es") == 1
    assert "FAILED  leg-cramps_es_A5.pdf" in capsys.readouterr().out
    catalog.write_text(text, encoding="utf-8")


def test_a_language_off_the_leaflets_list_is_not_built(in_project, capsys, tmp_path):
    path = in_project.leaflets_dir / "leg-cramps.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("languages = [")
    path.write_text(text[:start] + 'languages = ["es"]' + text[text.index("\n", start):], encoding="utf-8")
    assert build(tmp_path / "out") == 0
    printed = capsys.readouterr().out
    others = [tag for tag in SHIPPED if tag != "es"]
    assert f"not yet translated: leg-cramps in {', '.join(others)} (not among the leaflet's languages)" in printed
    assert sorted(path.name for path in (tmp_path / "out").glob("*.pdf")) == ["leg-cramps_en_A5.pdf", "leg-cramps_es_A5.pdf"]


@pytest.mark.parametrize(
    "value, says",
    [
        ('["es", "xx-!!"]', "is not a language tag"),
        ('"every"', 'or "complete"'),
        ('["und"]', "names no particular language"),
    ],
)
def test_a_bad_languages_list_names_the_file_and_field(in_project, value, says):
    path = in_project.leaflets_dir / "leg-cramps.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("languages = [")
    path.write_text(text[:start] + f"languages = {value}" + text[text.index("\n", start):], encoding="utf-8")
    with pytest.raises(LeafletError) as error:
        load_leaflet(path)
    assert "leaflet.languages" in str(error.value) and says in str(error.value) and "leg-cramps.toml" in str(error.value)


@pytest.mark.parametrize(
    "old, new, says",
    [
        ("Get help straight away", "Get <b>help</b> straight away", "contains markup ('<b')"),
        ("Get help straight away", "Get help &nbsp;straight away", "contains markup ('&nbsp;')"),
        ("Get help straight away", "Call {clinic} straight away", "contains '{clinic}'"),
        ("Get help straight away", "Get help straight away}", "contains '}'"),
        ("Get help straight away", "Get help\u200b straight away", "U+200B"),
        ("Leg cramps in pregnancy", "Leg cramps in <i>pregnancy", "leaflet.title"),
    ],
)
def test_markup_placeholders_and_hidden_characters_in_the_english_are_refused(in_project, old, new, says):
    path = in_project.leaflets_dir / "leg-cramps.toml"
    edit(path, f'"{old}"', json.dumps(new, ensure_ascii=True).replace("\\u200b", "\\u200B"))
    with pytest.raises(LeafletError) as error:
        load_leaflet(path)
    assert says in str(error.value) and "leg-cramps.toml" in str(error.value)


def test_status_fits_80_columns_and_names_languages_in_their_own_script(in_project, capsys):
    assert main(["status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert lines[0] == "leg-cramps"
    assert any(line.split()[:1] == ["ar"] and "العربية · Arabic" in line for line in lines)
    assert any(line.split()[:1] == ["zh-Hans"] for line in lines)
    assert len([line for line in lines if line.startswith("  ") and line.split()[0] in SHIPPED + ["en"]]) == len(SHIPPED) + 1


def test_status_for_one_leaflet_and_language_lists_fuzzy_strings_old_and_new(new_leaflet, in_project, capsys):
    old = "Have a hot bath before bed to relax your muscles."
    edit(in_project.leaflets_dir / "leg-cramps.toml", old, "Have a warm bath before bed to relax your muscles.")
    assert main(["update"]) == 0
    capsys.readouterr()
    assert main(["status", "--leaflet", "leg-cramps", "--lang", "de"]) == 0
    assert "not yet translated" in capsys.readouterr().out
    assert main(["status", "--leaflet", "leg-cramps", "--lang", "es"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "leg-cramps" and lines[2].split()[:1] == ["es"]
    assert max(cell_len(line) for line in lines) <= 80
    text = " ".join(" ".join(lines).split())
    assert "fuzzy: 'Have a hot bath before bed to relax your muscles.' -> 'Have a warm bath before bed to relax your muscles.'" in text
    assert main(["status", "--leaflet", "swollen-ankles"]) == 0
    assert capsys.readouterr().out.count("not yet translated") == len(SHIPPED)


@pytest.mark.parametrize(
    "argv, says",
    [
        (["bulid"], "unknown command 'bulid'. Did you mean 'build'?"),
        (["stauts"], "Did you mean 'status'?"),
        (["--lnag", "es"], "unknown option --lnag for build. Did you mean --lang?"),
        (["--jobs", "two"], "--jobs: 'two' is not a whole number (for example 2)"),
        (["review", "es", "--by", "Dr A", "--code", "abcdef12", "--date", "25/11/2026"], "--date: '25/11/2026' is not a date as YYYY-MM-DD (for example 2026-11-25)"),
        (["review", "es"], "--by is required"),
        (["status", "--lang"], "--lang needs a value"),
        (["--lang", "zh"], "no catalogs for zh (did you mean zh-Hans or zh-Hant?)"),
    ],
)
def test_mistakes_are_answered_in_words(in_project, capsys, argv, says):
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert says in error and error.count("\n") == 1
    assert not any(word in error for word in ("_positive", "fromisoformat", "unrecognized arguments", "invalid", "Traceback"))


def test_version(capsys):
    assert main(["--version"]) == 0
    from leafletpress import __version__

    assert capsys.readouterr().out.strip() == f"make_leaflets.py (Leaflet Press) {__version__}"


def test_a_note_is_printed_once_per_language_not_once_per_edition():
    import io
    from types import SimpleNamespace

    from leafletpress.report import BuildReport

    def result(lang, fmt):
        edition = SimpleNamespace(language=SimpleNamespace(tag=lang), filename=f"x_{lang}_{fmt}.pdf", label=f"x {lang} {fmt}")
        return SimpleNamespace(
            skipped=False, ok=True, path=f"x_{lang}_{fmt}.pdf", pages=2, size=2048, review_label="draft", seconds=0.1,
            edition=edition, notes=["draft: 'Drink water' is untranslated; English printed"],
        )

    stream = io.StringIO()
    with BuildReport(str, stream=stream, progress=False) as report:
        for index, (lang, fmt) in enumerate([("es", "A4"), ("es", "A5"), ("fr", "A4"), ("fr", "A5")]):
            report(index, 4, result(lang, fmt))
    assert stream.getvalue().count("note: draft: 'Drink water'") == 2


def set_languages(project, value):
    path = project.leaflets_dir / "leg-cramps.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("languages = [")
    path.write_text(text[:start] + f"languages = {value}" + text[text.index("\n", start):], encoding="utf-8")


def test_asking_for_a_language_the_leaflet_leaves_out_builds_nothing_and_a_delisted_edition_moves_aside(in_project, capsys, tmp_path):
    out = tmp_path / "out"
    assert build(out, "--lang", "es", "--lang", "fr") == 0
    set_languages(in_project, '["es"]')
    capsys.readouterr()
    assert build(out, "--lang", "fr") == 0
    printed = capsys.readouterr().out
    assert "fr (not among the leaflet's languages; a proof: --lang fr --draft)" in printed
    assert "moved   leg-cramps_fr_A5.pdf to out-of-date/: the leaflet is no longer published in French (fr)" in printed
    assert not (out / "leg-cramps_fr_A5.pdf").exists() and (out / "leg-cramps_es_A5.pdf").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in manifest["files"]] == ["leg-cramps_es_A5.pdf"]


@pytest.mark.parametrize("leaflet_id", ["é-x", "a b", ".hidden", "Leg-Cramps", "a--b", "leafletpress"])
def test_a_leaflet_id_names_files_and_links_so_it_is_plain(in_project, leaflet_id):
    source = (in_project.leaflets_dir / "leg-cramps.toml").read_text(encoding="utf-8")
    path = in_project.leaflets_dir / f"{leaflet_id}.toml"
    path.write_text(source.replace('id = "leg-cramps"', f"id = {json.dumps(leaflet_id)}"), encoding="utf-8")
    with pytest.raises(LeafletError) as error:
        load_leaflet(path)
    assert "leaflet.id" in str(error.value) and "cannot be a leaflet id" in str(error.value)


def test_notes_for_translators_hide_nothing(in_project):
    path = in_project.leaflets_dir / "leg-cramps.toml"
    edit(path, 'notes = "This is the most important part', 'notes = "This\\u202e is the most important part')
    with pytest.raises(LeafletError) as error:
        load_leaflet(path)
    assert "section 'warning'.notes" in str(error.value) and "U+202E" in str(error.value)


def test_check_names_catalog_folders_that_are_never_used(in_project, capsys):
    (in_project.locales_dir / "pt-PT" / "LC_MESSAGES").mkdir(parents=True)
    (in_project.locales_dir / "klingon" / "LC_MESSAGES").mkdir(parents=True)
    assert main(["check"]) == 1
    printed = capsys.readouterr().out
    assert "locales/pt-PT: must be named pt_PT for pt-PT: its catalogs are not used" in printed
    assert "locales/klingon: is not named after a language" in printed


def test_status_stays_within_80_columns_with_long_tags(in_project, capsys):
    for tag in ("ca-ES-valencia", "zh-TW"):
        assert main(["init", tag]) == 0
    capsys.readouterr()
    assert main(["status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert any(line.split()[:1] == ["ca-ES-valencia"] for line in lines)
