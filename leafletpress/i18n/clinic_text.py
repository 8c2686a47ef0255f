"""The clinic's own text, held to the rules translations are held to: it is printed in the warning box.

A clinic gives its opening hours and a note in English and, if it likes, in other languages. Each
language's text is checked against the English as a translation of the warning box is: no number,
phone number or web address the English does not have, not the English copied (however
disguised), in the language's own script and alphabet, no marks that misread or cross out. No
free-text field may hold a web address (`website` is for that), and the clinic's name no phone
number: a second number in the box is a second number someone may call.
"""

from __future__ import annotations

import re
import unicodedata

from leafletpress.i18n.translation_checks import box_problems, numbers, translation_problems, web_addresses
from leafletpress.inputs.clinic import LANGUAGE_FIELDS, Clinic, ClinicError
from leafletpress.inputs.languages import SOURCE_LANGUAGE, parse_language

PHONE_LIKE_DIGITS = 5  # this many digits in a row (spaces and hyphens between) read as a number to call
DIGIT_SEQUENCE = re.compile(r"[0-9](?:[\s\-.()]*[0-9])*")


def check_clinic_text(clinic: Clinic | None) -> None:
    """Raise ClinicError, naming the field, for the first clinic text that breaks a rule."""
    if clinic is None:
        return
    if web_addresses(clinic.name):
        raise ClinicError(clinic.source, "name", "holds a web address; give it as `website`")
    if _longest_digit_sequence(clinic.name) >= PHONE_LIKE_DIGITS:
        raise ClinicError(clinic.source, "name", "holds a phone number; give the urgent number as `phone`")
    for field_name in LANGUAGE_FIELDS:
        texts = getattr(clinic, field_name)
        for tag, text in texts.items():
            address = web_addresses(text)
            if address:
                raise ClinicError(clinic.source, f"{field_name}.{tag}", f"holds a web address ({address[0]}); give the clinic's address as `website`")
        english = texts.get(SOURCE_LANGUAGE)
        others = {tag: text for tag, text in texts.items() if tag != SOURCE_LANGUAGE}
        if others and english is None:
            raise ClinicError(clinic.source, field_name, "gives other languages but not English (`en`), which each language is checked against")
        for tag, text in others.items():
            language = parse_language(tag)
            problems = translation_problems(english, text, language.script, language.direction)
            problems += box_problems(english, text, language.script, False, language.direction, language.alphabet)
            if problems:
                problem = problems[0]
                if problem.startswith("is the English text"):
                    problem = "is the English text: give it in the language, or leave the language out (the edition then prints no such line)"
                raise ClinicError(clinic.source, f"{field_name}.{tag}", problem)


def _longest_digit_sequence(text: str) -> int:
    """The most digits in one run of digit groups ("0906 123 4567" is 11), in any script's digits;
    a number disguised in look-alike letters counts too."""
    plain = "".join(str(unicodedata.digit(char)) if unicodedata.digit(char, None) is not None else char for char in text)
    runs = [sum(char.isdigit() for char in match.group(0)) for match in DIGIT_SEQUENCE.finditer(plain)]
    return max(runs + [len(number) for number in numbers(text)] + [0])
