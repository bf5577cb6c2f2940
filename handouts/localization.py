"""Everything that depends on the reader's language, in one place: which
catalog, which direction and fonts, which paper, and how dates and numbers
are written. Templates never format a date or a number by hand."""

from __future__ import annotations

import datetime
import gettext
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.support import Translations

from handouts.errors import UsageProblem
from handouts.fonts import LATIN_STACK
from handouts.resources import asset_dir

SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47, also the catalog's folder name under locales/
    script: str  # ISO 15924
    direction: str  # "ltr" or "rtl"
    font_stack: tuple[str, ...]

    @property
    def locale(self) -> Locale:
        return _babel_locale(self.tag)

    @property
    def english_name(self) -> str:
        return self.locale.get_display_name("en") or self.tag

    @property
    def native_name(self) -> str:
        return self.locale.get_display_name(self.locale) or self.tag


# The one list of languages the tool offers.
LANGUAGES: dict[str, Language] = {
    "en": Language("en", "Latn", "ltr", LATIN_STACK),
}


@cache
def _babel_locale(tag: str) -> Locale:
    return Locale.parse(tag, sep="-")


def resolve_language(tag: str) -> Language:
    if tag in LANGUAGES:
        return LANGUAGES[tag]
    raise UsageProblem(f"unknown language '{tag}'", fix=f"use one of: {', '.join(LANGUAGES)}")


@cache
def translations(tag: str) -> gettext.NullTranslations:
    """The compiled catalog for a language; the source language needs none."""
    if tag == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    mo = asset_dir("locales") / tag / "LC_MESSAGES" / "messages.mo"
    with mo.open("rb") as handle:
        return Translations(handle)


def format_date(value: datetime.date, language: Language) -> str:
    return babel_format_date(value, format="long", locale=language.locale)
