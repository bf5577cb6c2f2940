"""Reading level of the shipped handouts: Flesch-Kincaid grade for English,
Fernández-Huerta ease for Spanish, the Wiener Sachtextformel for German.

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
# The Wiener Sachtextformel (Bamberger and Vanecek, "Lesen - Verstehen - Lernen -
# Schreiben", Vienna 1984) reads as an Austrian school year, 4 (very easy) to 15
# (very hard). No body sets a figure for patient text; 8 is the German
# counterpart of the English ceiling above (grade 8, NIH and AMA), the level
# plain-language guides for German patient information commonly aim at.
GERMAN_MAX_WSTF = 8.0
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_VOWELS = frozenset("aeiouyäöüéàèáíóúâêîôû")


@dataclass(frozen=True)
class Reading:
    sentences: int
    words: int
    syllables: int
    polysyllables: int = 0  # words of three or more syllables
    monosyllables: int = 0  # words of one syllable
    long_words: int = 0  # words of more than six letters

    @property
    def flesch_kincaid_grade(self) -> float:
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    @property
    def fernandez_huerta(self) -> float:
        return 206.84 - 60 * self.syllables / self.words - 1.02 * self.words / self.sentences

    @property
    def wiener_sachtextformel(self) -> float:
        """The first Wiener Sachtextformel, for non-fiction: a school year."""
        ms = 100 * self.polysyllables / self.words
        sl = self.words / self.sentences
        iw = 100 * self.long_words / self.words
        es = 100 * self.monosyllables / self.words
        return 0.1935 * ms + 0.1672 * sl + 0.1297 * iw - 0.0327 * es - 0.875


@cache
def _dictionary(language: str) -> pyphen.Pyphen:
    # left/right 1: every break point counts, not only where a hyphen may go.
    return pyphen.Pyphen(lang={"en": "en_US", "es": "es", "de": "de_DE"}[language], left=1, right=1)


def syllable_count(word: str, language: str) -> int:
    if language != "de":
        return len(_dictionary(language).positions(word.lower())) + 1
    # German patterns with left/right 1 also split off consonants ("a-rz-t",
    # "a-ben-d"): only a piece with a vowel is a syllable.
    pieces = _dictionary(language).inserted(word.lower()).split("-")
    return max(sum(1 for piece in pieces if _VOWELS.intersection(piece)), 1)


def measure(text: str, language: str) -> Reading:
    sentences = [part for part in _SENTENCE_END.split(text) if _WORD.search(part)]
    words = _WORD.findall(text)
    counts = [syllable_count(word, language) for word in words]
    return Reading(
        max(len(sentences), 1),
        max(len(words), 1),
        sum(counts),
        polysyllables=sum(1 for count in counts if count >= 3),
        monosyllables=sum(1 for count in counts if count == 1),
        long_words=sum(1 for word in words if len(word) > 6),
    )
