"""Reading level of the shipped handouts: Flesch-Kincaid grade for English,
Fernández-Huerta ease for Spanish.

Syllables come from Pyphen's hyphenation dictionaries (installed with
WeasyPrint), which work offline; textstat's current releases download NLTK
data at run time, which a clinic's machine must never do. Each list item,
heading and paragraph counts as a sentence, as a reader meets them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pyphen

ENGLISH_MAX_GRADE = 8.0  # NIH, AMA: 6th to 8th grade at most
SPANISH_MIN_EASE = 70.0  # Fernández-Huerta 70-80: "bastante fácil", about 7th grade
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Reading:
    sentences: int
    words: int
    syllables: int

    @property
    def flesch_kincaid_grade(self) -> float:
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    @property
    def fernandez_huerta(self) -> float:
        return 206.84 - 60 * self.syllables / self.words - 1.02 * self.words / self.sentences


@cache
def _dictionary(language: str) -> pyphen.Pyphen:
    # left/right 1: every break point counts, not only where a hyphen may go.
    return pyphen.Pyphen(lang={"en": "en_US", "es": "es"}[language], left=1, right=1)


def measure(text: str, language: str) -> Reading:
    dictionary = _dictionary(language)
    sentences = [part for part in _SENTENCE_END.split(text) if _WORD.search(part)]
    words = _WORD.findall(text)
    syllables = sum(len(dictionary.positions(word.lower())) + 1 for word in words)
    return Reading(max(len(sentences), 1), max(len(words), 1), syllables)
