"""Scale: the A5-2up made from the A5's pages, sharded builds that merge into the single build,
results that come back from workers without their edition."""

import json
import pickle

import pytest

from leafletpress.cli import main
from leafletpress.pipeline import edition as edition_module
from leafletpress.pipeline.build import build, rendered_together
from leafletpress.pipeline.edition import EditionBuilder
from leafletpress.pipeline.plan import BuildRequest, plan_build, shard_indices
from leafletpress.inputs.fonts import FontLibrary, load_preferences

pytestmark = pytest.mark.slow


def plan_for(project, out, **options):
    request = BuildRequest(out=out, **options)
    return request, plan_build(project, request, FontLibrary(load_preferences(project.templates_dir / "fonts.toml")))


def test_the_two_up_is_imposed_from_the_a5_pages_laid_out_once(project, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    request, plan = plan_for(project, out, languages=("es",), formats=("A5", "A5-2up"))
    assert rendered_together(plan, [0, 1]) == [[0, 1]]
    layouts = []
    real = edition_module.checked_pages
    monkeypatch.setattr(edition_module, "checked_pages", lambda *args: layouts.append(args[1].format.name) or real(*args))
    a5, two_up = EditionBuilder(project, request).build_group(list(zip(plan.editions, plan.sources)))
    assert a5.ok and two_up.ok and layouts == ["A5"]
    import pypdfium2

    a5_pages, sheets = pypdfium2.PdfDocument(a5.path), pypdfium2.PdfDocument(two_up.path)
    assert len(sheets) == len(a5_pages)
    for page, sheet in zip(a5_pages, sheets):
        expected = " ".join(page.get_textpage().get_text_range().split())
        width, height = sheet.get_size()
        text = sheet.get_textpage()
        for left in (0, width / 2):  # each half of the sheet is the A5 page
            half = text.get_text_bounded(left=left, bottom=0, right=left + width / 2, top=height)
            assert " ".join(half.split()) == expected


def test_shards_are_balanced_disjoint_and_together_cover_the_plan(project, tmp_path):
    _, plan = plan_for(project, tmp_path / "out")
    parts = [shard_indices(plan.editions, number, 3) for number in (1, 2, 3)]
    assert sorted(index for part in parts for index in part) == list(range(len(plan.editions)))
    for part in parts:  # an A5 and its two-up sheet are in the same part
        names = {plan.editions[index].filename for index in part}
        assert all(name.replace("_A5-2up", "_A5") in names for name in names if "_A5-2up" in name)
    assert parts == [shard_indices(plan.editions, number, 3) for number in (1, 2, 3)]  # the same every time


def test_three_shards_merge_into_the_single_build(project, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(project.root)
    options = ["--lang", "es", "--lang", "ar", "--lang", "zh-Hans", "--format", "A5", "--format", "A5-2up", "--jobs", "1"]
    assert main([*options, "--out", str(tmp_path / "single")]) == 0
    for number in (1, 2, 3):
        assert main([*options, "--shard", f"{number}/3", "--out", str(tmp_path / f"shard{number}")]) == 0
    assert main(["merge", *(str(tmp_path / f"shard{number}") for number in (1, 2, 3)), "--out", str(tmp_path / "merged")]) == 0
    assert "merged 6 edition(s)" in capsys.readouterr().out
    single, merged = tmp_path / "single", tmp_path / "merged"
    assert (merged / "manifest.json").read_bytes() == (single / "manifest.json").read_bytes()
    assert (merged / "index.html").read_bytes() == (single / "index.html").read_bytes()
    for path in single.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            assert (merged / path.relative_to(single)).read_bytes() == path.read_bytes(), path.name
    # A shard folder changed since its build is refused whole.
    pdf = next((tmp_path / "shard2").glob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"%")
    assert main(["merge", str(tmp_path / "shard2"), "--out", str(tmp_path / "again")]) == 1
    assert "is not what its build wrote" in capsys.readouterr().err
    assert not list((tmp_path / "again").glob("*.pdf"))


@pytest.mark.parametrize("text", ["0/3", "4/3", "a/b", "1/0", "1"])
def test_a_shard_that_is_not_a_part_is_a_usage_error(project, monkeypatch, capsys, text):
    monkeypatch.chdir(project.root)
    assert main(["--shard", text]) == 2
    assert "is not a part such as 1/3" in capsys.readouterr().err


def test_worker_results_travel_without_their_edition(project, tmp_path):
    from leafletpress.pipeline.build import results_without_editions

    out = tmp_path / "out"
    out.mkdir()
    request, plan = plan_for(project, out, languages=("es",), formats=("A5",))
    builder = EditionBuilder(project, request)
    [full] = builder.build_group(list(zip(plan.editions, plan.sources)))
    [light] = results_without_editions(builder.build_group)(list(zip(plan.editions, plan.sources)))
    assert light.edition is None and light.sha256 == full.sha256
    assert len(pickle.dumps(light)) < len(pickle.dumps(full)) / 20
