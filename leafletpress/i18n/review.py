"""Clinical sign-off: who checked a leaflet's text in a language, and exactly what they checked.

A sign-off is kept in `reviews/<leaflet>/<lang>.toml`, written by `make_leaflets.py review`. It
holds every string the reviewer saw — English and translation, of the leaflet's catalog and of the
template's words, each with where it is printed — and a fingerprint of them all. Any later change,
to the English, to the translation or to where a string is printed (into or out of the warning
box), makes the sign-off stale, and `changes_since` lists exactly which strings changed, so the
clinician re-reviews only those. English has a sign-off of its own (the content review).

A second fingerprint, the seal, covers the whole file (leaflet, language, reviewer, date and
strings): a name or date edited by hand makes the file unreadable rather than quietly believed.
The seal guards against mistakes, not forgery; the repository's history says who committed a
sign-off.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from leafletpress.core.characters import visible
from leafletpress.core.files import read_toml
from leafletpress.core.problems import InputError
from leafletpress.i18n.catalogs import LanguageCatalogs, is_fuzzy
from leafletpress.i18n.template_strings import TEMPLATE_DOMAIN, TEMPLATE_WORDS, WARNING_BOX_WORDS
from leafletpress.inputs.languages import Language
from leafletpress.inputs.leaflet import Leaflet

REVIEWS_DIR = "reviews"
REVIEWED, STALE, UNREVIEWED = "reviewed", "stale", "unreviewed"


class SignOffError(InputError):
    """A sign-off file that cannot be read; the message names the file and the field."""


@dataclass(frozen=True)
class ReviewedString:
    domain: str
    english: str
    translation: str  # "" when it has none (untranslated or fuzzy): such a text cannot be signed off
    place: str = ""  # where it is printed: "warning box", "title", "section causes (list)", "page words"

    @property
    def key(self) -> tuple[str, str]:
        return self.domain, self.english


@dataclass(frozen=True)
class SignOff:
    leaflet: str
    language: str  # BCP 47
    reviewer: str
    date: dt.date
    strings: tuple[ReviewedString, ...]

    @property
    def fingerprint(self) -> str:
        """Of the text signed off: what `review --code` and the review packet's code are cut from."""
        return fingerprint(self.strings)

    @property
    def seal(self) -> str:
        """Of the whole sign-off, who and when included."""
        data = json.dumps([self.leaflet, self.language, self.reviewer, self.date.isoformat(), self.fingerprint])
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    """One string that differs from what the reviewer signed off."""

    kind: str  # "new", "removed", "English changed", "translation changed", "moved", "reordered"
    domain: str
    english: str  # today's English (the old one for "removed")
    old_english: str = ""
    old_translation: str = ""
    translation: str = ""  # today's translation
    old_place: str = ""
    place: str = ""

    def describe(self) -> str:
        if self.kind == "moved":
            return f"{self.english!r}: now printed in the {self.place}, was in the {self.old_place}"
        if self.kind == "reordered":
            return f"{self.english!r}: moved to another position in the {self.place}"
        if self.kind == "English changed":
            return f"English changed: {self.old_english!r} → {self.english!r}"
        if self.kind == "translation changed":
            return f"{self.english!r}: translation changed: {self.old_translation!r} → {self.translation!r}"
        return f"{self.kind}: {self.english!r}"


@dataclass(frozen=True)
class ReviewStatus:
    state: str  # reviewed / stale / unreviewed ("source" is never used: English is reviewed too)
    sign_off: SignOff | None = None
    changes: tuple[Change, ...] = field(default=())

    @property
    def reviewer(self) -> str:
        return self.sign_off.reviewer if self.sign_off and self.state == REVIEWED else ""

    @property
    def date(self) -> dt.date | None:
        return self.sign_off.date if self.sign_off and self.state == REVIEWED else None

    def as_dict(self) -> dict:
        signed = self.sign_off
        return {
            "state": self.state,
            "reviewer": signed.reviewer if signed else "",
            "date": signed.date.isoformat() if signed else "",
            "changed_since": [change.describe() for change in self.changes],
        }


