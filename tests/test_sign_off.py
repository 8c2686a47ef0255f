"""The sign-off file cannot be bent: a name, date or place edited by hand, a file copied to another
language, a future date or an empty code are refused. None of these tests build an edition."""

import datetime as dt
import json
import shutil

import pytest

from leafletpress.cli import main
from tests.support import edit, sign_off_code

REVIEWER = "Dr Test Reviewer, consultant midwife"
ASK = "Always ask your doctor before you take any supplement or vitamin product."


def row(capsys, lang):
    capsys.readouterr()
    main(["status", "--json"])
    rows = json.loads(capsys.readouterr().out)
    return next(item for item in rows if item["language"] == lang and item["leaflet"] == "leg-cramps")


def sign_off_file(project, lang="es"):
    return project.root / "reviews" / "leg-cramps" / f"{lang}.toml"


def test_a_reviewer_name_edited_by_hand_breaks_the_seal(in_project, capsys):
    assert main(["review", "es", "--by", REVIEWER, "--date", "2026-11-20", "--code", sign_off_code(in_project, "es")]) == 0
    edit(sign_off_file(in_project), REVIEWER, "Dr Somebody Else, professor")
    found = row(capsys, "es")
    assert found["review"] == "broken" and "seal" in found["problems"][0]


def test_a_review_date_edited_by_hand_breaks_the_seal(in_project, capsys):
    assert main(["review", "es", "--by", REVIEWER, "--date", "2026-11-20", "--code", sign_off_code(in_project, "es")]) == 0
    edit(sign_off_file(in_project), "date = 2026-11-20", "date = 2026-11-21")
    assert "seal" in row(capsys, "es")["problems"][0]


def test_a_date_time_or_a_future_date_in_the_file_is_refused(in_project, capsys):
    assert main(["review", "es", "--by", REVIEWER, "--date", "2026-11-20", "--code", sign_off_code(in_project, "es")]) == 0
    edit(sign_off_file(in_project), "date = 2026-11-20", "date = 2026-11-20T10:00:00")
    assert "date: is missing or of the wrong kind" in row(capsys, "es")["problems"][0]
    future = dt.date.today() + dt.timedelta(days=30)
    edit(sign_off_file(in_project), "date = 2026-11-20T10:00:00", f"date = {future.isoformat()}")
    assert "is in the future" in row(capsys, "es")["problems"][0]


def test_a_name_with_hidden_characters_in_the_file_is_refused(in_project, capsys):
    assert main(["review", "es", "--by", REVIEWER, "--code", sign_off_code(in_project, "es")]) == 0
    edit(sign_off_file(in_project), "Dr Test", "Dr\\u202eTest")
    assert "reviewer" in row(capsys, "es")["problems"][0] and "U+202E" in row(capsys, "es")["problems"][0]


def test_a_sign_off_copied_to_another_language_is_refused(in_project, capsys):
    assert main(["review", "es", "--by", REVIEWER, "--code", sign_off_code(in_project, "es")]) == 0
    shutil.copy(sign_off_file(in_project, "es"), sign_off_file(in_project, "fr"))
    found = row(capsys, "fr")
    assert found["review"] == "broken" and "cannot be copied" in found["problems"][0]


def test_moving_a_sentence_into_the_warning_box_makes_the_sign_off_stale(in_project, capsys):
    assert main(["review", "en", "--by", REVIEWER, "--code", sign_off_code(in_project, "en")]) == 0
    assert row(capsys, "en")["review"] == "reviewed"
    leaflet = in_project.leaflets_dir / "leg-cramps.toml"
    edit(leaflet, f'  "{ASK}",\n', "")
    edit(leaflet, '  "This can be a sign of a blood clot.', f'  "{ASK}",\n  "This can be a sign of a blood clot.')
    found = row(capsys, "en")
    assert found["review"] == "stale"
    assert any("now printed in the warning box, was in the section supplements (text)" in change for change in found["changed_since_review"])


@pytest.mark.parametrize("code", ["", " ", "abc", "zzzzzzzzzzzz", "12345678 9"])
def test_a_sign_off_code_must_be_a_real_code(in_project, capsys, code):
    assert main(["review", "es", "--by", REVIEWER, "--code", code]) == 2
    assert "is not a sign-off code" in capsys.readouterr().err
    assert not sign_off_file(in_project).exists()


def test_a_wrong_code_is_refused(in_project, capsys):
    assert main(["review", "es", "--by", REVIEWER, "--code", "00000000"]) == 1
    assert "the text changed since the review packet" in capsys.readouterr().out
    assert not sign_off_file(in_project).exists()


@pytest.mark.parametrize("days, says", [(1, "is in the future"), (-4 * 366, "more than three years ago")])
def test_a_review_cannot_be_dated_in_the_future_or_long_ago(in_project, capsys, days, says):
    day = (dt.date.today() + dt.timedelta(days=days)).isoformat()
    assert main(["review", "es", "--by", REVIEWER, "--date", day, "--code", sign_off_code(in_project, "es")]) == 2
    assert says in capsys.readouterr().err
    assert not sign_off_file(in_project).exists()


def test_a_review_needs_the_code_of_the_packet(in_project, capsys):
    assert main(["review", "es", "--by", REVIEWER]) == 2
    assert "give the sign-off code printed on the review packet" in capsys.readouterr().err
    assert not sign_off_file(in_project).exists()
