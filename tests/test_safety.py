"""Untrusted text is escaped, the renderer reads nothing outside the project's assets, and a bad
edition is refused without touching the last good file."""

import os
import re

import pytest

from tests.support import edit
from leafletpress.pipeline.edition import BuildTools
from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest
from leafletpress.inputs.leaflet import load_leaflet
from leafletpress.inputs.formats import FORMATS
from leafletpress.inputs.languages import parse_language
from leafletpress.render.layout import ConfinedURLFetcher, LayoutTools, RefusedURL, lay_out, pdf_bytes
from leafletpress.i18n.review import UNREVIEWED, EditionReview, ReviewStatus
from leafletpress.inputs.edition import Edition
from leafletpress.render.html import page_context, render_html, template_environment
from leafletpress.i18n.template_strings import TEMPLATE_WORDS
from tests.pdfs import flat, text

HOSTILE = '<img src="file:///etc/hostname">'


class RecordingFetcher(ConfinedURLFetcher):
    def __init__(self, roots, seen):
        super().__init__(roots)
        self.seen = seen

    def fetch(self, url, headers=None):
        self.seen.append(url)
        return super().fetch(url, headers)


def spanish_html(project, hostile_msgid):
    leaflet = load_leaflet(project.leaflets_dir / "leg-cramps.toml")
    texts = {msgid: msgid for msgid in [*leaflet.strings(), *TEMPLATE_WORDS.values()]}
    texts[hostile_msgid] = f"Texto {HOSTILE} y <link rel=attachment href=file:///etc/hostname>"
    edition = Edition(leaflet, parse_language("es"), FORMATS["A4"])
    review = EditionReview(ReviewStatus(UNREVIEWED), ReviewStatus(UNREVIEWED))
    return render_html(template_environment(project.templates_dir), page_context(edition, texts, review))


def test_hostile_msgstr_prints_as_literal_text_and_nothing_is_fetched(project, tmp_path, monkeypatch):
    leaflet = load_leaflet(project.leaflets_dir / "leg-cramps.toml")
    html = spanish_html(project, leaflet.warning.paragraphs[0])
    assert HOSTILE not in html and "&lt;img src=" in html
    seen = []
    monkeypatch.setattr("leafletpress.render.layout.ConfinedURLFetcher", lambda roots: RecordingFetcher(roots, seen))
    laid_out = lay_out(html, project.templates_dir, [project.templates_dir], LayoutTools())
    assert laid_out.problems == ()
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(pdf_bytes(laid_out.document))
    assert flat(HOSTILE) in flat(text(pdf))
    assert not any("hostname" in url for url in seen)
    assert all(url.startswith(project.templates_dir.resolve().as_uri()) for url in seen), seen


@pytest.mark.parametrize(
    "url",
    ["file:///etc/hostname", "http://example.com/logo.png", "https://example.com/x.css", "ftp://example.com/x"],
)
def test_fetcher_refuses_anything_outside_the_assets(project, url):
    fetcher = ConfinedURLFetcher([project.templates_dir])
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_fetcher_refuses_a_symlink_that_leaves_the_assets(project):
    link = project.templates_dir / "icons" / "escape.svg"
    os.symlink("/etc/hostname", link)
    with pytest.raises(RefusedURL):
        ConfinedURLFetcher([project.templates_dir]).fetch(link.as_uri())


def test_fetcher_serves_assets_and_data_urls(project):
    fetcher = ConfinedURLFetcher([project.templates_dir])
    icon = fetcher.fetch((project.templates_dir / "icons" / "warning.svg").as_uri())
    assert icon.content_type == "image/svg+xml"
    pixel = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
    assert fetcher.fetch(pixel).read().startswith(b"<svg")
    with pytest.raises(RefusedURL, match="not an image"):
        fetcher.fetch("data:text/plain,hello")


def build_one(project, out, **options):
    request = BuildRequest(out=out, languages=("en",), formats=("A4",), **options)
    return build(project, request, tools=BuildTools.create(project)).editions[0]


def test_a_template_that_reaches_outside_is_refused(project, tmp_path):
    edit(project.templates_dir / "leaflet.html.j2", "<main>", '<main><img src="file:///etc/hostname">')
    result = build_one(project, tmp_path / "out")
    assert not result.ok
    assert any("refused to read /etc/hostname" in str(problem) for problem in result.problems)
    assert not (tmp_path / "out" / "leg-cramps_en_A4.pdf").exists()


