"""Clinical sign-off: it covers exactly the text printed (English and translation), it is shown on
the page, in the PDF's metadata, the manifest and the index, and an edition that no longer says
what today's inputs say is moved out of the way."""

import json
import re

import pikepdf
import pypdfium2
import pytest
from babel.messages.pofile import read_po, write_po

from leafletpress.cli import main
from leafletpress.render.pdf_checks import comparable
from tests.pdfs import flat, page_texts
from tests.support import ROOT, edit, sign_off_code, translated

pytestmark = pytest.mark.slow  # every test here builds editions

WARNING_HEADING = "Get help straight away"
TIP = "Drink plenty of water during the day so your body does not dry out."
REVIEWER = "Dr Test Reviewer, consultant midwife"
NS = "{https://leaflet-press.invalid/ns/clinical-review/1.0/}"


def status(capsys, lang):
    capsys.readouterr()
    assert main(["status", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    return next(row for row in rows if row["language"] == lang and row["leaflet"] == "leg-cramps")


def set_translation(project, lang, msgid, text, fuzzy=False, domain="leg-cramps"):
    path = project.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    catalog.get(msgid).string = text
    if fuzzy:
        catalog.get(msgid).flags.add("fuzzy")
    else:
        catalog.get(msgid).flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=100)


def build(out, *args):
    return main(["--out", str(out), "--format", "A5", "--jobs", "1", *args])


def test_a_review_round_trip(in_project, capsys, tmp_path):
    """init → translate → check → review-packet → review → edit one translation → stale, with that
    string listed → re-review."""
    out = tmp_path / "out"
    assert status(capsys, "es")["review"] == "unreviewed"
    assert main(["check", "--lang", "es"]) == 0
    assert main(["review-packet", "es", "--out", str(tmp_path / "packets")]) == 0
    packet = next((tmp_path / "packets").glob("leg-cramps_es_review-packet_*.pdf"))
    code = re.search(r"sign-off code ([0-9a-f]{12})", packet_text(packet), re.IGNORECASE).group(1)
    assert main(["review", "es", "--by", REVIEWER, "--date", "2026-11-20", "--code", code]) == 0
    row = status(capsys, "es")
    assert (row["review"], row["reviewer"], row["review_date"]) == ("reviewed", REVIEWER, "2026-11-20")
    assert (in_project.root / "reviews" / "leg-cramps" / "es.toml").is_file()

    assert build(out, "--lang", "es") == 0
    pages = page_texts(out / "leg-cramps_es_A5.pdf")
    assert flat("A clinician has not yet checked this translation.") not in flat("".join(pages))
    assert flat("A clinician has not yet checked the content of this leaflet.") in flat(pages[0])  # English not signed off
    assert flat(REVIEWER) in flat(pages[-1])  # the colophon names the reviewer and the date

    # A translator weakens the warning heading after the sign-off: stale, and the string is named.
    old = translated("es", WARNING_HEADING)
    set_translation(in_project, "es", WARNING_HEADING, "Pida ayuda cuando pueda")
    row = status(capsys, "es")
    assert row["review"] == "stale"
    assert row["changed_since_review"] == [f"{WARNING_HEADING!r}: translation changed: {old!r} → 'Pida ayuda cuando pueda'"]
    capsys.readouterr()
    assert main(["status", "--lang", "es"]) == 0
    assert "Pida ayuda cuando pueda" in capsys.readouterr().out
    assert build(out, "--lang", "es") == 0
    assert flat("This translation has changed since a clinician last checked it.") in flat(page_texts(out / "leg-cramps_es_A5.pdf")[0])
    # The old packet's code no longer matches; a new review signs the new text.
    assert main(["review", "es", "--by", REVIEWER, "--code", code]) == 1
    assert "the text changed since the review packet" in capsys.readouterr().out
    assert main(["review", "es", "--by", REVIEWER, "--date", "2026-11-21", "--code", sign_off_code(in_project, "es")]) == 0
    assert status(capsys, "es")["review"] == "reviewed"


def packet_text(path):
    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


@pytest.mark.parametrize(
    "breaks, says",
    [
        (lambda project: set_translation(project, "es", TIP, ""), "has no usable translation"),
        (lambda project: set_translation(project, "es", TIP, translated("es", TIP), fuzzy=True), "has no usable translation"),
        (lambda project: set_translation(project, "es", TIP, "Beba <b>agua</b>"), "contains markup"),
        (lambda project: set_translation(project, "es", WARNING_HEADING, WARNING_HEADING), "is the English text, not a translation"),
    ],
    ids=["untranslated", "fuzzy", "failing a check", "English in the warning box"],
)
def test_review_refuses_a_text_that_is_not_complete_and_checked(in_project, capsys, breaks, says):
    breaks(in_project)
    assert main(["review", "es", "--by", REVIEWER, "--code", sign_off_code(in_project, "es")]) == 1
    printed = capsys.readouterr().out
    assert "refused leg-cramps es" in printed and says in printed
    assert not (in_project.root / "reviews" / "leg-cramps" / "es.toml").exists()


def test_the_english_content_has_its_own_sign_off(in_project, capsys, tmp_path):
    out = tmp_path / "out"
    assert status(capsys, "en")["review"] == "unreviewed"
    assert main(["review", "en", "--by", REVIEWER, "--date", "2026-11-19", "--code", sign_off_code(in_project, "en")]) == 0
    assert status(capsys, "en")["review"] == "reviewed"
    assert build(out, "--lang", "en", "--lang", "es") == 0
    english = flat("".join(page_texts(out / "leg-cramps_en_A5.pdf")))
    assert flat("not yet checked") not in english.lower()
    assert flat(f"Content checked by {REVIEWER} on 19 November 2026.") in english
    spanish_first = flat(page_texts(out / "leg-cramps_es_A5.pdf")[0])
    assert flat("A clinician has not yet checked this translation.") in spanish_first
    assert flat("content of this leaflet") not in spanish_first
    # Reviewer and date in the PDF's metadata, the manifest and the index.
    with pikepdf.open(out / "leg-cramps_en_A5.pdf") as pdf:
        meta = pdf.open_metadata()
        assert meta[f"{NS}ContentReviewer"] == REVIEWER and meta[f"{NS}ContentReviewDate"] == "2026-11-19"
        assert any(REVIEWER in contributor for contributor in meta["dc:contributor"])
    entry = next(item for item in manifest(out)["files"] if item["file"] == "leg-cramps_en_A5.pdf")
    assert entry["clinical_review"]["content"] == {"state": "reviewed", "reviewer": REVIEWER, "date": "2026-11-19", "changed_since": []}
    assert f"Content: checked by {REVIEWER} on 2026-11-19" in (out / "index.html").read_text(encoding="utf-8")
    # The English changes: the content sign-off is stale, with the change listed.
    edit(in_project.leaflets_dir / "leg-cramps.toml", "Have a hot bath", "Have a warm bath")
    row = status(capsys, "en")
    assert row["review"] == "stale" and any("Have a warm bath" in change for change in row["changed_since_review"])


def manifest(out):
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_an_english_change_moves_the_translations_out_of_date(in_project, capsys, tmp_path):
    out = tmp_path / "out"
    assert build(out, "--lang", "en", "--lang", "es", "--lang", "ar") == 0
    edit(in_project.leaflets_dir / "leg-cramps.toml", "Have a hot bath", "Have a hot bath or shower")
    assert main(["update"]) == 0
    capsys.readouterr()
    assert build(out, "--lang", "en", "--lang", "es", "--lang", "ar") == 1  # the translations are now fuzzy
    printed = capsys.readouterr().out
    assert "2 moved to out-of-date/" in printed
    assert sorted(path.name for path in out.glob("*.pdf")) == ["leg-cramps_en_A5.pdf"]
    moved = sorted(path.name for path in (out / "out-of-date").glob("*.pdf"))
    assert len(moved) == 2 and all(name.startswith(("leg-cramps_es_A5_v1.0_", "leg-cramps_ar_A5_v1.0_")) for name in moved)
    data = manifest(out)
    assert [item["file"] for item in data["files"]] == ["leg-cramps_en_A5.pdf"]
    assert {item["was"] for item in data["out_of_date"]} == {"leg-cramps_es_A5.pdf", "leg-cramps_ar_A5.pdf"}
    assert all("the English text changed" in item["reason"] for item in data["out_of_date"])
    index = (out / "index.html").read_text(encoding="utf-8")
    current, _, stale = index.partition("Out of date — do not print")
    assert "out-of-date/leg-cramps_es_A5_v1.0_" in stale and "leg-cramps_es_A5" not in current


def test_editions_of_a_removed_language_are_moved_not_deleted(in_project, capsys, tmp_path):
    out = tmp_path / "out"
    assert build(out, "--lang", "es", "--lang", "fr") == 0
    before = (out / "leg-cramps_fr_A5.pdf").read_bytes()
    for path in (in_project.locales_dir / "fr" / "LC_MESSAGES").glob("*.po"):
        path.unlink()
    (in_project.locales_dir / "fr" / "LC_MESSAGES").rmdir()
    assert build(out, "--lang", "es") == 0
    moved = list((out / "out-of-date").glob("leg-cramps_fr_A5_*.pdf"))
    assert len(moved) == 1 and moved[0].read_bytes() == before
    assert "has no catalogs any more" in manifest(out)["out_of_date"][0]["reason"]


def test_an_edition_not_asked_for_is_left_alone_while_it_is_current(in_project, capsys, tmp_path):
    out = tmp_path / "out"
    assert build(out, "--lang", "es", "--lang", "fr") == 0
    assert build(out, "--lang", "es", "--force") == 0
    assert (out / "leg-cramps_fr_A5.pdf").is_file() and not (out / "out-of-date").exists()


def test_check_is_the_translators_pre_flight(in_project, capsys):
    """Every catalog reason the build refuses for is an error in check, with file and line."""
    set_translation(in_project, "es", WARNING_HEADING, translated("es", WARNING_HEADING), fuzzy=True)
    assert main(["check", "--lang", "es"]) == 1
    printed = capsys.readouterr().out
    assert "locales/es/LC_MESSAGES/leg-cramps.po:" in printed and "warning box:" in printed and "fuzzy" in printed
    set_translation(in_project, "es", WARNING_HEADING, translated("es", WARNING_HEADING))
    set_translation(in_project, "es", TIP, "")
    assert main(["check", "--lang", "es"]) == 0  # only a draft could print it: a warning
    assert "(warning)" in capsys.readouterr().out


def test_a_sign_off_file_edited_by_hand_counts_as_unreviewed(in_project, capsys, tmp_path):
    assert main(["review", "es", "--by", REVIEWER, "--code", sign_off_code(in_project, "es")]) == 0
    path = in_project.root / "reviews" / "leg-cramps" / "es.toml"
    edit(path, translated("es", WARNING_HEADING), "Pida ayuda cuando pueda")
    row = status(capsys, "es")
    assert row["review"] == "broken" and "fingerprint" in row["problems"][0]
    assert build(tmp_path / "out", "--lang", "es") == 0
    assert "note: " in capsys.readouterr().out
    assert flat("A clinician has not yet checked") in flat(page_texts(tmp_path / "out" / "leg-cramps_es_A5.pdf")[0])


@pytest.mark.parametrize("lang", ["es", "zh-Hans", "en"])
def test_the_review_packet_holds_every_string(in_project, tmp_path, lang):
    from leafletpress.i18n.review import printed_strings
    from leafletpress.i18n.catalogs import load_language_catalogs
    from leafletpress.inputs.languages import parse_language
    from leafletpress.inputs.leaflet import load_leaflet

    assert main(["review-packet", lang, "--out", str(tmp_path)]) == 0
    path = next(tmp_path.glob(f"leg-cramps_{lang}_review-packet_*.pdf"))
    with pikepdf.open(path) as pdf:
        box = pdf.pages[0].mediabox
        assert float(box[2]) > float(box[3])  # landscape
    layer = comparable(packet_text(path))
    language = parse_language(lang)
    leaflet = load_leaflet(in_project.leaflets_dir / "leg-cramps.toml")
    strings = printed_strings(leaflet, load_language_catalogs(in_project.locales_dir, "leg-cramps", language, "leafletpress"))
    for item in strings:
        assert comparable(item.english) in layer, item.english
        assert comparable(item.translation) in layer, item.translation
    assert "Sign-off" in packet_text(path)
    if lang == "en":
        assert "hot" in packet_text(path) and "Questions for the clinical reviewer" in packet_text(path)


@pytest.mark.slow
def test_a_packet_made_again_in_another_process_is_the_same_file(project, tmp_path):
    """The same text makes the same bytes, so a second run says "unchanged" and never mistakes a
    fresh packet for one that was signed on screen."""
    import subprocess
    import sys

    command = [sys.executable, str(ROOT / "make_leaflets.py"), "review-packet", "es", "--out", str(tmp_path / "packets")]
    first = subprocess.run(command, cwd=project.root, capture_output=True, text=True, check=False)
    second = subprocess.run(command, cwd=project.root, capture_output=True, text=True, check=False)
    assert first.returncode == 0 and first.stdout.startswith("wrote "), first.stderr
    assert second.returncode == 0 and second.stdout.startswith("unchanged "), second.stderr
