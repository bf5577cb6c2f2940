"""Everything that depends on the reader's language, in one place: which
catalog, which direction and fonts, which paper, and how dates and numbers
are written. Templates never format a date or a number by hand."""

from __future__ import annotations

import datetime
import gettext
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import get_day_names, match_skeleton
from babel.numbers import format_decimal

from handouts.errors import UsageProblem
from handouts.fonts import (
    ARABIC_STACK,
    CHINESE_STACK,
    DEVANAGARI_STACK,
    JAPANESE_STACK,
    KOREAN_STACK,
    LATIN_STACK,
    NOTO_STACK,
    TRADITIONAL_CHINESE_STACK,
)

SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47, also the catalog's folder name under locales/
    english_name: str
    native_name: str
    script: str  # ISO 15924
    direction: str  # "ltr" or "rtl"
    font_stack: tuple[str, ...]
    cldr_locale: str  # the Babel locale for dates and numbers

    @property
    def locale(self) -> Locale:
        return _babel_locale(self.cldr_locale)


# The one list of the languages the project ships: the fifteen languages US
# federal rules name for translated notices (the largest limited-English-
# proficiency languages; Chinese in both its scripts), and English. CLI choices, `handouts languages`, the
# tests and the README derive from it.
LANGUAGES: dict[str, Language] = {
    language.tag: language
    for language in (
        Language("en", "English", "English", "Latn", "ltr", LATIN_STACK, "en"),
        Language("es", "Spanish", "Español", "Latn", "ltr", LATIN_STACK, "es"),
        Language("zh-Hans", "Chinese (Simplified)", "简体中文", "Hans", "ltr", CHINESE_STACK, "zh_Hans"),
        Language("vi", "Vietnamese", "Tiếng Việt", "Latn", "ltr", NOTO_STACK, "vi"),
        Language("ko", "Korean", "한국어", "Kore", "ltr", KOREAN_STACK, "ko"),
        # Babel knows Tagalog's standard form as Filipino (fil).
        Language("tl", "Tagalog", "Tagalog", "Latn", "ltr", LATIN_STACK, "fil"),
        Language("ru", "Russian", "Русский", "Cyrl", "ltr", NOTO_STACK, "ru"),
        Language("ar", "Arabic", "العربية", "Arab", "rtl", ARABIC_STACK, "ar"),
        Language("ht", "Haitian Creole", "Kreyòl ayisyen", "Latn", "ltr", LATIN_STACK, "ht"),
        Language("fr", "French", "Français", "Latn", "ltr", LATIN_STACK, "fr"),
        Language("pt", "Portuguese", "Português", "Latn", "ltr", LATIN_STACK, "pt"),
        Language("de", "German", "Deutsch", "Latn", "ltr", LATIN_STACK, "de"),
        Language("it", "Italian", "Italiano", "Latn", "ltr", LATIN_STACK, "it"),
        Language("pl", "Polish", "Polski", "Latn", "ltr", LATIN_STACK, "pl"),
        Language("hi", "Hindi", "हिन्दी", "Deva", "ltr", DEVANAGARI_STACK, "hi"),
        Language("ja", "Japanese", "日本語", "Jpan", "ltr", JAPANESE_STACK, "ja"),
        Language(
            "zh-Hant", "Chinese (Traditional)", "繁體中文", "Hant", "ltr", TRADITIONAL_CHINESE_STACK, "zh_Hant"
        ),
    )
}

# Tags whose language part alone does not pick the shipped catalog.
_ALIASES = {"zh": "zh-Hans", "fil": "tl"}
# Chinese regions that write Traditional characters when a tag names no script.
_TRADITIONAL_REGIONS = frozenset(["TW", "HK", "MO"])

# Territories that print on US Letter, from CLDR's supplemental paperSize data
# (<paperSize type="US-Letter" territories="BZ CA CL CO CR GT MX NI PA PH PR SV US VE"/>);
# every other territory ("001") uses A4.
LETTER_TERRITORIES = frozenset(
    ["BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"]
)


@cache
def _babel_locale(identifier: str) -> Locale:
    return Locale.parse(identifier)


def available_tags() -> str:
    return ", ".join(LANGUAGES)


