"""Bilingual editions (English beside the language) and the visual index of every edition."""

import re
import shutil
from html.parser import HTMLParser

import pypdfium2
import pytest

from tests.support import ROOT, heading_box, shipped_languages, translated
from leafletpress.pipeline.edition import BuildTools
from leafletpress.pipeline.build import build
from leafletpress.pipeline.plan import BuildRequest
from leafletpress.inputs.leaflet import load_leaflet
from leafletpress.render.pdf_checks import comparable

LEAFLET = load_leaflet(ROOT / "leaflets" / "leg-cramps.toml")


LANGUAGES = shipped_languages()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_bilingual_edition_has_both_warnings_on_one_page_within_budget(built, lang):
    edition = built[f"{lang}", "A4-bilingual"] if (lang, "A4-bilingual") in built else None
    assert edition is not None and edition.ok
    assert edition.path.name == f"leg-cramps_{lang}+en_A4.pdf"
    assert edition.pages <= LEAFLET.page_budget["A4"] + 2
    document = pypdfium2.PdfDocument(str(edition.path))
    english = comparable(LEAFLET.warning.heading)
    own_words = translated(lang, LEAFLET.warning.heading).split()
    pages = []
    for number, page in enumerate(document, 1):
        width, height = page.get_size()
        textpage = page.get_textpage()
        left = comparable(textpage.get_text_bounded(0, 0, width / 2, height))
        right = comparable(textpage.get_text_bounded(width / 2, 0, width, height))
        if english in left and all(comparable(word) in right for word in own_words):
            pages.append(number)
    assert len(pages) == 1  # both headings, each in its own column, on the same single page


@pytest.mark.parametrize("lang", ["ar", "ur", "es"])
def test_each_column_on_its_side(built, lang):
    path = built[lang, "A4-bilingual"].path
    left, right, width = heading_box(path, LEAFLET.warning.heading)
    assert right < width / 2  # English on the left
    own = translated(lang, LEAFLET.warning.heading)
    document = pypdfium2.PdfDocument(str(path))
    page = document[0]
    textpage = page.get_textpage()
    boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars()) if textpage.get_text_range(i, 1) in own and textpage.get_text_range(i, 1).strip()]
    own_boxes = [box for box in boxes if box[0] > width / 2]
    assert own_boxes and min(box[0] for box in own_boxes) > width / 2  # the language, right-to-left or not, on the right


def test_english_has_no_bilingual_edition(built):
    assert ("en", "A4-bilingual") not in built


def test_the_gates_apply_to_the_bilingual_edition(project, tmp_path):
    catalog = project.locales_dir / "es" / "LC_MESSAGES" / "leg-cramps.po"
    text = catalog.read_text(encoding="utf-8")
    heading = f'msgid "{LEAFLET.warning.heading}"'
    catalog.write_text(text.replace(heading, "#, fuzzy\n" + heading), encoding="utf-8")
    result = build(project, BuildRequest(out=tmp_path, languages=("es",), formats=("A4", "A4-bilingual")), tools=BuildTools.create(project))
    assert [edition.ok for edition in result.editions] == [False, False]
    assert all("warning box:" in str(edition.problems[0]) for edition in result.editions)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.images = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.hrefs.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs["src"])


def read_index(out):
    parser = Links()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    return parser


def test_index_lists_every_pdf_and_nothing_else(built):
    out = next(iter(built.values())).path.parent
    index = read_index(out)
    pages_and_drafts = {path.name for path in [*out.glob("*.html"), *out.glob("*.eml")] if path.name != "index.html"}
    assert set(index.hrefs) == {path.name for path in out.glob("*.pdf")} | pages_and_drafts
    assert all(not re.match(r"^[a-z]+:", href) for href in index.hrefs + index.images)  # relative: works from disk
    for image in index.images:
        assert (out / image).is_file() and (out / image).stat().st_size < 15_000
    html = (out / "index.html").read_text(encoding="utf-8")
    for native, english in (("العربية", "Arabic"), ("español", "Spanish"), ("中文 (简体)", "Chinese (Simplified)"), ("বাংলা", "Bangla")):
        assert native in html and english in html


@pytest.mark.slow
def test_index_follows_the_folder_when_files_go(repo, repo_tools, tmp_path):
    build(repo, BuildRequest(out=tmp_path, languages=("en",), formats=("A4", "A5")), tools=repo_tools)
    (tmp_path / "leg-cramps_en_A5.pdf").unlink()
    build(repo, BuildRequest(out=tmp_path, languages=("es",), formats=("A5",)), tools=repo_tools)
    index = read_index(tmp_path)
    assert sorted(set(index.hrefs)) == ["leg-cramps_en.html", "leg-cramps_en_A4.pdf", "leg-cramps_es_A5.pdf"]
    assert sorted(path.name for path in (tmp_path / "thumbnails").iterdir()) == ["leg-cramps_en_A4.png", "leg-cramps_es_A5.png"]


def test_index_in_a_real_headless_browser(built, tmp_path):
    """Every link and image resolves from disk, nothing goes to the network, and the page shows."""
    from playwright.sync_api import sync_playwright

    browser_path = shutil.which("chromium")
    assert browser_path, "Debian's chromium is installed by `make setup`"
    out = next(iter(built.values())).path.parent
    requests = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        page.on("request", lambda request: requests.append(request.url))
        page.goto((out / "index.html").as_uri())
        page.wait_for_load_state("load")
        broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        links = page.evaluate("Array.from(document.links).map(a => a.href)")
        page.screenshot(path=str(tmp_path / "index.png"), full_page=False)
        browser.close()
    assert broken == []
    assert links and all(link.startswith("file://") for link in links)
    for link in links:
        assert (out / link.rsplit("/", 1)[-1]).is_file()
    assert all(url.startswith(("file://", "data:")) for url in requests), [u for u in requests if not u.startswith("file")]
    assert (tmp_path / "index.png").stat().st_size > 20_000


def test_whole_build_tests_share_one_build(built):
    """The session-wide build is made once for every test process: one folder, one saved result."""
    out = next(iter(built.values())).path.parent
    assert all((out / f"leg-cramps_{lang}_A4.pdf").is_file() for lang, _ in built)
    assert sorted(path.name for path in out.parent.glob("built*")) == ["built", "built.lock", "built.pickle"]
