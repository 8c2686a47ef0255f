"""The leaflet data: structure rules on load, plain English, every fact of the source and no other."""

import re
from pathlib import Path

import pytest

from tests.support import ROOT, edit
from leafletpress.inputs.leaflet import LeafletError, load_leaflet
from leafletpress.core.readability import flesch_kincaid_grade

LEAFLET = ROOT / "leaflets" / "leg-cramps.toml"

# Each fact of the source text and words that show the leaflet carries it.
SOURCE_FACTS = {
    "the real cause is unknown": ["Nobody knows the real cause"],
    "cause: extra weight tires the leg muscles": ["extra weight", "tires your leg muscles"],
    "cause: womb pressing on blood vessels back to the heart": ["womb pressing on the blood vessels", "back to your heart"],
    "cause: womb pressing on nerves to the legs": ["womb pressing on the nerves", "to your legs"],
    "cramps start in the middle of pregnancy": ["start in the middle of pregnancy"],
    "cramps grow as pregnancy and the bump grow": ["worse as your pregnancy goes on", "bump grows"],
    "worst at night": ["worst at night"],
    "can spoil sleep": ["spoil your sleep"],
    "tip: not standing or sitting cross-legged for long": ["Do not stand, or sit with your legs crossed, for a long time"],
    "tip: stretch calves during the day and before bed": ["Stretch your calf muscles often during the day", "before you go to bed"],
    "tip: turn ankles and toes when sitting to eat or watch TV": ["Turn your ankles and toes", "eat or watch TV"],
    "tip: walk daily unless the doctor says not to": ["walk every day, unless your doctor"],
    "tip: avoid getting too tired; lie on the left side": ["not to get too tired", "Lie on your left side"],
    "tip: drink plenty of water": ["Drink plenty of water"],
    "tip: bath before bed to relax": ["bath before bed to relax your muscles"],
    "magnesium: some studies help": ["Some studies found that taking magnesium"],
    "magnesium: other studies no real help for frequent or bad cramps": ["Other studies found that magnesium did not really help", "often or badly"],
    "ask a doctor before any supplement": ["ask your doctor before you take any supplement"],
    "calcium: a common belief": ["sign of too little calcium"],
    "calcium: enough calcium matters": ["important to get enough calcium"],
    "calcium: not enough evidence": ["not enough proof that extra calcium eases leg cramps"],
    "calcium: a well-designed study found no benefit": ["well-designed study", "no more relief"],
    "during a cramp: stretch straight away": ["Stretch your calf muscles straight away"],
    "during a cramp: straighten the leg, heel first": ["Straighten your leg, heel first"],
    "during a cramp: pull toes towards the shin": ["pull your toes up towards your shin"],
    "may hurt at first, then eases": ["may hurt a little at first", "pain slowly goes away"],
    "massage, hot-water bottle, walking": ["rub the muscle", "hot-water bottle", "walking around"],
    "warning: an ache that goes on, not a passing cramp": ["keeps aching, rather than a cramp that comes and goes"],
    "warning: perhaps with swelling": ["swollen"],
    "warning: contact doctor or midwife straight away": ["Contact your doctor or midwife straight away"],
    "warning: may be a blood clot": ["sign of a blood clot"],
    "warning: clots rare but more likely in pregnancy": ["Blood clots are rare, but they are more likely in pregnancy"],
    "warning: needs treatment at once": ["needs treatment at once"],
}


def all_text(leaflet) -> str:
    return " ".join(leaflet.strings())


def test_the_leaflet_loads_with_its_metadata():
    leaflet = load_leaflet(LEAFLET)
    assert leaflet.id == "leg-cramps"
    assert leaflet.code and leaflet.version and leaflet.sources
    assert (leaflet.review_due - leaflet.published).days <= 3 * 366
    assert set(leaflet.page_budget) >= {"A4", "A5"}
    assert [section.kind for section in leaflet.sections].count("warning") == 1


@pytest.mark.parametrize("fact", SOURCE_FACTS)
def test_every_fact_of_the_source_is_in_the_leaflet(fact):
    text = all_text(load_leaflet(LEAFLET))
    for words in SOURCE_FACTS[fact]:
        assert words in text, f"{fact}: {words!r} not found"


