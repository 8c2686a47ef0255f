"""Flesch-Kincaid grade of English text, with the usual vowel-group syllable estimate.

Written here because the packaged implementations fetch a pronunciation dictionary at run time.
`status` reports it for each leaflet's Easy Read text (NHS Easy Read aims at grade 4 or lower).
"""

import re

WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
SENTENCE_END = re.compile(r"[.!?:]+(?:\s|$)")


def syllables(word: str) -> int:
    word = word.lower().replace("’", "'")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith("ed") and count > 1 and not word.endswith(("ted", "ded")):
        count -= 1
    return max(count, 1)


def flesch_kincaid_grade(text: str) -> float:
    words = WORD.findall(text)
    sentences = max(len(SENTENCE_END.findall(text)), 1)
    total_syllables = sum(syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * total_syllables / len(words) - 15.59


PLAIN_WORD = re.compile(r"\w+(?:['’]\w+)*")  # "hot-water" is two words: a hyphen cannot hide a long sentence


def word_count(sentence: str) -> int:
    """Words as an Easy Read sentence is measured (in any script)."""
    return len(PLAIN_WORD.findall(sentence))


def longest_sentence_words(sentences) -> int:
    return max((word_count(sentence) for sentence in sentences), default=0)
