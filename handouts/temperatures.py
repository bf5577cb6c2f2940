"""The fever threshold a handout prints, in the units the clinic's country uses.

US patient instructions treat 100.4 °F (38 °C) or higher as a fever (CDC's
working definition). A page prints the unit the country's thermometers show
first, and the other in brackets where both are in use; elsewhere Celsius only.
"""

from __future__ import annotations

import gettext
from decimal import Decimal

from babel.numbers import format_decimal
from babel.units import format_unit

from handouts.doses import LATIN_UNITS
from handouts.localization import Language

FEVER_CELSIUS = Decimal("38")
FEVER_FAHRENHEIT = Decimal("100.4")

# Where body temperature is read in Fahrenheit: the US and its territories, and
# the few countries that kept the unit (CLDR unit preferences for "temperature").
FAHRENHEIT_TERRITORIES = frozenset(["US", "PR", "GU", "VI", "AS", "MP", "UM", "BS", "BZ", "KY", "PW", "LR", "FM", "MH"])
# Where Celsius is official but many thermometers and older readers use Fahrenheit.
BOTH_CELSIUS_FIRST = frozenset(["CA"])
DEFAULT_TERRITORY = "US"
# Where CLDR's short unit is not what a thermometer shows (Hindi "°फ़ेरन", Polish "38 st. C"):
# the symbols °F and °C, with the locale's own number.
SYMBOLS = LATIN_UNITS | {"pl"}  # as the paper default: a profile without a country is taken as US


def fever_threshold(language: Language, territory: str | None, translations: gettext.NullTranslations) -> str:
    """'100.4°F (38°C)' on a US page, '38 °C (100,4 °F)' on a Canadian French one, '38 °C' in France."""
    place = (territory or DEFAULT_TERRITORY).upper()
    if language.tag in SYMBOLS:
        return _pair(
            f"{format_decimal(FEVER_FAHRENHEIT, locale=language.locale)}°F",
            f"{format_decimal(FEVER_CELSIUS, locale=language.locale)}°C",
            place,
            translations,
        )
    # A number never parts from its unit at a line end: CLDR's plain spaces become no-break spaces.
    celsius = format_unit(FEVER_CELSIUS, "temperature-celsius", length="short", locale=language.locale).replace(" ", "\u00a0")
    fahrenheit = format_unit(
        FEVER_FAHRENHEIT, "temperature-fahrenheit", length="short", locale=language.locale
    ).replace(" ", "\u00a0")
    return _pair(fahrenheit, celsius, place, translations)


def _pair(fahrenheit: str, celsius: str, place: str, translations: gettext.NullTranslations) -> str:
    if place in FAHRENHEIT_TERRITORIES:
        first, second = fahrenheit, celsius
    elif place in BOTH_CELSIUS_FIRST:
        first, second = celsius, fahrenheit
    else:
        return celsius
    # TRANSLATORS: one temperature in two units, e.g. "100.4°F (38°C)"; use your language's brackets.
    return translations.gettext("%(first)s (%(second)s)") % {"first": first, "second": second}