def fingerprint(strings: Iterable[ReviewedString]) -> str:
    data = json.dumps([[item.domain, item.english, item.translation, item.place] for item in strings], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def sign_off_path(root: Path, leaflet_id: str, language: Language) -> Path:
    return Path(root) / REVIEWS_DIR / leaflet_id / f"{language.tag}.toml"


def printed_strings(leaflet: Leaflet, catalogs: LanguageCatalogs) -> tuple[ReviewedString, ...]:
    """Every string an edition of this leaflet may print, with what it prints in the language and
    where: the leaflet's own strings in reading order, then the template's words."""
    in_box = {TEMPLATE_WORDS[key] for key in WARNING_BOX_WORDS}
    words = {msgid: "warning box" if msgid in in_box else "page words" for msgid in TEMPLATE_WORDS.values()}
    pairs = []
    for domain, places, catalog in ((leaflet.id, leaflet.places(), catalogs.leaflet), (TEMPLATE_DOMAIN, words, catalogs.words)):
        for msgid, place in places.items():
            if catalog is None:  # English: the text is its own
                pairs.append(ReviewedString(domain, msgid, msgid, place))
                continue
            message = catalog.get(msgid)
            usable = message is not None and not is_fuzzy(message) and isinstance(message.string, str) and visible(message.string)
            pairs.append(ReviewedString(domain, msgid, message.string if usable else "", place))
    return tuple(pairs)


def review_status(current: tuple[ReviewedString, ...], sign_off: SignOff | None) -> ReviewStatus:
    if sign_off is None:
        return ReviewStatus(UNREVIEWED)
    if fingerprint(current) == sign_off.fingerprint:
        return ReviewStatus(REVIEWED, sign_off)
    return ReviewStatus(STALE, sign_off, changes_since(sign_off.strings, current))


def changes_since(old: tuple[ReviewedString, ...], new: tuple[ReviewedString, ...]) -> tuple[Change, ...]:
    """The strings that differ, old and new text side by side. Strings are matched by their English;
    an English string that was replaced is paired with its replacement by position."""
    changes: list[Change] = []
    old_keys, new_keys = [item.key for item in old], [item.key for item in new]
    matcher = difflib.SequenceMatcher(a=old_keys, b=new_keys, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed, added = list(old[a_start:a_end]), list(new[b_start:b_end])
        if operation == "equal":
            for was, now in zip(removed, added):
                if was.translation != now.translation:
                    changes.append(Change("translation changed", now.domain, now.english, was.english, was.translation, now.translation))
                if was.place != now.place:
                    changes.append(Change("moved", now.domain, now.english, was.english, was.translation, now.translation, was.place, now.place))
            continue
        for was, now in zip(removed, added):
            if was.domain == now.domain:
                changes.append(Change("English changed", now.domain, now.english, was.english, was.translation, now.translation))
            else:
                changes.append(Change("removed", was.domain, was.english, old_translation=was.translation))
                changes.append(Change("new", now.domain, now.english, translation=now.translation))
        changes += [Change("removed", was.domain, was.english, old_translation=was.translation) for was in removed[len(added):]]
        changes += [Change("new", now.domain, now.english, translation=now.translation) for now in added[len(removed):]]
    return tuple(_moves(changes, {item.key: item for item in old}, {item.key: item for item in new}))


def _moves(changes: list[Change], old: dict, new: dict) -> list[Change]:
    """A string "removed" in one place and "new" in another was moved: say so, once."""
    keys = lambda kind: {(change.domain, change.english) for change in changes if change.kind == kind}
    moved = keys("removed") & keys("new")
    found = [change for change in changes if (change.domain, change.english) not in moved or change.kind not in ("removed", "new")]
    for key in sorted(moved, key=list(new).index):
        was, now = old[key], new[key]
        kind = "moved" if was.place != now.place else "reordered"
        found.append(Change(kind, now.domain, now.english, was.english, was.translation, now.translation, was.place, now.place))
        if was.translation != now.translation:
            found.append(Change("translation changed", now.domain, now.english, was.english, was.translation, now.translation))
    return found


def read_sign_off(path: Path) -> SignOff | None:
    """The sign-off in `path`, or None when there is none. A damaged file is an error naming the field."""
    if not path.exists() and not path.is_symlink():
        return None
    data = read_toml(path, SignOffError, inside=path.parent.parent)
    for name, kind in (("leaflet", str), ("language", str), ("reviewer", str), ("date", dt.date), ("strings", list)):
        if type(data.get(name)) is not kind:  # not isinstance: a TOML date-time is a date too
            raise SignOffError(path, name, "is missing or of the wrong kind: run `make_leaflets.py review` again")
    for name, expected in (("leaflet", path.parent.name), ("language", path.stem)):
        if data[name] != expected:
            raise SignOffError(path, name, f"is '{data[name]}', but the file is the sign-off of '{expected}': a sign-off cannot be copied to another leaflet or language")
    strings = []
    for index, item in enumerate(data["strings"]):
        if not isinstance(item, dict) or not all(isinstance(item.get(key), str) for key in ("domain", "english", "translation", "place")):
            raise SignOffError(path, f"strings[{index}]", "needs domain, english, translation and place")
        strings.append(ReviewedString(item["domain"], item["english"], item["translation"], item["place"]))
    problem = reviewer_problem(data["reviewer"])
    if problem:
        raise SignOffError(path, "reviewer", problem)
    if data["date"] > dt.date.today():
        raise SignOffError(path, "date", f"{data['date']} is in the future: a sign-off records a review that has happened")
    sign_off = SignOff(data["leaflet"], data["language"], data["reviewer"], data["date"], tuple(strings))
    if data.get("fingerprint") != sign_off.fingerprint:
        raise SignOffError(path, "fingerprint", "does not match the strings: the file was edited by hand; run `review` again")
    if data.get("seal") != sign_off.seal:
        raise SignOffError(path, "seal", "does not match the reviewer, date and strings: the file was edited by hand; run `review` again")
    return sign_off


def sign_off_bytes(sign_off: SignOff, language_name: str) -> bytes:
    import tomli_w

    header = (
        f"# Clinical sign-off of leaflet '{sign_off.leaflet}' in {language_name} ({sign_off.language}).\n"
        "# Written by `make_leaflets.py review`; do not edit. Any change to a string below, in English\n"
        "# or in the translation, makes this sign-off stale until those strings are reviewed again.\n\n"
    )
    body = {
        "leaflet": sign_off.leaflet,
        "language": sign_off.language,
        "reviewer": sign_off.reviewer,
        "date": sign_off.date,
        "fingerprint": sign_off.fingerprint,
        "seal": sign_off.seal,
        "strings": [{"domain": s.domain, "english": s.english, "translation": s.translation, "place": s.place} for s in sign_off.strings],
    }
    return (header + tomli_w.dumps(body, multiline_strings=False)).encode("utf-8")


@dataclass(frozen=True)
class EditionReview:
    """An edition's review state: its English content's, and its translation's (None for English)."""

    content: ReviewStatus
    translation: ReviewStatus | None = None

    @property
    def label(self) -> str:
        """One word for lists: reviewed only when the content and the translation both are."""
        states = [self.content.state] + ([self.translation.state] if self.translation else [])
        return next(state for state in (STALE, UNREVIEWED, REVIEWED) if state in states)

    def notice_keys(self) -> list[str]:
        """The template words that say, on page 1, what a clinician has not checked."""
        content, translation = self.content.state, self.translation.state if self.translation else REVIEWED
        if content == UNREVIEWED and translation == UNREVIEWED:
            return ["notice_both_unreviewed"]
        keys = []
        if content != REVIEWED:
            keys.append(f"notice_content_{content}")
        if translation != REVIEWED:
            keys.append(f"notice_translation_{translation}")
        return keys

    def as_dict(self) -> dict:
        return {
            "state": self.label,
            "content": self.content.as_dict(),
            "translation": self.translation.as_dict() if self.translation else None,
        }


def edition_review(root: Path, leaflet: Leaflet, language: Language, catalogs: LanguageCatalogs) -> tuple[EditionReview, list[str]]:
    """The review state of an edition, and notes on sign-off files that could not be read (their
    edition then counts as unreviewed, which is what its pages say)."""
    from leafletpress.inputs.languages import SOURCE_LANGUAGE, parse_language

    notes: list[str] = []

    def status(tongue: Language, language_catalogs: LanguageCatalogs) -> ReviewStatus:
        try:
            sign_off = read_sign_off(sign_off_path(root, leaflet.id, tongue))
        except SignOffError as error:
            notes.append(str(error))
            sign_off = None
        return review_status(printed_strings(leaflet, language_catalogs), sign_off)

    content = status(parse_language(SOURCE_LANGUAGE), LanguageCatalogs())
    translation = None if language.is_source else status(language, catalogs)
    return EditionReview(content, translation), notes


MAX_REVIEWER = 120


def reviewer_problem(name: str) -> str | None:
    """Why this reviewer's name may not be recorded, or None. It is printed on every page."""
    hidden = [char for char in name if char != " " and (not char.isprintable() or not visible(char))]
    if hidden:
        codes = ", ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(hidden))
        return f"contains control or invisible characters ({codes}); type the name and role as they should be printed"
    if not any(char.isalpha() for char in name):
        return "needs the reviewer's name and role, e.g. \"Dr Ana García, consultant obstetrician\""
    if len(name.strip()) > MAX_REVIEWER:
        return f"is {len(name.strip())} characters long; at most {MAX_REVIEWER}"
    if any(char in name for char in "<>{}"):
        return "may not contain < > { }"
    return None


def unsignable(current: tuple[ReviewedString, ...], problems) -> list[str]:
    """Why these strings cannot be signed off: untranslated or fuzzy strings, and every error the
    build or `check` would report. Empty when they can."""
    reasons = [str(problem) for problem in problems if problem.is_error]
    reasons += [f"{item.domain}: {item.english[:60]!r} has no usable translation (untranslated or fuzzy)" for item in current if not item.translation]
    return list(dict.fromkeys(reasons))