def test_the_warning_section_carries_the_warning_facts():
    warning = " ".join(load_leaflet(LEAFLET).warning.strings())
    for fact in (fact for fact in SOURCE_FACTS if fact.startswith("warning:")):
        assert all(words in warning for words in SOURCE_FACTS[fact]), fact


def test_no_numbers_doses_or_drug_names_the_source_does_not_have():
    """The source gives no dose, week or product; an invented one would be a new medical claim."""
    body = " ".join(s for s in load_leaflet(LEAFLET).strings() if "reference" not in s)
    assert not re.search(r"\d", body)
    for invented in ("mg", "paracetamol", "ibuprofen", "quinine", "potassium", "sodium", "banana", "weeks"):
        assert not re.search(rf"\b{invented}\b", body, re.IGNORECASE), invented


def test_plain_english_grade_7_or_lower():
    leaflet = load_leaflet(LEAFLET)
    body = [s for s in leaflet.strings() if s not in leaflet.sources]
    text = " ".join(s if s.rstrip()[-1] in ".?:!" else s + "." for s in body)
    assert flesch_kincaid_grade(text) <= 7


def test_readability_formula_tells_hard_text_from_easy():
    easy = "Drink water. Walk every day. Rest on your left side."
    hard = "Pharmacological supplementation demonstrates inconsistent efficacy regarding nocturnal gastrocnemius contractions during gestation."
    assert flesch_kincaid_grade(easy) < 3 < 12 < flesch_kincaid_grade(hard)


def copy_leaflet(tmp_path: Path) -> Path:
    target = tmp_path / "leg-cramps.toml"
    target.write_text(LEAFLET.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_loader_rejects_a_leaflet_without_a_warning_section(tmp_path):
    path = copy_leaflet(tmp_path)
    edit(path, 'kind = "warning"', 'kind = "text"')
    with pytest.raises(LeafletError, match=r"leg-cramps.toml: section: needs exactly one section of kind 'warning', found 0"):
        load_leaflet(path)


def test_loader_rejects_two_warning_sections(tmp_path):
    path = copy_leaflet(tmp_path)
    edit(path, 'id = "when"\nkind = "text"', 'id = "when"\nkind = "warning"')
    edit(path, 'picture = "calendar"\n', "")  # a warning section has the triangle, not a picture
    with pytest.raises(LeafletError, match="found 2"):
        load_leaflet(path)


@pytest.mark.parametrize(
    "line, field",
    [
        ('code = "LP-PREG-001"\n', "leaflet.code"),
        ('version = "1.0"\n', "leaflet.version"),
        ("published = 2026-11-25\n", "leaflet.published"),
        ("review = 2029-11-25\n", "leaflet.review"),
        ('title = "Leg cramps in pregnancy"\n', "leaflet.title"),
        ("A4 = 4\n", "leaflet.pages.A4"),
    ],
)
def test_loader_names_the_file_and_the_missing_field(tmp_path, line, field):
    path = copy_leaflet(tmp_path)
    edit(path, line, "")
    with pytest.raises(LeafletError) as raised:
        load_leaflet(path)
    assert str(path) in str(raised.value)
    assert f": {field}: is missing" in str(raised.value)


def test_loader_rejects_missing_sources_and_page_budget(tmp_path):
    path = copy_leaflet(tmp_path)
    text = path.read_text(encoding="utf-8")
    start, end = text.index("sources = ["), text.index("]\n", text.index("sources = [")) + 2
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(LeafletError, match="leaflet.sources: is missing"):
        load_leaflet(path)


def test_loader_rejects_a_review_date_more_than_three_years_on(tmp_path):
    path = copy_leaflet(tmp_path)
    edit(path, "review = 2029-11-25", "review = 2029-11-26")
    with pytest.raises(LeafletError, match="leaflet.review: must be at most 3 years"):
        load_leaflet(path)


def test_loader_rejects_a_section_without_a_heading(tmp_path):
    path = copy_leaflet(tmp_path)
    edit(path, 'heading = "When do they happen?"\n', "")
    with pytest.raises(LeafletError, match="section 'when'.heading: is missing"):
        load_leaflet(path)


def test_loader_reports_broken_toml_with_the_file(tmp_path):
    path = copy_leaflet(tmp_path)
    edit(path, 'id = "leg-cramps"', 'id = "leg-cramps')
    with pytest.raises(LeafletError, match=r"leg-cramps.toml: file: is not valid TOML"):
        load_leaflet(path)
