"""The command line: output lines, summary, exit codes, --help."""

import pytest

from tests.support import edit
from leafletpress.cli import main


def test_builds_the_requested_editions_and_exits_0(in_project, capsys, tmp_path):
    out = tmp_path / "out"
    code = main(["--lang", "en", "--format", "A5", "--out", str(out)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines[0].startswith("wrote") and "leg-cramps_en_A5.pdf" in lines[0] and "page(s)" in lines[0] and "KB" in lines[0]
    assert lines[-1].startswith("1 edition(s) written, 0 up to date, 0 failed")
    assert sorted(path.name for path in out.glob("*.pdf")) == ["leg-cramps_en_A5.pdf"]
    assert not list(out.glob(".partial-*"))


def test_unknown_language_is_a_usage_error_listing_the_available_ones(in_project, capsys):
    assert main(["--lang", "xx"]) == 2
    error = capsys.readouterr().err
    assert "no catalogs for xx" in error and "available: en" in error and "es" in error


@pytest.mark.parametrize("option", [["--format", "A3"], ["--leaflet", "nope"], ["--lang", "not a tag!"]])
def test_other_usage_errors_exit_2(in_project, option, capsys):
    assert main(option) == 2
    assert "error:" in capsys.readouterr().err


def test_a_failed_edition_exits_1_and_the_others_are_written(in_project, capsys, tmp_path):
    # A5 gets a budget it cannot meet; A4 is still written.
    edit(in_project.leaflets_dir / "leg-cramps.toml", "A5 = 8", "A5 = 1")
    out = tmp_path / "out"
    assert main(["--lang", "en", "--format", "A4", "--format", "A5", "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "FAILED  leg-cramps_en_A5.pdf" in printed and "the leaflet allows 1" in printed
    assert "1 edition(s) written, 0 up to date, 1 failed" in printed
    assert sorted(path.name for path in out.glob("*.pdf")) == ["leg-cramps_en_A4.pdf"]
    assert not list(out.glob(".partial-*"))


def test_help_explains_commands_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    for word in ("extract", "init LANG", "update", "status", "check", "exit codes", "build/leaflets"):
        assert word in text
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = capsys.readouterr().out
    for option in ("--leaflet", "--lang", "--format", "--out", "--draft"):
        assert option in text
