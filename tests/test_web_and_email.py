"""The web page and the email draft of every language: the web page checked by axe-core (WCAG 2.2
A/AA) in the real Chromium, at a phone's and a desktop's width; the email parsed back with the
`email` package."""

import email
import re
import shutil
from email import policy
from pathlib import Path

import pytest

from leafletpress.inputs.languages import parse_language
from leafletpress.inputs.leaflet import load_leaflet
from tests.support import ROOT, shipped_languages, translated

LANGUAGES = ["en", *shipped_languages()]
LEAFLET = load_leaflet(ROOT / "leaflets" / "leg-cramps.toml")
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCREENSHOT_LANGUAGES = ["en", "ar", "zh-Hant", "ta"]


def web_page(built, lang) -> Path:
    return built[lang, "A4"].path.parent / f"leg-cramps_{lang}.html"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium")
    assert path, "Debian's chromium is installed by `make setup`"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        yield launched
        launched.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_web_page_is_self_contained_and_small(built, lang):
    html = web_page(built, lang).read_text(encoding="utf-8")
    language = parse_language(lang)
    assert f'<html lang="{lang}" dir="{language.direction}">' in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and 'src="icons/' not in html
    for landmark in ("<header", "<main", "<footer", 'aria-labelledby="section-warning-heading"'):
        assert landmark in html
    if language.script == "Latn":
        assert len(html.encode("utf-8")) <= 60 * 1024


@pytest.mark.parametrize("lang", LANGUAGES)
def test_web_page_passes_axe_and_reflows(built, browser, lang, tmp_path):
    path = web_page(built, lang)
    requests = []
    page = browser.new_page(viewport={"width": 320, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.add_script_tag(path=str(AXE))
    results = {}
    for width in (320, 390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        scrolls_sideways = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        found = []
        if width != 320:  # at 320 px only the reflow is measured
            found = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v => [v.id, v.help, v.nodes.length]))",
                WCAG_TAGS,
            )
        results[width] = (found, scrolls_sideways)
        if lang in SCREENSHOT_LANGUAGES and width in (390, 1280):
            page.screenshot(path=str(tmp_path / f"{lang}-{width}.png"), full_page=True)
    page.close()
    assert all(not found for found, _ in results.values()), results
    assert not any(sideways for _, sideways in results.values()), "the page must reflow without sideways scrolling"
    assert all(url.startswith(("file://", "data:")) for url in requests), requests


@pytest.mark.parametrize("lang", LANGUAGES)
def test_email_draft(built, lang):
    edition = built[lang, "phone"]
    draft = edition.path.parent / f"leg-cramps_{lang}.eml"
    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1" and message["To"] is None
    assert message["Subject"] == translated(lang, LEAFLET.title)
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    warning = [translated(lang, text) for text in LEAFLET.warning.strings()]
    english = list(LEAFLET.warning.strings())
    for text in warning + english:
        assert text in plain, text
    assert translated(lang, "Please read this now, even if you do not open the file:", "leafletpress") in plain
    assert f'lang="{lang}"' in html
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    own = "English" if lang == "en" else parse_language(lang).native_name
    assert attachments[0].get_filename() == f"Leg cramps in pregnancy - {own}.pdf"
    if not own.isascii():  # RFC 2231: every mail client reads the name back in its own script
        assert re.search(rb"filename\*(0\*)?=utf-8''Leg%20cramps%20in%20pregnancy%20-%20", draft.read_bytes())
    assert attachments[0].get_content() == edition.path.read_bytes()


def test_email_with_a_clinic_gives_its_number_in_both_languages(in_project, tmp_path):
    from leafletpress.cli import main

    out = tmp_path / "out"
    assert main(["email", "--lang", "so", "--clinic", str(ROOT / "examples" / "clinic" / "clinic.toml"), "--out", str(out)]) == 0
    raw = (out / "leg-cramps_so.eml").read_bytes()
    assert b'filename="Leg cramps in pregnancy - Soomaali.pdf"' in raw
    message = email.message_from_bytes(raw, policy=policy.default)
    plain = message.get_body(preferencelist=("plain",)).get_content()
    assert plain.count("0161 496 0000") == 2 and "Riverside Maternity Assessment Unit" in plain
    assert "24 saacadood, 7 maalmood" in plain and "24 hours, 7 days" in plain
    assert next(message.iter_attachments()).get_content() == (out / "leg-cramps_so_phone.pdf").read_bytes()


def test_email_is_refused_when_its_edition_is(project, tmp_path, monkeypatch):
    from babel.messages.pofile import read_po, write_po

    from leafletpress.cli import main

    path = project.locales_dir / "so" / "LC_MESSAGES" / "leg-cramps.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    catalog.get(LEAFLET.warning.heading).string = ""
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=79)
    monkeypatch.chdir(project.root)
    out = tmp_path / "out"
    assert main(["email", "--lang", "so", "--out", str(out)]) == 1
    assert not (out / "leg-cramps_so.eml").exists()


def test_email_keeps_the_number_in_order_in_right_to_left_text_and_says_what_is_unchecked(in_project, tmp_path):
    from leafletpress.cli import main

    out = tmp_path / "out"
    assert main(["email", "--lang", "ar", "--clinic", str(ROOT / "examples" / "clinic" / "clinic.toml"), "--out", str(out)]) == 0
    message = email.message_from_bytes((out / "leg-cramps_ar.eml").read_bytes(), policy=policy.default)
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "\u20660161 496 0000\u2069" in plain and '<bdi dir="ltr">0161 496 0000</bdi>' in html
    assert "www.riverside-maternity.example" in plain  # the box's lines in full
    assert translated("ar", "A clinician has not yet checked this leaflet or this translation.", "leafletpress") in plain
    assert "A clinician has not yet checked this leaflet or this translation." in plain


def test_web_page_and_email_are_made_again_when_deleted_or_changed_and_are_reproducible(in_project, tmp_path):
    from leafletpress.cli import main

    out = tmp_path / "out"
    build = ["--lang", "es", "--format", "A4", "--format", "phone", "--jobs", "1", "--out", str(out)]
    assert main(build) == 0
    page, draft = out / "leg-cramps_es.html", out / "leg-cramps_es.eml"
    first_page, first_draft = page.read_bytes(), draft.read_bytes()
    page.unlink()
    draft.write_text("tampered")
    assert main(build) == 0
    assert page.read_bytes() == first_page and draft.read_bytes() == first_draft  # the same edition, the same bytes
    # Another format's email draft has a name of its own and leaves the phone's alone.
    assert main(["email", "--lang", "es", "--format", "A4", "--out", str(out)]) == 0
    assert (out / "leg-cramps_es_A4.eml").is_file() and draft.read_bytes() == first_draft
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"email": "leg-cramps_es_A4.eml"' in manifest and '"email": "leg-cramps_es.eml"' in manifest