def test_any_weasyprint_warning_fails_the_edition(project, tmp_path):
    (project.templates_dir / "print.css").write_text(
        (project.templates_dir / "print.css").read_text() + "\nh1 { colour: red; }\n"
    )
    result = build_one(project, tmp_path / "out")
    assert not result.ok
    assert any("WeasyPrint: Ignored `colour: red`" in str(problem) for problem in result.problems), result.problems


@pytest.mark.slow
def test_split_warning_section_is_refused_and_last_good_file_kept(project, tmp_path):
    out = tmp_path / "out"
    good = build_one(project, out)
    assert good.ok
    before = good.path.read_bytes()
    # Force a page break inside the warning box: the layout check must see it on two pages.
    (project.templates_dir / "print.css").write_text(
        (project.templates_dir / "print.css").read_text() + "\n.kind-warning p + p { break-before: page; }\n"
    )
    result = build_one(project, out)
    assert not result.ok
    assert any(re.search("the warning section (is split across pages|starts on page)", str(problem)) for problem in result.problems)
    assert good.path.read_bytes() == before
    assert sorted(path.name for path in out.glob("*.pdf")) == ["leg-cramps_en_A4.pdf"]
    assert not list(out.glob(".partial-*"))


def test_a_page_budget_overrun_is_refused(project, tmp_path):
    edit(project.leaflets_dir / "leg-cramps.toml", "A4 = 4", "A4 = 1")
    result = build_one(project, tmp_path / "out")
    assert any(re.search(r"needs \d pages; the leaflet allows 1", str(problem)) for problem in result.problems), result.problems
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_broken_leaflet_fails_alone(project, tmp_path):
    (project.leaflets_dir / "broken.toml").write_text('[leaflet]\nid = "broken"\n')
    result = build(project, BuildRequest(out=tmp_path / "out", languages=("en",), formats=("A5",)), tools=BuildTools.create(project))
    assert any("broken.toml: leaflet.published: is missing" in str(problem) for problem in result.leaflet_problems), result.leaflet_problems
    assert [edition.ok for edition in result.editions] == [True]
    assert not result.ok


def second_leaflet(project, ids: dict[str, str]) -> str:
    """A copy of the leaflet under another id, every section id renamed (the build must not
    depend on the shipped leaflet's ids)."""
    text = (project.leaflets_dir / "leg-cramps.toml").read_text(encoding="utf-8")
    text = text.replace('id = "leg-cramps"', 'id = "cramps-second"')
    for old, new in ids.items():
        text = text.replace(f'id = "{old}"', f'id = "{new}"')
    (project.leaflets_dir / "cramps-second.toml").write_text(text, encoding="utf-8")
    return "cramps-second"


SECOND_IDS = {"warning": "urgent", "causes": "why", "when": "timing", "prevent": "avoid", "supplements": "minerals", "relief": "during"}


@pytest.mark.slow
def test_a_leaflet_whose_warning_section_has_another_id_builds(project, tmp_path):
    leaflet_id = second_leaflet(project, SECOND_IDS)
    request = BuildRequest(out=tmp_path / "out", leaflets=(leaflet_id,), languages=("en",), formats=("A4", "A5"))
    result = build(project, request, tools=BuildTools.create(project))
    assert result.ok, [edition.problems for edition in result.editions]
    assert sorted(path.name for path in (tmp_path / "out").glob("*.pdf")) == ["cramps-second_en_A4.pdf", "cramps-second_en_A5.pdf"]


@pytest.mark.slow
def test_a_split_warning_section_is_found_whatever_its_id(project, tmp_path):
    leaflet_id = second_leaflet(project, SECOND_IDS)
    css = project.templates_dir / "print.css"
    css.write_text(css.read_text() + "\n.kind-warning p + p { break-before: page; }\n")
    request = BuildRequest(out=tmp_path / "out", leaflets=(leaflet_id,), languages=("en",), formats=("A4",))
    result = build(project, request, tools=BuildTools.create(project))
    assert any(re.search("the warning section (is split across pages|starts on page)", str(problem)) for problem in result.editions[0].problems)