def resolve_language(tag: str) -> Language:
    """A BCP 47 tag or alias (es-MX, zh-CN, zh, pt-BR) to a shipped language."""
    cleaned = tag.strip().replace("_", "-")
    by_lower = {key.lower(): language for key, language in LANGUAGES.items()}
    if cleaned.lower() in by_lower:
        return by_lower[cleaned.lower()]
    try:
        parsed: Locale | None = Locale.parse(cleaned, sep="-")
    except (ValueError, UnknownLocaleError):
        parsed = None
    language = by_lower.get(_ALIASES.get(parsed.language, parsed.language).lower()) if parsed else None
    if language and parsed and parsed.language == "zh":
        return LANGUAGES[_chinese_script(parsed)]
    if language:
        return language
    raise UsageProblem(f"unknown or unavailable language '{tag}'", fix=f"use one of: {available_tags()}")


def _chinese_script(parsed: Locale) -> str:
    """zh-Hant, zh-TW, zh-HK, zh-Hant-TW: Traditional; zh, zh-CN, zh-Hans, zh-SG: Simplified."""
    if parsed.script == "Hant" or (parsed.script is None and parsed.territory in _TRADITIONAL_REGIONS):
        return "zh-Hant"
    return "zh-Hans"


def text_direction(text: str) -> str:
    """'rtl' or 'ltr' from the first strongly directional character (the
    rule of HTML's dir="auto", which WeasyPrint does not implement)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def paper_for_territory(territory: str) -> str:
    return "letter" if territory.upper() in LETTER_TERRITORIES else "a4"


def format_number(value: int | float | Decimal, language: Language) -> str:
    return format_decimal(value, locale=language.locale)


def format_date(value: datetime.date, language: Language, translations: gettext.NullTranslations) -> str:
    locale = language.locale
    if has_month_names(language):
        return babel_format_date(value, format="long", locale=locale)
    # CLDR has no month names for a few locales (Haitian Creole prints
    # "2026 M12 1"); there the catalog's translators supply them.
    month = _month_names(translations)[value.month - 1]
    return f"{value.day} {month} {value.year}"


@cache
def full_weekday_pattern(language: Language) -> str:
    """The locale's pattern for a day and month with the weekday (CLDR skeleton
    MMMMEd), the weekday widened to its full name: "Wednesday, December 9".
    CLDR's closest skeleton abbreviates the weekday (two letters in Russian, "CN" in Vietnamese)."""
    locale = language.locale
    pattern = str(locale.datetime_skeletons[match_skeleton("MMMMEEEEd", locale.datetime_skeletons)])
    parts = pattern.split("'")  # even parts are pattern letters, odd parts quoted text
    parts[::2] = [re.sub(r"(?<!E)E{1,3}(?!E)", "EEEE", part) for part in parts[::2]]
    return "'".join(parts)


def has_month_names(language: Language) -> bool:
    """CLDR gives placeholders ("M12") where it has no month names (Haitian Creole)."""
    return not language.locale.months["format"]["wide"][12].startswith("M")


def weekday_names(language: Language, translations: gettext.NullTranslations) -> list[str]:
    """Short weekday names, Monday first: CLDR's, or the catalog's where CLDR has
    none (Haitian Creole, whose CLDR data falls back to English)."""
    if has_month_names(language):
        names = get_day_names("abbreviated", locale=language.locale)
        return [names[day] for day in range(7)]
    pgettext = translations.pgettext
    return [
        # TRANSLATORS: short weekday names for the tick calendar, printed only where the locale
        # data has none of its own (so far Haitian Creole).
        pgettext("weekday", "Mon"),
        pgettext("weekday", "Tue"),
        pgettext("weekday", "Wed"),
        pgettext("weekday", "Thu"),
        pgettext("weekday", "Fri"),
        pgettext("weekday", "Sat"),
        pgettext("weekday", "Sun"),
    ]


def _month_names(translations: gettext.NullTranslations) -> list[str]:
    pgettext = translations.pgettext
    return [
        # TRANSLATORS: month names are printed only where the locale data has
        # none of its own (so far Haitian Creole), in dates like "1 December 2026".
        pgettext("month", "January"),
        pgettext("month", "February"),
        pgettext("month", "March"),
        pgettext("month", "April"),
        pgettext("month", "May"),
        pgettext("month", "June"),
        pgettext("month", "July"),
        pgettext("month", "August"),
        pgettext("month", "September"),
        pgettext("month", "October"),
        pgettext("month", "November"),
        pgettext("month", "December"),
    ]
